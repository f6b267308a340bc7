"""Generate the demo case samples in casereview/demo/ (deterministic: same output every run).

    python scripts/make_demo_csv.py          # rewrite the CSV files
    python scripts/make_demo_csv.py --check  # fail if the committed files differ

west-sussex-2023.csv reproduces every figure that the published West Sussex PDU report
(see product.md) states: the twelve key-question counts, the case mix, the breakdowns,
management oversight, the outcomes and the prompt figures the report gives. Who gets a
Yes is otherwise decided by a per-case "quality" drawn from a seeded generator, so that
a case done well tends to be done well throughout, as in real samples.
north-downs-2024.csv is a fictional unit with a better profile, fieldwork in progress.

The script checks its own output against the targets before writing.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRAMEWORK = ROOT / "inspection" / "frameworks" / "probation-2023.json"
OUT = ROOT / "casereview" / "demo"

RATED = ["2.1.1", "2.1.2", "2.1.3", "2.2.1", "2.2.2", "2.2.3"]
RATED += ["2.3.1", "2.3.2", "2.3.3", "2.4.1", "2.4.2", "2.4.3"]
OUTCOMES = ["2.5.1", "2.5.2", "2.5.3", "2.5.4"]
YES, NO, NA = "Yes", "No", "N/A"

Predicate = Callable[["Case"], bool]


@dataclass
class Case:
    reference: str
    case_type: str
    rosh: str
    gender: str
    grade: str
    quality: float = 0.0
    ethnicity: str = "White British"
    age_band: str = ""
    office: str = ""
    sentence_start: str = ""
    inspector: str = ""
    status: str = "submitted"
    answers: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    oversight: str = ""
    oversight_note: str = ""


def high(case: Case) -> bool:
    return case.rosh in ("high", "very_high")


def medium(case: Case) -> bool:
    return case.rosh == "medium"


def low(case: Case) -> bool:
    return case.rosh == "low"


def female(case: Case) -> bool:
    return case.gender == "female"


def male(case: Case) -> bool:
    return case.gender != "female"


def licence(case: Case) -> bool:
    return case.case_type == "licence"


def community(case: Case) -> bool:
    return case.case_type == "community"


def both(first: Predicate, second: Predicate) -> Predicate:
    return lambda case: first(case) and second(case)


@dataclass
class Target:
    """`yes` Yes answers and `na` N/A answers; the rest No.

    `quotas` fix the Yes count inside disjoint groups of cases (a published breakdown);
    `bias` favours some cases; `na_reason` draws N/A answers from a shared ranking, so
    that prompts with the same reason (no victims, no review point) agree.
    """

    yes: int
    na: int = 0
    quotas: list[tuple[Predicate, int]] = field(default_factory=list)
    bias: Callable[[Case], float] | None = None
    na_reason: str = ""
    relevant_quotas: list[tuple[Predicate, int]] = field(default_factory=list)


def choose(cases: list[Case], count: int, quotas, key) -> set[str]:
    """The references of `count` cases: the quota groups' best, then the best of the rest."""
    chosen: set[str] = set()
    grouped: set[str] = set()
    for predicate, wanted in quotas:
        members = sorted((c for c in cases if predicate(c)), key=key, reverse=True)
        assert len(members) >= wanted, "a quota larger than its group"
        grouped.update(c.reference for c in members)
        chosen.update(c.reference for c in members[:wanted])
    rest = sorted((c for c in cases if c.reference not in grouped), key=key, reverse=True)
    remaining = count - len(chosen)
    assert 0 <= remaining <= len(rest), "quotas and total disagree"
    chosen.update(c.reference for c in rest[:remaining])
    return chosen


class Sample:
    def __init__(self, name: str, cases: list[Case], framework: dict):
        self.name = name
        self.cases = cases
        self.rng = random.Random(name)
        self.prompts = {
            kq["code"]: [prompt["code"] for prompt in kq.get("prompts", [])]
            for standard in framework["standards"]
            for kq in standard.get("key_questions", [])
        }
        self.na_rank: dict[str, dict[str, float]] = {}

    def counted(self) -> list[Case]:
        return [case for case in self.cases if case.status == "submitted"]

    def noise(self) -> float:
        return self.rng.gauss(0, 0.6)

    def rank(self, reason: str) -> dict[str, float]:
        """A fixed ordering of cases for one reason to answer N/A (shared by prompts)."""
        if reason not in self.na_rank:
            ranking = {}
            for case in self.cases:
                # Cases of lower risk more often have no identifiable victim or agency.
                ranking[case.reference] = self.rng.random() + (0.6 if low(case) else 0.0)
            self.na_rank[reason] = ranking
        return self.na_rank[reason]

    def answer(self, code: str, target: Target, *, follows: str | None = None) -> None:
        """Answer `code` for the counted cases to meet `target` exactly."""
        cases = self.counted()
        not_applicable: set[str] = set()
        if target.na:
            ranking = self.rank(target.na_reason or code)
            relevant_count = len(cases) - target.na
            # Relevance quotas fix how many cases of a group are relevant (enforcement).
            kept = choose(
                cases,
                relevant_count,
                target.relevant_quotas,
                key=lambda case: -ranking[case.reference],
            )
            not_applicable = {case.reference for case in cases} - kept
        relevant = [case for case in cases if case.reference not in not_applicable]
        noise = {case.reference: self.noise() for case in cases}

        def key(case: Case) -> tuple:
            # A prompt follows its key question: Yes cases first, so a prompt's Yes
            # answers are a subset or a superset of the key question's.
            lead = 1 if follows and case.answers.get(follows) == YES else 0
            bias = target.bias(case) if target.bias else 0.0
            return (lead, case.quality + bias + noise[case.reference])

        chosen = choose(relevant, target.yes, target.quotas, key)
        for case in cases:
            if case.reference in not_applicable:
                case.answers[code] = NA
            else:
                case.answers[code] = YES if case.reference in chosen else NO

    def check(self, code: str, yes: int, relevant: int, predicate: Predicate | None = None):
        cases = [c for c in self.counted() if predicate is None or predicate(c)]
        got_yes = sum(c.answers.get(code) == YES for c in cases)
        got_relevant = sum(c.answers.get(code) in (YES, NO) for c in cases)
        assert (got_yes, got_relevant) == (yes, relevant), (
            f"{self.name} {code}: {got_yes} of {got_relevant}, wanted {yes} of {relevant}"
        )


# Evidence notes: short, in an inspector's voice, never naming the person on probation.
NOTES = {
    "2.1.1": (
        [
            "Assessment completed with the person on probation; barriers to compliance "
            "(shift work, childcare) identified and addressed.",
            "Their views are recorded throughout; motivation to engage analysed well.",
            "Diversity needs and personal circumstances considered, including literacy.",
        ],
        [
            "Assessment completed without meeting the person on probation.",
            "No analysis of motivation or barriers to engagement; views not recorded.",
            "Interpreter needed at assessment but not provided.",
        ],
    ),
    "2.1.2": (
        [
            "Offending-related factors (accommodation, alcohol misuse) clearly analysed.",
            "Good use of previous convictions and police information; strengths noted.",
        ],
        [
            "Key factors such as relationships and thinking and behaviour not analysed.",
            "Relied on self-report; no information sought from other agencies.",
            "Strengths and protective factors not identified.",
        ],
    ),
    "2.1.3": (
        [
            "Risk to known adult victim analysed; domestic abuse and safeguarding "
            "information obtained and used.",
            "Clear analysis of risk of harm, informed by MAPPA and police intelligence.",
        ],
        [
            "Domestic abuse enquiry not made at assessment.",
            "Child safeguarding information not requested despite contact with children.",
            "Risk to potential victims not analysed; RoSH classification too low.",
        ],
    ),
    "2.2.1": (
        [
            "Plan written with the person on probation and reflects their priorities.",
            "Plan sets a realistic pattern of contact around their employment.",
        ],
        [
            "Plan not shared with the person on probation; their voice absent.",
            "No account taken of neurodiversity or caring responsibilities.",
        ],
    ),
    "2.2.2": (
        [
            "Plan prioritises accommodation and substance misuse, with named services.",
            "Builds on family support and employment as protective factors.",
        ],
        [
            "Plan generic; most critical offending-related factors not prioritised.",
            "Services to address identified needs not set out.",
        ],
    ),
    "2.2.3": (
        [
            "Contingency plan clear; restrictive requirements protect the known victim.",
            "Plan links to the MAPPA and child protection plans.",
        ],
        [
            "No contingency arrangements; restrictive conditions not reflected.",
            "Plan does not address domestic abuse risk identified at assessment.",
            "Work of children's social care not linked to the plan.",
        ],
    ),
    "2.3.1": (
        [
            "Requirements started promptly; good working relationship maintained.",
            "Flexible appointments around childcare supported compliance.",
        ],
        [
            "Requirements not started for four months (waiting list for the service).",
            "Frequent change of practitioner; relationship not established.",
            "Missed appointments not followed up promptly.",
        ],
    ),
    "2.3.2": (
        [
            "Accommodation referral and alcohol treatment delivered as planned.",
            "Accredited programme completed; family engaged in support.",
        ],
        [
            "No finance, benefit and debt service available despite identified need.",
            "ETE referral not possible; services did not match the plan.",
            "Sessions focused on compliance only; no desistance work seen.",
        ],
    ),
    "2.3.3": (
        [
            "Home visits completed and information shared with police and social care.",
            "Level of contact increased promptly when risk escalated.",
        ],
        [
            "Contact too infrequent to manage the risk of harm.",
            "Home visit needed but not undertaken.",
            "No attention to protecting the known victim after release.",
        ],
    ),
    "2.4.1": (
        [
            "Review considered barriers to compliance and adjusted reporting.",
            "Person on probation involved in reviewing their progress.",
        ],
        [
            "No formal review despite a change of address and non-compliance.",
            "Review copied forward from the assessment; out of date.",
        ],
    ),
    "2.4.2": (
        [
            "Review recorded progress in accommodation and adjusted the plan.",
            "Changes in substance misuse identified and plan updated.",
        ],
        [
            "Review not informed by the treatment provider.",
            "Strengths and progress not reviewed.",
            "No review following loss of employment.",
        ],
    ),
    "2.4.3": (
        [
            "Review following new intelligence; risk management plan updated.",
            "Police and social care information used to review risk.",
        ],
        [
            "Further offending not reviewed; risk level unchanged.",
            "Changes in risk of harm not recorded or acted on.",
            "Review not informed by the agencies involved in managing risk.",
        ],
    ),
    "2.5.1": (
        ["Stable accommodation secured and alcohol use reduced."],
        ["No improvement in the factors most closely linked to offending."],
    ),
    "2.5.2": (
        ["Contact with the victim has stopped; risk factors reduced."],
        ["No change in the factors linked to risk of harm."],
    ),
    "2.5.3": (
        ["Compliant with almost all appointments."],
        ["Repeated unacceptable absences."],
    ),
    "2.5.4": (
        ["Breach action taken promptly after the second unacceptable absence."],
        ["Absences not enforced; no warning letters issued."],
    ),
}
NOT_APPLICABLE_NOTE = {"2.5.4": "Compliant throughout; no enforcement needed."}
OVERSIGHT_NOTES = {
    "effective": [
        "Manager countersigned the assessment and challenged the RoSH level.",
        "Management oversight at allocation and after the risk escalation; actions followed.",
    ],
    "ineffective": [
        "Manager signed off the plan without noting the missing safeguarding information.",
        "Oversight recorded but did not address the gaps in risk assessment.",
    ],
    "absent": [
        "No management oversight recorded despite a new PSO holding the case.",
        "No evidence of oversight at any stage.",
    ],
    "not_required": ["Oversight not required for this case."],
}


def write_notes(sample: Sample) -> None:
    for index, case in enumerate(sample.cases):
        for code in RATED + OUTCOMES:
            answer = case.answers.get(code)
            if answer in (YES, NO):
                bank = NOTES[code][0 if answer == YES else 1]
                case.notes[code] = bank[(index + len(code) + ord(code[-1])) % len(bank)]
            elif answer == NA and code in NOT_APPLICABLE_NOTE:
                case.notes[code] = NOT_APPLICABLE_NOTE[code]
        if case.oversight:
            bank = OVERSIGHT_NOTES[case.oversight]
            case.oversight_note = bank[index % len(bank)]


def spread_dates(rng: random.Random, start: datetime.date, days: int) -> str:
    return (start + datetime.timedelta(days=rng.randrange(days))).isoformat()


def attributes(sample: Sample, offices, start: datetime.date, inspectors) -> None:
    rng = random.Random(sample.name + " attributes")
    ethnicities = ["White British"] * 22 + ["White other"] * 2
    ethnicities += ["Asian or Asian British", "Black or Black British", "Mixed"]
    ages = ["18-25"] * 4 + ["26-35"] * 10 + ["36-49"] * 10 + ["50 and over"] * 5
    for index, case in enumerate(sample.cases):
        case.ethnicity = rng.choice(ethnicities)
        case.age_band = rng.choice(ages)
        case.office = offices[index % len(offices)]
        case.sentence_start = spread_dates(rng, start, 14)
        case.inspector = inspectors[index % len(inspectors)]


def west_sussex(framework: dict) -> Sample:
    # 29 cases: 8 high, 18 medium, 3 low risk of serious harm; 11 on licence (high-risk
    # cases more often so); 4 women. High-risk cases are held by POs.
    layout = [
        # (rosh, licence cases, community cases, women among the community cases, grades)
        ("high", 5, 3, 0, ["PO"] * 7 + ["PQiP"]),
        ("medium", 6, 12, 3, ["PO"] * 7 + ["PSO"] * 8 + ["PQiP"] * 3),
        ("low", 0, 3, 1, ["PSO"] * 3),
    ]
    rng = random.Random("west-sussex-2023 cases")
    cases = []
    for rosh, licences, communities, women, grades in layout:
        grades = list(grades)
        rng.shuffle(grades)
        types = ["licence"] * licences + ["community"] * communities
        for position, case_type in enumerate(types):
            is_woman = case_type == "community" and position >= len(types) - women
            cases.append(
                Case(
                    reference="",
                    case_type=case_type,
                    rosh=rosh,
                    gender="female" if is_woman else "male",
                    grade=grades[position],
                )
            )
    rng.shuffle(cases)
    for number, case in enumerate(cases, start=1):
        case.reference = f"WS-{number:03d}"
        # Inspectors found high-risk cases held by POs done better; PSOs were new.
        case.quality = (
            rng.gauss(0, 1)
            + (0.8 if high(case) else 0)
            + (0.3 if case.grade == "PO" else -0.2 if case.grade == "PSO" else 0)
        )
    sample = Sample("west-sussex-2023", cases, framework)
    attributes(
        sample,
        ["Crawley", "Worthing", "Chichester", "Bognor Regis", "Horsham"],
        datetime.date(2023, 5, 22),
        ["inspector", "inspector2", "inspector", "inspector2", "lead"],
    )

    def community_bonus(case):
        return 0.5 if community(case) else -0.3

    def licence_bonus(case):
        return 0.5 if licence(case) else 0

    key_questions = {
        # Licence cases were less well engaged in assessment than community ones.
        "2.1.1": Target(16, quotas=[(high, 6)], bias=community_bonus),
        "2.1.2": Target(13),
        # None of the four women's assessments kept other people safe well enough.
        "2.1.3": Target(8, quotas=[(female, 0)]),
        "2.2.1": Target(13, bias=lambda c: 0.6 if high(c) and c.grade == "PO" else 0),
        "2.2.2": Target(13, quotas=[(high, 6)]),
        "2.2.3": Target(6),
        "2.3.1": Target(15, quotas=[(high, 6), (medium, 8), (low, 1)]),
        "2.3.2": Target(8),
        "2.3.3": Target(5),
        # Reviews of licence cases were somewhat more effective.
        "2.4.1": Target(15, bias=licence_bonus),
        "2.4.2": Target(9, bias=licence_bonus),
        "2.4.3": Target(7),
    }
    prompts = {
        "2.1.1.a": Target(17),
        "2.1.1.b": Target(15),  # 52% analysed protected characteristics
        "2.1.1.c": Target(16),
        "2.1.2.a": Target(15),  # 15 of 29 identified offending-related factors
        "2.1.2.b": Target(8),  # 21 of 29 did not draw on the sources of information
        "2.1.2.c": Target(12),
        "2.1.3.a": Target(11),  # 18 of 29 did not identify the risk of harm clearly
        "2.1.3.b": Target(8),  # just eight made sufficient use of the sources
        "2.1.3.c": Target(12, na=2, na_reason="victims"),  # 15 of 27 insufficient
        "2.2.1.a": Target(14),
        "2.2.1.b": Target(12),  # 12 of 29 (41%) considered protected characteristics
        "2.2.1.c": Target(20),  # more than two-thirds considered readiness to change
        "2.2.1.d": Target(15),
        "2.2.1.e": Target(14),
        "2.2.2.a": Target(12),  # fewer than half reflected offending-related factors
        "2.2.2.b": Target(15, quotas=[(high, 6)]),  # 15 of 29; high-risk 6 of 8
        "2.2.2.c": Target(11),
        "2.2.3.a": Target(9),  # more than two-thirds did not address risk factors
        "2.2.3.b": Target(15, na=1, na_reason="conditions"),  # 28 relevant, almost half not
        "2.2.3.c": Target(8, na=3, na_reason="agencies"),
        "2.2.3.d": Target(10),  # contingency insufficient in two-thirds
        "2.3.1.a": Target(11),  # 18 did not start promptly (6 non-compliance, 12 delays)
        "2.3.1.b": Target(18),  # fewer than two-thirds
        "2.3.1.c": Target(21),  # personal circumstances taken into account in 72%
        "2.3.2.a": Target(8),  # eight of 29 had the services most likely to help
        "2.3.2.b": Target(9, na=2, na_reason="agencies"),
        "2.3.3.a": Target(14, na=1, na_reason="contact"),  # 14 of 28 relevant
        "2.3.3.b": Target(5, na=3, na_reason="victims"),  # 21 of 26 relevant insufficient
        "2.3.3.c": Target(8, na=2, na_reason="agencies"),  # less than a third
        "2.3.3.d": Target(7, na=5, na_reason="key individuals"),
        "2.3.3.e": Target(8, na=4, na_reason="home visits"),  # 8 of 25 relevant
        "2.4.1.a": Target(16),
        "2.4.1.b": Target(12, na=2, na_reason="reviews"),
        "2.4.1.c": Target(14),
        "2.4.1.d": Target(10, na=3, na_reason="reviews"),
        "2.4.2.a": Target(10),
        "2.4.2.b": Target(8, na=2, na_reason="reviews"),
        "2.4.2.c": Target(9),
        "2.4.2.d": Target(7, na=4, na_reason="agencies"),
        "2.4.2.e": Target(10, na=3, na_reason="reviews"),
        "2.4.3.a": Target(6, na=3, na_reason="reviews"),  # 6 of 26 relevant
        "2.4.3.b": Target(9, na=2, na_reason="agencies"),  # two-thirds not informed
        "2.4.3.c": Target(8, na=2, na_reason="key individuals"),
        "2.4.3.d": Target(7, na=3, na_reason="reviews"),
    }
    outcomes = {
        "2.5.1": Target(4),
        "2.5.2": Target(2),
        # Women 3 of 4 compliant; medium-risk 12 of 18.
        "2.5.3": Target(
            18,
            quotas=[
                (both(female, medium), 2),
                (both(female, low), 1),
                (both(male, medium), 10),
                (both(male, high), 4),
                (both(male, low), 1),
            ],
        ),
    }
    for code, target in key_questions.items():
        sample.answer(code, target)
        for prompt in sample.prompts[code]:
            sample.answer(prompt, prompts[prompt], follows=code)
    for code, target in outcomes.items():
        sample.answer(code, target)
    # Enforcement: 17 cases needed it (every non-compliant one and six others); it was
    # taken in 10, less often in community cases than on licence.
    non_compliant = {c.reference for c in cases if c.answers["2.5.3"] == NO}
    sample.na_rank["enforcement"] = {
        c.reference: (0.0 if c.reference in non_compliant else 1.0) + rng.random() / 2
        for c in cases
    }
    relevant_community = 10
    sample.answer(
        "2.5.4",
        Target(
            10,
            na=12,
            na_reason="enforcement",
            relevant_quotas=[(community, relevant_community), (licence, 17 - relevant_community)],
            quotas=[(community, 4), (licence, 6)],
        ),
    )
    # Oversight absent or ineffective in 26 of 29 (90%): effective only in three cases.
    by_quality = sorted(cases, key=lambda c: c.quality, reverse=True)
    for position, case in enumerate(by_quality):
        case.oversight = (
            "effective" if position < 3 else "ineffective" if position < 14 else "absent"
        )
    write_notes(sample)

    published = {
        "2.1.1": 16, "2.1.2": 13, "2.1.3": 8, "2.2.1": 13, "2.2.2": 13, "2.2.3": 6,
        "2.3.1": 15, "2.3.2": 8, "2.3.3": 5, "2.4.1": 15, "2.4.2": 9, "2.4.3": 7,
        "2.5.1": 4, "2.5.2": 2,
    }  # fmt: skip
    for code, yes in published.items():
        sample.check(code, yes, 29)
    sample.check("2.1.1", 6, 8, high)
    sample.check("2.3.1", 6, 8, high)
    sample.check("2.3.1", 8, 18, medium)
    sample.check("2.1.3", 0, 4, female)
    sample.check("2.2.2", 6, 8, high)
    sample.check("2.5.3", 3, 4, female)
    sample.check("2.5.3", 12, 18, medium)
    sample.check("2.5.4", 10, 17)
    for code, (yes, relevant) in {
        "2.1.2.a": (15, 29), "2.1.2.b": (8, 29), "2.1.3.a": (11, 29), "2.1.3.c": (12, 27),
        "2.2.1.b": (12, 29), "2.3.2.a": (8, 29), "2.3.3.a": (14, 28), "2.3.3.b": (5, 26),
        "2.3.3.e": (8, 25), "2.4.3.a": (6, 26),
    }.items():  # fmt: skip
        sample.check(code, yes, relevant)
    assert sum(c.oversight in ("absent", "ineffective") for c in cases) == 26
    assert (sum(licence(c) for c in cases), sum(high(c) for c in cases)) == (11, 8)
    assert (sum(medium(c) for c in cases), sum(female(c) for c in cases)) == (18, 4)
    return sample


def north_downs(framework: dict) -> Sample:
    """A fictional unit doing better: Good and Requires improvement, fieldwork ongoing."""
    rng = random.Random("north-downs-2024 cases")
    roshes = ["very_high"] + ["high"] * 7 + ["medium"] * 17 + ["low"] * 5
    rng.shuffle(roshes)
    cases = []
    for number, rosh in enumerate(roshes, start=1):
        case = Case(
            reference=f"ND-{number:03d}",
            case_type="licence" if rng.random() < 0.35 else "community",
            rosh=rosh,
            gender="female" if rng.random() < 0.15 else "male",
            grade="PO" if rosh in ("high", "very_high") else rng.choice(["PO", "PSO", "PQiP"]),
            quality=rng.gauss(0, 1),
        )
        cases.append(case)
    sample = Sample("north-downs-2024", cases, framework)
    attributes(
        sample,
        ["Guildford", "Redhill", "Woking"],
        datetime.date(2024, 3, 4),
        ["inspector2", "lead", "inspector"],
    )
    # The last five are still with the inspector: two not started, three part done.
    in_progress = cases[25:]
    for case in in_progress:
        case.status = "in_progress"
        case.inspector = "inspector"
    key_questions = {
        "2.1.1": Target(21), "2.1.2": Target(19), "2.1.3": Target(17),
        "2.2.1": Target(20), "2.2.2": Target(18), "2.2.3": Target(15),
        "2.3.1": Target(21), "2.3.2": Target(19), "2.3.3": Target(18),
        # No review point had been reached in two cases.
        "2.4.1": Target(18, na=2, na_reason="no review"),
        "2.4.2": Target(16, na=2, na_reason="no review"),
        "2.4.3": Target(15, na=2, na_reason="no review"),
    }  # fmt: skip
    for code, target in key_questions.items():
        sample.answer(code, target)
        for prompt in sample.prompts[code]:
            # Prompts run close to their key question, a little either side.
            relevant = 25 - target.na
            yes = min(relevant, max(0, target.yes + rng.choice([-2, -1, 0, 1, 2])))
            na_reason = "no review" if target.na else ""
            sample.answer(prompt, Target(yes, na=target.na, na_reason=na_reason), follows=code)
    sample.answer("2.5.1", Target(14))
    sample.answer("2.5.2", Target(12))
    sample.answer("2.5.3", Target(19))
    sample.answer("2.5.4", Target(7, na=16, na_reason="enforcement"))
    by_quality = sorted(sample.counted(), key=lambda c: c.quality, reverse=True)
    for position, case in enumerate(by_quality):
        case.oversight = (
            "effective" if position < 15 else "not_required" if position < 18 else "ineffective"
        )
        if position >= 23:
            case.oversight = "absent"
    # Part-done cases: assessment answered, planning begun.
    for case, codes in zip(in_progress[:3], [RATED[:3], RATED[:4], RATED[:6]], strict=True):
        for code in codes:
            case.answers[code] = YES if rng.random() < 0.7 else NO
            for prompt in sample.prompts[code]:
                case.answers[prompt] = case.answers[code] if rng.random() < 0.8 else NO
    write_notes(sample)
    for code, target in key_questions.items():
        sample.check(code, target.yes, 25 - target.na)
    return sample


def render(sample: Sample) -> str:
    prompts = sample.prompts
    columns = ["reference", "case_type", "rosh", "gender", "ethnicity", "age_band", "office"]
    columns += ["practitioner_grade", "sentence_start", "inspector", "status"]
    for code in RATED + OUTCOMES:
        columns += [*prompts[code], code, f"{code} note"]
    columns += ["oversight", "oversight note"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for case in sample.cases:
        row = [
            case.reference,
            case.case_type,
            case.rosh,
            case.gender,
            case.ethnicity,
            case.age_band,
            case.office,
            case.grade,
            case.sentence_start,
            case.inspector,
            case.status,
        ]
        for code in RATED + OUTCOMES:
            row += [case.answers.get(prompt, "") for prompt in prompts[code]]
            row += [case.answers.get(code, ""), case.notes.get(code, "")]
        row += [case.oversight, case.oversight_note]
        writer.writerow(row)
    return buffer.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    check = parser.parse_args().check
    framework = json.loads(FRAMEWORK.read_text(encoding="utf-8"))
    stale = []
    for sample in (west_sussex(framework), north_downs(framework)):
        path = OUT / f"{sample.name}.csv"
        text = render(sample)
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)} ({len(sample.cases)} cases)")
    if stale:
        print("out of date: " + ", ".join(str(p.relative_to(ROOT)) for p in stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
