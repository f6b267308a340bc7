"""The case evidence: sampled cases, their answers, and management oversight.

Cases carry an anonymised reference only, never the name of the person on probation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from simple_history.models import HistoricalRecords

from inspection.models import CaseType, Inspection, KeyQuestion, Prompt, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class ChangeAttribution:
    """Who made a change and why, set on an instance before it is saved: simple-history
    reads both into the history row. Declared only, so an unset one stays unset."""

    _history_user: AbstractBaseUser | AnonymousUser | None
    _change_reason: str


class RiskOfSeriousHarm(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


class Gender(models.TextChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"
    OTHER = "other", "Other"
    NOT_RECORDED = "not_recorded", "Not recorded"


class CaseStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned"
    MODERATED = "moderated", "Moderated"


class CaseProgress(models.TextChoices):
    """A case's progress as people see it: its status, except that an in-progress case
    whose answers were never saved (still version 0) is "Not started". The one
    definition the progress counts, the My cases filter and the status tag read."""

    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned"
    MODERATED = "moderated", "Moderated"

    @classmethod
    def of(cls, case: Case) -> CaseProgress:
        if case.status == CaseStatus.IN_PROGRESS and case.version == 0:
            return cls.NOT_STARTED
        return cls(case.status)

    def condition(self) -> Q:
        """The cases in this state, as a filter (`of` in the database)."""
        if self == CaseProgress.NOT_STARTED:
            return Q(status=CaseStatus.IN_PROGRESS, version=0)
        if self == CaseProgress.IN_PROGRESS:
            return Q(status=CaseStatus.IN_PROGRESS, version__gt=0)
        return Q(status=self.value)

    @classmethod
    def counts(cls) -> dict[str, models.Count]:
        """One count per state, named by its value, for `aggregate()` or `annotate()`."""
        return {state.value: models.Count("pk", filter=state.condition()) for state in cls}


# Only these count towards the figures: the methodology rates submitted cases.
COUNTED_STATUSES = (CaseStatus.SUBMITTED, CaseStatus.MODERATED)
EDITABLE_STATUSES = (CaseStatus.IN_PROGRESS, CaseStatus.RETURNED)


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_APPLICABLE = "na", "Not applicable"


class Oversight(models.TextChoices):
    EFFECTIVE = "effective", "Effective"
    INEFFECTIVE = "ineffective", "Ineffective"
    ABSENT = "absent", "Absent"
    NOT_REQUIRED = "not_required", "Not required"


class CaseQuerySet(models.QuerySet):
    def counted(self) -> CaseQuerySet:
        return self.filter(status__in=COUNTED_STATUSES)

    def with_case_type_label(self) -> CaseQuerySet:
        """Each case's `case_type_label` read in the same query (for lists of cases)."""
        label = CaseType.objects.filter(
            framework_id=OuterRef("inspection__framework_id"), code=OuterRef("case_type")
        ).values("label")[:1]
        return self.annotate(_case_type_label=Subquery(label))

    def visible_to(self, user) -> CaseQuerySet:
        """Cases of inspections the user is on the team of (viewers see no cases)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(inspection__memberships__user=user)

    def editable_by(self, user) -> CaseQuerySet:
        """A lead edits every open case of their inspection; an inspector their own."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        editable = self.filter(status__in=EDITABLE_STATUSES)
        if user.is_superuser:
            return editable
        return editable.filter(
            Q(inspection__memberships__user=user, inspection__memberships__role=Role.LEAD)
            | Q(inspector=user, inspection__memberships__user=user)
        ).distinct()

    def assigned_to(self, user) -> CaseQuerySet:
        return self.filter(inspector=user, inspection__memberships__user=user).distinct()

    def moderated(self) -> CaseQuerySet:
        return self.filter(status=CaseStatus.MODERATED)

    def in_progress_state(self, progress: CaseProgress) -> CaseQuerySet:
        return self.filter(progress.condition())

    def countable_by(self, user) -> CaseQuerySet:
        """The cases whose answers may count in a figure `user` sees (None: the system).
        Read through `dashboards.summary.countable_cases`, the one source of every figure."""
        return self.all() if user is None else self.without_pending_second_marking_by(user)

    def without_pending_second_marking_by(self, user) -> CaseQuerySet:
        """Leave out the cases `user` is second-marking: they answer blind, so the first
        answers stay hidden from them until their marking is submitted."""
        if not user.is_authenticated:
            return self
        pending = SecondMarking.objects.filter(
            inspector=user, status=SecondMarkingStatus.PENDING
        ).values("case_id")
        return self.exclude(pk__in=pending)


class Case(ChangeAttribution, models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(
        max_length=40,
        help_text="An anonymised case reference. Never the name of the person on probation.",
    )
    # One of the codes of the inspection's framework's case types (inspection.CaseType);
    # it decides which standards the case answers (Standard.applies_to).
    case_type = models.CharField(max_length=20)
    rosh = models.CharField(
        "risk of serious harm", max_length=10, choices=RiskOfSeriousHarm.choices
    )
    gender = models.CharField(
        max_length=12, choices=Gender.choices, default=Gender.NOT_RECORDED, blank=True
    )
    ethnicity = models.CharField(max_length=60, blank=True)
    office = models.CharField("office or team", max_length=60, blank=True)
    practitioner_grade = models.CharField(max_length=20, blank=True, help_text="PO, PSO or PQiP")
    age_band = models.CharField(max_length=20, blank=True)
    sentence_start = models.DateField("sentence or licence start", null=True, blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    status = models.CharField(
        max_length=12, choices=CaseStatus.choices, default=CaseStatus.IN_PROGRESS
    )
    # Every save of the case's answers bumps the version; a save based on an older
    # version is refused, so concurrent edits never silently overwrite each other.
    version = models.PositiveIntegerField(default=0)
    oversight = models.CharField(
        "management oversight", max_length=12, choices=Oversight.choices, blank=True
    )
    oversight_note = models.TextField("management oversight note", blank=True)
    return_reason = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()
    # The case type's label where `with_case_type_label` annotated it; declared only.
    _case_type_label: str | None

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["inspection", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "reference"], name="unique_case_reference"
            ),
        ]
        indexes = [models.Index(fields=["inspection", "status"])]

    def __str__(self) -> str:
        return f"{self.inspection.slug} {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("casereview:case-detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.inspection_id is None or not self.case_type:
            return
        choices = dict(self.inspection.framework.case_type_choices())
        if self.case_type not in choices:
            listed = ", ".join(f"{code} ({label})" for code, label in choices.items())
            raise ValidationError(
                {
                    "case_type": f"Choose a case type of framework "
                    f"{self.inspection.framework.code}: {listed}"
                }
            )

    @property
    def case_type_label(self) -> str:
        """The case type as its framework words it (annotated by `with_case_type_label`
        on lists, read here for one case)."""
        label = getattr(self, "_case_type_label", None)
        if label is None:
            label = (
                CaseType.objects.filter(
                    framework_id=self.inspection.framework_id, code=self.case_type
                )
                .values_list("label", flat=True)
                .first()
            )
        return label or self.case_type

    @property
    def is_counted(self) -> bool:
        return self.status in COUNTED_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def progress(self) -> CaseProgress:
        return CaseProgress.of(self)

    @property
    def is_not_started(self) -> bool:
        return self.progress == CaseProgress.NOT_STARTED

    @property
    def display_status(self) -> str:
        return self.progress.label


class KeyQuestionAnswer(ChangeAttribution, models.Model):
    """The inspector's holistic judgement on one key question for one case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="key_question_answers")
    key_question = models.ForeignKey(KeyQuestion, on_delete=models.PROTECT, related_name="answers")
    answer = models.CharField(max_length=3, choices=Answer.choices, blank=True)
    note = models.TextField("evidence note", blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "key_question"], name="unique_key_question_answer"
            ),
        ]
        indexes = [models.Index(fields=["key_question", "answer"])]

    def __str__(self) -> str:
        return f"{self.case} {self.key_question.code}: {self.answer or '-'}"

    def clean(self):
        super().clean()
        # A case answers only the key questions of its type (Standard.applies_to).
        applying = KeyQuestion.objects.for_case_type(self.case.case_type)
        if not applying.filter(pk=self.key_question_id).exists():
            raise ValidationError(
                f"Key question {self.key_question.code} does not apply to "
                f"{self.case.case_type_label.lower()} cases"
            )


class PromptAnswer(ChangeAttribution, models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="prompt_answers")
    prompt = models.ForeignKey(Prompt, on_delete=models.PROTECT, related_name="answers")
    answer = models.CharField(max_length=3, choices=Answer.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "prompt"], name="unique_prompt_answer"),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.prompt.code}: {self.answer or '-'}"


class RiskInformation(ChangeAttribution, models.Model):
    """The optional risk questions of a case: reported, never rated, never required."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="risk_information")
    domestic_abuse_enquiry_made = models.CharField(
        "Was a domestic abuse enquiry made?", max_length=3, choices=Answer.choices, blank=True
    )
    domestic_abuse_information_used = models.CharField(
        "Was the domestic abuse information used?",
        max_length=3,
        choices=Answer.choices,
        blank=True,
    )
    child_safeguarding_concerns = models.CharField(
        "Were there child safeguarding concerns?", max_length=3, choices=Answer.choices, blank=True
    )
    child_safeguarding_information_requested = models.CharField(
        "Was child safeguarding information requested?",
        max_length=3,
        choices=Answer.choices,
        blank=True,
    )
    child_safeguarding_information_used = models.CharField(
        "Was the child safeguarding information used?",
        max_length=3,
        choices=Answer.choices,
        blank=True,
    )
    agrees_with_rosh = models.CharField(
        "Do you agree with the risk of serious harm classification?",
        max_length=3,
        choices=Answer.choices,
        blank=True,
    )
    history = HistoricalRecords()

    QUESTIONS = (
        "domestic_abuse_enquiry_made",
        "domestic_abuse_information_used",
        "child_safeguarding_concerns",
        "child_safeguarding_information_requested",
        "child_safeguarding_information_used",
        "agrees_with_rosh",
    )

    class Meta:
        verbose_name_plural = "risk information"

    def __str__(self) -> str:
        return f"{self.case} risk information"

    @classmethod
    def question_label(cls, name: str) -> str:
        """A risk question's wording: the verbose name of its field."""
        return str(cast(models.Field, cls._meta.get_field(name)).verbose_name)


# Models of the capability packages, imported here so that `casereview.models.X` names
# each: second marking (moderation/), the erasure record (lifecycle/), saved sets
# (dashboards/), each person's choice about emails (notifications/).
from casereview.dashboards.models import SavedSet, SavedSetQuerySet  # noqa: E402, F401
from casereview.lifecycle.models import EvidenceErasure  # noqa: E402, F401
from casereview.moderation.models import (  # noqa: E402, F401
    SecondMarking,
    SecondMarkingAnswer,
    SecondMarkingStatus,
)
from casereview.notifications.models import NotificationPreference  # noqa: E402, F401
