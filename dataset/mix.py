"""The mix of generated data: the regions and towns, and how cases' attributes, statuses
and notes are spread (after the published reports), with the weighted choice that draws
from them. Read by the generator (`generator.py`)."""

from __future__ import annotations

import random
from typing import TypeVar

from casereview.models import CaseStatus, Gender, RiskOfSeriousHarm
from inspection.models import Lens

T = TypeVar("T")


REGIONS = [
    "East Midlands",
    "East of England",
    "Greater Manchester",
    "Kent, Surrey and Sussex",
    "London",
    "North East",
    "North West",
    "South Central",
    "South West",
    "Wales",
    "West Midlands",
    "Yorkshire and the Humber",
]
TOWNS = [
    "Ashford",
    "Barnsley",
    "Bedford",
    "Bolton",
    "Bristol",
    "Cardiff",
    "Carlisle",
    "Crawley",
    "Derby",
    "Exeter",
    "Hull",
    "Ipswich",
    "Leicester",
    "Lincoln",
    "Luton",
    "Newport",
    "Norwich",
    "Oxford",
    "Plymouth",
    "Reading",
    "Salford",
    "Stoke",
    "Swindon",
    "Walsall",
]
ETHNICITIES = [
    ("White", 76),
    ("Black", 8),
    ("Asian", 8),
    ("Mixed", 5),
    ("Other", 2),
    ("Not recorded", 1),
]
GENDERS = [
    (Gender.MALE, 85),
    (Gender.FEMALE, 13),
    (Gender.OTHER, 1),
    (Gender.NOT_RECORDED, 1),
]
# How often each case type is sampled, where a framework's type is known here; any
# other type of the framework is as likely as the rest.
CASE_TYPE_WEIGHTS = {"community": 60, "licence": 40, "court": 60, "out_of_court": 40}
ROSH = [
    (RiskOfSeriousHarm.LOW, 10),
    (RiskOfSeriousHarm.MEDIUM, 55),
    (RiskOfSeriousHarm.HIGH, 30),
    (RiskOfSeriousHarm.VERY_HIGH, 5),
]
GRADES = [("PO", 60), ("PSO", 30), ("PQiP", 10)]
AGE_BANDS = [("18-25", 20), ("26-35", 35), ("36-49", 30), ("50 and over", 15)]
# Most of a sample is submitted by the time anyone looks; some is still being worked on.
STATUSES = [
    ("not_started", 5),
    (CaseStatus.IN_PROGRESS, 12),
    (CaseStatus.RETURNED, 3),
    (CaseStatus.SUBMITTED, 70),
    (CaseStatus.MODERATED, 10),
]
# Keeping other people safe is usually the weakest lens in published reports.
LENS_OFFSET: dict[str, float] = {
    Lens.ENGAGING: 0.08,
    Lens.DESISTANCE: 0.0,
    Lens.SAFETY: -0.10,
    Lens.OUTCOME: 0.0,
}
NOTES = [
    "Evidence seen in the assessment and the case notes.",
    "The record shows this was considered but not followed through.",
    "Discussed with the practitioner at interview; the plan reflects it.",
    "Little in the record; the practitioner confirmed it was not done.",
    "Other agencies' information was requested and used.",
]
OVERSIGHT_NOTES = [
    "",
    "Countersigning recorded without comment.",
    "The manager's review identified the gaps and set actions.",
    "No management oversight recorded at key points.",
]


def weighted(rng: random.Random, pairs: list[tuple[T, int]]) -> T:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]
