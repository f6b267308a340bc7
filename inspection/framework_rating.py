"""Rating a whole framework from counts: the one place that turns per-key-question
counts and domain-one judgements into standard ratings and the overall score.

Pure, like `ratings`: it takes plain data (the framework's standards with their key
questions, its bands, the counts and the lead's judgements) and makes no query. The
inspection summary, the overview's rows and its regional tables all rate through here,
so an inspection's row always agrees with its own dashboard.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from inspection import ratings

# A standard's basis (the values of `inspection.models.Basis`).
CASES = "cases"
JUDGEMENT = "judgement"
REPORTED = "reported"


@dataclass(frozen=True)
class KeyQuestionRule:
    id: int
    code: str
    text: str
    lens: str = ""


@dataclass(frozen=True)
class StandardRule:
    id: int
    code: str
    title: str
    domain: int
    basis: str
    key_questions: tuple[KeyQuestionRule, ...] = ()
    statement: str = ""  # what the standard expects, as the report prints it


@dataclass
class FrameworkRules:
    """A framework as the rating needs it, standards and key questions in framework order."""

    standards: list[StandardRule] = field(default_factory=list)
    key_question_bands: list[ratings.Band] = field(default_factory=list)
    overall_bands: list[ratings.Band] = field(default_factory=list)

    @property
    def rated(self) -> list[StandardRule]:
        return [standard for standard in self.standards if standard.basis != REPORTED]

    @property
    def key_question_ids(self) -> list[int]:
        return [kq.id for standard in self.standards for kq in standard.key_questions]

    @property
    def case_rated_key_question_ids(self) -> list[int]:
        """The key questions of the standards rated from cases, in framework order: the
        ones a breakdown shows."""
        return [
            kq.id
            for standard in self.standards
            if standard.basis == CASES
            for kq in standard.key_questions
        ]


@dataclass(frozen=True)
class Counts:
    yes: int = 0
    no: int = 0
    not_applicable: int = 0

    @property
    def relevant(self) -> int:
        return self.yes + self.no


NO_ANSWERS = Counts()


@dataclass(frozen=True)
class StandardRating:
    rule: StandardRule
    rating: str | None
    score: int | None
    driving: str | None = None  # the code of the key question that sets the rating
    next_bands: Mapping[str, ratings.NextBand | None] = field(default_factory=dict)
    # How firmly a case-rated standard's rating holds, and what would lift it a band.
    holds_by: ratings.Margin | None = None
    lift_by: ratings.Margin | None = None


@dataclass(frozen=True)
class FrameworkRating:
    standards: list[StandardRating]  # every standard, reported ones unrated
    overall: ratings.OverallResult  # with `holds_by` once every standard is rated


def rate_framework(
    rules: FrameworkRules,
    counts: Mapping[int, Counts],
    domain_one: Mapping[int, str] | None,
    *,
    explain: bool = True,
) -> FrameworkRating:
    """Rate every standard and the framework overall.

    `counts`: per key question id. `domain_one`: the lead's rating per judgement
    standard id; None where judgements do not apply (figures across a region), so
    judgement standards stay unrated. `explain=False` leaves out how firmly each
    rating holds and what would lift it (a row among many inspections shows neither).
    """
    bands = rules.key_question_bands
    score_of_rating = {band.rating: band.score for band in bands}
    results = []
    firmness: list[ratings.StandardFigures] = []  # as `ratings.overall_holds_by` takes them
    for standard in rules.standards:
        if standard.basis == JUDGEMENT:
            rating = (domain_one or {}).get(standard.id)
            score = score_of_rating.get(rating) if rating else None
            results.append(StandardRating(standard, rating, score))
            firmness.append(score)
        elif standard.basis == CASES:
            figures = [(kq, counts.get(kq.id, NO_ANSWERS)) for kq in standard.key_questions]
            key_questions = [
                ratings.KeyQuestionResult(code=kq.code, yes=c.yes, relevant=c.relevant)
                for kq, c in figures
            ]
            result = ratings.rate_standard(key_questions, bands)
            firmness.append(key_questions)
            driving = result.driving.code if result.driving else None
            if not explain:
                results.append(StandardRating(standard, result.rating, result.score, driving))
                continue
            results.append(
                StandardRating(
                    standard,
                    result.rating,
                    result.score,
                    driving=driving,
                    next_bands={
                        kq.code: ratings.next_band(c.yes, c.relevant, bands) for kq, c in figures
                    },
                    holds_by=ratings.holds_by(key_questions, bands),
                    lift_by=ratings.lift_by(key_questions, bands),
                )
            )
        else:
            results.append(StandardRating(standard, None, None))
    rated = [result for result in results if result.rule.basis != REPORTED]
    top = max((band.score for band in bands), default=0)
    overall = ratings.rate_overall(
        [result.score for result in rated], rules.overall_bands, maximum=top * len(rated)
    )
    if overall.complete and explain:
        overall = replace(
            overall, holds_by=ratings.overall_holds_by(firmness, bands, rules.overall_bands)
        )
    return FrameworkRating(standards=results, overall=overall)
