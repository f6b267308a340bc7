"""Everything wrong with a framework document, one message per problem.

A framework re-rates every inspection on it, so a document is checked whole before
anything is written: every problem is listed (each naming where it is, for example
`standards[3].code: "2.2" is used twice`) and nothing is loaded while any remains.

Some parts of a document have no place in the models yet (case types, whether a prompt
is provisional, a description): they are checked here and kept only in the document.
"""

from __future__ import annotations

import re
from itertools import pairwise

from inspection import ratings
from inspection.models import Basis, Lens, Rating

# The score a better rating needs is higher: a band order the other way round would
# rate a better percentage worse.
RATING_ORDER = [
    ratings.INADEQUATE,
    ratings.REQUIRES_IMPROVEMENT,
    ratings.GOOD,
    ratings.OUTSTANDING,
]
PERCENT_MAXIMUM = 100
CODE = re.compile(r"^[0-9]+(\.[0-9]+)*$")
PROMPT_CODE = re.compile(r"^[0-9]+(\.[0-9]+)*\.[a-z]+$")
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")

TOP_FIELDS = {
    "code",
    "title",
    "description",
    "case_types",
    "domains",
    "standards",
    "key_question_bands",
    "overall_bands",
}
STANDARD_FIELDS = {"code", "domain", "title", "basis", "statement", "case_types", "key_questions"}
KEY_QUESTION_FIELDS = {"code", "text", "lens", "allows_not_applicable", "prompts"}
PROMPT_FIELDS = {"code", "text", "provisional"}
BAND_FIELDS = {"rating", "minimum", "score", "descriptor"}


class FrameworkProblems(ValueError):
    """A document that cannot be loaded as it is, with every reason why."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class _Checker:
    def __init__(self, source: str):
        self.source = source
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(
            f"{self.source}: {where}: {message}" if where else f"{self.source}: {message}"
        )

    def text(self, item: dict, where: str, name: str, max_length: int, required=True) -> str:
        if name not in item:
            if required:
                self.problem(f"{where}.{name}" if where else name, "is missing")
            return ""
        value = item[name]
        if not isinstance(value, str):
            self.problem(f"{where}.{name}" if where else name, "must be a text")
            return ""
        if required and not value.strip():
            self.problem(f"{where}.{name}" if where else name, "must be a non-empty text")
            return ""
        if len(value) > max_length:
            self.problem(
                f"{where}.{name}" if where else name,
                f"is {len(value)} characters long, at most {max_length} are allowed",
            )
        return value

    def boolean(self, item: dict, where: str, name: str) -> None:
        if name in item and not isinstance(item[name], bool):
            self.problem(f"{where}.{name}", "must be true or false")

    def objects(self, document: dict, where: str, name: str, required=True) -> list:
        """The list of objects under `name`; a malformed entry is reported and skipped."""
        value = document.get(name)
        if name not in document:
            if required:
                self.problem(f"{where}.{name}" if where else name, "is missing")
            return []
        if not isinstance(value, list):
            self.problem(f"{where}.{name}" if where else name, "must be a list")
            return []
        items = []
        for index, item in enumerate(value):
            path = f"{where}.{name}[{index}]" if where else f"{name}[{index}]"
            if isinstance(item, dict):
                items.append((path, item))
            else:
                self.problem(path, "must be an object")
        return items

    def known_fields(self, item: dict, where: str, allowed: set[str]) -> None:
        for name in sorted(set(item) - allowed):
            self.problem(
                f"{where}.{name}" if where else name, "is not a field of a framework document"
            )

    def unique(self, seen: dict, value, where: str, what: str = "") -> None:
        if value in seen:
            self.problem(where, f'"{value}" is used twice{what} (first at {seen[value]})')
        else:
            seen[value] = where


def validate_document(document, source: str = "document") -> list[str]:
    """Every problem with `document`, in document order; an empty list when it loads."""
    check = _Checker(source)
    if not isinstance(document, dict):
        check.problem("", "a framework document must be a JSON object")
        return check.problems
    check.known_fields(document, "", TOP_FIELDS)
    code = check.text(document, "", "code", 50)
    if code and not SLUG.match(code):
        check.problem("code", f'"{code}" must use only letters, digits, - and _')
    check.text(document, "", "title", 200)
    check.text(document, "", "description", 2000, required=False)

    case_types: dict = {}
    declares_case_types = "case_types" in document
    for path, item in check.objects(document, "", "case_types", required=False):
        check.known_fields(item, path, {"code", "label"})
        type_code = check.text(item, path, "code", 20)
        check.text(item, path, "label", 100)
        if type_code:
            if not SLUG.match(type_code):
                check.problem(
                    f"{path}.code", f'"{type_code}" must use only letters, digits, - and _'
                )
            check.unique(case_types, type_code, f"{path}.code")
    if declares_case_types and not case_types and isinstance(document["case_types"], list):
        check.problem("case_types", "must list at least one case type")

    domains: dict = {}
    for path, item in check.objects(document, "", "domains"):
        check.known_fields(item, path, {"number", "title"})
        number = item.get("number")
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            check.problem(f"{path}.number", "must be a whole number from 1")
        else:
            check.unique(domains, number, f"{path}.number")
        check.text(item, path, "title", 200)

    standard_codes: dict = {}
    key_question_codes: dict = {}
    prompt_codes: dict = {}
    rated = 0
    for path, item in check.objects(document, "", "standards"):
        check.known_fields(item, path, STANDARD_FIELDS)
        standard_code = check.text(item, path, "code", 10)
        if standard_code:
            if not CODE.match(standard_code):
                check.problem(
                    f"{path}.code", f'"{standard_code}" must be numbers joined by dots, such as 2.1'
                )
            check.unique(standard_codes, standard_code, f"{path}.code")
        if "domain" not in item:
            check.problem(f"{path}.domain", "is missing")
        elif not isinstance(item["domain"], int) or item["domain"] not in domains:
            check.problem(
                f"{path}.domain", f"{item['domain']!r} is not the number of a domain above"
            )
        check.text(item, path, "title", 200)
        check.text(item, path, "statement", 5000, required=False)
        basis = item.get("basis")
        if basis not in Basis.values:
            check.problem(f"{path}.basis", f"{basis!r} is not one of {', '.join(Basis.values)}")
        elif basis != Basis.REPORTED:
            rated += 1
        key_questions = check.objects(item, path, "key_questions", required=False)
        if basis == Basis.CASES and not key_questions:
            check.problem(
                path, f"standard {standard_code} is rated from cases but has no key questions"
            )
        if basis == Basis.JUDGEMENT and key_questions:
            check.problem(
                f"{path}.key_questions",
                f"standard {standard_code} is rated by judgement, so it has no key questions",
            )
        _check_standard_case_types(
            check, item, path, standard_code, basis, case_types, declares_case_types
        )
        for kq_path, kq in key_questions:
            check.known_fields(kq, kq_path, KEY_QUESTION_FIELDS)
            kq_code = check.text(kq, kq_path, "code", 12)
            if kq_code:
                if standard_code and not kq_code.startswith(f"{standard_code}."):
                    check.problem(
                        f"{kq_path}.code",
                        f'"{kq_code}" does not belong to standard {standard_code} '
                        f"(its code must start with {standard_code}.)",
                    )
                elif not CODE.match(kq_code):
                    check.problem(f"{kq_path}.code", f'"{kq_code}" must be numbers joined by dots')
                check.unique(key_question_codes, kq_code, f"{kq_path}.code")
            check.text(kq, kq_path, "text", 300)
            lens = kq.get("lens")
            if lens not in Lens.values:
                check.problem(f"{kq_path}.lens", f"{lens!r} is not one of {', '.join(Lens.values)}")
            check.boolean(kq, kq_path, "allows_not_applicable")
            for prompt_path, prompt in check.objects(kq, kq_path, "prompts", required=False):
                check.known_fields(prompt, prompt_path, PROMPT_FIELDS)
                prompt_code = check.text(prompt, prompt_path, "code", 14)
                if prompt_code:
                    if kq_code and not prompt_code.startswith(f"{kq_code}."):
                        check.problem(
                            f"{prompt_path}.code",
                            f'"{prompt_code}" does not belong to key question {kq_code} '
                            f"(its code must start with {kq_code}.)",
                        )
                    elif not PROMPT_CODE.match(prompt_code):
                        check.problem(
                            f"{prompt_path}.code",
                            f'"{prompt_code}" must end in a letter, such as 2.1.1.a',
                        )
                    check.unique(prompt_codes, prompt_code, f"{prompt_path}.code")
                check.text(prompt, prompt_path, "text", 400)
                check.boolean(prompt, prompt_path, "provisional")

    key_bands = _check_bands(check, document, "key_question_bands", PERCENT_MAXIMUM)
    top_score = max(
        (band.get("score", 0) for band in key_bands if _whole(band.get("score", 0))), default=0
    )
    if key_bands and top_score == 0:
        check.problem("key_question_bands", "no band has a score above 0, so no standard can score")
    _check_bands(check, document, "overall_bands", top_score * rated if top_score else None)
    return check.problems


def _check_standard_case_types(check, item, path, standard_code, basis, case_types, declared):
    """The case types that answer a case-rated standard, when the document names any."""
    if "case_types" not in item:
        if declared and basis == Basis.CASES:
            check.problem(
                path, f"standard {standard_code} is rated from cases but names no case_types"
            )
        return
    where = f"{path}.case_types"
    if not declared:
        check.problem(
            where, "names case types, but the document lists none at the top (case_types)"
        )
        return
    if basis == Basis.JUDGEMENT:
        check.problem(
            where, f"standard {standard_code} is rated by judgement, so no case answers it"
        )
        return
    values = item["case_types"]
    if not isinstance(values, list) or not values:
        check.problem(where, "must list at least one case type")
        return
    seen: dict = {}
    for index, value in enumerate(values):
        if not isinstance(value, str) or value not in case_types:
            check.problem(f"{where}[{index}]", f"{value!r} is not a case type listed at the top")
        else:
            check.unique(seen, value, f"{where}[{index}]")


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _check_bands(check, document, name, maximum) -> list[dict]:
    """Bands start at their minimum and run up to the next one: together they must cover
    0 to the maximum, each value in exactly one, a better rating starting higher."""
    bands = check.objects(document, "", name)
    ratings_seen: dict = {}
    minimums: dict = {}
    usable = []
    for path, band in bands:
        check.known_fields(band, path, BAND_FIELDS)
        rating = band.get("rating")
        if rating not in Rating.values:
            check.problem(f"{path}.rating", f"{rating!r} is not one of {', '.join(Rating.values)}")
        else:
            check.unique(ratings_seen, rating, f"{path}.rating", f" in {name}")
        minimum = band.get("minimum")
        if not _whole(minimum):
            check.problem(f"{path}.minimum", "must be a whole number from 0")
        else:
            if minimum in minimums:
                check.problem(
                    f"{path}.minimum",
                    f"{minimum} is also the minimum at {minimums[minimum]}: the bands overlap",
                )
            else:
                minimums[minimum] = path
            if maximum is not None and minimum > maximum:
                check.problem(
                    f"{path}.minimum",
                    f"{minimum} is above the maximum of {maximum}, so this band can never be given",
                )
        if "score" in band and not _whole(band["score"]):
            check.problem(f"{path}.score", "must be a whole number from 0")
        check.text(band, path, "descriptor", 100, required=False)
        if rating in Rating.values and _whole(minimum) and _whole(band.get("score", 0)):
            usable.append(band)
    if bands and 0 not in minimums:
        check.problem(name, "no band starts at 0, so the lowest values are in no band")
    ordered = sorted(usable, key=lambda band: band["minimum"])
    for lower, higher in pairwise(ordered):
        if lower["minimum"] == higher["minimum"]:
            continue  # an overlap, reported above
        if RATING_ORDER.index(higher["rating"]) <= RATING_ORDER.index(lower["rating"]):
            check.problem(
                name,
                f"{higher['rating']} starts at {higher['minimum']}, above "
                f"{lower['rating']} at {lower['minimum']}: a better rating must start higher",
            )
        elif name == "key_question_bands" and higher.get("score", 0) <= lower.get("score", 0):
            check.problem(
                name,
                f"{higher['rating']} scores {higher.get('score', 0)}, no more than "
                f"{lower['rating']} ({lower.get('score', 0)}): a better rating must score more",
            )
    return [band for _, band in bands]
