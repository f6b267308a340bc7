"""What the fault scripts share: a signed-in HTTP client for loopback, deterministic
section saves whose every field names the save they came from, and the check that
no case holds a half-written save.

Django is set up (with DATABASE_URL) only to read the framework's fields and, after
the fault, the database; every write under test goes through HTTP to gunicorn.
"""

from __future__ import annotations

import functools
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

from casereview.models import Answer, Case, KeyQuestionAnswer, PromptAnswer  # noqa: E402
from casereview.sections import (  # noqa: E402
    answer_field,
    case_sections,
    note_field,
    prompt_field,
)

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

    def sign_in(self, username: str) -> None:
        self.request("/sign-in/")
        reply = self.request(
            "/sign-in/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self._csrf()},
        )
        if reply.status != 302:
            raise SystemExit(f"{username} could not sign in: {reply.status}")

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


def half_written(case_pks: list[int]) -> list[str]:
    """Cases whose section mixes two saves, or whose values match no save."""
    problems = []
    section = _section()
    for case in Case.objects.filter(pk__in=case_pks):
        notes = dict(
            KeyQuestionAnswer.objects.filter(
                case=case, key_question__in=section.key_questions
            ).values_list("key_question_id", "note")
        )
        tokens = {
            TOKEN.search(note).group(1) if TOKEN.search(note) else note for note in notes.values()
        }
        if not notes:
            continue  # never saved by the test
        if len(tokens) != 1 or len(notes) != len(section.key_questions):
            problems.append(f"case {case.pk}: notes from different saves {sorted(tokens)}")
            continue
        expected = save_values(int(tokens.pop()))
        saved = dict(
            PromptAnswer.objects.filter(case=case, prompt__in=section.all_prompts).values_list(
                "prompt__code", "answer"
            )
        )
        saved_fields = {prompt_field(p): saved.get(p.code) for p in section.all_prompts}
        answers = dict(
            KeyQuestionAnswer.objects.filter(
                case=case, key_question__in=section.key_questions
            ).values_list("key_question__code", "answer")
        )
        saved_fields |= {answer_field(kq): answers.get(kq.code) for kq in section.key_questions}
        wrong = [name for name, value in saved_fields.items() if expected[name] != value]
        if wrong:
            problems.append(
                f"case {case.pk}: {', '.join(wrong)} differ from the save they belong to"
            )
    return problems


def saved_saves(case_pks: list[int]) -> dict[int, int | None]:
    """The number of the save each case's section holds now (None: no test save)."""
    section = _section()
    found: dict[int, int | None] = dict.fromkeys(case_pks)
    for case_pk, note in KeyQuestionAnswer.objects.filter(
        case_id__in=case_pks, key_question=section.key_questions[0]
    ).values_list("case_id", "note"):
        match = TOKEN.search(note)
        found[case_pk] = int(match.group(1)) if match else None
    return found
