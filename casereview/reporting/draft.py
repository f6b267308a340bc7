"""The report draft: the figures of an inspection as sentences in the published report's
own style, for the report writer to start from.

The report writes whole numbers under ten in words ("six out of eight"), gives the
count and the percentage together ("Just eight out of 29 cases (28 per cent) ..."),
and says "relevant cases" when Not applicable answers left some cases out. Sentences
are built from the framework's data (the key question's wording, the standard's
title), never from hard-coded figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from casereview.dashboards.disclosure import disclose_summary
from casereview.dashboards.summary import (
    InspectionSummary,
    KeyQuestionFigures,
    OversightFigures,
    StandardSummary,
    countable_cases,
    inspection_summary,
)
from inspection import ratings
from inspection.models import (
    Basis,
    Domain,
    Inspection,
    PreviousRecommendation,
    Recommendation,
    Standard,
)

NUMBER_WORDS = ("none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def number_text(number: int) -> str:
    """A count as the report writes it: words under ten, figures from ten."""
    if 0 < number < 10:
        return NUMBER_WORDS[number]
    return "zero" if number == 0 else str(number)


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def qualifier(percent: int) -> str:
    """The report's emphasis on a low figure: 'Just' under a third, 'Only' under half."""
    if percent < 34:
        return "just"
    if percent < 50:
        return "only"
    return ""


def count_phrase(yes: int, relevant: int, *, all_cases: bool, noun: str = "cases") -> str:
    """'eight out of 29 cases (28 per cent)'; 'relevant cases' when some were left out."""
    cases = noun if all_cases else f"relevant {noun}"
    if yes == 0:
        return f"none of the {number_text(relevant)} {cases}"
    share = ratings.percent(yes, relevant)
    return f"{number_text(yes)} out of {number_text(relevant)} {cases} ({share} per cent)"


# "Does assessment focus sufficiently on ...?" -> "assessment focused sufficiently on ..."
PAST = {
    "focus": "focused",
    "support": "supported",
    "address": "addressed",
    "involve": "involved",
    "identify": "identified",
    "consider": "considered",
    "analyse": "analysed",
    "reflect": "reflected",
    "include": "included",
    "promote": "promoted",
    "protect": "protected",
    "manage": "managed",
    "enable": "enabled",
    "deliver": "delivered",
    "engage": "engaged",
    "draw": "drew",
    "make": "made",
    "take": "took",
    "set": "set",
    "keep": "kept",
    "build": "built",
    "give": "gave",
}
PARTICIPLE = re.compile(r"^\w+(ed|en)$")


@dataclass(frozen=True)
class _Question:
    opener: str  # does, is, was, has ...
    subject: list[str]
    verb: str  # the main verb as the question has it: focus, implemented, been
    rest: list[str]


def _parse(question: str) -> _Question | None:
    """Split a key question of the report's forms ("Does/Is/Has/Was ... ?")."""
    first, _, remainder = question.strip().rstrip("?").strip().partition(" ")
    opener, words = first.lower(), remainder.split()
    for index, word in enumerate(words):
        if index == 0:
            continue
        if (
            (opener == "does" and word.lower() in PAST)
            or (opener in ("is", "are", "was", "were") and PARTICIPLE.match(word))
            or (opener in ("has", "have") and word == "been")
        ):
            return _Question(opener, words[:index], word, words[index + 1 :])
    return None


def statement(question: str) -> str | None:
    """A key question turned into the statement of a Yes answer, in the past tense:
    'Does assessment focus sufficiently on ...?' -> 'assessment focused sufficiently on
    ...'. None when the question is not of one of the report's forms."""
    parsed = _parse(question)
    if parsed is None:
        return None
    if parsed.opener == "does":
        verb = [PAST[parsed.verb.lower()]]
    elif parsed.opener in ("has", "have"):
        verb = ["had", "been"]
    else:
        verb = [{"is": "was", "are": "were"}.get(parsed.opener, parsed.opener), parsed.verb]
    return " ".join([*parsed.subject, *verb, *parsed.rest])


def _had_phrase(question: str) -> str | None:
    """What a case 'had' on a Yes: 'assessment that focused sufficiently on ...',
    'the sentence ... implemented effectively with ...'. None for other forms."""
    parsed = _parse(question)
    if parsed is None or parsed.opener in ("has", "have"):
        return None
    if parsed.opener == "does":
        subject = list(parsed.subject[1:] if parsed.subject[0].lower() == "the" else parsed.subject)
        # "services effectively support" -> "services that effectively supported"
        adverbs: list[str] = []
        while len(subject) > 1 and subject[-1].lower().endswith("ly"):
            adverbs.insert(0, subject.pop())
        return " ".join([*subject, "that", *adverbs, PAST[parsed.verb.lower()], *parsed.rest])
    return " ".join([*parsed.subject, parsed.verb, *parsed.rest])


def _emphasised(figures: KeyQuestionFigures) -> str:
    counted = count_phrase(figures.yes, figures.relevant, all_cases=figures.not_applicable == 0)
    # A Yes means a relevant case, so a percentage.
    emphasis = qualifier(figures.percent) if figures.yes and figures.percent is not None else ""
    return f"{emphasis} {counted}" if emphasis else counted


def key_question_sentence(figures: KeyQuestionFigures) -> str:
    """'Assessment focused sufficiently on keeping other people safe in just eight out of
    29 cases (28 per cent) we inspected.'"""
    said = statement(figures.text)
    if said is None:
        return f"The answer to '{figures.text}' was Yes in {_emphasised(figures)} we inspected."
    return f"{capitalise(said)} in {_emphasised(figures)} we inspected."


def lowest_sentence(standard: StandardSummary) -> str | None:
    """The figure that drives a standard's rating, figure first as the report leads with
    it: 'Just eight out of 29 cases (28 per cent) we inspected had ...'."""
    figures = standard.driving
    if figures is None:
        return None
    had = _had_phrase(figures.text)
    what = f"had {had}" if had else f"were judged sufficient on key question {figures.code}"
    return (
        f"{capitalise(_emphasised(figures))} we inspected {what}. This is the lowest score of "
        f"the {number_text(len(standard.key_questions))} key questions, and it places "
        f"{standard.title.lower()} in the '{standard.rating_label}' band."
    )


def rating_basis_sentence(standard: StandardSummary) -> str:
    """The sentence the report puts above each standard's key-question table."""
    return (
        f"Our rating for {standard.title.lower()} is '{standard.rating_label}' based on the "
        "percentage of cases we inspected being judged satisfactory against "
        f"{number_text(len(standard.key_questions))} key questions and is driven by the "
        "lowest score:"
    )


def oversight_sentence(oversight: OversightFigures, *, counted: int) -> str | None:
    """'Management oversight was absent or ineffective in 90 per cent of the cases we
    inspected.' The percentage is over the cases where oversight was required."""
    percent = oversight.percent_absent_or_ineffective
    if percent is None:
        return None
    where = "" if oversight.required == counted else " where it was required"
    return (
        f"Management oversight was absent or ineffective in {percent} per cent of the cases "
        f"we inspected{where}."
    )


def outcome_sentence(figures: KeyQuestionFigures) -> str | None:
    if not figures.relevant:
        return None
    return key_question_sentence(figures)


@dataclass
class StandardDraft:
    standard: StandardSummary
    statement: str = ""
    basis_sentence: str = ""
    lowest: str | None = None
    sentences: list[str] = field(default_factory=list)

    @property
    def is_judgement(self) -> bool:
        return self.standard.basis == Basis.JUDGEMENT


@dataclass
class DomainDraft:
    """One domain of the report: its standards in framework order (judged ones with the
    lead's words, case-rated ones with their figures), and the reported standards'
    sentences (probation's outcomes) at its end."""

    number: int
    title: str
    standards: list[StandardDraft] = field(default_factory=list)
    reported: list[StandardSummary] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Cover:
    """How the report's cover names what was inspected."""

    heading: str  # "An inspection of probation services in:"
    service: str  # "The Probation Service – {region} region", or ""
    unit_suffix: str  # "PDU", or ""
    services: str = "the services inspected"  # "the quality of probation services"


# The report's words for what is inspected, by the family of the framework's code
# (probation-2023, probation-2023-v2 -> probation); another family's cover is plain.
COVERS = {
    "probation": Cover(
        "An inspection of probation services in:",
        "The Probation Service – {region} region",
        "PDU",
        "probation services",
    ),
    "youth": Cover("An inspection of youth justice services in:", "", "", "youth justice services"),
}
PLAIN_COVER = Cover("An inspection of:", "", "")


def report_cover(inspection: Inspection) -> Cover:
    return COVERS.get(inspection.framework.code.split("-")[0], PLAIN_COVER)


def report_unit_name(inspection: Inspection) -> str:
    """The unit as the report names it: `West Sussex PDU`, `Marchford Youth Justice Service`."""
    name, suffix = inspection.unit.name, report_cover(inspection).unit_suffix
    return name if not suffix or name.endswith(suffix) else f"{name} {suffix}"


@dataclass
class ReportDraft:
    summary: InspectionSummary
    domain_titles: dict[int, str]
    domains: list[DomainDraft]
    oversight: str | None
    outcomes: list[str]
    recommendations: list[Recommendation]
    previous_recommendations: list[PreviousRecommendation]
    unit_name: str = ""
    cover: Cover = PLAIN_COVER

    @property
    def service_line(self) -> str:
        return self.cover.service.format(region=self.summary.inspection.unit.region.name)

    @property
    def ratings_by_domain(self) -> list[tuple[int, str, list[StandardSummary]]]:
        """The Ratings page: each domain's rated standards under its title."""
        domains: dict[int, list[StandardSummary]] = {}
        for standard in self.summary.standards:
            domains.setdefault(standard.domain, []).append(standard)
        return [
            (number, self.domain_titles.get(number, ""), standards)
            for number, standards in sorted(domains.items())
        ]


def report_draft(*, inspection: Inspection, user, disclosure=None) -> ReportDraft:
    """Everything the draft page prints, in a fixed number of queries, over the cases
    `user` may count, as `disclosure` lets them read it (None: every figure)."""
    summary = inspection_summary(
        inspection=inspection, cases=countable_cases(user=user, inspection=inspection)
    )
    if disclosure is not None:
        disclose_summary(summary, disclosure)
    statements = dict(
        Standard.objects.filter(framework_id=inspection.framework_id).values_list(
            "code", "statement"
        )
    )
    domain_titles = dict(
        Domain.objects.filter(framework_id=inspection.framework_id).values_list("number", "title")
    )
    domains = {
        number: DomainDraft(number=number, title=title)
        for number, title in sorted(domain_titles.items())
    }
    for standard in summary.standards:
        draft = StandardDraft(standard=standard, statement=statements.get(standard.code, ""))
        domain = domains.setdefault(standard.domain, DomainDraft(number=standard.domain, title=""))
        domain.standards.append(draft)
        if standard.basis == Basis.JUDGEMENT:
            continue
        if standard.rating:
            draft.basis_sentence = rating_basis_sentence(standard)
            draft.lowest = lowest_sentence(standard)
        # The lowest key question already has its own sentence, figure first.
        draft.sentences = [
            key_question_sentence(figures)
            for figures in standard.key_questions
            if figures.relevant and not (draft.lowest and figures.is_driving)
        ]
    outcomes = []
    for standard in summary.reported:
        domain = domains.setdefault(standard.domain, DomainDraft(number=standard.domain, title=""))
        said = [s for figures in standard.key_questions if (s := outcome_sentence(figures))]
        if said:
            domain.reported.append(standard)
            domain.outcomes.extend(said)
            outcomes.extend(said)
    return ReportDraft(
        summary=summary,
        domain_titles=domain_titles,
        domains=[domain for domain in domains.values() if domain.standards or domain.outcomes],
        unit_name=report_unit_name(inspection),
        cover=report_cover(inspection),
        oversight=oversight_sentence(summary.oversight, counted=summary.cases.counted),
        outcomes=outcomes,
        recommendations=list(Recommendation.objects.filter(inspection=inspection)),
        previous_recommendations=list(PreviousRecommendation.objects.filter(inspection=inspection)),
    )
