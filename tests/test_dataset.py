"""Development tooling: one data generator (dataset/), outside the installed app, used by
the benchmarks, the load and fault scripts and the tests; no test imports a benchmark."""

import ast
from pathlib import Path

import pytest

from casereview.entry.sections import case_sections
from casereview.models import Case, KeyQuestionAnswer, PromptAnswer
from dataset import DatasetGenerator, section_fields, section_values
from inspection.models import Basis, DomainOneRating, Standard
from tests.factories import InspectionFactory
from tests.test_layering import imported_modules

ROOT = Path(__file__).resolve().parent.parent
# Where development tools live; none of them builds rows of its own.
TOOLING = ["bench", "loadtest", "faults", "casereview/management"]


def python_files(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (ROOT / folder).rglob("*.py"))


def test_no_development_tool_writes_rows_but_the_generator():
    tools = python_files(*TOOLING)
    assert len(tools) > 8  # the folders were found

    writers = [
        str(path.relative_to(ROOT))
        for path in tools
        if any(
            isinstance(node, ast.Attribute) and node.attr == "bulk_create"
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        )
    ]
    assert writers == []


def test_the_installed_packages_do_not_hold_the_benchmarks_or_the_generator():
    installed = [*python_files("config", "casereview", "inspection")]
    offenders = {
        str(path.relative_to(ROOT)): name
        for path in installed
        for name in imported_modules(path)
        if name.split(".")[0] in ("bench", "loadtest", "faults")
    }
    assert offenders == {}
    assert not (ROOT / "casereview/management/commands/bench_dashboard.py").exists()
    assert (ROOT / "bench/dashboard.py").exists()


def test_no_test_imports_a_benchmark():
    offenders = {
        str(path.relative_to(ROOT)): name
        for path in python_files("tests")
        for name in imported_modules(path)
        if name.split(".")[0] == "bench" or ".management.commands." in name
    }
    assert offenders == {}


@pytest.mark.django_db
def test_add_cases_fills_an_existing_inspection_reproducibly(inspection, inspector, lead):
    def generated(seed: int, slug: str) -> list[tuple]:
        target = InspectionFactory(slug=slug, framework=inspection.framework)
        generator = DatasetGenerator(framework=inspection.framework, prefix=slug, seed=seed)
        cases = generator.add_cases(target, 8, team=[inspector, lead])
        assert {case.inspector_id for case in cases} == {inspector.pk, lead.pk}
        return list(
            KeyQuestionAnswer.objects.filter(case__in=cases)
            .order_by("case__reference", "key_question__code")
            .values_list("case__sentence_start", "key_question__code", "answer")
        )

    first = generated(7, "first")
    assert first and first == generated(7, "again")
    assert first != generated(8, "other")

    generator = DatasetGenerator(framework=inspection.framework, prefix="t", seed=7)
    cases = generator.add_cases(inspection, 8, prompts=False)
    assert {case.inspector_id for case in cases} == {None}
    assert KeyQuestionAnswer.objects.filter(case__in=cases).exists()
    assert not PromptAnswer.objects.filter(case__in=cases).exists()


@pytest.mark.django_db
def test_generate_can_rate_domain_one_and_continue_a_numbering(inspection):
    generator = DatasetGenerator(framework=inspection.framework, prefix="g", seed=1)
    generator.generate(1, 6)
    totals = generator.generate(2, 6, first=2, rate_domain_one=True, prompts=False)

    assert totals.inspections == 2 and totals.prompt_answers == 0
    judged = Standard.objects.filter(framework=inspection.framework, basis=Basis.JUDGEMENT)
    assert judged.exists()
    rated = DomainOneRating.objects.values_list("inspection__slug", flat=True)
    assert sorted(set(rated)) == ["g-002", "g-003"]
    assert len(rated) == 2 * judged.count()


@pytest.mark.django_db
def test_section_values_fill_every_field_of_every_section(inspection):
    case = Case.objects.create(inspection=inspection, reference="V1")
    for section in case_sections(case=case):
        values = section_values(section)
        assert set(values) == set(section.field_names), section.slug
        assert all(values.values()), section.slug


@pytest.mark.django_db
def test_the_load_tests_accepted_values_include_what_the_benchmarks_post(inspection):
    case = Case.objects.create(inspection=inspection, reference="V2")
    for section in case_sections(case=case):
        if section.optional:
            continue  # the load test leaves the optional sections alone
        fields = section_fields(section)
        assert set(fields) == set(section.field_names), section.slug
        for name, value in section_values(section).items():
            assert fields[name] is None or value in fields[name], (section.slug, name)
