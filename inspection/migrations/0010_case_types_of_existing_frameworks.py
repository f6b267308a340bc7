"""Give every framework already stored its case types.

Until now a case's type was the fixed probation choice, community sentence or release on
licence, and every case answered every key question. A framework whose document is
shipped (probation-2023, youth-2021, or a copy such as probation-2023-v2) takes its case
types, which standards they answer and its provisional prompts from that document; any
other framework takes the probation types, answering every case-rated standard, so that
each existing case keeps answering what it answered.
"""

import re

from django.db import migrations
from django.utils import timezone

FALLBACK = "probation-2023"
REASON = "Case types stored: until now every case was a community sentence or a licence"


def documents():
    from inspection.frameworks import FRAMEWORK_DIR, read_document

    return {path.stem: read_document(path) for path in sorted(FRAMEWORK_DIR.glob("*.json"))}


def give_case_types(apps, schema_editor):
    Framework = apps.get_model("inspection", "Framework")
    CaseType = apps.get_model("inspection", "CaseType")
    Standard = apps.get_model("inspection", "Standard")
    Prompt = apps.get_model("inspection", "Prompt")
    HistoricalCaseType = apps.get_model("inspection", "HistoricalCaseType")
    shipped = documents()
    created = []
    for framework in Framework.objects.order_by("pk"):
        if CaseType.objects.filter(framework=framework).exists():
            continue
        base = re.sub(r"-v\d+$", "", framework.code)
        own = shipped.get(framework.code) or shipped.get(base)
        document = own or shipped[FALLBACK]
        types = {}
        for order, item in enumerate(document["case_types"], start=1):
            types[item["code"]] = CaseType.objects.create(
                framework=framework, code=item["code"], label=item["label"], order=order
            )
            created.append(types[item["code"]])
        answered_by = {
            item["code"]: item.get("case_types", [])
            for item in document["standards"]
            if own is not None
        }
        for standard in Standard.objects.filter(framework=framework).exclude(basis="judgement"):
            codes = answered_by.get(standard.code, list(types))
            standard.case_types.set([types[code] for code in codes if code in types])
        if own is None:
            continue
        if own.get("description") and not framework.description:
            framework.description = own["description"]
            framework.save(update_fields=["description"])
        provisional = [
            prompt["code"]
            for item in own["standards"]
            for kq in item.get("key_questions", [])
            for prompt in kq.get("prompts", [])
            if prompt.get("provisional")
        ]
        Prompt.objects.filter(
            key_question__standard__framework=framework, code__in=provisional
        ).update(provisional=True)
    # Each new row's history begins here, as admin's History page of every record expects.
    now = timezone.now()
    HistoricalCaseType.objects.bulk_create(
        HistoricalCaseType(
            id=row.pk,
            framework_id=row.framework_id,
            code=row.code,
            label=row.label,
            order=row.order,
            history_date=now,
            history_type="+",
            history_change_reason=REASON,
        )
        for row in created
    )


class Migration(migrations.Migration):
    dependencies = [("inspection", "0009_case_types_descriptions_provisional_prompts")]

    operations = [migrations.RunPython(give_case_types, migrations.RunPython.noop)]
