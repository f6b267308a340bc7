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


@transaction.atomic
def load_framework(document: dict, apps=live_apps):
    Framework = apps.get_model("inspection", "Framework")
    Domain = apps.get_model("inspection", "Domain")
    Standard = apps.get_model("inspection", "Standard")
    KeyQuestion = apps.get_model("inspection", "KeyQuestion")
    Prompt = apps.get_model("inspection", "Prompt")
    RatingBand = apps.get_model("inspection", "RatingBand")

    framework, _ = Framework.objects.update_or_create(
        code=document["code"], defaults={"title": document["title"]}
    )
    domains = {}
    for item in document["domains"]:
        domains[item["number"]], _ = Domain.objects.update_or_create(
            framework=framework, number=item["number"], defaults={"title": item["title"]}
        )
    for order, item in enumerate(document["standards"], start=1):
        standard, _ = Standard.objects.update_or_create(
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
            key_question, _ = KeyQuestion.objects.update_or_create(
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
                Prompt.objects.update_or_create(
                    key_question=key_question,
                    code=prompt["code"],
                    defaults={"text": prompt["text"], "order": prompt_order},
                )
    for kind, key in (("key_question", "key_question_bands"), ("overall", "overall_bands")):
        for band in document[key]:
            RatingBand.objects.update_or_create(
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
