"""Benchmark the pages that grow with the data: median and p95 per endpoint.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_scale \
        .venv/bin/python bench/run.py --inspections 1 --cases-per-inspection 10000

Generates the data set (the one generator, `dataset/`, prefix `bench`, replaced each
run) in the
database DATABASE_URL names, then times each endpoint in-process through Django's
full request stack (middleware, sessions, templates), so the figures are the server's
cost without the network. The first inspection is the one measured. Saves and submits
use a different open case for every request, so none of them is a conflict. Exports
are also run once under tracemalloc to report the peak memory they allocate.

Use a database of its own: the run deletes and recreates everything under `bench-`.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import warnings  # noqa: E402

import django  # noqa: E402

# WhiteNoise warns when collectstatic has not run; the benchmark serves no static files.
warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import Resolver404, resolve  # noqa: E402

from casereview.entry.sections import case_sections  # noqa: E402
from casereview.entry.services import save_section  # noqa: E402
from casereview.models import Case, CaseStatus  # noqa: E402
from dataset import DatasetGenerator, default_framework, section_values  # noqa: E402
from inspection.models import Inspection  # noqa: E402

PREFIX = "bench"
HOST = "127.0.0.1"


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the value below which `fraction` of samples fall."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


class Bench:
    def __init__(self, *, repeat: int, export_repeat: int):
        self.repeat = repeat
        self.export_repeat = export_repeat
        self.rows: list[tuple[str, int, float, float, str]] = []

    def time(
        self,
        name: str,
        requests: Iterable[Callable[[], Any]],
        *,
        expect: tuple[int, ...] = (200,),
        extra: str = "",
    ) -> None:
        """`requests` yields zero-argument callables, each making one request."""
        samples = []
        for make_request in requests:
            started = time.perf_counter()
            response = make_request()
            if getattr(response, "streaming", False):
                for _ in response.streaming_content:
                    pass
            elapsed = time.perf_counter() - started
            if response.status_code not in expect:
                raise SystemExit(f"{name}: status {response.status_code}, expected {expect}")
            samples.append(elapsed * 1000)
        median = statistics.median(samples)
        p95 = percentile(samples, 0.95)
        self.rows.append((name, len(samples), median, p95, extra))
        print(
            f"  {name:<28} n={len(samples):<3} median {median:8.1f} ms  p95 {p95:8.1f} ms {extra}"
        )

    def skip(self, name: str, why: str) -> None:
        self.rows.append((name, 0, math.nan, math.nan, why))
        print(f"  {name:<28} skipped: {why}")


def exists(path: str) -> bool:
    try:
        resolve(path.split("?")[0])
    except Resolver404:
        return False
    return True


def read_all(response: Any) -> int:
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1])
    raise LookupError(field)


def peak_rss_growth_mb(client: Client, path: str) -> float | None:
    """Growth of the process's peak resident memory over one download (Linux only)."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")  # resets the peak (VmHWM) to the current size
        before = status_kb("VmRSS:")
        read_all(client.get(path))
        return (status_kb("VmHWM:") - before) / 1000
    except OSError:
        return None


def peak_memory_mb(client: Client, path: str) -> tuple[float, int]:
    """Peak Python allocation while producing and reading the whole download."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    before, _ = tracemalloc.get_traced_memory()
    size = read_all(client.get(path))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return (peak - before) / 1_000_000, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inspections", type=int, default=1)
    parser.add_argument("--cases-per-inspection", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=20, help="requests per page endpoint")
    parser.add_argument("--export-repeat", type=int, default=5, help="requests per export")
    parser.add_argument("--no-generate", action="store_true", help="reuse the existing data")
    parser.add_argument("--seed", type=int, default=2024)
    options = parser.parse_args()

    # Query logging (DEBUG) would add its own cost and memory to every request.
    settings.DEBUG = False
    vendor = connection.vendor
    total = options.inspections * options.cases_per_inspection
    print(f"Database: {vendor} ({connection.settings_dict['NAME']})")
    if not options.no_generate:
        started = time.perf_counter()
        generator = DatasetGenerator(
            framework=default_framework(), prefix=PREFIX, seed=options.seed
        )
        with transaction.atomic():
            generator.delete_existing()
            totals = generator.generate(options.inspections, options.cases_per_inspection)
        print(
            f"Generated {totals.cases} cases in {totals.inspections} inspections "
            f"in {time.perf_counter() - started:.1f} s"
        )
    inspection = Inspection.objects.get(slug=f"{PREFIX}-001")
    in_inspection = inspection.cases.count()
    print(f"Cases: {Case.objects.count()} in the database, {in_inspection} in {inspection.slug}")

    User = get_user_model()
    lead = User.objects.get(username=f"{inspection.slug}-lead")
    admin, _ = User.objects.get_or_create(
        username=f"{PREFIX}-admin", defaults={"is_superuser": True, "is_staff": True}
    )
    lead_client = Client(HTTP_HOST=HOST)
    lead_client.force_login(lead)
    admin_client = Client(HTTP_HOST=HOST)
    admin_client.force_login(admin)

    bench = Bench(repeat=options.repeat, export_repeat=options.export_repeat)
    repeat = range(options.repeat)
    slug = inspection.slug

    def get(client, path):
        return lambda: client.get(path)

    dashboard = f"/inspections/{slug}/"
    bench.time("inspection dashboard", (get(lead_client, dashboard) for _ in repeat))
    bench.time("summary.json", (get(lead_client, f"{dashboard}summary.json") for _ in repeat))
    if exists("/overview/"):
        bench.time(
            "overview (all inspections)",
            (get(admin_client, "/overview/") for _ in repeat),
            extra=f"{Inspection.objects.count()} inspections",
        )
    else:
        bench.skip("overview (all inspections)", "no /overview/ page")

    # Saving a section: the lead may edit every open case of the inspection.
    open_cases = list(
        inspection.cases.filter(status=CaseStatus.IN_PROGRESS).order_by("pk")[: options.repeat * 2]
    )
    sections = case_sections(case=open_cases[0])
    assessment = sections[0]
    half = max(1, len(open_cases) // 2)
    to_save, to_submit = open_cases[:half], open_cases[half:]

    def saves():
        # A small inspection has few open cases: go round them, reading each version
        # afresh (outside the timing, which starts once the request is built).
        for number in repeat:
            case = to_save[number % len(to_save)]
            version = Case.objects.values_list("version", flat=True).get(pk=case.pk)
            data = {**section_values(assessment), "version": version, "save_draft": ""}
            url = f"/cases/{case.pk}/sections/{assessment.slug}/"
            yield lambda url=url, data=data: lead_client.post(url, data)

    bench.time("save a section", saves(), expect=(302,))

    # Submitting: answer every required section first (not timed), then submit.
    for case in to_submit:
        for section in sections:
            if not section.optional:
                save_section(
                    case=case,
                    section=section,
                    data=section_values(section),
                    base_version=case.version,
                    user=lead,
                )

    def submit(case):
        return lambda: lead_client.post(f"/cases/{case.pk}/submit/", {"version": case.version})

    if to_submit:
        bench.time("submit a case", (submit(case) for case in to_submit), expect=(302,))
        submitted = Case.objects.filter(
            pk__in=[c.pk for c in to_submit], status=CaseStatus.SUBMITTED
        )
        assert submitted.count() == len(to_submit), "a submission did not take"
    else:
        bench.skip("submit a case", "not enough open cases")

    memory = []
    for name, path in (
        ("cases.csv export", f"{dashboard}export/cases.csv"),
        ("workbook.xlsx export", f"{dashboard}export/workbook.xlsx"),
    ):
        if not exists(path):
            bench.skip(name, f"no {path}")
            continue
        bench.time(name, (get(lead_client, path) for _ in range(options.export_repeat)))
        rss = peak_rss_growth_mb(lead_client, path)
        peak, size = peak_memory_mb(lead_client, path)
        memory.append((name, peak, rss, size))
        print(
            f"  {name:<28} peak Python memory {peak:.1f} MB, peak RSS growth "
            f"{'n/a' if rss is None else f'{rss:.1f} MB'}, {size / 1000:,.0f} kB out"
        )

    print()
    print(
        f"| endpoint ({vendor}, {in_inspection:,} cases in the inspection, {total:,} in all) "
        "| n | median ms | p95 ms |"
    )
    print("|---|---:|---:|---:|")
    for name, count, median, p95, extra in bench.rows:
        if count:
            print(f"| {name} | {count} | {median:.1f} | {p95:.1f} |")
        else:
            print(f"| {name} | – | – | – ({extra}) |")
    if memory:
        print()
        print("| export | peak Python memory (tracemalloc) | peak RSS growth | size |")
        print("|---|---:|---:|---:|")
        for name, peak, rss, size in memory:
            rss_text = "n/a" if rss is None else f"{rss:.1f} MB"
            print(f"| {name} | {peak:.1f} MB | {rss_text} | {size / 1000:,.0f} kB |")


if __name__ == "__main__":
    main()
