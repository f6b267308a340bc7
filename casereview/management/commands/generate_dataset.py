"""Generate inspections full of realistic cases, for benchmarks and load tests.

    python manage.py generate_dataset --inspections 200 --cases-per-inspection 50

The data comes from the repository's one generator (`dataset/`, see its docstring):
this command is its command-line face, writing everything in one transaction so that
a run that fails or is interrupted leaves nothing behind. Slugs and usernames start
with `--prefix`; inspections that already exist are left as they are (so a second
run adds nothing), and `--replace` deletes the prefix's data first. Every generated
user has the password given by `--password`.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Generate inspections with teams and realistic cases (bulk inserts, one transaction)."

    def add_arguments(self, parser):
        parser.add_argument("--inspections", type=int, default=10)
        parser.add_argument("--cases-per-inspection", type=int, default=50)
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument(
            "--prefix", default="gen", help="slug and username prefix (default gen)"
        )
        parser.add_argument("--replace", action="store_true", help="delete the prefix's data first")
        parser.add_argument(
            "--inspectors-per-inspection",
            type=int,
            default=0,
            help="team size; default one inspector per six cases, 2 to 12",
        )
        parser.add_argument(
            "--password", help="every generated user's password (default dataset.DEFAULT_PASSWORD)"
        )

    def handle(self, *args, **options):
        try:
            from dataset import DEFAULT_PASSWORD, DatasetGenerator, default_framework
        except ImportError as error:
            raise CommandError(
                "generate_dataset needs the repository's dataset/ package: run it from a checkout"
            ) from error

        inspections, per_inspection = options["inspections"], options["cases_per_inspection"]
        prefix = options["prefix"].strip().lower()
        if inspections < 1 or per_inspection < 1:
            raise CommandError("--inspections and --cases-per-inspection must be at least 1")
        if not prefix or not prefix.replace("-", "").isalnum():
            raise CommandError("--prefix must be letters, digits and hyphens")
        try:
            framework = default_framework()
        except LookupError as error:
            raise CommandError(str(error)) from error

        started = time.perf_counter()
        generator = DatasetGenerator(
            framework=framework,
            prefix=prefix,
            seed=options["seed"],
            password=options["password"] or DEFAULT_PASSWORD,
            team_size=options["inspectors_per_inspection"],
        )
        with transaction.atomic():
            if options["replace"]:
                deleted = generator.delete_existing()
                if deleted:
                    self.stdout.write(f"Deleted {deleted} inspections with prefix {prefix}")
            totals = generator.generate(inspections, per_inspection)
        seconds = time.perf_counter() - started
        skipped = inspections - totals.inspections
        self.stdout.write(
            f"Created {totals.inspections} inspections, {totals.users} users, "
            f"{totals.cases} cases, {totals.key_question_answers} key question answers and "
            f"{totals.prompt_answers} prompt answers in {seconds:.1f} s"
            + (f" ({skipped} inspections already existed)" if skipped else "")
        )
