"""Time the case CSV import check: valid files of two sizes, and pathological files.

    DATABASE_URL=sqlite:///$PWD/var/bench/import_check.sqlite3 \
        .venv/bin/python bench/import_check.py

Generates one inspection (generate_dataset, prefix `benchimport`, replaced each run),
exports its cases with notes, and repeats those rows under new references until the
file reaches each size. Each file is checked with `check_cases` (the check that
`import_cases` and the admin upload run first; nothing is written) against an empty
inspection with the same framework and team. The pathological files are the shapes
that once made the check quadratic: empty header cells over blank lines.

Use a database of its own: the run deletes and recreates everything under `benchimport-`.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import warnings  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from casereview.transfer.exports import case_csv_lines  # noqa: E402
from casereview.transfer.importing import (  # noqa: E402
    MAX_COLUMNS,
    MAX_ROWS,
    CaseImportError,
    check_cases,
)
from inspection.models import Inspection, TeamMembership  # noqa: E402

PREFIX = "benchimport"
MB = 1024 * 1024


def valid_file(source: Inspection, size: int) -> bytes:
    """The source's export with notes, its rows repeated under new references."""
    text = "".join(case_csv_lines(inspection=source, notes=True)).removeprefix("\ufeff")
    header, *rows = csv.reader(io.StringIO(text, newline=""))
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    number = 0
    while out.tell() < size:
        row = list(rows[number % len(rows)])
        row[0] = f"BENCH-{number:06d}"
        writer.writerow(row)
        number += 1
    return out.getvalue().encode("utf-8")


def pathological(cells: int, blank_lines: int) -> bytes:
    return ("reference,case_type,rosh" + "," * cells + "\n" * blank_lines).encode()


def timed(name: str, target: Inspection, data: bytes) -> None:
    started = time.perf_counter()
    try:
        outcome = f"{check_cases(inspection=target, data=data):,} cases, no problem"
    except CaseImportError as refused:
        outcome = refused.errors[0] if len(refused.errors) == 1 else str(refused)
    elapsed = time.perf_counter() - started
    rows = data.count(b"\n")
    print(f"| {name} | {len(data) / MB:.2f} MB | {rows:,} | {elapsed:.2f} s | {outcome} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=500, help="cases generated to export")
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 5], help="MB")
    options = parser.parse_args()

    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
    call_command(
        "generate_dataset",
        inspections=1,
        cases_per_inspection=options.cases,
        prefix=PREFIX,
        replace=True,
    )
    source = Inspection.objects.get(slug=f"{PREFIX}-001")
    target, _ = Inspection.objects.update_or_create(
        slug=f"{PREFIX}-empty",
        defaults={
            "unit": source.unit,
            "framework": source.framework,
            "fieldwork_start": source.fieldwork_start,
        },
    )
    for membership in TeamMembership.objects.filter(inspection=source):
        TeamMembership.objects.get_or_create(
            inspection=target, user=membership.user, defaults={"role": membership.role}
        )

    print(f"Limits: {MAX_COLUMNS} columns, {MAX_ROWS:,} rows\n")
    print("| file | size | lines | check | outcome |")
    print("|---|---:|---:|---:|---|")
    for size in options.sizes:
        timed(f"valid rows with notes, {size:g} MB", target, valid_file(source, int(size * MB)))
    for n in (8_000, 32_000):
        timed(f"header + {n:,} empty cells + {n:,} blank lines", target, pathological(n, n))
    cells = MAX_COLUMNS - 3
    timed(
        f"header + {cells} empty cells + {MAX_ROWS:,} blank lines (at the limits)",
        target,
        pathological(cells, MAX_ROWS),
    )
    timed(
        f"header + {MAX_ROWS * 10:,} blank lines",
        target,
        pathological(0, MAX_ROWS * 10),
    )


if __name__ == "__main__":
    main()
