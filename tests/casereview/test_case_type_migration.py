"""Case types became framework data (inspection 0009 and 0010, casereview 0007): the
probation demo migrated from the schema before them gives `summary --json` byte for
byte as it was. The files in fixtures/summary-before-case-types/ are that command's
output for the demo inspections on the commit before case types were stored."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from casereview.models import Case
from inspection.models import Framework, Inspection, KeyQuestion

BEFORE = Path(__file__).parent / "fixtures" / "summary-before-case-types"
OLD_SCHEMA = [
    ("inspection", "0008_youth_wellbeing_lens"),
    ("casereview", "0006_notification_preference"),
]


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def summary_json(slug: str) -> str:
    out = StringIO()
    call_command("summary", slug, "--json", stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_migrating_the_probation_demo_leaves_its_figures_byte_for_byte(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    # The probation demo, as on the commit before: the youth demo needs case types.
    youth = Inspection.objects.filter(framework__code="youth-2021")
    Case.objects.filter(inspection__in=youth).delete()
    Case.history.filter(inspection_id__in=youth.values("pk")).delete()
    youth.delete()
    slugs = sorted(path.stem for path in BEFORE.glob("*.json"))
    assert slugs == ["north-downs-2024", "west-sussex-2023"]

    migrate(OLD_SCHEMA)
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert "inspection_casetype" not in tables  # the schema before case types were stored
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    for slug in slugs:
        assert summary_json(slug) == (BEFORE / f"{slug}.json").read_text(encoding="utf-8")
    probation = Framework.objects.get(code="probation-2023")
    assert probation.case_type_choices() == [
        ("community", "Community sentence"),
        ("licence", "Release on licence"),
    ]
    # Every case keeps answering every key question it answered.
    for case_type in ("community", "licence"):
        applying = KeyQuestion.objects.of_framework(probation).for_case_type(case_type)
        assert applying.count() == KeyQuestion.objects.of_framework(probation).count()
    assert set(Case.objects.values_list("case_type", flat=True)) == {"community", "licence"}
