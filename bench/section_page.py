"""Benchmark a section page: median and p95 wall and CPU time of rendering it.

    .venv/bin/python bench/section_page.py --repeat 200

Renders one case's section page N times in-process through Django's full request
stack (middleware, session, templates), signed in as the inspection's lead, with
`DEBUG` off. Each section kind is timed: a standard's (the largest form), management
oversight and risk information, plus the standard's page with every error shown (a
refused *Save and continue*).

By default the data lives in a throwaway SQLite file (migrated, one inspection of
ten cases from the one generator, `dataset/`); pass DATABASE_URL to use another
database of its own: the run deletes and recreates everything under `bench-`.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
_scratch = None
if "DATABASE_URL" not in os.environ:
    _scratch = tempfile.TemporaryDirectory(prefix="bench-section-")
    os.environ["DATABASE_URL"] = f"sqlite:///{_scratch.name}/bench.sqlite3"

import warnings  # noqa: E402

import django  # noqa: E402

# WhiteNoise warns when collectstatic has not run; the benchmark serves no static files.
warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from casereview.entry.sections import case_sections  # noqa: E402
from casereview.models import CaseStatus  # noqa: E402
from dataset import DatasetGenerator, default_framework  # noqa: E402
from inspection.models import Inspection, InspectionStatus  # noqa: E402

PREFIX = "bench"
HOST = "127.0.0.1"


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile, as bench/run.py reports it."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def measure(make_request: Callable[[], Any], repeat: int) -> tuple[list[float], list[float]]:
    wall, cpu = [], []
    make_request()  # warm the template and URL caches, as a running server has them
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = make_request()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"unexpected status {response.status_code} {response.get('Location')}")
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=100, help="renders per page")
    options = parser.parse_args()

    settings.DEBUG = False  # query logging would add its own cost
    if _scratch is not None:
        call_command("migrate", verbosity=0)
    generator = DatasetGenerator(framework=default_framework(), prefix=PREFIX)
    with transaction.atomic():
        generator.delete_existing()
        generator.generate(1, 10)
    inspection = Inspection.objects.get(slug=f"{PREFIX}-001")
    # Only an inspection in fieldwork is open for recording.
    Inspection.objects.filter(pk=inspection.pk).update(status=InspectionStatus.FIELDWORK)
    case = inspection.cases.order_by("pk")[0]
    # An open case: a submitted one is read-only and its section page redirects.
    inspection.cases.filter(pk=case.pk).update(status=CaseStatus.IN_PROGRESS)
    lead = get_user_model().objects.get(username=f"{inspection.slug}-lead")
    client = Client(HTTP_HOST=HOST)
    client.force_login(lead)

    sections = {section.kind: section for section in case_sections(case=case)}
    standard = next(s for s in case_sections(case=case) if s.kind not in ("oversight", "risk"))
    pages = [(f"section: {standard.title}", standard, False)]
    pages += [
        (f"section: {sections[kind].title}", sections[kind], False)
        for kind in ("oversight", "risk")
        if kind in sections
    ]
    pages.append((f"section: {standard.title}, every error shown", standard, True))

    print(f"Database: {connection.vendor}; {options.repeat} renders per page, after one warm-up")
    print(f"{'page':<52} {'wall median':>11} {'wall p95':>9} {'CPU median':>11} {'CPU p95':>8}")
    for name, section, with_errors in pages:
        url = f"/cases/{case.pk}/sections/{section.slug}/"
        if with_errors:
            # Refused before saving: every answer outside its choices, every note too long.
            data: dict[str, object] = {
                field: "n" * 10_001 if field.startswith("note_") else "maybe"
                for field in section.field_names
            }
            data.update(version=case.version, save_continue="")
            request: Callable[[], Any] = partial(client.post, url, data)
        else:
            request = partial(client.get, url)
        wall, cpu = measure(request, options.repeat)
        print(
            f"{name:<52} {statistics.median(wall):>8.1f} ms {percentile(wall, 0.95):>6.1f} ms"
            f" {statistics.median(cpu):>8.1f} ms {percentile(cpu, 0.95):>5.1f} ms"
        )


if __name__ == "__main__":
    main()
