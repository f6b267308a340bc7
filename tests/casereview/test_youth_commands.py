"""The stable commands over a youth justice inspection, end to end: create it on
youth-2021, import its sample, record its judgement standards, read its summary."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from inspection.models import DomainOneRating, Inspection
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COURT = [f"2.{s}.{k}" for s in (1, 2, 3, 4) for k in (1, 2, 3)]
OUT_OF_COURT = [f"3.{s}.{k}" for s in (1, 2, 3) for k in (1, 2, 3)]


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_create_import_rate_and_summarise_a_youth_inspection(tmp_path):
    UserFactory(username="yos-lead")
    UserFactory(username="yos-inspector")
    run("load_framework", "youth-2021")
    run(
        "create_inspection",
        "riverside-yos",
        "--unit",
        "Riverside YJS",
        "--region",
        "Riverside",
        "--fieldwork-start",
        "2024-05-13",
        "--framework",
        "youth-2021",
        "--lead",
        "yos-lead",
        "--team",
        "yos-inspector",
    )
    inspection = Inspection.objects.get(slug="riverside-yos")
    assert inspection.framework.code == "youth-2021"

    sample = tmp_path / "sample.csv"
    header = "reference,case_type,rosh,inspector," + ",".join(COURT + OUT_OF_COURT)
    sample.write_text(
        "\n".join(
            [
                header,
                ",".join(["R-1", "court", "medium", "yos-inspector", *["Yes"] * 12, *[""] * 9]),
                ",".join(["R-2", "out_of_court", "low", "", *[""] * 12, *["No"] * 9]),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    assert "Imported 2 cases" in run("import_cases", "riverside-yos", str(sample))

    assert run("set_rating", "riverside-yos", "1.4", "good").strip() == (
        "riverside-yos 1.4 Information and facilities: Good"
    )
    assert run("set_rating", "riverside-yos", "3.4", "inadequate").strip() == (
        "riverside-yos 3.4 Out-of-court disposal policy and provision: Inadequate"
    )
    with pytest.raises(CommandError) as refused:
        run("set_rating", "riverside-yos", "2.1", "good")
    assert str(refused.value) == (
        "standard 2.1 Assessment is not judgement-based: it is rated from case answers; "
        "the judgement standards of framework youth-2021 are 1.1, 1.2, 1.3, 1.4, 3.4"
    )
    assert {r.standard.code: r.rating for r in DomainOneRating.objects.all()} == {
        "1.4": "good",
        "3.4": "inadequate",
    }

    document = json.loads(run("summary", "riverside-yos", "--json"))
    assert [s["code"] for s in document["standards"]] == [
        "1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4",
    ]  # fmt: skip
    assert document["overall"]["max"] == 36
    assert document["overall"]["score"] == 3 * 4 + 0 * 3 + 2 + 0  # court all Yes, OOC all No
    by_code = {s["code"]: s for s in document["standards"]}
    assert [kq["code"] for kq in by_code["3.1"]["key_questions"]] == ["3.1.1", "3.1.2", "3.1.3"]
    assert by_code["3.1"]["key_questions"][0]["relevant"] == 1
    assert by_code["2.1"]["key_questions"][0]["relevant"] == 1
