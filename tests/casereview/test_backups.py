"""backup and restore, as operators run them: round trips on SQLite (a file database) and
PostgreSQL with a writer saving during the backup, and every refusal in one line."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from tests.scratch import (
    ROOT,
    demo_database,
    environment,
    manage,
    postgres_databases,
    script,
    sqlite_url,
    state,
)

WRITER_SETUP = """
from inspection.models import Framework, Inspection, Unit
Inspection.objects.create(
    slug="writer-2024", unit=Unit.objects.first(), framework=Framework.objects.first(),
    fieldwork_start="2024-01-01",
)
"""

# Saves a new case (and, in the same transaction, its history row) until told to stop.
WRITER = """
import itertools, os, pathlib
from django.db import transaction
from casereview.models import Case
from inspection.models import Inspection
inspection = Inspection.objects.get(slug="writer-2024")
ready, stop = pathlib.Path(os.environ["WRITER_READY"]), pathlib.Path(os.environ["WRITER_STOP"])
for number in itertools.count():
    if stop.exists():
        break
    with transaction.atomic():
        Case.objects.create(
            inspection=inspection, reference=f"W{number:06}", case_type="community", rosh="low"
        )
    if number == 20:
        ready.touch()
"""

WRITER_CASES = """
from casereview.models import Case
cases = Case.objects.filter(inspection__slug="writer-2024")
history = Case.history.filter(inspection__slug="writer-2024")
print("WRITER", cases.count(), history.count())
"""

# The tables the writer adds rows to while the backup runs.
WRITTEN = {"casereview_case", "casereview_historicalcase"}


def writer_counts(database_url: str) -> tuple[int, int]:
    output = script(database_url, WRITER_CASES).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRITER "))
    cases, history = line.split()[1:]
    return int(cases), int(history)


def backup_while_writing(source: str, archive: Path, tmp_path: Path) -> None:
    script(source, WRITER_SETUP)
    ready, stop = tmp_path / "writer-ready", tmp_path / "writer-stop"
    writer = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", WRITER],
        cwd=ROOT,
        env=environment(source, WRITER_READY=str(ready), WRITER_STOP=str(stop)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not ready.exists():
            assert writer.poll() is None, writer.stderr.read()
            assert time.monotonic() < deadline, "the writer never got going"
            time.sleep(0.1)
        manage(source, "backup", str(archive))
        assert writer.poll() is None, "the writer stopped before the backup finished"
    finally:
        stop.touch()
        writer.wait(timeout=60)
    assert writer.returncode == 0, writer.stderr.read()


def assert_round_trip(source: str, target: str, archive: Path, tmp_path: Path) -> None:
    demo_database(source)
    before = state(source)
    backup_while_writing(source, archive, tmp_path)
    after = state(source)

    restored = manage(target, "restore", str(archive))
    assert "restored" in restored.stdout
    copy = state(target)

    # The demo inspections' figures, exactly; the writer's inspection as it stood.
    for slug, summary in before["summaries"].items():
        assert copy["summaries"][slug] == summary
    assert set(copy["summaries"]) == {*before["summaries"], "writer-2024"}
    # Every table the writer left alone has every row; its own have a consistent prefix:
    # each case it saved came with its history row, none half-written.
    for table, count in after["counts"].items():
        if table not in WRITTEN:
            assert copy["counts"][table] == count, table
    cases, history = writer_counts(target)
    written, _ = writer_counts(source)
    assert 20 < cases <= written
    assert history == cases
    assert copy["counts"]["casereview_keyquestionanswer"] > 800
    assert copy["counts"]["casereview_historicalkeyquestionanswer"] > 800


def test_sqlite_round_trip_while_a_writer_saves(tmp_path):
    archive = tmp_path / "backup.tar"
    source, target = sqlite_url(tmp_path / "source.sqlite3"), sqlite_url(tmp_path / "t.sqlite3")

    assert_round_trip(source, target, archive, tmp_path)

    with tarfile.open(archive) as backup:
        assert sorted(backup.getnames()) == ["database.sqlite3", "manifest.json"]
        manifest = json.loads(backup.extractfile("manifest.json").read())
    assert manifest["engine"] == "sqlite"
    assert "0004_evidence_erasure" in manifest["migrations"]["casereview"]


@pytest.mark.postgres_only
def test_postgresql_round_trip_while_a_writer_saves(tmp_path):
    archive = tmp_path / "backup.tar"
    with postgres_databases("backup_source", "backup_target") as (source, target):
        assert_round_trip(source, target, archive, tmp_path)

        with tarfile.open(archive) as backup:
            assert sorted(backup.getnames()) == ["database.pgdump", "manifest.json"]

        # Over the now non-empty target: refused, saying what it would replace.
        refused = manage(target, "restore", str(archive), check=False)
        assert refused.returncode == 1
        assert re.search(
            r"the database is not empty \(4 inspections, [\d,]+ cases, [\d,]+ answers, "
            r"5 users\): restore --force replaces all of it",
            refused.stderr,
        )
        forced = manage(target, "restore", str(archive), "--force")
        assert re.search(r"restored the postgresql backup .*: 4 inspections", forced.stdout)

        # A SQLite backup is not restored into PostgreSQL.
        sqlite_archive = tmp_path / "sqlite.tar"
        other = sqlite_url(tmp_path / "other.sqlite3")
        manage(other, "migrate", "--no-input", "-v", "0")
        manage(other, "backup", str(sqlite_archive))
        crossed = manage(target, "restore", str(sqlite_archive), check=False)
        assert crossed.returncode == 1
        assert crossed.stderr.strip().splitlines()[-1] == (
            "CommandError: this is a SQLite backup and the configured database is "
            "PostgreSQL: restore it into a SQLite database"
        )


def test_restore_over_a_database_with_data_is_refused_unless_forced(tmp_path):
    archive = tmp_path / "backup.tar"
    source = sqlite_url(tmp_path / "source.sqlite3")
    demo_database(source)
    manage(source, "backup", str(archive))
    script(source, WRITER_SETUP)  # something the backup does not have
    before = state(source)

    refused = manage(source, "restore", str(archive), check=False)

    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines()[-1] == (
        "CommandError: the database is not empty (4 inspections, 99 cases, 1,282 answers, "
        "5 users): restore --force replaces all of it with the backup"
    )
    assert state(source) == before

    manage(source, "restore", str(archive), "--force")
    assert "writer-2024" not in state(source)["summaries"]


def doctored(archive: Path, into: Path, change) -> None:
    with tarfile.open(archive) as original, tarfile.open(into, "w") as copy:
        for member in original.getmembers():
            data = original.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            copy.addfile(member, io.BytesIO(data))


def test_a_backup_from_a_newer_version_is_refused_and_an_older_one_migrated(tmp_path):
    archive, newer = tmp_path / "backup.tar", tmp_path / "newer.tar"
    source = sqlite_url(tmp_path / "source.sqlite3")
    manage(source, "migrate", "--no-input", "-v", "0")
    # The schema as it was before the evidence erasure record existed.
    manage(source, "migrate", "casereview", "0003_second_marking", "--no-input", "-v", "0")
    manage(source, "backup", str(archive))
    doctored(
        archive,
        newer,
        lambda manifest: manifest["migrations"]["casereview"].append("0099_from_the_future"),
    )

    target_path = tmp_path / "target.sqlite3"
    target = sqlite_url(target_path)
    refused = manage(target, "restore", str(newer), check=False)
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines()[-1] == (
        "CommandError: the backup is from a newer version (0.1.0, migration "
        "casereview.0099_from_the_future) than this one (0.1.0): upgrade, then restore"
    )

    manage(target, "restore", str(archive))
    applied = manage(target, "showmigrations", "casereview").stdout
    assert "[X] 0004_evidence_erasure" in applied


def test_bad_paths_get_one_line(tmp_path):
    database = sqlite_url(tmp_path / "db.sqlite3")
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")

    missing = manage(database, "restore", str(tmp_path / "nothing.tar"), check=False)
    wrong = manage(database, "restore", str(not_a_backup), check=False)
    nowhere = manage(database, "backup", str(tmp_path / "no" / "such" / "b.tar"), check=False)

    assert missing.stderr.strip().splitlines()[-1].endswith("nothing.tar: no such file")
    assert (
        wrong.stderr.strip()
        .splitlines()[-1]
        .endswith("notes.txt is not a backup made by the backup command")
    )
    assert nowhere.stderr.strip().splitlines()[-1].endswith("no/such is not a directory")
    assert {missing.returncode, wrong.returncode, nowhere.returncode} == {1}
