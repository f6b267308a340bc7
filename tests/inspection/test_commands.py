"""The stable command-line interface: each command's happy path, and each refusal exits
non-zero (CommandError) with a one-line reason and changes nothing."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casereview.models import Case
from inspection.models import (
    DomainOneRating,
    Inspection,
    InspectionStatus,
    Region,
    Role,
    TeamMembership,
    Unit,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def run(*args, **options) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def refused(*args, match: str) -> str:
    with pytest.raises(CommandError) as caught:
        run(*args)
    message = str(caught.value)
    assert "\n" not in message
    assert match in message
    return message


def state() -> dict:
    return {
        "inspections": list(Inspection.objects.values_list("slug", flat=True)),
        "units": Unit.objects.count(),
        "regions": Region.objects.count(),
        "members": TeamMembership.objects.count(),
        "ratings": list(
            DomainOneRating.objects.values_list("standard__code", "rating", "rationale")
        ),
        "cases": Case.objects.count(),
    }


class TestCreateInspection:
    @pytest.fixture
    def users(self, db):
        return [UserFactory(username=name) for name in ("lead", "ina", "sam")]

    def test_creates_the_inspection_unit_region_and_team(self, users):
        output = run(
            "create_inspection",
            "west-sussex-2023",
            "--unit",
            "West Sussex",
            "--region",
            "Kent, Surrey and Sussex",
            "--fieldwork-start",
            "2023-12-04",
            "--lead",
            "lead",
            "--team",
            "ina",
            "sam",
        )

        inspection = Inspection.objects.get(slug="west-sussex-2023")
        assert inspection.unit.name == "West Sussex"
        assert inspection.unit.region.name == "Kent, Surrey and Sussex"
        assert inspection.fieldwork_start == datetime.date(2023, 12, 4)
        assert inspection.framework.code == "probation-2023"
        assert inspection.status == InspectionStatus.FIELDWORK
        roles = dict(inspection.memberships.values_list("user__username", "role"))
        assert roles == {"lead": Role.LEAD, "ina": Role.INSPECTOR, "sam": Role.INSPECTOR}
        assert "Created inspection west-sussex-2023 of West Sussex" in output

    def test_reuses_an_existing_unit_and_region(self, inspection):
        run(
            "create_inspection",
            "test-pdu-2025",
            "--unit",
            "test pdu",
            "--region",
            "Test Region",
            "--fieldwork-start",
            "2025-01-06",
        )

        assert Inspection.objects.get(slug="test-pdu-2025").unit == inspection.unit
        assert (Unit.objects.count(), Region.objects.count()) == (1, 1)

    @pytest.mark.parametrize(
        ("args", "reason"),
        [
            (["Bad Slug"], '"Bad Slug" is not a slug'),
            (["test-pdu-2024"], "an inspection test-pdu-2024 already exists"),
            # argparse keeps an option's last value: these override the valid ones.
            (["new-2024", "--fieldwork-start", "04/12/2023"], "is not a date in the form"),
            (["new-2024", "--lead", "nobody"], "no such user: nobody"),
            (["new-2024", "--team", "ina", "ghost"], "no such user: ghost"),
            (["new-2024", "--region", "Elsewhere"], "unit Test PDU is in region Test Region"),
            (["new-2024", "--unit", " "], "--unit and --region must not be empty"),
            (["new-2024", "--framework", "probation-1999"], "no framework probation-1999"),
        ],
    )
    def test_refusals_change_nothing(self, inspection, users, args, reason):
        valid = ["--unit", "Test PDU", "--region", "Test Region", "--fieldwork-start", "2024-01-08"]
        before = state()

        refused("create_inspection", args[0], *valid, *args[1:], match=reason)

        assert state() == before


class TestSetRating:
    def test_records_and_updates_a_domain_one_rating(self, inspection):
        output = run("set_rating", inspection.slug, "1.2", "requires_improvement")
        assert "1.2 Staffing: Requires improvement" in output

        run("set_rating", inspection.slug, "1.2", "Good", "--rationale", "Staffing stable")
        run("set_rating", inspection.slug, "1.1", "Requires improvement")

        ratings = {
            rating.standard.code: (rating.rating, rating.rationale)
            for rating in DomainOneRating.objects.filter(inspection=inspection)
        }
        assert ratings == {
            "1.1": ("requires_improvement", ""),
            "1.2": ("good", "Staffing stable"),
        }

    def test_changing_only_the_rating_keeps_the_rationale(self, inspection):
        run("set_rating", inspection.slug, "1.3", "good", "--rationale", "Wide range of services")
        run("set_rating", inspection.slug, "1.3", "outstanding")

        rating = DomainOneRating.objects.get(inspection=inspection)
        assert (rating.rating, rating.rationale) == ("outstanding", "Wide range of services")

    @pytest.mark.parametrize(
        ("args", "reason"),
        [
            (["no-such-inspection", "1.1", "good"], "no inspection no-such-inspection"),
            (["test-pdu-2024", "1.9", "good"], "no standard 1.9 in framework probation-2023"),
            (["test-pdu-2024", "2.1", "good"], "2.1 Assessment is not judgement-based"),
            (["test-pdu-2024", "2.5", "good"], "2.5 Outcomes is not judgement-based"),
            (["test-pdu-2024", "1.1", "excellent"], '"excellent" is not a rating'),
        ],
    )
    def test_refusals_change_nothing(self, inspection, args, reason):
        run("set_rating", inspection.slug, "1.1", "inadequate", "--rationale", "Before")
        before = state()

        refused("set_rating", *args, match=reason)

        assert state() == before


class TestImportCases:
    def test_imports_a_file(self, inspection, tmp_path):
        path = tmp_path / "cases.csv"
        path.write_text("reference,case_type,rosh\nA1,community,low\nA2,licence,high\n")

        output = run("import_cases", inspection.slug, str(path))

        assert output.strip() == "Imported 2 cases into test-pdu-2024"
        assert Case.objects.filter(inspection=inspection).count() == 2

    def test_a_bad_file_lists_every_problem_and_imports_nothing(self, inspection, tmp_path):
        path = tmp_path / "cases.csv"
        path.write_text("reference,case_type,rosh\nA1,community,low\nA2,prison,huge\n")
        err = StringIO()

        with pytest.raises(CommandError) as caught:
            call_command("import_cases", inspection.slug, str(path), stdout=StringIO(), stderr=err)

        assert str(caught.value) == f"{path}: 2 problems found; nothing imported"
        assert err.getvalue().splitlines() == [
            'row 3, column case_type: "prison" is not one of community, licence',
            'row 3, column rosh: "huge" is not one of low, medium, high, very_high',
        ]
        assert Case.objects.count() == 0

    def test_refuses_an_unknown_inspection_or_missing_file(self, inspection, tmp_path):
        refused("import_cases", "nope", str(tmp_path / "x.csv"), match="no inspection nope")
        refused("import_cases", inspection.slug, str(tmp_path / "x.csv"), match="cannot read")
        assert Case.objects.count() == 0


class TestSummary:
    def test_prints_the_table_and_the_json_document(self, inspection):
        table = run("summary", inspection.slug)
        document = json.loads(run("summary", inspection.slug, "--json"))

        assert table.startswith("Test PDU, Test Region: inspection test-pdu-2024")
        assert "Score 00/21 so far (provisional): 7 standards not yet rated" in table
        assert "2.1.1   no relevant cases" in table
        assert document["inspection"] == "test-pdu-2024"
        assert document["overall"] == {
            "score": 0,
            "max": 21,
            "rating": None,
            "complete": False,
            "holds_by": None,
        }

    def test_refuses_an_unknown_inspection(self, db):
        refused("summary", "nope", match="no inspection nope")
