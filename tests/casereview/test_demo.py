"""`load_demo`: idempotent, refused with DEBUG off unless forced, loads through the CSV
import, and gives every demo user something to see."""

import json
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from casereview.demo import PASSWORD, sign_in_users
from casereview.models import Case, CaseStatus, KeyQuestionAnswer, PromptAnswer
from inspection.models import (
    DomainOneRating,
    Inspection,
    InspectionStatus,
    Region,
    Role,
    TeamMembership,
    Unit,
    ViewerGrant,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def load(**options) -> str:
    out = StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


def snapshot() -> dict:
    models = [
        get_user_model(),
        Region,
        Unit,
        Inspection,
        TeamMembership,
        ViewerGrant,
        DomainOneRating,
        Case,
        KeyQuestionAnswer,
        PromptAnswer,
    ]
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def test_loads_both_inspections_and_prints_the_users_with_their_password(debug):
    output = load()

    assert "Imported 29 cases into west-sussex-2023" in output
    assert "Imported 30 cases into north-downs-2024" in output
    assert "Imported 40 cases into marchford-yos-2024" in output
    assert f"password {PASSWORD}" in output
    for username in ("inspector", "inspector2", "lead", "viewer", "admin"):
        assert f"  {username} " in output
        assert get_user_model().objects.get(username=username).check_password(PASSWORD)
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert not get_user_model().objects.get(username="inspector").is_staff


def test_the_readme_describes_the_demo_users_as_load_demo_prints_them(debug):
    """The README's table and `load_demo`'s list are one list: same users, same words."""
    readme = (ROOT / "README.md").read_text()
    table = re.findall(
        r"^\| `([^`]+)` \| (.+) \|$", readme.split("## Start", 1)[1].split("##", 1)[0], re.M
    )
    output = load()
    printed = re.findall(r"^  (\S+) +(.+)$", output, re.M)
    assert table == printed == [(user.username, user.description) for user in sign_in_users()]


def test_the_second_inspector_signs_in_with_the_demo_password(debug, client):
    load()
    response = client.post(
        "/sign-in/", {"username": "inspector2", "password": PASSWORD}, follow=True
    )
    assert response.context["user"].username == "inspector2"


def test_running_twice_changes_nothing(debug):
    load()
    first = snapshot()

    output = load()

    assert snapshot() == first
    assert "Kept the 29 cases already in west-sussex-2023" in output
    assert first["Case"] == 99  # 29 + 30 probation cases, 40 youth justice cases


def test_west_sussex_is_set_up_as_published(debug):
    load()

    inspection = Inspection.objects.get(slug="west-sussex-2023")
    assert (inspection.unit.name, inspection.unit.region.name) == (
        "West Sussex",
        "Kent, Surrey and Sussex",
    )
    assert inspection.fieldwork_start.isoformat() == "2023-12-04"
    assert inspection.status == InspectionStatus.COMPLETE
    assert inspection.framework.code == "probation-2023"
    ratings = {
        rating.standard.code: rating.rating for rating in inspection.domain_one_ratings.all()
    }
    assert ratings == {
        "1.1": "inadequate",
        "1.2": "requires_improvement",
        "1.3": "requires_improvement",
    }
    assert all(rating.rationale for rating in inspection.domain_one_ratings.all())
    team = {m.user.username: m.role for m in inspection.memberships.select_related("user")}
    assert team["lead"] == Role.LEAD
    assert team["inspector"] == Role.INSPECTOR
    assert inspection.viewer_grants.filter(user__username="viewer").exists()
    cases = inspection.cases.all()
    assert {case.status for case in cases} == {CaseStatus.SUBMITTED}
    assert all(case.version == 1 and case.submitted_at for case in cases)
    assert all(case.reference.startswith("WS-") for case in cases)


def test_the_inspector_has_work_to_do_in_the_second_inspection(debug):
    load()
    inspector = get_user_model().objects.get(username="inspector")

    open_cases = Case.objects.editable_by(inspector).filter(inspection__slug="north-downs-2024")

    assert open_cases.count() == 5
    assert sum(case.is_not_started for case in open_cases) == 2
    assert sum(case.version == 1 for case in open_cases) == 3
    lead = get_user_model().objects.get(username="lead")
    assert Inspection.objects.led_by(lead).count() == 3


def test_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG is off"):
        load()
    assert snapshot()["Case"] == 0
    assert not get_user_model().objects.filter(username="admin").exists()

    load(force=True)
    assert Case.objects.count() == 99


def test_the_youth_demo_has_court_and_out_of_court_cases_and_its_judgements(debug):
    load()
    inspection = Inspection.objects.get(slug="marchford-yos-2024")
    assert inspection.framework.code == "youth-2021"
    types = list(inspection.cases.values_list("case_type", flat=True))
    assert (types.count("court"), types.count("out_of_court"), len(types)) == (25, 15, 40)
    judged = {r.standard.code: r.rating for r in inspection.domain_one_ratings.all()}
    assert judged == {
        "1.1": "good",
        "1.2": "requires_improvement",
        "1.3": "good",
        "1.4": "good",
        "3.4": "requires_improvement",
    }
    out = StringIO()
    call_command("summary", "marchford-yos-2024", "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["overall"] == {
        "score": 20,
        "max": 36,
        "rating": "good",
        "complete": True,
        "holds_by": summary["overall"]["holds_by"],
    }
    # Varied, plausible ratings: every rating but Inadequate among the case standards.
    rated = {s["code"]: s["rating"] for s in summary["standards"]}
    assert rated["2.1"] == "outstanding"
    assert {rated[c] for c in ("2.2", "3.1", "3.3")} == {"good"}
    assert {rated[c] for c in ("2.3", "2.4", "3.2")} == {"requires_improvement"}
    # Each case answers only the key questions of its type.
    for case in inspection.cases.prefetch_related("key_question_answers__key_question"):
        prefixes = {a.key_question.code[:2] for a in case.key_question_answers.all()}
        assert prefixes <= ({"2."} if case.case_type == "court" else {"3."})


@pytest.mark.parametrize("script", ["make_demo_csv.py", "make_youth_demo_csv.py"])
def test_the_committed_demo_csv_is_what_the_script_generates(script):
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / script), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
