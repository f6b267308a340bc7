"""Frameworks as data: the youth framework, whole-document validation (one message per
problem, nothing changed), export and its round trip, and freezing of a framework a
complete inspection was rated on (command and admin), with copies as new versions."""

import copy
import json
from io import StringIO

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse

from inspection.admin import FrozenFrameworkAdmin, FrozenFrameworkInline
from inspection.frameworks import (
    PARTS,
    FrameworkFrozen,
    FrameworkProblems,
    export_document,
    framework_path,
    load_framework,
    read_document,
    stored_part,
    validate_document,
)
from inspection.models import (
    Basis,
    Framework,
    InspectionStatus,
    KeyQuestion,
    Prompt,
    RatingBand,
    Standard,
)
from tests.factories import InspectionFactory

pytestmark = pytest.mark.django_db

YOUTH = "youth-2021"
PROBATION = "probation-2023"
SHIPPED = "frameworks/youth-2021.json"


def document(code: str) -> dict:
    return read_document(framework_path(code))


def part_models():
    return [apps.get_model("inspection", name) for name in PARTS]


def snapshot() -> dict:
    """Every framework row and every history row, to show nothing changed."""
    rows = {}
    for model in part_models():
        rows[model.__name__] = sorted(
            tuple(sorted((k, str(v)) for k, v in row.items())) for row in model.objects.values()
        )
        rows[f"history of {model.__name__}"] = model.history.count()
    return rows


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def refused(*args) -> tuple[str, list[str]]:
    err = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(*args, stdout=StringIO(), stderr=err)
    assert "\n" not in str(caught.value)
    return str(caught.value), err.getvalue().splitlines()


class TestYouthFramework:
    def test_the_shipped_documents_are_valid(self):
        for code in (PROBATION, YOUTH):
            assert validate_document(document(code), code) == []

    def test_loads_twelve_rated_standards_scored_out_of_36(self):
        framework = load_framework(document(YOUTH))

        standards = list(framework.standards.order_by("order"))
        assert [(s.code, s.domain.number, s.basis) for s in standards] == [
            ("1.1", 1, Basis.JUDGEMENT),
            ("1.2", 1, Basis.JUDGEMENT),
            ("1.3", 1, Basis.JUDGEMENT),
            ("1.4", 1, Basis.JUDGEMENT),
            ("2.1", 2, Basis.CASES),
            ("2.2", 2, Basis.CASES),
            ("2.3", 2, Basis.CASES),
            ("2.4", 2, Basis.CASES),
            ("3.1", 3, Basis.CASES),
            ("3.2", 3, Basis.CASES),
            ("3.3", 3, Basis.CASES),
            ("3.4", 3, Basis.JUDGEMENT),
        ]
        key_questions = KeyQuestion.objects.filter(standard__framework=framework)
        for standard in standards[4:11]:
            rows = key_questions.filter(standard=standard).order_by("order")
            assert [(kq.code, kq.lens) for kq in rows] == [
                (f"{standard.code}.1", "desistance"),
                (f"{standard.code}.2", "wellbeing"),
                (f"{standard.code}.3", "safety"),
            ]
            assert all(kq.prompts.exists() for kq in rows)
            assert {kq.allows_not_applicable for kq in rows} == {standard.code == "2.4"}
        bands = {
            kind: [(b.rating, b.minimum) for b in framework.bands.filter(kind=kind)]
            for kind in ("key_question", "overall")
        }
        assert bands == {
            "key_question": [
                ("outstanding", 80),
                ("good", 65),
                ("requires_improvement", 50),
                ("inadequate", 0),
            ],
            "overall": [
                ("outstanding", 31),
                ("good", 19),
                ("requires_improvement", 7),
                ("inadequate", 0),
            ],
        }

    def test_case_types_answer_each_case_rated_standard(self):
        youth = document(YOUTH)
        assert [t["code"] for t in youth["case_types"]] == ["court", "out_of_court"]
        answered_by = {
            s["code"]: s.get("case_types") for s in youth["standards"] if s["basis"] == "cases"
        }
        assert answered_by == {
            **{code: ["court"] for code in ("2.1", "2.2", "2.3", "2.4")},
            **{code: ["out_of_court"] for code in ("3.1", "3.2", "3.3")},
        }
        probation = document(PROBATION)
        assert {
            s["code"]: s["case_types"] for s in probation["standards"] if s["basis"] != "judgement"
        } == {code: ["community", "licence"] for code in ("2.1", "2.2", "2.3", "2.4", "2.5")}
        prompts = [
            p
            for s in youth["standards"]
            for kq in s.get("key_questions", [])
            for p in kq["prompts"]
        ]
        assert prompts and all(p["provisional"] is True for p in prompts)

    def test_the_maximum_is_three_per_rated_standard(self):
        youth = document(YOUTH)
        youth["overall_bands"][0]["minimum"] = 37
        assert validate_document(youth, SHIPPED) == [
            f"{SHIPPED}: overall_bands[0].minimum: 37 is above the maximum of 36, "
            "so this band can never be given"
        ]

    def test_loading_writes_only_the_framework_parts(self):
        """Freezing covers PARTS; the loader must write nothing outside them."""
        models = apps.get_app_config("inspection").get_models()
        before = {model: model._default_manager.count() for model in models}
        load_framework(document(YOUTH))
        changed = {
            model.__name__
            for model in apps.get_app_config("inspection").get_models()
            if model._default_manager.count() != before[model]
        }
        history_of_parts = {model.history.model.__name__ for model in part_models()}
        # A standard's case types are part of the standard, their history beside its own.
        history_of_parts.add(f"Historical{Standard.case_types.through.__name__}")
        assert changed and changed <= set(PARTS) | history_of_parts


def probation_history(framework) -> dict:
    return {
        model.__name__: model.history.filter(
            **({path: framework} if path else {"id": framework.pk})
        ).count()
        for model, path in zip(part_models(), PARTS.values(), strict=True)
    }


def test_loading_it_changes_nothing_for_probation(settings):
    """The demo's `summary --json` stays byte-identical when the youth framework is
    loaded and probation's document (now naming its case types) is loaded again."""
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    slugs = list(apps.get_model("inspection", "Inspection").objects.values_list("slug", flat=True))
    before = {slug: run("summary", slug, "--json") for slug in slugs}
    framework = Framework.objects.get(code=PROBATION)
    probation = export_document(framework)
    history = probation_history(framework)
    assert len(slugs) >= 2 and history

    run("load_framework", YOUTH)
    run("load_framework", PROBATION)  # its new case_types fields store nothing

    assert {slug: run("summary", slug, "--json") for slug in slugs} == before
    assert export_document(Framework.objects.get(code=PROBATION)) == probation
    assert probation_history(framework) == history  # nothing of probation was written
    assert [f.code for f in Framework.objects.all()] == [PROBATION, YOUTH]


def broken(change) -> dict:
    youth = document(YOUTH)
    change(youth)
    return youth


# One mutation of the youth document each, and the one message it must give.
PROBLEMS = [
    (
        lambda d: d["standards"][5].__setitem__("code", "2.1"),
        [
            'standards[5].code: "2.1" is used twice (first at standards[4].code)',
            'standards[5].key_questions[0].code: "2.2.1" does not belong to standard 2.1 '
            "(its code must start with 2.1.)",
            'standards[5].key_questions[1].code: "2.2.2" does not belong to standard 2.1 '
            "(its code must start with 2.1.)",
            'standards[5].key_questions[2].code: "2.2.3" does not belong to standard 2.1 '
            "(its code must start with 2.1.)",
        ],
    ),
    (
        lambda d: d["overall_bands"].pop(3),
        ["overall_bands: no band starts at 0, so the lowest values are in no band"],
    ),
    (
        lambda d: d["overall_bands"][1].__setitem__("minimum", 7),
        ["overall_bands[2].minimum: 7 is also the minimum at overall_bands[1]: the bands overlap"],
    ),
    (
        lambda d: d["key_question_bands"][0].__setitem__("minimum", 60),
        [
            "key_question_bands: good starts at 65, above outstanding at 60: "
            "a better rating must start higher"
        ],
    ),
    (
        lambda d: d["key_question_bands"][0].__setitem__("minimum", 101),
        [
            "key_question_bands[0].minimum: 101 is above the maximum of 100, "
            "so this band can never be given"
        ],
    ),
    (
        lambda d: d["overall_bands"][1].__setitem__("rating", "outstanding"),
        [
            'overall_bands[1].rating: "outstanding" is used twice in overall_bands '
            "(first at overall_bands[0].rating)",
            "overall_bands: outstanding starts at 31, above outstanding at 19: "
            "a better rating must start higher",
        ],
    ),
    (
        lambda d: d["standards"][4].pop("key_questions"),
        ["standards[4]: standard 2.1 is rated from cases but has no key questions"],
    ),
    (
        lambda d: d["standards"][4].pop("case_types"),
        ["standards[4]: standard 2.1 is rated from cases but names no case_types"],
    ),
    (
        lambda d: d["standards"][4].__setitem__("case_types", ["custody"]),
        ["standards[4].case_types[0]: 'custody' is not a case type listed at the top"],
    ),
    (
        lambda d: d["standards"][0].__setitem__("case_types", ["court"]),
        ["standards[0].case_types: standard 1.1 is rated by judgement, so no case answers it"],
    ),
    (
        lambda d: d["standards"][4]["key_questions"][1].__setitem__("lens", "kindness"),
        [
            "standards[4].key_questions[1].lens: 'kindness' is not one of engaging, "
            "desistance, wellbeing, safety, outcome"
        ],
    ),
    (
        lambda d: d["standards"][4].__setitem__("basis", "vibes"),
        ["standards[4].basis: 'vibes' is not one of cases, judgement, reported"],
    ),
    (
        lambda d: d["standards"][4]["key_questions"][0]["prompts"][0].__setitem__(
            "code", "2.2.1.z"
        ),
        [
            'standards[4].key_questions[0].prompts[0].code: "2.2.1.z" does not belong to '
            "key question 2.1.1 (its code must start with 2.1.1.)"
        ],
    ),
    (
        lambda d: d["standards"][4].__setitem__("domain", 9),
        ["standards[4].domain: 9 is not the number of a domain above"],
    ),
    (
        lambda d: d["standards"][4].__setitem__("titel", "Assessment"),
        ["standards[4].titel: is not a field of a framework document"],
    ),
    (lambda d: d.pop("title"), ["title: is missing"]),
    (
        lambda d: d["standards"][4]["key_questions"][0].__setitem__("allows_not_applicable", 1),
        ["standards[4].key_questions[0].allows_not_applicable: must be true or false"],
    ),
]


class TestValidation:
    @pytest.mark.parametrize(("change", "messages"), PROBLEMS)
    def test_one_message_per_problem(self, change, messages):
        assert validate_document(broken(change), SHIPPED) == [
            f"{SHIPPED}: {message}" for message in messages
        ]

    def test_every_problem_is_listed_and_nothing_changes(self):
        load_framework(document(YOUTH))
        before = snapshot()
        bad = broken(lambda d: None)
        bad["title"] = "Reworded, which alone would load"
        for change, _ in PROBLEMS[:4]:
            change(bad)

        with pytest.raises(FrameworkProblems) as caught:
            load_framework(bad, source=SHIPPED)

        assert len(caught.value.problems) == 7
        assert snapshot() == before

    def test_the_command_lists_them_on_stderr_and_exits_non_zero(self, tmp_path):
        path = tmp_path / "youth.json"
        bad = broken(PROBLEMS[1][0])
        PROBLEMS[6][0](bad)
        path.write_text(json.dumps(bad), encoding="utf-8")
        before = snapshot()

        message, errors = refused("load_framework", str(path))

        assert message == f"{path}: 2 problems found; nothing loaded"
        assert errors == [
            f"{path}: standards[4]: standard 2.1 is rated from cases but has no key questions",
            f"{path}: overall_bands: no band starts at 0, so the lowest values are in no band",
        ]
        assert snapshot() == before

    @pytest.mark.parametrize("text", ["{", "[1, 2]", '"youth"'])
    def test_a_file_that_is_not_a_document_is_one_line(self, tmp_path, text):
        path = tmp_path / "broken.json"
        path.write_text(text, encoding="utf-8")
        message, errors = refused("load_framework", str(path))
        assert message == f"{path}: 1 problem found; nothing loaded"
        assert len(errors) == 1


class TestExport:
    @pytest.mark.parametrize("code", [PROBATION, YOUTH])
    def test_round_trip(self, code, tmp_path):
        original = document(code)
        load_framework(original)
        path = tmp_path / f"{code}.json"

        assert run("export_framework", code, str(path)).strip() == (
            f"Exported framework {code} to {path}"
        )
        exported = read_document(path)
        assert exported == stored_part(original)
        # Everything the document says is stored: case types, which standards each
        # answers, provisional prompts; the export is the shipped document itself.
        assert exported == original
        before = snapshot()
        run("load_framework", str(path))
        assert snapshot() == before  # loading the export back changes nothing
        assert export_document(Framework.objects.get(code=code)) == exported

    def test_an_export_loads_as_another_framework_with_the_same_content(self, tmp_path):
        load_framework(document(YOUTH))
        path = tmp_path / "youth.json"
        path.write_text(run("export_framework", YOUTH), encoding="utf-8")

        run("load_framework", str(path), "--code", "youth-2021-v2")

        copy_ = export_document(Framework.objects.get(code="youth-2021-v2"))
        assert copy_ == {
            **export_document(Framework.objects.get(code=YOUTH)),
            "code": copy_["code"],
        }

    def test_refuses_an_unknown_framework(self):
        message, _ = refused("export_framework", "nope")
        assert message.startswith("no framework nope")


@pytest.fixture
def frozen():
    """probation-2023, rated on by a complete inspection."""
    inspection = InspectionFactory(slug="complete-2023", status=InspectionStatus.COMPLETE)
    return inspection.framework


class TestFreezingInTheCommand:
    def test_a_change_is_refused_and_nothing_changes(self, frozen, tmp_path):
        changed = document(PROBATION)
        changed["standards"][3]["key_questions"][0]["text"] = "Reworded?"
        path = tmp_path / "probation.json"
        path.write_text(json.dumps(changed), encoding="utf-8")
        before = snapshot()

        message, _ = refused("load_framework", str(path))

        assert message == (
            f"{path}: framework probation-2023 is frozen: complete inspection complete-2023 "
            "was rated on it. Load the change as a new version under a new code (for example "
            "probation-2023-v2).; nothing loaded"
        )
        assert snapshot() == before
        run("load_framework", str(path), "--code", "probation-2023-v2")
        assert KeyQuestion.objects.get(
            standard__framework__code="probation-2023-v2", code="2.1.1"
        ).text == ("Reworded?")
        assert KeyQuestion.objects.get(standard__framework=frozen, code="2.1.1").text != (
            "Reworded?"
        )

    def test_the_same_document_loads_as_a_no_op(self, frozen):
        before = snapshot()
        run("load_framework", PROBATION)
        assert snapshot() == before

    def test_a_framework_no_complete_inspection_used_stays_editable(self):
        InspectionFactory(status=InspectionStatus.FIELDWORK)
        changed = document(PROBATION)
        changed["title"] = "Reworded"
        assert load_framework(changed).title == "Reworded"

    def test_the_loader_refuses_too(self, frozen):
        changed = copy.deepcopy(document(PROBATION))
        changed["key_question_bands"][0]["minimum"] = 81
        with pytest.raises(FrameworkFrozen):
            load_framework(changed)


def frozen_rows(framework) -> dict:
    """One row of each framework part, on `framework`."""
    return {
        "Framework": framework,
        "Domain": framework.domains.first(),
        "Standard": framework.standards.get(code="2.1"),
        "KeyQuestion": KeyQuestion.objects.get(standard__framework=framework, code="2.1.1"),
        "Prompt": Prompt.objects.filter(key_question__standard__framework=framework).first(),
        "RatingBand": framework.bands.first(),
    }


def admins_of_parts():
    """Every registered admin and inline that shows a framework part, from the registry."""
    for model, model_admin in admin.site._registry.items():
        if model.__name__ in PARTS:
            yield model, model_admin
        for inline in model_admin.inlines:
            if inline.model.__name__ in PARTS:
                yield inline.model, inline


class TestFreezingInAdmin:
    def test_every_admin_and_inline_of_a_framework_part_is_frozen(self):
        found = {}
        for model, shown_by in admins_of_parts():
            expected = FrozenFrameworkInline if isinstance(shown_by, type) else FrozenFrameworkAdmin
            assert isinstance(shown_by, expected) or issubclass(shown_by, expected), shown_by
            found.setdefault(model.__name__, []).append(shown_by)
        assert set(found) == set(PARTS)

    def test_a_change_page_is_read_only_and_a_post_changes_nothing(self, frozen, admin_client):
        before = snapshot()
        for name, row in frozen_rows(frozen).items():
            url = reverse(f"admin:inspection_{name.lower()}_change", args=[row.pk])
            page = admin_client.get(url)
            assert page.status_code == 200
            text = page.content.decode()
            assert "probation-2023 is frozen: complete inspection complete-2023" in text, name
            assert 'name="_save"' not in text, name

            response = admin_client.post(url, {"title": "Changed", "text": "Changed"}, follow=True)
            refusal = "Not saved: framework probation-2023 is frozen"
            assert refusal in response.content.decode(), name
        assert snapshot() == before

    def test_inlines_of_a_frozen_row_refuse_add_change_delete(self, frozen, rf, admin_user):
        request = rf.get("/")
        request.user = admin_user
        for name, row in frozen_rows(frozen).items():
            model_admin = admin.site._registry[type(row)]
            for inline in model_admin.get_inline_instances(request, row):
                assert not inline.has_add_permission(request, row), (name, inline)
                assert not inline.has_change_permission(request, row), (name, inline)
                assert not inline.has_delete_permission(request, row), (name, inline)
            assert not model_admin.has_delete_permission(request, row), name

    def test_a_row_cannot_be_added_into_a_frozen_framework(self, frozen, admin_client):
        key_question = frozen_rows(frozen)["KeyQuestion"]
        before = snapshot()
        response = admin_client.post(
            reverse("admin:inspection_prompt_add"),
            {"key_question": key_question.pk, "code": "2.1.1.z", "text": "New", "order": 9},
        )
        assert response.status_code == 200
        assert "framework probation-2023 is frozen" in response.content.decode()
        assert snapshot() == before

    def test_bulk_delete_is_refused(self, frozen, admin_client):
        prompts = Prompt.objects.filter(key_question__standard__framework=frozen)[:2]
        response = admin_client.post(
            reverse("admin:inspection_prompt_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [p.pk for p in prompts],
                "post": "yes",
            },
        )
        assert "framework probation-2023 is frozen" in response.content.decode()
        assert Prompt.objects.filter(pk__in=[p.pk for p in prompts]).count() == 2

    def test_copy_as_a_new_version_is_editable(self, frozen, admin_client, rf, admin_user):
        response = admin_client.post(
            reverse("admin:inspection_framework_changelist"),
            {"action": "copy_as_new_version", "_selected_action": [frozen.pk]},
            follow=True,
        )
        assert "Copied probation-2023 as probation-2023-v2" in response.content.decode()
        copy_ = Framework.objects.get(code="probation-2023-v2")
        assert export_document(copy_) == {**export_document(frozen), "code": copy_.code}
        request = rf.get("/")
        request.user = admin_user
        assert admin.site._registry[Framework].has_change_permission(request, copy_)
        band = copy_.bands.get(kind="key_question", rating="good")
        url = reverse("admin:inspection_ratingband_change", args=[band.pk])
        page = admin_client.get(url)
        assert 'name="_save"' in page.content.decode()
        assert RatingBand.objects.filter(framework=frozen).count() == copy_.bands.count()
        # A second copy takes the next free number.
        admin_client.post(
            reverse("admin:inspection_framework_changelist"),
            {"action": "copy_as_new_version", "_selected_action": [frozen.pk]},
        )
        assert Framework.objects.filter(code="probation-2023-v3").exists()

    def test_an_inspection_keeps_its_framework(self, admin_client):
        load_framework(document(YOUTH))
        inspection = InspectionFactory()
        page = admin_client.get(reverse("admin:inspection_inspection_change", args=[inspection.pk]))
        assert 'name="framework"' not in page.content.decode()
        assert Standard.objects.filter(framework__code=YOUTH).count() == 12


def every_path(node, path=()):
    yield path
    if isinstance(node, dict | list):
        for key, child in node.items() if isinstance(node, dict) else enumerate(node):
            yield from every_path(child, (*path, key))


def test_any_value_anywhere_is_a_message_never_a_traceback():
    """Every node of the youth document replaced by each kind of wrong value: validation
    answers with problems, or the document is still valid and loads; nothing raises."""
    original = document(YOUTH)
    paths = list(every_path(original))[1:]
    assert len(paths) > 500
    valid: dict = {}
    for path in paths:
        for value in (None, [], {}, [[]], 1.5, -1, True, "", "x" * 6000):
            variant = copy.deepcopy(original)
            parent = variant
            for key in path[:-1]:
                parent = parent[key]
            parent[path[-1]] = value
            problems = validate_document(variant, SHIPPED)
            assert all(p.startswith(f"{SHIPPED}: ") for p in problems), (path, value)
            if not problems:
                # One of each kind of still-valid replacement is loaded, for time.
                field = path[-1] if isinstance(path[-1], str) else "item"
                valid.setdefault((field, repr(value)[:20]), variant)
    assert valid  # some replacements are still valid documents: they must load
    for variant in valid.values():
        with pytest.raises(RolledBack), transaction.atomic():
            load_framework(variant)
            raise RolledBack


class RolledBack(Exception):
    pass
