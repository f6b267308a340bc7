"""Scratch databases outside the test database, driven through manage.py in a subprocess:
what backups, restores and file-level erasure need to be tested as operators run them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import psycopg
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent

# Every inspection's `summary --json`, and every model table's row count, as one JSON line.
STATE_SCRIPT = """
import io, json
from django.apps import apps
from django.core.management import call_command
from inspection.models import Inspection
summaries = {}
for slug in Inspection.objects.order_by("slug").values_list("slug", flat=True):
    out = io.StringIO()
    call_command("summary", slug, json=True, stdout=out)
    summaries[slug] = json.loads(out.getvalue())
counts = {m._meta.db_table: m._default_manager.count() for m in apps.get_models()}
print("STATE " + json.dumps({"summaries": summaries, "counts": counts}))
"""


def environment(database_url: str, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="config.settings", **extra)
    return env


def manage(database_url: str, *args: str, check: bool = True, **extra):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment(database_url, **extra),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def script(database_url: str, code: str, **extra):
    return manage(database_url, "shell", "--no-imports", "-c", code, **extra)


def state(database_url: str) -> dict:
    output = script(database_url, STATE_SCRIPT).stdout
    line = next(line for line in output.splitlines() if line.startswith("STATE "))
    return json.loads(line.removeprefix("STATE "))


def demo_database(database_url: str) -> None:
    manage(database_url, "migrate", "--no-input", "-v", "0")
    manage(database_url, "load_demo", "--force")


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _server() -> dict:
    return settings.DATABASES["default"]


def _admin_connection():
    server = _server()
    return psycopg.connect(
        host=server["HOST"] or "127.0.0.1",
        port=server["PORT"] or 5432,
        user=server["USER"],
        password=server["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


@contextmanager
def postgres_databases(*suffixes: str):
    """Empty scratch databases named after this run's test database (so parallel runs
    with other names never collide), dropped afterwards."""
    server = _server()
    base = server["NAME"]
    names = [f"{base}_{suffix}" for suffix in suffixes]
    with _admin_connection() as connection:
        for name in names:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    user = server["USER"]
    password = f":{server['PASSWORD']}" if server["PASSWORD"] else ""
    host, port = server["HOST"] or "127.0.0.1", server["PORT"] or 5432
    try:
        yield [f"postgres://{user}{password}@{host}:{port}/{name}" for name in names]
    finally:
        with _admin_connection() as connection:
            for name in names:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
