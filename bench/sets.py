"""Time a set dashboard over many inspections against the bare SQL of its aggregates.

    .venv/bin/python -m bench.sets --inspections 200 --cases-per-inspection 50

Builds the scratch data with the one generator (`dataset/`, prefix `bench`), prompts
answered, inside a transaction rolled back at the end (as `bench.dashboard` does, whose
timing and replay machinery this reuses), then requests the national set's dashboard,
its summary.json and a saved set's dashboard `--repeat` times signed in as a scratch
superuser; replays on a cursor, side by side, the statements `set_summary` issues and
the aggregate statements the dashboard itself issues (its bare SQL); and measures the
set workbook's peak memory growth (tracemalloc) while it is streamed.
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

from bench.dashboard import PREFIX, Bench, Timing, _Rollback  # sets up Django
from casereview.dashboards.sets import InspectionSet, set_summary
from casereview.models import Case, KeyQuestionAnswer, SavedSet
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


def main(argv: list[str] | None = None) -> None:
    options = parse_arguments(argv)
    if Inspection.objects.filter(slug__startswith=f"{PREFIX}-").exists():
        raise SystemExit(f"Inspections starting {PREFIX}- exist already: remove them first")
    try:
        with transaction.atomic():
            run(options)
            raise _Rollback
    except _Rollback:
        print("Scratch data rolled back.")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "VACUUM ANALYZE casereview_case, casereview_keyquestionanswer, "
                    "casereview_promptanswer"
                )


def run(options: argparse.Namespace) -> None:
    started = time.perf_counter()
    generator = DatasetGenerator(framework=default_framework(), prefix=PREFIX, seed=options.seed)
    admin = get_user_model().objects.create_superuser(f"{PREFIX}-admin", password=None)
    generator.generate(options.inspections, options.cases_per_inspection, rate_domain_one=True)
    chosen = Inspection.objects.filter(slug__startswith=f"{PREFIX}-")
    saved = SavedSet.objects.create(slug=f"{PREFIX}-set", name="Every scratch inspection")
    saved.inspections.set(chosen)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE casereview_case, casereview_keyquestionanswer")
            cursor.execute("ANALYZE casereview_promptanswer, inspection_inspection")
            cursor.execute("ANALYZE casereview_savedset_inspections")
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
    pages = [
        ("set dashboard (the nation)", reverse("casereview:set-dashboard")),
        ("set summary.json (the nation)", reverse("casereview:set-summary-json")),
        ("saved set dashboard", reverse("casereview:saved-set-dashboard", args=[saved.slug])),
    ]
    timings = [bench.time_page(client, label, url, {}, repeat) for label, url in pages]

    def is_aggregate(sql: str) -> bool:
        return "GROUP BY" in sql or "COUNT(" in sql

    nation = InspectionSet(title="National", inspections=Inspection.objects.all())
    timings += bench.against_bare_sql(
        lambda: set_summary(inspection_set=nation, user=admin),
        repeat,
        every="bare SQL: every summary statement of set_summary",
        aggregates="bare SQL: its aggregates",
        alone="set_summary() selector alone",
        is_aggregate=is_aggregate,
    )
    # The dashboard's own aggregates (set_summary's, the prompts', the breakdowns', the
    # filter options'), replayed as the page issued them: its bare SQL.
    dashboard_url = pages[0][1]
    page_aggregates = [
        statement
        for statement in bench.capture(lambda: client.get(dashboard_url))
        if is_aggregate(statement[0].upper())
    ]
    page_bare = Timing(
        f"bare SQL: the dashboard's aggregates ({len(page_aggregates)})",
        len(page_aggregates),
        bench.replay(page_aggregates, repeat),
    )
    timings.append(page_bare)
    bench.report(timings)
    summary_json, bare = timings[1], timings[3]
    print(f"set summary.json / bare set_summary SQL: {summary_json.median / bare.median:.1f}x")
    print(f"set dashboard / bare set_summary SQL: {timings[0].median / bare.median:.1f}x")
    print(
        "set dashboard / bare SQL of the dashboard's aggregates: "
        f"{timings[0].median / page_bare.median:.1f}x"
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


if __name__ == "__main__":
    main()
