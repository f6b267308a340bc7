"""Time a set dashboard over many inspections against the bare SQL of its aggregates.

    .venv/bin/python -m bench.sets --inspections 200 --cases-per-inspection 50

Builds the scratch data with the one generator (`dataset/`, prefix `bench`), prompts
answered, commits and analyses it (as a deployment's data is read) and removes it at
the end. In between, with `bench.dashboard`'s timing and replay machinery, it requests
the national set's four dashboard pages (figures, breakdowns, PDU comparison, trends), a saved
set's figures and the national summary.json `--repeat` times, signed in as a scratch
superuser, each followed at once by the aggregate statements that page itself issues
replayed on a cursor (its bare SQL), round by round across the pages; times
`set_summary` beside its own statements; and measures the set workbook's peak memory
growth (tracemalloc) while it is streamed.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from bench.dashboard import PREFIX, Bench, Timing  # sets up Django
from casereview.dashboards.sets import InspectionSet, set_summary
from casereview.models import Case, KeyQuestionAnswer, SavedSet
from config.process import settle
from dataset import DatasetGenerator, default_framework
from inspection.models import Inspection


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inspections", type=int, default=200)
    parser.add_argument("--cases-per-inspection", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=15, help="requests per page")
    parser.add_argument("--seed", type=int, default=2024)
    options = parser.parse_args(argv)
    if options.inspections < 1 or options.repeat < 1:
        parser.error("--inspections and --repeat must be at least 1")
    return options


TABLES = (
    "casereview_case, casereview_keyquestionanswer, casereview_promptanswer, "
    "inspection_inspection, casereview_savedset_inspections"
)


def main(argv: list[str] | None = None) -> None:
    options = parse_arguments(argv)
    if Inspection.objects.filter(slug__startswith=f"{PREFIX}-").exists():
        raise SystemExit(f"Inspections starting {PREFIX}- exist already: remove them first")
    generator = DatasetGenerator(framework=default_framework(), prefix=PREFIX, seed=options.seed)
    try:
        run(options, generator)
    finally:
        # Committed, then removed: read as a deployment reads its data (committed and
        # analysed), not through one open transaction's own uncommitted rows.
        with transaction.atomic():
            SavedSet.objects.filter(slug=f"{PREFIX}-set").delete()
            generator.delete_existing()
        _analyse("VACUUM ANALYZE")
        print("Scratch data removed.")


def _analyse(command: str) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"{command} {TABLES}")
        else:
            cursor.execute("ANALYZE")


def run(options: argparse.Namespace, generator: DatasetGenerator) -> None:
    started = time.perf_counter()
    with transaction.atomic():
        admin = get_user_model().objects.create_superuser(f"{PREFIX}-admin", password=None)
        generator.generate(options.inspections, options.cases_per_inspection, rate_domain_one=True)
        chosen = Inspection.objects.filter(slug__startswith=f"{PREFIX}-")
        saved = SavedSet.objects.create(slug=f"{PREFIX}-set", name="Every scratch inspection")
        saved.inspections.set(chosen)
    _analyse("VACUUM ANALYZE")
    cases = Case.objects.filter(inspection__in=chosen).count()
    answers = KeyQuestionAnswer.objects.filter(case__inspection__in=chosen).count()
    print(
        f"Scratch data on {connection.vendor}: {chosen.count()} inspections, {cases} cases, "
        f"{answers} key-question answers (built in {time.perf_counter() - started:.1f} s)."
    )

    bench = Bench()
    host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*"), "localhost")
    client = Client(HTTP_HOST=host)
    client.force_login(admin)
    repeat = options.repeat
    slug = saved.slug
    pages = [
        ("set dashboard: figures (the nation)", reverse("casereview:set-dashboard")),
        ("set dashboard: breakdowns", reverse("casereview:set-breakdowns")),
        ("set dashboard: PDU comparison", reverse("casereview:set-pdus")),
        ("set dashboard: trends", reverse("casereview:set-trends")),
        ("saved set dashboard: figures", reverse("casereview:saved-set-dashboard", args=[slug])),
        ("set summary.json (the nation)", reverse("casereview:set-summary-json")),
    ]

    def is_aggregate(sql: str) -> bool:
        return "GROUP BY" in sql or "COUNT(" in sql

    # Each page's own aggregates (set_summary's, and the prompts', the breakdowns' or the
    # filter options' where the page shows them), replayed as the page issued them: its
    # bare SQL, timed beside the page itself round by round.
    bare_sql = {
        label: [
            statement
            for statement in bench.capture(lambda url=url: client.get(url))
            if is_aggregate(statement[0].upper())
        ]
        for label, url in pages
    }
    timings, bare = side_by_side(bench, client, pages, bare_sql, repeat)
    nation = InspectionSet(title="National", inspections=Inspection.objects.all())
    timings += bench.against_bare_sql(
        lambda: set_summary(inspection_set=nation, user=admin),
        repeat,
        every="bare SQL: every summary statement of set_summary",
        aggregates="bare SQL: its aggregates",
        alone="set_summary() selector alone",
        is_aggregate=is_aggregate,
    )
    bench.report(timings + bare)
    print(
        "\n".join(
            f"{page.label} / its bare SQL: {page.median / sql.median:.1f}x"
            for page, sql in zip(timings, bare, strict=False)
        )
    )

    url = reverse("casereview:set-workbook")
    client.get(url)  # warm
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    response = client.get(url)
    streamed: Iterable[bytes] = response.streaming_content  # type: ignore[attr-defined]
    size = 0
    for chunk in streamed:
        size += len(chunk)
    peak = tracemalloc.get_traced_memory()[1] - before
    tracemalloc.stop()
    print(f"set workbook: {size / 1e6:.2f} MB streamed, peak memory growth {peak / 1e6:.1f} MB")


def side_by_side(
    bench: Bench,
    client: Client,
    pages: list[tuple[str, str]],
    bare_sql: dict[str, list[tuple[str, tuple]]],
    repeat: int,
) -> tuple[list[Timing], list[Timing]]:
    """Each page and its bare SQL, round by round: in each round every page is requested
    once, then its statements replayed at once, so that a busy moment of a shared
    machine falls alike on every page and on the SQL it is held against."""
    queries = {}
    for label, url in pages:
        for _ in range(3):  # warm caches, compiled templates and the connection
            status = client.get(url).status_code
            if status != 200:
                raise SystemExit(f"{url} answered {status}")
        queries[label] = len(bench.capture(lambda url=url: client.get(url)))
    settle()  # as the server does once loaded (`config.process`)
    wall: dict[str, list[float]] = {label: [] for label, _ in pages}
    cpu: dict[str, list[float]] = {label: [] for label, _ in pages}
    sql: dict[str, list[float]] = {label: [] for label, _ in pages}
    for _ in range(repeat):
        for label, url in pages:
            started, cpu_started = time.perf_counter(), time.process_time()
            client.get(url).content  # noqa: B018 - rendered in full, as a server would
            wall[label].append((time.perf_counter() - started) * 1000)
            cpu[label].append((time.process_time() - cpu_started) * 1000)
            started = time.perf_counter()
            with connection.cursor() as cursor:
                for statement, params in bare_sql[label]:
                    cursor.execute(statement, params)
                    cursor.fetchall()
            sql[label].append((time.perf_counter() - started) * 1000)
    return (
        [Timing(label, queries[label], wall[label], cpu[label]) for label, _ in pages],
        [
            Timing(
                f"bare SQL of {label.split(' (')[0]} ({len(bare_sql[label])})",
                len(bare_sql[label]),
                sql[label],
            )
            for label, _ in pages
        ],
    )


if __name__ == "__main__":
    main()
