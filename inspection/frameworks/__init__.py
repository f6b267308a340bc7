"""Frameworks are data: each JSON file here is one version of the methodology.

`load_framework` creates or updates a framework from its document, matching rows by
code, so corrected wording is a data change. The data migration passes the historical
app registry; the `load_framework` command passes the live one.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.apps import apps as live_apps
from django.db import transaction

FRAMEWORK_DIR = Path(__file__).resolve().parent
DEFAULT_FRAMEWORK = "probation-2023"


def framework_path(code: str) -> Path:
    return FRAMEWORK_DIR / f"{code}.json"


def read_document(path: Path) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


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
def load_framework(document: dict, apps=live_apps):
    Framework = apps.get_model("inspection", "Framework")
    Domain = apps.get_model("inspection", "Domain")
    Standard = apps.get_model("inspection", "Standard")
    KeyQuestion = apps.get_model("inspection", "KeyQuestion")
    Prompt = apps.get_model("inspection", "Prompt")
    RatingBand = apps.get_model("inspection", "RatingBand")

    framework = _upsert(Framework, code=document["code"], defaults={"title": document["title"]})
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
                _upsert(
                    Prompt,
                    key_question=key_question,
                    code=prompt["code"],
                    defaults={"text": prompt["text"], "order": prompt_order},
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
