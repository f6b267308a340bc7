"""The framework as data: a version of the methodology, its case types, domains,
standards, key questions, prompts and rating bands."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from inspection import ratings


class Rating(models.TextChoices):
    OUTSTANDING = ratings.OUTSTANDING, "Outstanding"
    GOOD = ratings.GOOD, "Good"
    REQUIRES_IMPROVEMENT = ratings.REQUIRES_IMPROVEMENT, "Requires improvement"
    INADEQUATE = ratings.INADEQUATE, "Inadequate"


class Framework(models.Model):
    """A version of the inspection methodology. A later methodology is a new framework;
    an inspection keeps the framework it was started with.

    The framework's wording and bands re-rate every inspection on it, completed ones
    included, so each of its models keeps a history of who changed what and when."""

    code = models.SlugField(max_length=50, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    def case_type_choices(self) -> list[tuple[str, str]]:
        """(code, label) of each of its case types, in order: what a case's type may be."""
        return list(self.case_types.values_list("code", "label"))


class CaseType(models.Model):
    """A kind of case a framework's inspections sample (probation: community sentence,
    release on licence; youth: court or out-of-court disposal). Each case-rated standard
    names the case types that answer it; a case's `case_type` is one of these codes."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="case_types")
    code = models.SlugField(max_length=20, help_text="For example out_of_court")
    label = models.CharField(max_length=100, help_text="For example Out-of-court disposal")
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_case_type_code"),
        ]

    def __str__(self) -> str:
        return self.label


class Domain(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="domains")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)

    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="unique_domain_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Basis(models.TextChoices):
    CASES = "cases", "From case answers"
    JUDGEMENT = "judgement", "Judgement of the inspection lead"
    REPORTED = "reported", "Reported, not rated"


class Standard(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="standards")
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="standards")
    code = models.CharField(max_length=10, help_text="For example 2.1")
    title = models.CharField(max_length=200)
    statement = models.TextField(blank=True)
    basis = models.CharField(max_length=10, choices=Basis.choices)
    order = models.PositiveSmallIntegerField(default=0)
    case_types: models.ManyToManyField = models.ManyToManyField(
        CaseType,
        blank=True,
        related_name="standards",
        help_text="The case types that answer this standard's key questions",
    )

    history = HistoricalRecords(m2m_fields=[case_types])

    class Meta:
        ordering = ["framework", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_standard_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_rated(self) -> bool:
        return self.basis != Basis.REPORTED

    def applies_to(self, case_type: str) -> bool:
        """Whether a case of this type (its code) answers this standard: the one rule
        of which standards a case sees, answers and counts in (`KeyQuestion.objects.
        for_case_type` is the same rule as a query). Reads the prefetched case types."""
        return case_type in {t.code for t in self.case_types.all()}


class Lens(models.TextChoices):
    ENGAGING = "engaging", "Engaging the person on probation"
    DESISTANCE = "desistance", "Desistance"
    # Youth justice: the child's own safety, beside keeping other people safe.
    WELLBEING = "wellbeing", "The child's safety and wellbeing"
    SAFETY = "safety", "Keeping other people safe"
    OUTCOME = "outcome", "Outcome"


# Framework order, the one order every list of a framework's questions follows:
# standards in order, each standard's key questions, each key question's prompts.
KEY_QUESTION_ORDER = ("standard__order", "order", "code")
PROMPT_ORDER = ("key_question__standard__order", "key_question__order", "order", "code")


def framework_order(via: str, order: tuple[str, ...] = KEY_QUESTION_ORDER) -> list[str]:
    """Framework order for rows that point at a key question (or prompt) through `via`,
    such as a case's answers: `order_by(*framework_order("key_question"))`."""
    return [f"{via}__{field}" for field in order]


class KeyQuestionQuerySet(models.QuerySet):
    def in_framework_order(self) -> KeyQuestionQuerySet:
        return self.order_by(*KEY_QUESTION_ORDER)

    def of_framework(self, framework) -> KeyQuestionQuerySet:
        """The key questions of one framework (or its id), in framework order."""
        return self.filter(standard__framework=framework).in_framework_order()

    def for_case_type(self, case_type: str) -> KeyQuestionQuerySet:
        """The key questions a case of this type (its code) answers (`Standard.applies_to`
        as a query; chain it after `of_framework`, the codes being the framework's)."""
        return self.filter(standard__case_types__code=case_type)

    def of_frameworks(self, framework_ids) -> KeyQuestionQuerySet:
        """The key questions of several frameworks, each framework's in framework order."""
        return self.filter(standard__framework_id__in=framework_ids).order_by(
            "standard__framework_id", *KEY_QUESTION_ORDER
        )


class PromptQuerySet(models.QuerySet):
    def in_framework_order(self) -> PromptQuerySet:
        return self.order_by(*PROMPT_ORDER)

    def of_framework(self, framework) -> PromptQuerySet:
        """The prompts of one framework (or its id), in framework order."""
        return self.filter(key_question__standard__framework=framework).in_framework_order()


class KeyQuestion(models.Model):
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="key_questions")
    code = models.CharField(max_length=12, help_text="For example 2.1.3")
    text = models.CharField(max_length=300)
    lens = models.CharField(max_length=12, choices=Lens.choices)
    allows_not_applicable = models.BooleanField(
        default=False,
        help_text="Whether a case may be judged Not applicable (left out of the count)",
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    objects = KeyQuestionQuerySet.as_manager()

    class Meta:
        ordering = list(KEY_QUESTION_ORDER)
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="unique_key_question_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class Prompt(models.Model):
    """A prompt informs the key question's judgement; it never computes it."""

    key_question = models.ForeignKey(KeyQuestion, on_delete=models.CASCADE, related_name="prompts")
    code = models.CharField(max_length=14, help_text="For example 2.1.3.a")
    text = models.CharField(max_length=400)
    provisional = models.BooleanField(
        default=False, help_text="Wording still to be confirmed against the published guidance"
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    objects = PromptQuerySet.as_manager()

    class Meta:
        ordering = list(PROMPT_ORDER)
        constraints = [
            models.UniqueConstraint(fields=["key_question", "code"], name="unique_prompt_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class BandKind(models.TextChoices):
    KEY_QUESTION = "key_question", "Key question percentage"
    OVERALL = "overall", "Overall score"


class RatingBand(models.Model):
    """From `minimum` upwards (a whole percentage, or a score out of the maximum)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="bands")
    kind = models.CharField(max_length=12, choices=BandKind.choices)
    rating = models.CharField(max_length=24, choices=Rating.choices)
    minimum = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField(default=0)
    descriptor = models.CharField(max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "kind", "-minimum"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "kind", "rating"], name="unique_band_rating"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_rating_display()} from {self.minimum}"

    def clean(self):
        # Every percentage (or score) must fall in some band, or no rating can be given.
        if self.kind == BandKind.KEY_QUESTION and self.minimum > 100:
            raise ValidationError({"minimum": "A percentage band must start at 100 or below."})
        if self.minimum != 0 and self.framework_id:
            siblings = RatingBand.objects.filter(framework_id=self.framework_id, kind=self.kind)
            if not siblings.exclude(pk=self.pk).filter(minimum=0).exists():
                message = "One band of each kind must start at 0, so that every value is rated."
                raise ValidationError({"minimum": message})

    def as_band(self) -> ratings.Band:
        return ratings.Band(
            rating=self.rating, minimum=self.minimum, score=self.score, descriptor=self.descriptor
        )
