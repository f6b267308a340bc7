"""What the fault scripts share: a signed-in HTTP client for loopback, deterministic
section saves whose every field names the save they came from, and the check that
no case holds a half-written save.

Django is set up (with DATABASE_URL) only to read the framework's fields and, after
the fault, the database; every write under test goes through HTTP to gunicorn.
"""

from __future__ import annotations

import functools
import http.client
import http.cookiejar
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loadtest.settings")

import django  # noqa: E402

django.setup()

from casereview.entry.sections import (  # noqa: E402
    answer_field,
    case_sections,
    note_field,
    prompt_field,
)
from casereview.models import Answer, Case, KeyQuestionAnswer, PromptAnswer  # noqa: E402

PASSWORD = "generated-password-2024"
SECTION = "assessment"
VERSION = re.compile(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"')
TOKEN = re.compile(r"save (\d+)$")


@dataclass
class Reply:
    status: int
    body: str
    location: str = ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """A browser-like session on 127.0.0.1: cookies, CSRF token, no redirects followed."""

    def __init__(self, base: str, *, timeout: float = 10):
        parsed = urllib.parse.urlparse(base)
        host = parsed.hostname
        if parsed.scheme != "http" or host not in ("127.0.0.1", "localhost"):
            raise SystemExit(f"refusing {host!r}: fault tests run on loopback only")
        self.base = base.rstrip("/")
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect
        )

    def _csrf(self) -> str:
        return next((c.value for c in self.cookies if c.name == "csrftoken"), "")

    def request(self, path: str, data: dict | None = None, headers: dict | None = None) -> Reply:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        # The base was checked to be http://127.0.0.1 above.
        request = urllib.request.Request(  # noqa: S310
            self.base + path, data=body, headers=headers or {}
        )
        if body is not None:
            request.add_header("X-CSRFToken", self._csrf())
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return Reply(response.status, response.read().decode(errors="replace"))
        except urllib.error.HTTPError as error:
            return Reply(
                error.code,
                error.read().decode(errors="replace"),
                error.headers.get("Location", ""),
            )
        except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
            # No answer at all (a worker killed mid-request): status 0.
            return Reply(0, repr(error))

    def try_sign_in(self, username: str) -> bool:
        self.request("/sign-in/")
        reply = self.request(
            "/sign-in/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self._csrf()},
        )
        return reply.status == 302

    def sign_in(self, username: str) -> None:
        if not self.try_sign_in(username):
            raise SystemExit(f"{username} could not sign in")

    def version(self, case_pk: int) -> int | None:
        reply = self.request(f"/cases/{case_pk}/sections/{SECTION}/")
        match = VERSION.search(reply.body) if reply.status == 200 else None
        return int(match.group(1) or match.group(2)) if match else None

    def save(self, case_pk: int, number: int, version: int) -> Reply:
        data = {**save_values(number), "version": version, "save_draft": ""}
        return self.request(f"/cases/{case_pk}/sections/{SECTION}/", data)


@functools.cache
def _section():
    """Read once, before any fault: the loop must not need the database itself."""
    case = Case.objects.select_related("inspection").first()
    return next(section for section in case_sections(case=case) if section.slug == SECTION)


def save_values(number: int) -> dict[str, str]:
    """Save `number`'s values: answers follow the number's bits, notes carry it."""
    section = _section()
    values = {}
    bit = 0
    for key_question in section.key_questions:
        for prompt in section.prompts_of(key_question):
            values[prompt_field(prompt)] = Answer.YES if (number >> bit) & 1 else Answer.NO
            bit += 1
        values[answer_field(key_question)] = Answer.YES if (number >> bit) & 1 else Answer.NO
        bit += 1
        values[note_field(key_question)] = f"Fault test save {number}"
    return values


def section_state(case_pks: list[int]) -> dict[int, dict[str, str]]:
    """Each case's Assessment section as field name -> value, read from the database."""
    section = _section()
    prompts = {prompt.pk: prompt_field(prompt) for prompt in section.all_prompts}
    state: dict[int, dict[str, str]] = {pk: {} for pk in case_pks}
    for case_pk, prompt_pk, answer in PromptAnswer.objects.filter(
        case_id__in=case_pks, prompt_id__in=list(prompts)
    ).values_list("case_id", "prompt_id", "answer"):
        state[case_pk][prompts[prompt_pk]] = answer
    key_questions = {kq.pk: kq for kq in section.key_questions}
    for case_pk, kq_pk, answer, note in KeyQuestionAnswer.objects.filter(
        case_id__in=case_pks, key_question_id__in=list(key_questions)
    ).values_list("case_id", "key_question_id", "answer", "note"):
        state[case_pk][answer_field(key_questions[kq_pk])] = answer
        state[case_pk][note_field(key_questions[kq_pk])] = note
    return state


def holds(state: dict[str, str], original: dict[str, str]) -> tuple[bool, int | None]:
    """(whole, save number): the section is its original or exactly one test save."""
    if state == original:
        return True, None
    numbers = {
        int(match.group(1)) for value in state.values() if (match := TOKEN.search(value or ""))
    }
    if len(numbers) != 1:
        return False, None
    number = numbers.pop()
    return state == save_values(number), number


def check_saves(
    before: dict[int, int], originals: dict[int, dict], saves: dict[int, list]
) -> list[str]:
    """Every acknowledged save landed whole; an unanswered one landed whole or not at all.

    `before` and `originals` are each case's version and section before the test. A
    save that got no answer, or a 503, may still have committed (the database went
    away between the commit and the session being saved), so it may count; nothing
    may be there in part.
    """
    problems = []
    versions = dict(Case.objects.filter(pk__in=list(saves)).values_list("pk", "version"))
    states = section_state(list(saves))
    for pk, sent in saves.items():
        whole, number = holds(states[pk], originals[pk])
        if not whole:
            problems.append(f"case {pk}: the section is not one whole save")
            continue
        acked = [n for n, ok in sent if ok]
        unanswered = [n for n, ok in sent if not ok]
        landed = versions[pk] - before[pk] - len(acked)
        if not 0 <= landed <= len(unanswered):
            problems.append(
                f"case {pk}: version {versions[pk]} does not fit {before[pk]} + "
                f"{len(acked)} acknowledged (+ up to {len(unanswered)} unanswered)"
            )
        elif landed == 0 and acked and number != acked[-1]:
            problems.append(f"case {pk}: holds save {number}, last acknowledged {acked[-1]}")
        elif landed == 0 and not acked and number is not None:
            problems.append(f"case {pk}: holds save {number} though none landed")
        elif landed > 0 and number not in {*acked, *unanswered}:
            problems.append(f"case {pk}: holds save {number}, which was never sent")
    return problems
