"""Frameworks are data: each JSON file here is one version of the methodology.

`load_framework` creates or updates a framework from its document, matching rows by
code, so corrected wording is a data change. The data migration passes the historical
app registry; the `load_framework` command passes the live one.

A document is validated whole before anything is written (validation.py), and a
framework used by a complete inspection is frozen: its published ratings were given
against that wording and those bands, so a change is loaded as a new version under a
new code instead. `export_document` writes a framework back as the same document.
See docs/frameworks.md.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.apps import apps as live_apps
from django.db import transaction

from inspection.frameworks.validation import FrameworkProblems, validate_document

__all__ = [
    "DEFAULT_FRAMEWORK",
    "FrameworkFrozen",
    "FrameworkProblems",
    "copy_as_new_version",
    "export_document",
    "framework_of",
    "frozen_by",
    "load_framework",
    "read_document",
    "validate_document",
]

FRAMEWORK_DIR = Path(__file__).resolve().parent
DEFAULT_FRAMEWORK = "probation-2023"

# The models a document is loaded into, each with the path from a row to its
# framework: what freezing a framework freezes.
PARTS = {
    "Framework": "",
    "CaseType": "framework",
    "Domain": "framework",
    "Standard": "framework",
    "KeyQuestion": "standard__framework",
    "Prompt": "key_question__standard__framework",
    "RatingBand": "framework",
}


def framework_of(row):
    """The framework a framework part belongs to."""
    path = PARTS[type(row).__name__]
    for name in path.split("__") if path else []:
        row = getattr(row, name)
    return row


def framework_path(code: str) -> Path:
    return FRAMEWORK_DIR / f"{code}.json"


def source_name(path: Path) -> str:
    """How messages name a document: a shipped one as frameworks/<code>.json."""
    path = Path(path)
    if path.resolve().parent == FRAMEWORK_DIR:
        return f"frameworks/{path.name}"
    return str(path)


def read_document(path: Path) -> dict:
    """The document in the file; a file that is not JSON is one problem, not a traceback."""
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise FrameworkProblems([f"{source_name(path)}: is not JSON: {error}"]) from None


def stored_part(document: dict) -> dict:
    """The document as far as the models hold it: what `export_document` gives back."""
    return export_shape(document)


def export_shape(document: dict) -> dict:
    """Defaults made explicit the way the export writes them, so two documents that
    load the same rows compare equal."""
    result: dict = {"code": document["code"], "title": document["title"]}
    if document.get("description"):
        result["description"] = document["description"]
    if document.get("case_types"):
        result["case_types"] = [
            {"code": t["code"], "label": t["label"]} for t in document["case_types"]
        ]
    result["domains"] = [{"number": d["number"], "title": d["title"]} for d in document["domains"]]
    result["standards"] = []
    for item in document["standards"]:
        standard = {
            "code": item["code"],
            "domain": item["domain"],
            "title": item["title"],
            "basis": item["basis"],
            "statement": item.get("statement", ""),
        }
        if item.get("case_types"):
            standard["case_types"] = list(item["case_types"])
        if item.get("key_questions"):
            standard["key_questions"] = [
                {
                    "code": kq["code"],
                    "text": kq["text"],
                    "lens": kq["lens"],
                    "allows_not_applicable": kq.get("allows_not_applicable", False),
                    "prompts": [
                        _prompt(prompt["code"], prompt["text"], prompt.get("provisional", False))
                        for prompt in kq.get("prompts", [])
                    ],
                }
                for kq in item["key_questions"]
            ]
        result["standards"].append(standard)
    for key in ("key_question_bands", "overall_bands"):
        result[key] = [_band(band, full=key == "key_question_bands") for band in document[key]]
    return result


def _prompt(code: str, text: str, provisional: bool) -> dict:
    # Only a provisional prompt says so: the probation prompts are the published ones.
    return {"code": code, "text": text, **({"provisional": True} if provisional else {})}


def _band(band: dict, full: bool) -> dict:
    # Overall bands carry only a rating and a minimum in the shipped documents.
    row = {"rating": band["rating"], "minimum": band["minimum"]}
    if full or band.get("score", 0):
        row["score"] = band.get("score", 0)
    if full or band.get("descriptor", ""):
        row["descriptor"] = band.get("descriptor", "")
    return row


def export_document(framework) -> dict:
    """The framework as a document `load_framework` loads back to the same rows."""
    standards = []
    for standard in (
        framework.standards.select_related("domain")
        .prefetch_related("case_types")
        .order_by("order", "code")
    ):
        item = {
            "code": standard.code,
            "domain": standard.domain.number,
            "title": standard.title,
            "basis": standard.basis,
            "statement": standard.statement,
        }
        case_types = sorted(standard.case_types.all(), key=lambda t: (t.order, t.code))
        if case_types:
            item["case_types"] = [case_type.code for case_type in case_types]
        key_questions = list(standard.key_questions.order_by("order", "code"))
        if key_questions:
            item["key_questions"] = [
                {
                    "code": kq.code,
                    "text": kq.text,
                    "lens": kq.lens,
                    "allows_not_applicable": kq.allows_not_applicable,
                    "prompts": [
                        _prompt(prompt.code, prompt.text, prompt.provisional)
                        for prompt in kq.prompts.order_by("order", "code")
                    ],
                }
                for kq in key_questions
            ]
        standards.append(item)
    bands: dict[str, list[dict]] = {"key_question": [], "overall": []}
    for band in framework.bands.order_by("-minimum"):
        bands[band.kind].append(
            _band(
                {
                    "rating": band.rating,
                    "minimum": band.minimum,
                    "score": band.score,
                    "descriptor": band.descriptor,
                },
                full=band.kind == "key_question",
            )
        )
    document: dict = {"code": framework.code, "title": framework.title}
    if framework.description:
        document["description"] = framework.description
    case_types = framework.case_types.order_by("order", "code")
    if case_types:
        document["case_types"] = [{"code": t.code, "label": t.label} for t in case_types]
    return {
        **document,
        "domains": [
            {"number": domain.number, "title": domain.title}
            for domain in framework.domains.order_by("number")
        ],
        "standards": standards,
        "key_question_bands": bands["key_question"],
        "overall_bands": bands["overall"],
    }


class FrameworkFrozen(ValueError):
    pass


def frozen_by(framework, apps=live_apps) -> list[str]:
    """The complete inspections on `framework` (their slugs): while there is one, the
    framework is frozen, since its published ratings came from this wording and these bands."""
    if framework is None or framework.pk is None:
        return []
    Inspection = apps.get_model("inspection", "Inspection")
    return list(
        Inspection.objects.filter(framework=framework, status="complete")
        .order_by("slug")
        .values_list("slug", flat=True)
    )


def frozen_message(framework, slugs: list[str]) -> str:
    return (
        f"framework {framework.code} is frozen: complete inspection"
        f"{'s' if len(slugs) != 1 else ''} {', '.join(slugs)} "
        f"{'were' if len(slugs) != 1 else 'was'} rated on it. Load the change as a new "
        f"version under a new code (for example {next_version_code(framework.code)})."
    )


def next_version_code(code: str, apps=live_apps) -> str:
    """`probation-2023` -> `probation-2023-v2` (or the next number not yet taken)."""
    Framework = apps.get_model("inspection", "Framework")
    base, _, number = code.rpartition("-v")
    if not (base and number.isdigit()):
        base, number = code, "1"
    taken = set(
        Framework.objects.filter(code__startswith=f"{base}-v").values_list("code", flat=True)
    )
    version = int(number) + 1
    while f"{base}-v{version}" in taken:
        version += 1
    return f"{base}-v{version}"


def copy_as_new_version(framework, apps=live_apps):
    """A new framework with the same content under the next version code, editable."""
    document = export_document(framework)
    document["code"] = next_version_code(framework.code, apps=apps)
    return load_framework(document, apps=apps, source=f"copy of {framework.code}")


def _has_model(apps, name: str) -> bool:
    try:
        apps.get_model("inspection", name)
    except LookupError:
        return False
    return True


def _has_field(model, name: str) -> bool:
    return any(field.name == name for field in model._meta.get_fields())


def _upsert(model, defaults: dict, **lookup):
    """Like update_or_create, but an unchanged row is not saved: loading the same
    document again writes nothing, so the history shows only real changes."""
    row = model.objects.filter(**lookup).first()
    if row is None:
        return model.objects.create(**lookup, **defaults)
    changed = [name for name, value in defaults.items() if getattr(row, name) != value]
    if changed:
        for name in changed:
            setattr(row, name, defaults[name])
        row.save(update_fields=changed)
    return row


@transaction.atomic
def load_framework(document: dict, apps=live_apps, source: str = "document"):
    """Create or update the framework the document describes. Raises FrameworkProblems
    (every problem) or FrameworkFrozen, and then has changed nothing."""
    problems = validate_document(document, source)
    if problems:
        raise FrameworkProblems(problems)
    Framework, Domain, Standard, KeyQuestion, Prompt, RatingBand = (
        apps.get_model("inspection", name)
        for name in ("Framework", "Domain", "Standard", "KeyQuestion", "Prompt", "RatingBand")
    )
    # The first migration loads the probation framework into the models as they were
    # then, before case types, descriptions and provisional prompts were stored.
    CaseType = apps.get_model("inspection", "CaseType") if _has_model(apps, "CaseType") else None
    framework_fields = {"title": document["title"]}
    if _has_field(Framework, "description"):
        framework_fields["description"] = document.get("description", "")
    stores_provisional = _has_field(Prompt, "provisional")

    existing = Framework.objects.filter(code=document["code"]).first()
    if existing is not None:
        slugs = frozen_by(existing, apps=apps)
        if slugs and export_document(existing) != stored_part(document):
            raise FrameworkFrozen(f"{source}: {frozen_message(existing, slugs)}")

    framework = _upsert(Framework, code=document["code"], defaults=framework_fields)
    case_types = {}
    if CaseType is not None:
        for order, item in enumerate(document.get("case_types", []), start=1):
            case_types[item["code"]] = _upsert(
                CaseType,
                framework=framework,
                code=item["code"],
                defaults={"label": item["label"], "order": order},
            )
    domains = {}
    for item in document["domains"]:
        domains[item["number"]] = _upsert(
            Domain, framework=framework, number=item["number"], defaults={"title": item["title"]}
        )
    for order, item in enumerate(document["standards"], start=1):
        standard = _upsert(
            Standard,
            framework=framework,
            code=item["code"],
            defaults={
                "domain": domains[item["domain"]],
                "title": item["title"],
                "statement": item.get("statement", ""),
                "basis": item["basis"],
                "order": order,
            },
        )
        if CaseType is not None:
            wanted = {case_types[code].pk for code in item.get("case_types", [])}
            if set(standard.case_types.values_list("pk", flat=True)) != wanted:
                standard.case_types.set(wanted)
        for kq_order, kq in enumerate(item.get("key_questions", []), start=1):
            key_question = _upsert(
                KeyQuestion,
                standard=standard,
                code=kq["code"],
                defaults={
                    "text": kq["text"],
                    "lens": kq["lens"],
                    "allows_not_applicable": kq.get("allows_not_applicable", False),
                    "order": kq_order,
                },
            )
            for prompt_order, prompt in enumerate(kq.get("prompts", []), start=1):
                prompt_fields = {"text": prompt["text"], "order": prompt_order}
                if stores_provisional:
                    prompt_fields["provisional"] = prompt.get("provisional", False)
                _upsert(
                    Prompt, key_question=key_question, code=prompt["code"], defaults=prompt_fields
                )
    for kind, key in (("key_question", "key_question_bands"), ("overall", "overall_bands")):
        for band in document[key]:
            _upsert(
                RatingBand,
                framework=framework,
                kind=kind,
                rating=band["rating"],
                defaults={
                    "minimum": band["minimum"],
                    "score": band.get("score", 0),
                    "descriptor": band.get("descriptor", ""),
                },
            )
    return framework
