"""After the load test: every acknowledged save is in the database as acknowledged,
nothing is duplicated, and the run met its targets.

    DJANGO_SETTINGS_MODULE=loadtest.settings .venv/bin/python loadtest/verify.py var/loadtest

Reads acks.jsonl (written by the locust users) and locust_stats.csv / locust_failures.csv.
Checks, for every case the run touched:
- no two acknowledged writes claim the same version (that would be a lost update);
- the case's version is the last acknowledged one, unless a later write was sent and
  not acknowledged (the run ended mid-request), which may or may not have landed;
- each section's last acknowledged values are what the database holds;
- an acknowledged submission left the case submitted;
and, for the whole database, that no case has two rows for one key question or prompt.
Exits 1 on any failure.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loadtest.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402

from casereview.entry.sections import case_sections, case_values  # noqa: E402
from casereview.models import COUNTED_STATUSES, Case, KeyQuestionAnswer, PromptAnswer  # noqa: E402

TARGET_P95_MS = {"save section": 300, "dashboard": 500}


def read_acks(path: Path) -> dict[int, list[dict]]:
    by_case: dict[int, list[dict]] = defaultdict(list)
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                entry = json.loads(line)
                by_case[entry["case"]].append(entry)
    return by_case


def verify_database(by_case: dict[int, list[dict]]) -> tuple[list[str], dict[str, int]]:
    problems: list[str] = []
    counts = defaultdict(int)
    cases = Case.objects.in_bulk(list(by_case)).values()
    sections = None
    for case in cases:
        entries = by_case[case.pk]
        acked = [entry for entry in entries if entry["kind"] in ("save", "submit")]
        attempts = [entry for entry in entries if entry["kind"] == "attempt"]
        counts["cases"] += 1
        counts["saves"] += sum(entry["kind"] == "save" for entry in acked)
        counts["submissions"] += sum(entry["kind"] == "submit" for entry in acked)
        versions = [entry["version"] for entry in acked]
        if len(versions) != len(set(versions)):
            problems.append(f"case {case.pk}: two acknowledged writes share a version {versions}")
        unacknowledged = len(attempts) - len(acked)
        counts["unacknowledged"] += max(0, unacknowledged)
        if versions:
            if case.version < max(versions):
                problems.append(
                    f"case {case.pk}: at version {case.version}, below the acknowledged "
                    f"{max(versions)}"
                )
            elif case.version > max(versions) and unacknowledged <= 0:
                problems.append(
                    f"case {case.pk}: at version {case.version} but the last acknowledged write "
                    f"was {max(versions)} and none was left unanswered"
                )
        if (
            any(entry["kind"] == "submit" for entry in acked)
            and case.status not in COUNTED_STATUSES
        ):
            problems.append(f"case {case.pk}: submission acknowledged, status is {case.status}")
        # A later unanswered write may have landed: compare content only when the case
        # is exactly at its last acknowledged version.
        if not versions or case.version != max(versions):
            continue
        if sections is None:
            sections = case_sections(case=case)
        saved = case_values(case=case, sections=sections)
        last = {}
        for entry in acked:
            if entry["kind"] == "save":
                last[entry["section"]] = entry
        for slug, entry in last.items():
            for name, value in entry["values"].items():
                if saved.get(name) != value:
                    problems.append(
                        f"case {case.pk} {slug}: {name} is {saved.get(name)!r}, "
                        f"acknowledged {value!r} at version {entry['version']}"
                    )
                    break
            else:
                counts["sections checked"] += 1
    for model, field in ((KeyQuestionAnswer, "key_question"), (PromptAnswer, "prompt")):
        duplicates = (
            model.objects.order_by()
            .values("case", field)
            .annotate(rows=Count("pk"))
            .filter(rows__gt=1)
            .count()
        )
        if duplicates:
            problems.append(f"{duplicates} duplicated {model.__name__} rows")
    return problems, counts


def read_stats(folder: Path) -> tuple[list[str], list[dict]]:
    problems: list[str] = []
    rows = []
    stats = folder / "locust_stats.csv"
    if not stats.exists():
        return [f"{stats} is missing: did locust run?"], rows
    with open(stats, newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        limit = TARGET_P95_MS.get(row["Name"])
        if limit is not None and float(row["95%"]) >= limit:
            problems.append(f"p95 of {row['Name']} is {row['95%']} ms, target under {limit} ms")
    failures = folder / "locust_failures.csv"
    if failures.exists():
        with open(failures, newline="") as handle:
            for row in csv.DictReader(handle):
                problems.append(
                    f"{row['Occurrences']} × {row['Method']} {row['Name']}: {row['Error']}"
                )
    return problems, rows


def main(folder: Path) -> int:
    by_case = read_acks(folder / "acks.jsonl")
    db_problems, counts = verify_database(by_case)
    stat_problems, rows = read_stats(folder)

    print("| request | requests | failures | median ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for row in rows:
        if row["Request Count"] == "0":
            continue  # sign-in: counted before the figures were reset
        longest = float(row["Max Response Time"])
        print(
            f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | "
            f"{row['Median Response Time']} | {row['95%']} | {longest:.0f} |"
        )
    print()
    print(
        f"Verified {counts['saves']} acknowledged saves and {counts['submissions']} "
        f"submissions over {counts['cases']} cases; {counts['sections checked']} sections "
        f"compared value by value; {counts['unacknowledged']} writes sent but not answered."
    )
    problems = db_problems + stat_problems
    for problem in problems:
        print(f"FAIL {problem}")
    print("PASS: nothing lost, nothing duplicated, targets met" if not problems else "FAILED")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "var/loadtest")))
