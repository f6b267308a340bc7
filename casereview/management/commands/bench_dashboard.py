"""Measure the dashboards' server time on a scratch dataset of a chosen size.

    python manage.py bench_dashboard --cases 60 --inspections 200 --cases-per-inspection 50

Builds one inspection of `--cases` cases (with prompt answers) for the inspection
dashboard and `summary.json`, and `--inspections` more for the overview, all inside a
transaction that is rolled back at the end (unless `--keep`), so the database is left
as it was. Each page is requested `--repeat` times in-process with Django's test
client, signed in as a scratch superuser; the median and 95th percentile include
middleware, session and template rendering. The bare SQL lines replay the exact
statements the summary (or the overview's grouped aggregate) issues, straight on a
cursor, for comparison.
"""

from __future__ import annotations

import datetime
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from casereview.models import (
    Answer,
    Case,
    CaseStatus,
    CaseType,
    Gender,
    KeyQuestionAnswer,
    Oversight,
    PromptAnswer,
    RiskOfSeriousHarm,
)
from casereview.overview import inspections_overview
from casereview.selectors import inspection_summary
from inspection.frameworks import DEFAULT_FRAMEWORK
from inspection.models import (
    Basis,
    DomainOneRating,
    Framework,
    Inspection,
    KeyQuestion,
    Prompt,
    Rating,
    Region,
    Standard,
    Unit,
)

PREFIX = "bench-"
BATCH = 5000
OFFICES = ["Central", "North", "South", "East", "West"]
ETHNICITIES = ["White", "Black", "Asian", "Mixed", "Other", ""]
GRADES = ["PO", "PSO", "PQiP"]
AGE_BANDS = ["18-25", "26-35", "36-49", "50+"]


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


def scratch_cases(
    *,
    inspection: Inspection,
    count: int,
    key_questions: list[KeyQuestion],
    prompts: list[Prompt] | None,
    rng: random.Random,
    inspectors: list | None = None,
    reference_prefix: str = "B",
) -> list[Case]:
    """Bulk-create `count` answered cases: mostly submitted, some moderated, a few open.

    Each inspection gets its own quality so that inspections land in different bands.
    """
    quality = rng.uniform(0.25, 0.9)
    cases = []
    for number in range(count):
        status = rng.choices(
            [CaseStatus.SUBMITTED, CaseStatus.MODERATED, CaseStatus.IN_PROGRESS],
            weights=[75, 15, 10],
        )[0]
        cases.append(
            Case(
                inspection=inspection,
                reference=f"{reference_prefix}{number:06d}",
                case_type=rng.choice([CaseType.COMMUNITY] * 3 + [CaseType.LICENCE] * 2),
                rosh=rng.choice(
                    [RiskOfSeriousHarm.LOW]
                    + [RiskOfSeriousHarm.MEDIUM] * 5
                    + [RiskOfSeriousHarm.HIGH] * 3
                    + [RiskOfSeriousHarm.VERY_HIGH]
                ),
                gender=rng.choice([Gender.MALE] * 8 + [Gender.FEMALE] * 2 + [Gender.OTHER]),
                ethnicity=rng.choice(ETHNICITIES),
                office=rng.choice(OFFICES),
                practitioner_grade=rng.choice(GRADES),
                age_band=rng.choice(AGE_BANDS),
                sentence_start=datetime.date(2023, 4, 1) + datetime.timedelta(rng.randrange(180)),
                inspector=rng.choice(inspectors) if inspectors else None,
                status=status,
                version=1 + rng.randrange(5),
                oversight=rng.choice(list(Oversight.values)),
            )
        )
    Case.objects.bulk_create(cases, batch_size=BATCH)
    answers, prompt_answers = [], []
    for case in cases:
        for kq in key_questions:
            if kq.allows_not_applicable and rng.random() < 0.15:
                answer = Answer.NOT_APPLICABLE
            else:
                answer = Answer.YES if rng.random() < quality else Answer.NO
            answers.append(KeyQuestionAnswer(case=case, key_question=kq, answer=answer))
        for prompt in prompts or []:
            prompt_answers.append(
                PromptAnswer(
                    case=case,
                    prompt=prompt,
                    answer=rng.choice([Answer.YES, Answer.YES, Answer.NO, Answer.NOT_APPLICABLE]),
                )
            )
    KeyQuestionAnswer.objects.bulk_create(answers, batch_size=BATCH)
    PromptAnswer.objects.bulk_create(prompt_answers, batch_size=BATCH)
    return cases


def rate_domain_one(inspection: Inspection, standards: list[Standard], rng: random.Random):
    DomainOneRating.objects.bulk_create(
        DomainOneRating(inspection=inspection, standard=standard, rating=rng.choice(Rating.values))
        for standard in standards
    )


class Command(BaseCommand):
    help = "Time the inspection dashboard, summary.json and the overview on scratch data."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=60, help="cases of the dashboard")
        parser.add_argument("--inspections", type=int, default=200, help="for the overview")
        parser.add_argument("--cases-per-inspection", type=int, default=50)
        parser.add_argument("--repeat", type=int, default=30, help="requests per page")
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument(
            "--keep", action="store_true", help="commit the scratch data instead of undoing it"
        )

    def handle(self, *args, **options):
        if options["cases"] < 1 or options["repeat"] < 1 or options["inspections"] < 0:
            raise CommandError("--cases and --repeat must be at least 1, --inspections 0 or more")
        if Inspection.objects.filter(slug__startswith=PREFIX).exists():
            raise CommandError(f"Inspections starting {PREFIX!r} exist already: remove them first")
        framework = Framework.objects.filter(code=DEFAULT_FRAMEWORK).first()
        if framework is None:
            raise CommandError(f"Framework {DEFAULT_FRAMEWORK} is not loaded: run migrate")
        try:
            with transaction.atomic():
                self.run(framework, options)
                if not options["keep"]:
                    raise _Rollback
        except _Rollback:
            self.stdout.write("Scratch data rolled back.")
            if connection.vendor == "postgresql":
                # The rolled-back rows stay behind as dead tuples that slow the next
                # run's scans until autovacuum comes round; reclaim them now.
                with connection.cursor() as cursor:
                    cursor.execute(
                        "VACUUM ANALYZE casereview_case, casereview_keyquestionanswer, "
                        "casereview_promptanswer"
                    )

    def run(self, framework: Framework, options):
        rng = random.Random(options["seed"])
        started = time.perf_counter()
        key_questions = list(
            KeyQuestion.objects.filter(standard__framework=framework).order_by(
                "standard__order", "order"
            )
        )
        prompts = list(Prompt.objects.filter(key_question__standard__framework=framework))
        judged = list(Standard.objects.filter(framework=framework, basis=Basis.JUDGEMENT))
        user_model = get_user_model()
        admin = user_model.objects.create_superuser(f"{PREFIX}admin", password=None)
        inspectors = [
            user_model.objects.create_user(f"{PREFIX}inspector{n}", first_name=f"Inspector {n}")
            for n in range(4)
        ]
        regions = [Region.objects.create(name=f"{PREFIX}region {n}") for n in range(8)]

        def new_inspection(number: int) -> Inspection:
            unit = Unit.objects.create(
                name=f"{PREFIX}unit {number}", region=regions[number % len(regions)]
            )
            return Inspection.objects.create(
                slug=f"{PREFIX}{number}",
                unit=unit,
                framework=framework,
                fieldwork_start=datetime.date(2023, 1, 2) + datetime.timedelta(7 * number),
            )

        dashboard = new_inspection(0)
        scratch_cases(
            inspection=dashboard,
            count=options["cases"],
            key_questions=key_questions,
            prompts=prompts,
            rng=rng,
            inspectors=inspectors,
        )
        rate_domain_one(dashboard, judged, rng)
        others = options["inspections"]
        for number in range(1, others + 1):
            inspection = new_inspection(number)
            scratch_cases(
                inspection=inspection,
                count=options["cases_per_inspection"],
                key_questions=key_questions,
                prompts=None,
                rng=rng,
                inspectors=inspectors,
            )
            rate_domain_one(inspection, judged, rng)
        if connection.vendor == "postgresql":
            # Fresh planner statistics, as autovacuum would have gathered in service.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE casereview_case, casereview_keyquestionanswer")
                cursor.execute("ANALYZE casereview_promptanswer, inspection_inspection")
        self.stdout.write(
            f"Scratch data on {connection.vendor}: dashboard inspection of "
            f"{options['cases']} cases; {others} more inspections of "
            f"{options['cases_per_inspection']} cases "
            f"(built in {time.perf_counter() - started:.1f} s)."
        )
        total_inspections = Inspection.objects.count()
        total_cases = Case.objects.count()

        host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*"), "localhost")
        client = Client(HTTP_HOST=host)
        client.force_login(admin)
        repeat = options["repeat"]
        dashboard_url = reverse("casereview:inspection-dashboard", args=[dashboard.slug])
        summary_url = reverse("casereview:summary-json", args=[dashboard.slug])
        overview_url = reverse("casereview:overview")
        fragment = {"headers": {"X-Dashboard-Fragment": "figures"}}
        pages = [
            (f"inspection dashboard ({options['cases']} cases)", dashboard_url, {}),
            ("dashboard figures (live refresh)", dashboard_url, fragment),
            (
                "dashboard filtered (community, high RoSH)",
                f"{dashboard_url}?case_type=community&rosh=high",
                {},
            ),
            (f"summary.json ({options['cases']} cases)", summary_url, {}),
            (
                f"overview ({total_inspections} inspections, {total_cases} cases)",
                overview_url,
                {},
            ),
        ]
        timings = [self.time_page(client, label, url, extra, repeat) for label, url, extra in pages]

        summary_sql = self.capture(lambda: inspection_summary(inspection=dashboard))
        overview_sql = self.capture(
            lambda: inspections_overview(inspections=Inspection.objects.all(), user=None)
        )
        aggregate_sql = [s for s in summary_sql if "COUNT(" in s[0].upper()]
        grouped_sql = [s for s in overview_sql if "GROUP BY" in s[0].upper()][:1]
        timings += [
            Timing(
                f"bare SQL: every summary statement ({len(summary_sql)})",
                len(summary_sql),
                self.replay(summary_sql, repeat),
            ),
            Timing(
                f"bare SQL: the summary's aggregates ({len(aggregate_sql)})",
                len(aggregate_sql),
                self.replay(aggregate_sql, repeat),
            ),
            Timing(
                "inspection_summary() selector alone",
                len(summary_sql),
                self.time_call(lambda: inspection_summary(inspection=dashboard), repeat),
            ),
            Timing(
                "bare SQL: the overview's grouped answer aggregate",
                1,
                self.replay(grouped_sql, repeat),
            ),
        ]
        self.report(timings)

    def time_page(self, client: Client, label: str, url: str, extra: dict, repeat: int) -> Timing:
        for _ in range(3):  # warm caches, compiled templates and the connection
            response = client.get(url, **extra)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
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

        return Command.time_call(run, repeat)

    def report(self, timings: list[Timing]):
        width = max(len(timing.label) for timing in timings)
        self.stdout.write(f"{'':{width}}  queries  median ms   p95 ms  cpu ms")
        for timing in timings:
            queries = "" if timing.queries is None else str(timing.queries)
            cpu = "" if timing.cpu_median is None else f"{timing.cpu_median:6.1f}"
            self.stdout.write(
                f"{timing.label:{width}}  {queries:>7}  {timing.median:9.1f}  {timing.p95:7.1f}"
                f"  {cpu:>6}"
            )
        by_label = {timing.label.split(" (")[0]: timing for timing in timings}
        summary = by_label.get("summary.json")
        bare = next(t for t in timings if t.label.startswith("bare SQL: every summary"))
        if summary and bare.median:
            self.stdout.write(
                f"summary.json / bare summary SQL: {summary.median / bare.median:.1f}x"
            )
