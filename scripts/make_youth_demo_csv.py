"""Generate the youth justice demo sample, casereview/demo/marchford-yos-2024.csv
(deterministic: the same output every run).

    python scripts/make_youth_demo_csv.py          # rewrite the CSV file
    python scripts/make_youth_demo_csv.py --check  # fail if the committed file differs

Marchford Youth Justice Service is fictional: 40 children's cases, 25 court disposals
and 15 out-of-court disposals, three of them still with the inspector. Each key
question gets a set number of Yes answers among the submitted cases of the types that
answer it, given to the cases handled best (a per-case "quality" from a seeded
generator), so that the standards' ratings are varied and plausible: 2.1 Outstanding,
2.2 and 3.1 and 3.3 Good, 2.3, 2.4 and 3.2 Requires improvement. The script checks its
own output against those targets before writing.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRAMEWORK = ROOT / "inspection" / "frameworks" / "youth-2021.json"
OUT = ROOT / "casereview" / "demo" / "marchford-yos-2024.csv"
YES, NO, NA = "Yes", "No", "N/A"

# Yes answers per key question among the submitted cases of its type (23 court, 14
# out-of-court), and how many are Not applicable (reviewing: no review point yet).
TARGETS: dict[str, tuple[int, int]] = {
    "2.1.1": (20, 0), "2.1.2": (19, 0), "2.1.3": (19, 0),   # 87, 83, 83: Outstanding
    "2.2.1": (18, 0), "2.2.2": (16, 0), "2.2.3": (17, 0),   # 78, 70, 74: Good
    "2.3.1": (17, 0), "2.3.2": (16, 0), "2.3.3": (14, 0),   # 74, 70, 61: Requires improvement
    "2.4.1": (15, 3), "2.4.2": (14, 3), "2.4.3": (11, 3),   # of 20: 75, 70, 55: RI
    "3.1.1": (12, 0), "3.1.2": (11, 0), "3.1.3": (10, 0),   # 86, 79, 71: Good
    "3.2.1": (11, 0), "3.2.2": (10, 0), "3.2.3": (9, 0),    # 79, 71, 64: RI
    "3.3.1": (12, 0), "3.3.2": (12, 0), "3.3.3": (11, 0),   # 86, 86, 79: Good
}  # fmt: skip
COURT, OUT_OF_COURT = "court", "out_of_court"
NOTES = {
    YES: [
        "The case manager's assessment drew on education, health and family information.",
        "Clear, child-centred recording; the child's views are set out in their own words.",
        "Work with partners was timely and focused on what the child needed.",
    ],
    NO: [
        "Information from children's social care was not sought or used.",
        "The plan did not address risks to the child's safety outside the home.",
        "Contingency arrangements were missing; the risks to others were not revisited.",
    ],
    NA: ["No review point had been reached in the period inspected."],
}


@dataclass
class Case:
    reference: str
    case_type: str
    rosh: str
    gender: str
    age_band: str
    office: str
    grade: str
    sentence_start: str
    inspector: str
    quality: float
    status: str = "submitted"
    answers: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    oversight: str = ""
    oversight_note: str = ""


def key_questions(framework: dict) -> dict[str, dict]:
    """Each key question by code, with its standard's case types and its prompts."""
    found = {}
    for standard in framework["standards"]:
        for kq in standard.get("key_questions", []):
            found[kq["code"]] = {
                "case_types": standard["case_types"],
                "prompts": [prompt["code"] for prompt in kq.get("prompts", [])],
            }
    return found


def make_cases(rng: random.Random) -> list[Case]:
    types = [COURT] * 25 + [OUT_OF_COURT] * 15
    rng.shuffle(types)
    start = datetime.date(2024, 1, 8)
    cases = []
    for number, case_type in enumerate(types, start=1):
        cases.append(
            Case(
                reference=f"MY-{number:03d}",
                case_type=case_type,
                rosh=rng.choice(["low"] * 3 + ["medium"] * 5 + ["high"] * 2),
                gender="female" if rng.random() < 0.2 else "male",
                age_band=rng.choice(["10-14", "15-17", "15-17"]),
                office=rng.choice(["Marchford", "Eastbrook"]),
                grade=rng.choice(["Case manager", "Case manager", "Senior practitioner"]),
                sentence_start=(start + datetime.timedelta(days=rng.randint(0, 55))).isoformat(),
                inspector=("inspector", "inspector2")[number % 2],
                quality=rng.gauss(0, 1),
            )
        )
    return cases


def answer(cases: list[Case], framework: dict, rng: random.Random) -> None:
    questions = key_questions(framework)
    # Still with the inspector: two court cases and one out-of-court case.
    for case_type, count in ((COURT, 2), (OUT_OF_COURT, 1)):
        for case in [c for c in cases if c.case_type == case_type][-count:]:
            case.status = "in_progress"
            case.inspector = "inspector"
    for code, (yes, na) in TARGETS.items():
        own = [c for c in cases if c.case_type in questions[code]["case_types"]]
        counted = [c for c in own if c.status == "submitted"]
        # Not applicable where no review point was reached: the same cases throughout.
        not_applicable = counted[:na]
        relevant = sorted(counted[na:], key=lambda c: c.quality + rng.gauss(0, 0.6), reverse=True)
        for position, case in enumerate(relevant):
            case.answers[code] = YES if position < yes else NO
        for case in not_applicable:
            case.answers[code] = NA
        for case in counted:
            value = case.answers[code]
            case.notes[code] = rng.choice(NOTES[value])
            for prompt in questions[code]["prompts"]:
                # Prompts mostly follow their key question's judgement.
                other = YES if value == NO else NO
                case.answers[prompt] = value if value == NA or rng.random() < 0.85 else other
    # One court case part done: its assessment answered.
    part_done = [c for c in cases if c.case_type == COURT and c.status == "in_progress"][0]
    for code in ("2.1.1", "2.1.2", "2.1.3"):
        part_done.answers[code] = YES
        part_done.notes[code] = NOTES[YES][0]
    for position, case in enumerate(
        sorted((c for c in cases if c.status == "submitted"), key=lambda c: -c.quality)
    ):
        case.oversight = (
            "effective" if position < 20 else "not_required" if position < 26 else "ineffective"
        )
        case.oversight_note = {
            "effective": "Managers reviewed the plan and the child's safety at each stage.",
            "not_required": "",
            "ineffective": "Oversight was recorded but did not address the gaps in planning.",
        }[case.oversight]


def check(cases: list[Case], framework: dict) -> None:
    questions = key_questions(framework)
    for code, (yes, na) in TARGETS.items():
        counted = [
            c
            for c in cases
            if c.status == "submitted" and c.case_type in questions[code]["case_types"]
        ]
        answers = [c.answers.get(code) for c in counted]
        assert answers.count(YES) == yes, code
        assert answers.count(NA) == na, code
        assert answers.count(YES) + answers.count(NO) + na == len(counted), code
    # No case answers a key question (or its prompts) that its type does not answer.
    for case in cases:
        for code in case.answers:
            key_question = code if code in questions else code.rsplit(".", 1)[0]
            assert case.case_type in questions[key_question]["case_types"], (case, code)
    assert [c.case_type for c in cases].count(COURT) == 25
    assert [c.case_type for c in cases].count(OUT_OF_COURT) == 15


def render(cases: list[Case], framework: dict) -> str:
    questions = key_questions(framework)
    columns = ["reference", "case_type", "rosh", "gender", "age_band", "office"]
    columns += ["practitioner_grade", "sentence_start", "inspector", "status"]
    for code in TARGETS:
        columns += [*questions[code]["prompts"], code, f"{code} note"]
    columns += ["oversight", "oversight note"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for case in cases:
        row = [
            case.reference,
            case.case_type,
            case.rosh,
            case.gender,
            case.age_band,
            case.office,
            case.grade,
            case.sentence_start,
            case.inspector,
            case.status,
        ]
        for code in TARGETS:
            row += [case.answers.get(prompt, "") for prompt in questions[code]["prompts"]]
            row += [case.answers.get(code, ""), case.notes.get(code, "")]
        row += [case.oversight, case.oversight_note]
        writer.writerow(row)
    return buffer.getvalue()


def sample_text() -> str:
    framework = json.loads(FRAMEWORK.read_text(encoding="utf-8"))
    rng = random.Random("marchford-yos-2024 cases")
    cases = make_cases(rng)
    answer(cases, framework, rng)
    check(cases, framework)
    return render(cases, framework)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    text = sample_text()
    if parser.parse_args().check:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"out of date: {OUT.relative_to(ROOT)}")
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} (40 cases)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
