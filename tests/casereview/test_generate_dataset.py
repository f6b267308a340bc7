"""generate_dataset: realistic, reproducible, bulk-written and safe to run twice."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from casereview.dashboards.summary import inspection_summary
from casereview.models import (
    COUNTED_STATUSES,
    Case,
    CaseStatus,
    KeyQuestionAnswer,
    PromptAnswer,
)
from inspection.models import Inspection, KeyQuestion, Role, TeamMembership

pytestmark = pytest.mark.django_db


def generate(*args: str) -> str:
    out = StringIO()
    call_command("generate_dataset", *args, stdout=out)
    return out.getvalue()


def test_creates_the_asked_number_of_inspections_cases_and_teams():
    output = generate("--inspections", "3", "--cases-per-inspection", "24", "--prefix", "t")

    assert "Created 3 inspections" in output
    assert "72 cases" in output
    inspections = Inspection.objects.filter(slug__startswith="t-")
    assert sorted(inspections.values_list("slug", flat=True)) == ["t-001", "t-002", "t-003"]
    for inspection in inspections:
        assert inspection.cases.count() == 24
        roles = list(inspection.memberships.values_list("role", flat=True))
        assert roles.count(Role.LEAD) == 1
        assert roles.count(Role.INSPECTOR) == 4  # one per six cases
        # Every case is assigned to a member of its own inspection's team.
        team = set(inspection.memberships.values_list("user_id", flat=True))
        assert set(inspection.cases.values_list("inspector_id", flat=True)) <= team


def test_distributions_are_realistic():
    generate("--inspections", "10", "--cases-per-inspection", "100", "--prefix", "d")
    cases = Case.objects.filter(inspection__slug__startswith="d-")
    total = cases.count()

    def share(**filters) -> float:
        return cases.filter(**filters).count() / total

    assert 0.52 <= share(case_type="community") <= 0.68
    assert 0.45 <= share(rosh="medium") <= 0.65
    assert 0.75 <= share(gender="male") <= 0.92
    assert 0.70 <= share(status__in=COUNTED_STATUSES) <= 0.90
    assert share(status=CaseStatus.IN_PROGRESS, version=0) > 0  # some not started
    assert share(status=CaseStatus.IN_PROGRESS, version__gt=0) > 0
    assert set(cases.values_list("practitioner_grade", flat=True)) == {"PO", "PSO", "PQiP"}

    # A submitted case answers every key question (16) and every prompt (44).
    per_case = (
        Case.objects.filter(pk__in=cases.counted().values("pk"))
        .annotate(
            key_questions=Count("key_question_answers", distinct=True),
            prompts=Count("prompt_answers", distinct=True),
        )
        .values_list("key_questions", "prompts")
    )
    key_questions = KeyQuestion.objects.count()
    assert set(per_case) == {(key_questions, 44)}
    not_started = cases.filter(status=CaseStatus.IN_PROGRESS, version=0)
    assert not KeyQuestionAnswer.objects.filter(case__in=not_started).exists()
    assert not PromptAnswer.objects.filter(case__in=not_started).exists()


def test_inspections_land_in_different_rating_bands():
    generate("--inspections", "12", "--cases-per-inspection", "40", "--prefix", "b")
    overall = {
        inspection_summary(inspection=inspection).standards[4].rating  # 2.2 Planning
        for inspection in Inspection.objects.filter(slug__startswith="b-")
    }
    assert len(overall) >= 3


def test_same_seed_gives_the_same_data():
    generate("--inspections", "1", "--cases-per-inspection", "30", "--prefix", "s", "--seed", "7")
    first = list(
        KeyQuestionAnswer.objects.order_by("case__reference", "key_question__code").values_list(
            "case__reference", "key_question__code", "answer"
        )
    )
    generate(
        "--inspections",
        "1",
        "--cases-per-inspection",
        "30",
        "--prefix",
        "s",
        "--seed",
        "7",
        "--replace",
    )
    second = list(
        KeyQuestionAnswer.objects.order_by("case__reference", "key_question__code").values_list(
            "case__reference", "key_question__code", "answer"
        )
    )
    assert first == second


def test_second_run_adds_nothing_and_replace_recreates():
    generate("--inspections", "2", "--cases-per-inspection", "10", "--prefix", "r")
    output = generate("--inspections", "2", "--cases-per-inspection", "10", "--prefix", "r")
    assert "Created 0 inspections" in output
    assert "2 inspections already existed" in output
    assert Case.objects.count() == 20

    output = generate(
        "--inspections", "2", "--cases-per-inspection", "5", "--prefix", "r", "--replace"
    )
    assert "Deleted 2 inspections" in output
    assert Case.objects.count() == 10
    assert TeamMembership.objects.count() == 2 * 3
    assert get_user_model().objects.filter(username__startswith="r-").count() == 2 * 3


def test_generated_users_have_the_given_password():
    generate("--inspections", "1", "--cases-per-inspection", "6", "--prefix", "u")
    user = get_user_model().objects.get(username="u-001-inspector-01")
    assert user.check_password("generated-password-2024")
    assert user.is_active and not user.is_staff


def test_rows_are_written_in_bulk_not_one_query_per_case():
    def queries(cases: int, prefix: str) -> int:
        with CaptureQueriesContext(connection) as context:
            generate("--inspections", "2", "--cases-per-inspection", str(cases), "--prefix", prefix)
        return len(context.captured_queries)

    small = queries(5, "q")
    rows_before = Case.objects.count() + KeyQuestionAnswer.objects.count()
    rows_before += PromptAnswer.objects.count()
    large = queries(300, "p")
    rows = Case.objects.count() + KeyQuestionAnswer.objects.count() + PromptAnswer.objects.count()
    # Only the number of insert batches grows (SQLite caps a batch at 999 parameters).
    assert large - small <= (rows - rows_before) / 100


def test_refuses_nonsense_sizes():
    with pytest.raises(CommandError):
        generate("--inspections", "0")
    with pytest.raises(CommandError):
        generate("--prefix", "no spaces")
    assert not Case.objects.exists()
