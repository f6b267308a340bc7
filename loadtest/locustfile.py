"""Fieldwork week on loopback: inspectors editing and submitting their own cases while
leads refresh their dashboards. Run through loadtest/run.sh, which prepares the
database, the plan (LOADTEST_PLAN) and gunicorn, then checks the results.

Every save the server acknowledges is appended to LOADTEST_ACKS (one JSON line:
case, section, the version the server gave it, and the values sent), so that
loadtest/verify.py can check each one is in the database as acknowledged.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from pathlib import Path
from urllib.parse import urlparse

from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ.get("LOADTEST_PLAN", "var/loadtest/plan.json")).read_text())
ACKS_PATH = os.environ.get("LOADTEST_ACKS", "var/loadtest/acks.jsonl")
PASSWORD = os.environ.get("LOADTEST_PASSWORD", "generated-password-2024")
VERSION = re.compile(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"')

_inspectors = itertools.cycle(PLAN["inspectors"])
_leads = itertools.cycle(PLAN["leads"])
_acks = open(ACKS_PATH, "a", encoding="utf-8")  # noqa: SIM115 - open for the whole run
_counter = itertools.count(1)
USERS = 35  # 30 inspectors and 5 leads, as the classes' fixed counts say
_signed_in = 0


@events.test_start.add_listener
def _loopback_only(environment, **kwargs):
    host = urlparse(environment.host or "").hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"refusing to load {host!r}: this test runs on loopback only")


@events.test_stop.add_listener
def _close_acks(environment, **kwargs):
    _acks.flush()


def _signed_in_one(environment) -> None:
    """Once everyone has signed in, start the figures afresh: a fieldwork day spreads
    its sign-ins (each a deliberately slow password hash) over hours, not seconds."""
    global _signed_in
    _signed_in += 1
    if _signed_in == USERS and environment.runner is not None:
        environment.runner.stats.reset_all()
        print(f"All {USERS} users signed in: figures from here on")


def record(kind: str, **fields) -> None:
    _acks.write(json.dumps({"kind": kind, **fields}) + "\n")
    _acks.flush()


class SignedIn(HttpUser):
    abstract = True
    username = ""

    def sign_in(self) -> None:
        self.client.get("/sign-in/", name="sign in page")
        response = self.client.post(
            "/sign-in/",
            {
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            name="sign in",
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise RuntimeError(f"{self.username} could not sign in ({response.status_code})")
        _signed_in_one(self.environment)

    def post(self, path: str, data: dict, *, name: str, **kwargs):
        headers = {"X-CSRFToken": self.client.cookies.get("csrftoken", "")}
        headers.update(kwargs.pop("headers", {}))
        return self.client.post(
            path,
            data,
            name=name,
            headers=headers,
            allow_redirects=False,
            catch_response=True,
            **kwargs,
        )


class Inspector(SignedIn):
    """Works through an own open case section by section, sometimes autosaving first,
    then submits it and moves to the next."""

    fixed_count = 30
    wait_time = between(1, 3)

    def on_start(self):
        assigned = next(_inspectors)
        self.username = assigned["username"]
        self.cases = list(assigned["cases"])
        random.shuffle(self.cases)
        self.case = None
        self.step = 0
        self.sign_in()

    def values(self, fields: dict, case: int) -> dict:
        token = f"{self.username} case {case} save {next(_counter)}"
        return {
            name: (random.choice(choices) if choices else f"Evidence noted under load: {token}.")
            for name, choices in fields.items()
        }

    @task
    def work(self):
        if self.case is None:
            if not self.cases:
                self.client.get("/my-cases/", name="my cases")
                return
            self.case, self.step = self.cases.pop(), 0
            self.client.get(f"/cases/{self.case}/", name="case page")
            return
        sections = PLAN["sections"]
        if self.step < len(sections):
            self.save_section(sections[self.step])
        else:
            self.submit()

    def current_version(self, path: str, name: str) -> int | None:
        response = self.client.get(path, name=name)
        match = VERSION.search(response.text) if response.status_code == 200 else None
        return int(match.group(1) or match.group(2)) if match else None

    def save_section(self, section: dict) -> None:
        case, slug = self.case, section["slug"]
        path = f"/cases/{case}/sections/{slug}/"
        version = self.current_version(path, "section page")
        if version is None:
            self.case = None  # submitted or reassigned elsewhere: move on
            return
        if random.random() < 0.3:
            # A background draft first, as autosave.js sends while the user types.
            draft = self.values(section["fields"], case)
            record("attempt", case=case, section=slug, base=version)
            with self.post(
                path, {**draft, "version": version}, name="autosave", headers={"X-Autosave": "1"}
            ) as response:
                if response.status_code != 200:
                    response.failure(f"autosave got {response.status_code}")
                    return
                version = response.json()["version"]
                record("save", case=case, section=slug, version=version, values=draft)
        values = self.values(section["fields"], case)
        record("attempt", case=case, section=slug, base=version)
        with self.post(
            path, {**values, "version": version, "save_continue": ""}, name="save section"
        ) as response:
            if response.status_code != 302:
                response.failure(f"save got {response.status_code}")
                return
            record("save", case=case, section=slug, version=version + 1, values=values)
        self.step += 1

    def submit(self) -> None:
        case = self.case
        version = self.current_version(f"/cases/{case}/check/", "check answers")
        if version is None:
            # The check page carries the version in its submit form.
            self.case = None
            return
        record("attempt", case=case, section="submit", base=version)
        with self.post(f"/cases/{case}/submit/", {"version": version}, name="submit") as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or location.rstrip("/") != f"/cases/{case}":
                response.failure(f"submit got {response.status_code} to {location!r}")
            else:
                record("submit", case=case, version=version + 1)
        self.case = None


class Lead(SignedIn):
    """Watches the ratings form: the dashboard mostly, the JSON and the overview too."""

    fixed_count = 5
    wait_time = between(2, 5)

    def on_start(self):
        assigned = next(_leads)
        self.username = assigned["username"]
        self.slug = assigned["inspection"]
        self.sign_in()

    @task(6)
    def dashboard(self):
        self.client.get(f"/inspections/{self.slug}/", name="dashboard")

    @task(2)
    def summary(self):
        self.client.get(f"/inspections/{self.slug}/summary.json", name="summary.json")

    @task(1)
    def overview(self):
        self.client.get("/overview/", name="overview")
