"""Concurrent saves of one case: exactly one save per version wins, the others get a
conflict (VersionConflict, HTTP 409), nothing is lost and nothing gets a 500.

The threaded tests need a server that runs transactions concurrently, so they run on
PostgreSQL (CI's second leg); the sequential stale-save tests run everywhere.
"""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from casereview.entry.sections import answer_field, case_sections, note_field, prompt_field
from casereview.entry.services import VersionConflict, save_section
from casereview.models import Answer, Case, KeyQuestionAnswer
from tests.factories import CaseFactory

THREADS = 8


def concurrent(test):
    """PostgreSQL only (SQLite serialises every write), with real commits so that each
    thread sees the others' rows."""
    return pytest.mark.postgres_only(pytest.mark.django_db(transaction=True)(test))


def section_of(case, slug="assessment"):
    return next(section for section in case_sections(case=case) if section.slug == slug)


def section_data(section, *, answer, note):
    data = {}
    for key_question in section.key_questions:
        for prompt in section.prompts_of(key_question):
            data[prompt_field(prompt)] = answer
        data[answer_field(key_question)] = answer
        data[note_field(key_question)] = note
    return data


def saved_notes(case) -> set[str]:
    return set(
        KeyQuestionAnswer.objects.filter(case=case, key_question__standard__code="2.1").values_list(
            "note", flat=True
        )
    )


def run_at_once(count, work):
    """Start `count` threads together; each runs work(index) and closes its connection."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index):
        try:
            barrier.wait(timeout=10)
            results[index] = work(index)
        except Exception as error:  # recorded, so the test shows which thread failed how
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.fixture
def case(inspection, inspector):
    return CaseFactory(inspection=inspection, inspector=inspector)


# PostgreSQL: many threads at once ----------------------------------------------------


@concurrent
def test_threads_saving_the_same_version_one_wins_the_rest_conflict(case, inspector):
    section = section_of(case)

    def save(index):
        mine = Case.objects.get(pk=case.pk)
        data = section_data(section, answer=Answer.YES, note=f"thread {index}")
        save_section(case=mine, section=section, data=data, base_version=0, user=inspector)
        return index

    results = run_at_once(THREADS, save)

    winners = [result for result in results if isinstance(result, int)]
    conflicts = [result for result in results if isinstance(result, VersionConflict)]
    assert len(winners) == 1, results
    assert len(conflicts) == THREADS - 1, results
    assert Case.objects.get(pk=case.pk).version == 1
    # The winner's answers are saved whole; no loser's note slipped in.
    assert saved_notes(case) == {f"thread {winners[0]}"}
    assert KeyQuestionAnswer.objects.filter(case=case).count() == 3


@concurrent
def test_threads_posting_the_same_version_get_one_302_and_409s_never_a_500(case, inspector):
    section = section_of(case)
    url = reverse("casereview:case-section", args=[case.pk, section.slug])

    def post(index):
        client = Client()
        client.force_login(inspector)
        data = section_data(section, answer=Answer.NO, note=f"page {index}")
        autosave = {"X-Autosave": "1"} if index % 2 else {}
        response = client.post(url, {**data, "version": 0, "save_draft": ""}, headers=autosave)
        return index, response.status_code

    results = run_at_once(THREADS, post)

    statuses = sorted(status for _, status in results)
    assert all(isinstance(result, tuple) for result in results), results
    assert statuses.count(409) == THREADS - 1, statuses
    assert len([status for status in statuses if status in (200, 302)]) == 1, statuses
    winner = next(index for index, status in results if status in (200, 302))
    assert Case.objects.get(pk=case.pk).version == 1
    assert saved_notes(case) == {f"page {winner}"}


@concurrent
def test_threads_that_retry_on_conflict_lose_no_update(case, inspector):
    """Each thread changes its own key question, reloading after a conflict: all land."""
    section = section_of(case)
    key_questions = section.key_questions
    attempts = [0] * len(key_questions)
    # Everyone reads the same version before anyone saves, so the first round collides.
    first_read = threading.Barrier(len(key_questions))

    def change(index):
        key_question = key_questions[index]
        for _ in range(50):
            attempts[index] += 1
            mine = Case.objects.get(pk=case.pk)
            if attempts[index] == 1:
                first_read.wait(timeout=10)
            data = {
                answer_field(key_question): Answer.YES,
                note_field(key_question): f"written by thread {index}",
            }
            try:
                save_section(
                    case=mine, section=section, data=data, base_version=mine.version, user=inspector
                )
                return index
            except VersionConflict:
                continue
        raise AssertionError(f"thread {index} never saved")

    results = run_at_once(len(key_questions), change)

    assert results == list(range(len(key_questions)))
    assert Case.objects.get(pk=case.pk).version == len(key_questions)
    assert saved_notes(case) == {f"written by thread {i}" for i in range(len(key_questions))}
    assert sum(attempts) >= 2 * len(key_questions) - 1  # all but the first winner retried


# Every database: stale saves one after another ---------------------------------------


@pytest.mark.django_db
def test_a_stale_save_is_refused_and_changes_nothing(case, inspector):
    section = section_of(case)
    first = section_data(section, answer=Answer.YES, note="first")
    save_section(case=case, section=section, data=first, base_version=0, user=inspector)

    stale = Case.objects.get(pk=case.pk)
    stale.version = 0
    with pytest.raises(VersionConflict) as conflict:
        save_section(
            case=stale,
            section=section,
            data=section_data(section, answer=Answer.NO, note="stale"),
            base_version=0,
            user=inspector,
        )
    assert (conflict.value.base_version, conflict.value.current_version) == (0, 1)
    assert Case.objects.get(pk=case.pk).version == 1
    assert saved_notes(case) == {"first"}


@pytest.mark.django_db
def test_stale_pages_get_409_one_after_another_and_the_first_save_stands(
    client, case, inspector, lead
):
    section = section_of(case)
    url = reverse("casereview:case-section", args=[case.pk, section.slug])
    client.force_login(inspector)
    response = client.post(
        url,
        {
            **section_data(section, answer=Answer.YES, note="inspector"),
            "version": 0,
            "save_draft": "",
        },
    )
    assert response.status_code == 302

    for user, autosave in ((lead, False), (inspector, True), (lead, True)):
        client.force_login(user)
        response = client.post(
            url,
            {**section_data(section, answer=Answer.NO, note="stale"), "version": 0},
            headers={"X-Autosave": "1"} if autosave else {},
        )
        assert response.status_code == 409
    assert Case.objects.get(pk=case.pk).version == 1
    assert saved_notes(case) == {"inspector"}
