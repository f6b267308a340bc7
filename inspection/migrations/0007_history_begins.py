"""Rows that existed before their model kept a history get one starting entry, so the
first change made to them has an earlier version to compare with, and admin's History
page of every record has something to show."""

from django.db import migrations
from django.utils import timezone

MODELS = ("Framework", "Domain", "Standard", "KeyQuestion", "Prompt", "RatingBand", "Inspection")
REASON = "History begins: the record existed before its history was kept"


def history_begins(apps, schema_editor):
    now = timezone.now()
    for name in MODELS:
        model = apps.get_model("inspection", name)
        historical = apps.get_model("inspection", f"Historical{name}")
        recorded = set(historical.objects.values_list("id", flat=True).distinct())
        fields = [field.attname for field in model._meta.concrete_fields]
        historical.objects.bulk_create(
            [
                historical(
                    **{attname: getattr(row, attname) for attname in fields},
                    history_date=now,
                    history_type="+",
                    history_change_reason=REASON,
                )
                for row in model.objects.exclude(pk__in=recorded)
            ],
            batch_size=500,
        )


class Migration(migrations.Migration):
    dependencies = [("inspection", "0006_inspection_history")]

    operations = [migrations.RunPython(history_begins, migrations.RunPython.noop)]
