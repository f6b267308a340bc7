"""The one generator of realistic case data: benchmarks, the load test, the fault scripts,
the tests and `manage.py generate_dataset` all build their data here.

Each inspection gets a unit, a lead and a team of inspectors, and a sample of cases
whose attributes follow the published reports' mix (about 60% community sentences,
mostly medium and high risk of serious harm, mostly men). Each inspection has its own
quality, and each lens its own offset, so the inspections land in different rating
bands. Rows are written with bulk inserts (`write_cases`); callers wrap a run in one
transaction, so that a run that fails or is interrupted leaves nothing behind.

Slugs and usernames start with the prefix; inspections that already exist are left as
they are (so a second run adds nothing), and `delete_existing` removes the prefix's data.
Every generated user has the same password (`DEFAULT_PASSWORD` unless given).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from casereview.models import (
    Answer,
    Case,
    CaseStatus,
    KeyQuestionAnswer,
    Oversight,
    PromptAnswer,
    RiskInformation,
    RiskOfSeriousHarm,
)
from dataset.mix import (
    AGE_BANDS,
    CASE_TYPE_WEIGHTS,
    ETHNICITIES,
    GENDERS,
    GRADES,
    LENS_OFFSET,
    NOTES,
    OVERSIGHT_NOTES,
    REGIONS,
    ROSH,
    STATUSES,
    TOWNS,
    weighted,
)
from inspection.frameworks import DEFAULT_FRAMEWORK
from inspection.models import (
    Basis,
    DomainOneRating,
    Framework,
    Inspection,
    InspectionStatus,
    KeyQuestion,
    Prompt,
    Rating,
    Region,
    Role,
    Standard,
    TeamMembership,
    Unit,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

DEFAULT_PASSWORD = "generated-password-2024"
CASES_PER_INSERT = 2000  # cases held in memory (with their ~60 answers each) per insert
ROWS_PER_BATCH = 5000


def default_framework() -> Framework:
    """The framework generated inspections use; the data migration loads it."""
    framework = Framework.objects.filter(code=DEFAULT_FRAMEWORK).first()
    if framework is None:
        raise LookupError(f"framework {DEFAULT_FRAMEWORK} is not loaded; run migrate")
    return framework


@dataclass
class Framework_:
    """The framework's questions, fetched once."""

    framework: Framework
    key_questions: list
    prompts_by_key_question: dict[int, list]
    rated_ids: set[int]
    # (code, weight) of its case types, and which key questions each answers
    case_types: list[tuple[str, int]]
    key_questions_by_type: dict[str, list]


@dataclass
class Totals:
    inspections: int = 0
    users: int = 0
    cases: int = 0
    key_question_answers: int = 0
    prompt_answers: int = 0


class DatasetGenerator:
    """Inspections, teams and cases for one prefix, reproducible from the seed.

    `generate` makes whole inspections with their teams; `add_cases` fills an inspection
    that exists already (a test's, say); `rate_domain_one` gives each judged standard a
    rating, as a lead would.
    """

    def __init__(
        self,
        *,
        framework: Framework,
        prefix: str,
        seed: int = 2024,
        password: str = DEFAULT_PASSWORD,
        team_size: int = 0,
    ):
        self.prefix = prefix
        self.rng = random.Random(seed)
        self.password_hash = make_password(password)  # hashed once: hashing is slow
        self.team_size = team_size
        key_questions = list(
            KeyQuestion.objects.of_framework(framework)
            .select_related("standard")
            .prefetch_related("standard__case_types")
        )
        case_types = [code for code, _ in framework.case_type_choices()]
        prompts: dict[int, list] = {kq.pk: [] for kq in key_questions}
        for prompt in Prompt.objects.of_framework(framework):
            prompts[prompt.key_question_id].append(prompt)
        self.framework = Framework_(
            framework=framework,
            key_questions=key_questions,
            prompts_by_key_question=prompts,
            rated_ids={kq.pk for kq in key_questions if kq.standard.basis == Basis.CASES},
            case_types=[(code, CASE_TYPE_WEIGHTS.get(code, 50)) for code in case_types],
            key_questions_by_type={
                code: [kq for kq in key_questions if kq.standard.applies_to(code)]
                for code in case_types
            },
        )
        self.now = timezone.now()

    # Deleting ---------------------------------------------------------------------

    def delete_existing(self) -> int:
        """Raw deletes: the ORM's cascade would load every row and write history for it."""
        User = get_user_model()
        inspections = Inspection.objects.filter(slug__startswith=f"{self.prefix}-")
        count = inspections.count()
        cases = Case.objects.filter(inspection__in=inspections)
        for model in (KeyQuestionAnswer, PromptAnswer):
            rows = model.objects.filter(case__in=cases)
            rows._raw_delete(rows.db)
            history = model.history.filter(case_id__in=cases.values("pk"))
            history._raw_delete(history.db)
        RiskInformation.history.filter(case_id__in=cases.values("pk")).delete()
        RiskInformation.objects.filter(case__in=cases).delete()
        history = Case.history.filter(inspection_id__in=inspections.values("pk"))
        history._raw_delete(history.db)
        cases._raw_delete(cases.db)
        TeamMembership.history.filter(inspection_id__in=inspections.values("pk")).delete()
        memberships = TeamMembership.objects.filter(inspection__in=inspections)
        memberships._raw_delete(memberships.db)
        units = list(inspections.values_list("unit_id", flat=True))
        inspections.delete()
        Unit.objects.filter(pk__in=units, inspections__isnull=True).delete()
        User.objects.filter(username__startswith=f"{self.prefix}-").delete()
        return count

    # Generating -------------------------------------------------------------------

    def generate(
        self,
        inspections: int,
        per_inspection: int,
        *,
        first: int = 1,
        prompts: bool = True,
        rate_domain_one: bool = False,
    ) -> Totals:
        """Inspections `prefix-001` on (from `first`), each with a team and its cases.

        `prompts=False` leaves the prompts unanswered (the overview never reads them, and
        they are three quarters of the rows); `rate_domain_one` rates the judged standards.
        """
        totals = Totals()
        slugs = [f"{self.prefix}-{number:03d}" for number in range(first, first + inspections)]
        existing = set(Inspection.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        wanted = [slug for slug in slugs if slug not in existing]
        if not wanted:
            return totals
        created = self.create_inspections(wanted)
        teams = self.create_teams(created, per_inspection)
        totals.inspections = len(created)
        totals.users = sum(len(team) + 1 for team in teams.values())

        pending: list[tuple[Case, dict]] = []
        for inspection in created:
            profile = self.inspection_profile()
            offices = self.rng.sample(TOWNS, k=3)
            for number in range(1, per_inspection + 1):
                pending.append(
                    self.make_case(
                        inspection, number, teams[inspection.pk], offices, profile, prompts
                    )
                )
                if len(pending) >= CASES_PER_INSERT:
                    write_cases(pending, totals)
                    pending = []
        if pending:
            write_cases(pending, totals)
        if rate_domain_one:
            self.rate_domain_one(created)
        return totals

    def add_cases(
        self, inspection: Inspection, count: int, *, team: list | None = None, prompts: bool = True
    ) -> list[Case]:
        """`count` more cases in an existing inspection, shared round `team` (or nobody's)."""
        profile = self.inspection_profile()
        offices = self.rng.sample(TOWNS, k=3)
        pending = [
            self.make_case(inspection, number, team or [], offices, profile, prompts)
            for number in range(1, count + 1)
        ]
        return write_cases(pending, Totals())

    def rate_domain_one(self, inspections: list[Inspection]) -> None:
        judged = list(
            Standard.objects.filter(framework=self.framework.framework, basis=Basis.JUDGEMENT)
        )
        DomainOneRating.objects.bulk_create(
            DomainOneRating(
                inspection=inspection, standard=standard, rating=self.rng.choice(Rating.values)
            )
            for inspection in inspections
            for standard in judged
        )

    def create_inspections(self, slugs: list[str]) -> list[Inspection]:
        regions = {region.name: region for region in Region.objects.filter(name__in=REGIONS)}
        missing = [Region(name=name) for name in REGIONS if name not in regions]
        if missing:
            Region.objects.bulk_create(missing)
            regions = {region.name: region for region in Region.objects.filter(name__in=REGIONS)}
        units = Unit.objects.bulk_create(
            [
                Unit(
                    name=f"{self.rng.choice(TOWNS)} PDU ({slug})",
                    region=regions[REGIONS[index % len(REGIONS)]],
                )
                for index, slug in enumerate(slugs)
            ]
        )
        inspections = []
        for slug, unit in zip(slugs, units, strict=True):
            start = self.now.date() - datetime.timedelta(days=self.rng.randint(0, 3 * 365))
            recent = (self.now.date() - start).days < 60
            inspections.append(
                Inspection(
                    slug=slug,
                    unit=unit,
                    framework=self.framework.framework,
                    fieldwork_start=start,
                    fieldwork_end=start + datetime.timedelta(days=9),
                    sample_start=start - datetime.timedelta(days=300),
                    sample_end=start - datetime.timedelta(days=240),
                    status=InspectionStatus.FIELDWORK if recent else InspectionStatus.COMPLETE,
                )
            )
        return Inspection.objects.bulk_create(inspections)

    def create_teams(self, inspections: list[Inspection], per_inspection: int) -> dict:
        User = get_user_model()
        size = self.team_size or min(12, max(2, round(per_inspection / 6)))
        users, roles = [], []
        for inspection in inspections:
            users.append(self.user(f"{inspection.slug}-lead", "Lead"))
            roles.append((inspection, Role.LEAD))
            for member in range(1, size + 1):
                users.append(self.user(f"{inspection.slug}-inspector-{member:02d}", "Inspector"))
                roles.append((inspection, Role.INSPECTOR))
        User.objects.bulk_create(users, batch_size=ROWS_PER_BATCH)
        # Fetch the keys back: not every database returns them from a bulk insert of users.
        by_name = {
            user.username: user
            for user in User.objects.filter(username__in=[user.username for user in users])
        }
        memberships = []
        teams: dict[int, list] = {inspection.pk: [] for inspection in inspections}
        for user, (inspection, role) in zip(users, roles, strict=True):
            saved = by_name[user.username]
            memberships.append(TeamMembership(inspection=inspection, user=saved, role=role))
            if role == Role.INSPECTOR:
                teams[inspection.pk].append(saved)
        TeamMembership.objects.bulk_create(memberships, batch_size=ROWS_PER_BATCH)
        return teams

    def user(self, username: str, first_name: str) -> User:
        User = get_user_model()
        return User(
            username=username,
            first_name=first_name,
            last_name=username.rsplit("-", 1)[-1].title(),
            password=self.password_hash,
        )

    def inspection_profile(self) -> dict:
        """How good this unit's work is: a base Yes rate with a jitter per standard."""
        base = self.rng.uniform(0.30, 0.92)
        return {
            "base": base,
            "standard": {
                kq.standard_id: self.rng.uniform(-0.06, 0.06) for kq in self.framework.key_questions
            },
            "oversight_effective": max(0.05, min(0.9, base - 0.2)),
        }

    def make_case(
        self,
        inspection: Inspection,
        number: int,
        team: list,
        offices: list[str],
        profile: dict,
        prompts: bool = True,
    ) -> tuple[Case, dict]:
        rng = self.rng
        status = weighted(rng, STATUSES)
        started = status != "not_started"
        if not started:
            status = CaseStatus.IN_PROGRESS
        counted = status in (CaseStatus.SUBMITTED, CaseStatus.MODERATED)
        rosh = weighted(rng, ROSH)
        sample_start = inspection.sample_start or (
            inspection.fieldwork_start - datetime.timedelta(days=300)
        )
        case = Case(
            inspection=inspection,
            reference=f"{inspection.slug.upper()}-{number:05d}",
            case_type=weighted(rng, self.framework.case_types),
            rosh=rosh,
            gender=weighted(rng, GENDERS),
            ethnicity=weighted(rng, ETHNICITIES),
            office=rng.choice(offices),
            practitioner_grade=weighted(rng, GRADES),
            age_band=weighted(rng, AGE_BANDS),
            sentence_start=sample_start + datetime.timedelta(days=rng.randint(0, 60)),
            inspector=team[(number - 1) % len(team)] if team else None,
            status=status,
            version=rng.randint(6, 14) if counted else (rng.randint(1, 6) if started else 0),
            submitted_at=self.now - datetime.timedelta(days=rng.randint(0, 30))
            if counted
            else None,
            return_reason="Evidence notes for 2.3 need more detail."
            if status == CaseStatus.RETURNED
            else "",
        )
        answers: dict[str, list] = {"key_questions": [], "prompts": []}
        if not started:
            return case, answers
        if counted or rng.random() < 0.7:
            required = self.oversight_required(rosh)
            case.oversight = self.oversight(profile) if required else Oversight.NOT_REQUIRED
            case.oversight_note = rng.choice(OVERSIGHT_NOTES)
        quality = rng.gauss(0, 0.12)  # some cases are better handled than others
        # An unfinished case has its first sections answered, the rest still empty.
        key_questions = self.framework.key_questions_by_type[case.case_type]
        answered = len(key_questions)
        if not counted:
            answered = rng.randint(3, answered)
        for position, key_question in enumerate(key_questions):
            if position >= answered:
                break
            value = self.key_question_answer(key_question, profile, quality)
            answers["key_questions"].append(
                KeyQuestionAnswer(
                    key_question=key_question,
                    answer=value,
                    note=rng.choice(NOTES) if value else "",
                )
            )
            if not prompts:
                continue
            for prompt in self.framework.prompts_by_key_question[key_question.pk]:
                answers["prompts"].append(
                    PromptAnswer(prompt=prompt, answer=self.prompt_answer(value))
                )
        return case, answers

    def oversight_required(self, rosh: str) -> bool:
        return rosh != RiskOfSeriousHarm.LOW or self.rng.random() < 0.5

    def oversight(self, profile: dict) -> str:
        if self.rng.random() < profile["oversight_effective"]:
            return Oversight.EFFECTIVE
        return Oversight.INEFFECTIVE if self.rng.random() < 0.55 else Oversight.ABSENT

    def key_question_answer(self, key_question: KeyQuestion, profile: dict, quality: float) -> str:
        rng = self.rng
        if key_question.allows_not_applicable:
            not_applicable = 0.4 if key_question.standard.basis == Basis.REPORTED else 0.1
            if rng.random() < not_applicable:
                return Answer.NOT_APPLICABLE
        rate = (
            profile["base"]
            + LENS_OFFSET.get(key_question.lens, 0.0)
            + profile["standard"][key_question.standard_id]
            + quality
        )
        return Answer.YES if rng.random() < rate else Answer.NO

    def prompt_answer(self, key_question_answer: str) -> str:
        """Prompts inform the judgement: mostly Yes beside a Yes, mostly No beside a No."""
        if key_question_answer == Answer.NOT_APPLICABLE:
            return Answer.NOT_APPLICABLE
        chance = 0.85 if key_question_answer == Answer.YES else 0.35
        return Answer.YES if self.rng.random() < chance else Answer.NO


def write_cases(pending: list[tuple[Case, dict]], totals: Totals | None = None) -> list[Case]:
    """Bulk-insert cases with their answers: `answers` holds unsaved `KeyQuestionAnswer`s
    under "key_questions" and `PromptAnswer`s under "prompts", their case not yet set."""
    totals = totals if totals is not None else Totals()
    cases = Case.objects.bulk_create([case for case, _ in pending], batch_size=ROWS_PER_BATCH)
    key_question_answers, prompt_answers = [], []
    for case, (_, answers) in zip(cases, pending, strict=True):
        for answer in answers.get("key_questions", []):
            answer.case = case
            key_question_answers.append(answer)
        for answer in answers.get("prompts", []):
            answer.case = case
            prompt_answers.append(answer)
    KeyQuestionAnswer.objects.bulk_create(key_question_answers, batch_size=ROWS_PER_BATCH)
    PromptAnswer.objects.bulk_create(prompt_answers, batch_size=ROWS_PER_BATCH)
    totals.cases += len(cases)
    totals.key_question_answers += len(key_question_answers)
    totals.prompt_answers += len(prompt_answers)
    return cases
