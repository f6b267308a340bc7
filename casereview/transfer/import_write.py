"""Writing a checked case file: its cases and answers in bulk with their history, and
the inspectors told of the cases assigned to them."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from simple_history.utils import bulk_create_with_history

from casereview.models import Case, KeyQuestionAnswer, PromptAnswer
from casereview.notifications.services import notify_cases_assigned


@dataclass
class ParsedAnswer:
    key_question_id: int
    answer: str = ""
    note: str = ""


def write_cases(parsed: list[tuple], user, reason: str) -> None:
    history = {"default_user": user, "default_change_reason": reason}
    cases = bulk_create_with_history([case for case, _, _ in parsed], Case, **history)
    for inspector, assigned in groupby(
        sorted((case for case in cases if case.inspector), key=lambda case: case.inspector.pk),
        key=lambda case: case.inspector,
    ):
        notify_cases_assigned(list(assigned), inspector)
    key_question_answers: list[KeyQuestionAnswer] = []
    prompt_answers: list[PromptAnswer] = []
    for case, (_, kq_answers, p_answers) in zip(cases, parsed, strict=True):
        key_question_answers.extend(
            KeyQuestionAnswer(
                case=case, key_question_id=a.key_question_id, answer=a.answer, note=a.note
            )
            for a in kq_answers
        )
        prompt_answers.extend(
            PromptAnswer(case=case, prompt_id=prompt_id, answer=answer)
            for prompt_id, answer in p_answers
        )
    bulk_create_with_history(key_question_answers, KeyQuestionAnswer, **history)
    bulk_create_with_history(prompt_answers, PromptAnswer, **history)
