"""The rating engine over each shipped framework, its bands and standards read from the
framework's own document (pure: no database): the key-question bands, the overall bands
up to the framework's maximum (probation 21, youth 36), and a whole framework rated."""

import pytest

from inspection import framework_rating as fr
from inspection import ratings
from inspection.frameworks import framework_path, read_document

FRAMEWORKS = ["probation-2023", "youth-2021"]
# (maximum, [(score, overall rating)] at each band's edges), from the methodology.
OVERALL_EDGES = {
    "probation-2023": (
        21,
        [(0, "inadequate"), (3, "inadequate"), (4, "requires_improvement"),
         (10, "requires_improvement"), (11, "good"), (17, "good"), (18, "outstanding"),
         (21, "outstanding")],
    ),
    "youth-2021": (
        36,
        [(0, "inadequate"), (6, "inadequate"), (7, "requires_improvement"),
         (18, "requires_improvement"), (19, "good"), (30, "good"), (31, "outstanding"),
         (36, "outstanding")],
    ),
}  # fmt: skip


def bands(document: dict, key: str) -> list[ratings.Band]:
    return [
        ratings.Band(b["rating"], b["minimum"], b.get("score", 0), b.get("descriptor", ""))
        for b in document[key]
    ]


def rules(document: dict) -> fr.FrameworkRules:
    ids = iter(range(1, 10_000))
    standards = [
        fr.StandardRule(
            next(ids),
            item["code"],
            item["title"],
            item["domain"],
            item["basis"],
            tuple(
                fr.KeyQuestionRule(next(ids), kq["code"], kq["text"])
                for kq in item.get("key_questions", [])
            ),
        )
        for item in document["standards"]
    ]
    return fr.FrameworkRules(
        standards, bands(document, "key_question_bands"), bands(document, "overall_bands")
    )


@pytest.fixture(params=FRAMEWORKS)
def document(request):
    return read_document(framework_path(request.param))


def test_key_question_bands_are_80_65_50(document):
    kq_bands = bands(document, "key_question_bands")
    for yes, relevant, rating in [
        (79, 100, "good"),
        (80, 100, "outstanding"),
        (129, 200, "good"),  # 64.5 rounds half up to 65
        (64, 100, "requires_improvement"),
        (49, 100, "inadequate"),
        (1, 2, "requires_improvement"),
    ]:
        assert ratings.band_for(ratings.percent(yes, relevant), kq_bands).rating == rating


def test_overall_bands_run_to_the_frameworks_maximum(document):
    maximum, edges = OVERALL_EDGES[document["code"]]
    framework = rules(document)
    assert len(framework.rated) * 3 == maximum
    for score, rating in edges:
        scores = [3] * (score // 3) + ([score % 3] if score % 3 else [])
        scores += [0] * (len(framework.rated) - len(scores))
        result = ratings.rate_overall(scores, framework.overall_bands, maximum=maximum)
        assert (result.score, result.rating, result.complete) == (score, rating, True)


def test_a_whole_framework_rated_from_counts_and_judgements(document):
    framework = rules(document)
    maximum = OVERALL_EDGES[document["code"]][0]
    judged = [s for s in framework.standards if s.basis == fr.JUDGEMENT]
    # Every key question 8 of 10 (Outstanding); every judgement Good.
    counts = {kq.id: fr.Counts(yes=8, no=2) for s in framework.standards for kq in s.key_questions}
    result = fr.rate_framework(framework, counts, {s.id: ratings.GOOD for s in judged})
    case_rated = [r for r in result.standards if r.rule.basis == fr.CASES]
    assert {r.rating for r in case_rated} == {ratings.OUTSTANDING}
    assert result.overall.maximum == maximum
    assert result.overall.score == 3 * len(case_rated) + 2 * len(judged)
    assert result.overall.complete
    # One key question at 49 per cent takes its standard to Inadequate, and the score
    # down by three.
    first = case_rated[0].rule.key_questions[0]
    lower = fr.rate_framework(
        framework,
        {**counts, first.id: fr.Counts(yes=49, no=51)},
        {s.id: ratings.GOOD for s in judged},
    )
    assert lower.overall.score == result.overall.score - 3
    without = fr.rate_framework(framework, counts, None)
    assert without.overall.rating is None and not without.overall.complete
