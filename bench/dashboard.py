"""Time the inspection dashboard, summary.json and the overview on scratch data.

    .venv/bin/python -m bench.dashboard --cases 60 --inspections 200 --cases-per-inspection 50

(or `.venv/bin/python bench/dashboard.py …`). Builds the scratch data with the one
generator (`dataset/`, prefix `bench`) inside a transaction that is rolled back at the
end (`--keep` commits it instead), requests each page `--repeat` times in-process with
Django's test client signed in as a scratch superuser, and prints the median and 95th
percentile wall time, this process's CPU time, and the time of the bare SQL — the
statements the summary (or the overview's grouped aggregate) issues, replayed on a cursor.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

# WhiteNoise warns when collectstatic has not run; the benchmark serves no static files.
warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from casereview.dashboards.overview import inspections_overview  # noqa: E402
from casereview.dashboards.summary import inspection_summary  # noqa: E402
from casereview.models import Case  # noqa: E402
from config.process import settle  # noqa: E402
from dataset import DatasetGenerator, default_framework  # noqa: E402
from inspection.models import Framework, Inspection  # noqa: E402

PREFIX = "bench"


class _Rollback(Exception):
    """Raised to undo the scratch dataset once measured."""


@dataclass
class Timing:
    label: str
    queries: int | None
    samples: list[float]
    cpu: list[float] | None = None  # this process's CPU time: steadier on a busy machine

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def cpu_median(self) -> float | None:
        return statistics.median(self.cpu) if self.cpu else None

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=60, help="cases of the dashboard")
    parser.add_argument("--inspections", type=int, default=200, help="for the overview")
    parser.add_argument("--cases-per-inspection", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=30, help="requests per page")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--keep", action="store_true", help="commit the scratch data instead of undoing it"
    )
    options = parser.parse_args(argv)
    if options.cases < 1 or options.repeat < 1 or options.inspections < 0:
        parser.error("--cases and --repeat must be at least 1, --inspections 0 or more")
    return options


def main(argv: list[str] | None = None) -> None:
    options = parse_arguments(argv)
    if Inspection.objects.filter(slug__startswith=f"{PREFIX}-").exists():
        raise SystemExit(f"Inspections starting {PREFIX}- exist already: remove them first")
    try:
        framework = default_framework()
    except LookupError as error:
        raise SystemExit(str(error)) from error
    try:
        with transaction.atomic():
            Bench().run(framework, options)
            if not options.keep:
                raise _Rollback
    except _Rollback:
        print("Scratch data rolled back.")
        if connection.vendor == "postgresql":
            # The rolled-back rows stay behind as dead tuples that slow the next
            # run's scans until autovacuum comes round; reclaim them now.
            with connection.cursor() as cursor:
                cursor.execute(
                    "VACUUM ANALYZE casereview_case, casereview_keyquestionanswer, "
                    "casereview_promptanswer"
                )


class Bench:
    def run(self, framework: Framework, options: argparse.Namespace) -> None:
        started = time.perf_counter()
        generator = DatasetGenerator(framework=framework, prefix=PREFIX, seed=options.seed)
        admin = get_user_model().objects.create_superuser(f"{PREFIX}-admin", password=None)
        # The measured dashboard first, answered in full; then the overview's inspections,
        # whose prompts it never reads.
        generator.generate(1, options.cases, rate_domain_one=True)
        others = options.inspections
        if others:
            generator.generate(
                others, options.cases_per_inspection, first=2, prompts=False, rate_domain_one=True
            )
        dashboard = Inspection.objects.get(slug=f"{PREFIX}-001")
        if connection.vendor == "postgresql":
            # Fresh planner statistics, as autovacuum would have gathered in service.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE casereview_case, casereview_keyquestionanswer")
                cursor.execute("ANALYZE casereview_promptanswer, inspection_inspection")
        print(
            f"Scratch data on {connection.vendor}: dashboard inspection of "
            f"{options.cases} cases; {others} more inspections of "
            f"{options.cases_per_inspection} cases "
            f"(built in {time.perf_counter() - started:.1f} s)."
        )
        total_inspections = Inspection.objects.count()
        total_cases = Case.objects.count()

        host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*"), "localhost")
        client = Client(HTTP_HOST=host)
        client.force_login(admin)
        repeat = options.repeat
        dashboard_url = reverse("casereview:inspection-dashboard", args=[dashboard.slug])
        summary_url = reverse("casereview:summary-json", args=[dashboard.slug])
        overview_url = reverse("casereview:overview")
        fragment = {"headers": {"X-Dashboard-Fragment": "figures"}}
        pages = [
            (f"inspection dashboard ({options.cases} cases)", dashboard_url, {}),
            ("dashboard figures (live refresh)", dashboard_url, fragment),
            (
                "dashboard filtered (community, high RoSH)",
                f"{dashboard_url}?case_type=community&rosh=high",
                {},
            ),
            (f"summary.json ({options.cases} cases)", summary_url, {}),
            (
                f"overview ({total_inspections} inspections, {total_cases} cases)",
                overview_url,
                {},
            ),
        ]
        timings = [self.time_page(client, label, url, extra, repeat) for label, url, extra in pages]

        overview_sql = self.capture(
            lambda: inspections_overview(inspections=Inspection.objects.all(), user=None)
        )
        grouped_sql = [s for s in overview_sql if "GROUP BY" in s[0].upper()][:1]
        timings += self.against_bare_sql(
            lambda: inspection_summary(inspection=dashboard),
            repeat,
            every="bare SQL: every summary statement",
            aggregates="bare SQL: the summary's aggregates",
            alone="inspection_summary() selector alone",
            is_aggregate=lambda sql: "COUNT(" in sql,
        )
        timings += [
            Timing(
                "bare SQL: the overview's grouped answer aggregate",
                1,
                self.replay(grouped_sql, repeat),
            ),
        ]
        self.report(timings)

    def against_bare_sql(
        self,
        call: Callable,
        repeat: int,
        *,
        every: str,
        aggregates: str,
        alone: str,
        is_aggregate: Callable[[str], bool],
    ) -> list[Timing]:
        """A selector side by side with its own statements replayed on a cursor: all of
        them, the aggregates among them, and the selector called on its own."""
        statements = self.capture(call)
        chosen = [s for s in statements if is_aggregate(s[0].upper())]
        return [
            Timing(
                f"{every} ({len(statements)})", len(statements), self.replay(statements, repeat)
            ),
            Timing(f"{aggregates} ({len(chosen)})", len(chosen), self.replay(chosen, repeat)),
            Timing(alone, len(statements), self.time_call(call, repeat)),
        ]

    def time_page(self, client: Client, label: str, url: str, extra: dict, repeat: int) -> Timing:
        for _ in range(3):  # warm caches, compiled templates and the connection
            response = client.get(url, **extra)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
        settle()  # as the server does once loaded (`config.process`)
        queries = self.capture(lambda: client.get(url, **extra))
        samples, cpu = [], []
        for _ in range(repeat):
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url, **extra)
            if hasattr(response, "content"):
                response.content  # noqa: B018 - rendered in full, as a server would
            samples.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        return Timing(label, len(queries), samples, cpu)

    @staticmethod
    def time_call(call: Callable, repeat: int) -> list[float]:
        call()
        samples = []
        for _ in range(repeat):
            started = time.perf_counter()
            call()
            samples.append((time.perf_counter() - started) * 1000)
        return samples

    @staticmethod
    def capture(call: Callable) -> list[tuple[str, tuple]]:
        """The statements a call sends to the database, with their parameters."""
        statements = []

        def record(execute, sql, params, many, context):
            statements.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            call()
        return statements

    @staticmethod
    def replay(statements: list[tuple[str, tuple]], repeat: int) -> list[float]:
        def run():
            with connection.cursor() as cursor:
                for sql, params in statements:
                    cursor.execute(sql, params)
                    cursor.fetchall()

        return Bench.time_call(run, repeat)

    def report(self, timings: list[Timing]) -> None:
        width = max(len(timing.label) for timing in timings)
        print(f"{'':{width}}  queries  median ms   p95 ms  cpu ms")
        for timing in timings:
            queries = "" if timing.queries is None else str(timing.queries)
            cpu = "" if timing.cpu_median is None else f"{timing.cpu_median:6.1f}"
            print(
                f"{timing.label:{width}}  {queries:>7}  {timing.median:9.1f}  {timing.p95:7.1f}"
                f"  {cpu:>6}"
            )
        by_label = {timing.label.split(" (")[0]: timing for timing in timings}
        summary = by_label.get("summary.json")
        bare = next(t for t in timings if t.label.startswith("bare SQL: every summary"))
        if summary and bare.median:
            print(f"summary.json / bare summary SQL: {summary.median / bare.median:.1f}x")


if __name__ == "__main__":
    main()
