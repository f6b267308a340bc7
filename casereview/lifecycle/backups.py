"""Backups of the whole database, and restoring them.

A backup is ONE tar file holding `manifest.json` (the engine, the application's version
and every migration applied in the copied database) and the copy itself, so a copy can
never be separated from the schema version it was taken at:

- SQLite: `database.sqlite3`, made with SQLite's online backup API (a consistent copy
  while the service keeps writing; a file copy could catch a page half-written);
- PostgreSQL: `database.pgdump`, `pg_dump --format=custom` (one snapshot, the tool
  operators already trust), restored with `pg_restore`.

A restore goes into an empty database (or, with `force`, replaces what is there); a backup
from an older schema is migrated forward afterwards, one from a newer schema is refused
before anything is touched.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.db import connections
from django.db.migrations.loader import MigrationLoader

FORMAT = 1
MANIFEST = "manifest.json"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

# What a restore would replace, named for the operator: (label, app label, model name).
CONTENTS = (
    ("inspections", "inspection", "Inspection"),
    ("cases", "casereview", "Case"),
    ("answers", "casereview", "KeyQuestionAnswer"),
    ("users", "auth", "User"),
)


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message is one line for the operator."""


@dataclass(frozen=True)
class Manifest:
    engine: str
    app_version: str
    created_at: str
    migrations: dict[str, list[str]]

    def as_json(self) -> bytes:
        document = {
            "format": FORMAT,
            "engine": self.engine,
            "app_version": self.app_version,
            "created_at": self.created_at,
            "migrations": self.migrations,
        }
        return json.dumps(document, indent=2, sort_keys=True).encode()

    def latest(self) -> dict[str, str]:
        return {app: names[-1] for app, names in self.migrations.items() if names}


def app_version() -> str:
    try:
        return metadata.version("casereview")
    except metadata.PackageNotFoundError:
        return "unknown"


def engine_of(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in DUMPS:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def _migrations_from_rows(rows) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in rows:
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _applied_in(alias: str) -> dict[str, list[str]]:
    connection = connections[alias]
    if "django_migrations" not in connection.introspection.table_names():
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        return _migrations_from_rows(cursor.fetchall())


def _manifest(engine: str, migrations: dict[str, list[str]]) -> Manifest:
    return Manifest(
        engine=engine,
        app_version=app_version(),
        created_at=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        migrations=migrations,
    )


def _write_archive(path: Path, manifest: Manifest, dump: Path) -> None:
    """Written beside the target and renamed into place: a backup interrupted half-way
    never leaves a file that looks complete."""
    partial = path.with_name(path.name + ".partial")
    with tarfile.open(partial, "w") as archive:
        data = manifest.as_json()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        info.mtime = int(datetime.datetime.now().timestamp())
        archive.addfile(info, io.BytesIO(data))
        archive.add(dump, arcname=DUMPS[manifest.engine])
    os.replace(partial, path)


def _pg_environment(alias: str) -> tuple[dict[str, str], str]:
    settings = connections[alias].settings_dict
    environment = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings.get(key):
            environment[variable] = str(settings[key])
    return environment, settings["NAME"]


def _run(command: list, environment: dict[str, str]) -> str:
    """Run one of PostgreSQL's client tools (found on PATH, as operators run them)."""
    try:
        result = subprocess.run(  # noqa: S603 - fixed arguments, never shell
            command, env=environment, capture_output=True, text=True
        )
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL's client tools)") from None
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines() or ["no message"]
        raise BackupError(f"{command[0]} failed: {lines[-1]}")
    return result.stdout


def backup(path: str | os.PathLike, *, alias: str = "default") -> Manifest:
    """Write a consistent copy of the database at `path` while the service keeps running."""
    path = Path(path)
    if not path.parent.is_dir():
        raise BackupError(f"{path.parent} is not a directory")
    engine = engine_of(alias)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".backup-") as scratch:
        dump = Path(scratch) / DUMPS[engine]
        if engine == "sqlite":
            migrations = _sqlite_backup(alias, dump)
        else:
            environment, name = _pg_environment(alias)
            _run(
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "-f", dump, name],
                environment,
            )
            migrations = _pg_dump_migrations(dump, environment)
        manifest = _manifest(engine, migrations)
        _write_archive(path, manifest, dump)
    return manifest


def _sqlite_backup(alias: str, dump: Path) -> dict[str, list[str]]:
    source = sqlite3.connect(connections[alias].settings_dict["NAME"], timeout=20)
    target = sqlite3.connect(dump)
    try:
        # Copies every page in one step under a read transaction: in WAL mode writers go
        # on meanwhile, and the copy is the database as of that transaction's start.
        source.backup(target)
        # The schema version comes from the copy itself, so it matches the data exactly.
        rows = target.execute("SELECT app, name FROM django_migrations").fetchall()
    except sqlite3.OperationalError as error:
        raise BackupError(f"the database could not be copied: {error}") from None
    finally:
        target.close()
        source.close()
    return _migrations_from_rows(rows)


def _pg_dump_migrations(dump: Path, environment: dict[str, str]) -> dict[str, list[str]]:
    """The schema version read from the dump itself, so it matches the data exactly."""
    script = _run(
        ["pg_restore", "--data-only", "--table=django_migrations", "-f", "-", dump], environment
    )
    rows, copying = [], False
    for line in script.splitlines():
        if line.startswith("COPY ") and "django_migrations" in line:
            columns = line[line.index("(") + 1 : line.index(")")].split(", ")
            app, name = columns.index("app"), columns.index("name")
            copying = True
        elif copying and line == "\\.":
            break
        elif copying:
            values = line.split("\t")
            rows.append((values[app], values[name]))
    return _migrations_from_rows(rows)


def read_manifest(path: str | os.PathLike) -> Manifest:
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    try:
        with tarfile.open(path) as archive:
            member = archive.extractfile(MANIFEST)
            if member is None:
                raise BackupError(f"{path}: not a backup (its manifest is not a file)")
            document = json.loads(member.read())
        return Manifest(
            engine=document["engine"],
            app_version=document["app_version"],
            created_at=document["created_at"],
            migrations={app: list(names) for app, names in document["migrations"].items()},
        )
    except (tarfile.TarError, KeyError, AttributeError, TypeError, ValueError):
        raise BackupError(f"{path} is not a backup made by the backup command") from None


def contents(alias: str = "default") -> dict[str, int]:
    """How many inspections, cases, answers and users the database holds."""
    connection = connections[alias]
    tables = set(connection.introspection.table_names())
    counts = {}
    for label, app_label, model_name in CONTENTS:
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        if model._meta.db_table in tables:
            counts[label] = model._default_manager.using(alias).count()
    return counts


def _describe(counts: dict[str, int]) -> str:
    return ", ".join(f"{number:,} {label}" for label, number in counts.items())


def newer_migrations(manifest: Manifest) -> list[str]:
    """The backup's migrations this code does not have: it was made by a newer version."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [
        f"{app}.{name}"
        for app, names in manifest.migrations.items()
        for name in names
        if (app, name) not in known
    ]


def check_restorable(path, *, alias: str = "default", force: bool = False) -> Manifest:
    """Everything a restore checks before it touches the database."""
    manifest = read_manifest(path)
    engine = engine_of(alias)
    if manifest.engine != engine:
        raise BackupError(
            f"this is a {ENGINES.get(manifest.engine, manifest.engine)} backup and the "
            f"configured database is {ENGINES[engine]}: restore it into a "
            f"{ENGINES.get(manifest.engine, manifest.engine)} database"
        )
    newer = newer_migrations(manifest)
    if newer:
        raise BackupError(
            f"the backup is from a newer version ({manifest.app_version}, migration "
            f"{newer[0]}) than this one ({app_version()}): upgrade, then restore"
        )
    counts = contents(alias)
    if not force and any(counts.values()):
        raise BackupError(
            f"the database is not empty ({_describe(counts)}): "
            "restore --force replaces all of it with the backup"
        )
    return manifest


def restore(path, *, alias: str = "default", force: bool = False) -> Manifest:
    """Replace the database with the backup, then migrate it to this version's schema."""
    manifest = check_restorable(path, alias=alias, force=force)
    with tempfile.TemporaryDirectory(prefix="restore-") as scratch:
        with tarfile.open(path) as archive:
            archive.extract(DUMPS[manifest.engine], scratch, filter="data")
        dump = Path(scratch) / DUMPS[manifest.engine]
        connections[alias].close()
        if manifest.engine == "sqlite":
            _sqlite_restore(alias, dump)
        else:
            _postgresql_restore(alias, dump)
    connections[alias].close()
    call_command("migrate", database=alias, interactive=False, verbosity=0)
    return manifest


def _sqlite_restore(alias: str, dump: Path) -> None:
    source = sqlite3.connect(dump)
    target = sqlite3.connect(connections[alias].settings_dict["NAME"], timeout=20)
    try:
        # The backup API replaces every page of the target, tables a newer schema added
        # included, so the result is exactly the backup.
        source.backup(target)
    finally:
        target.close()
        source.close()


def _postgresql_restore(alias: str, dump: Path) -> None:
    connection = connections[alias]
    with connection.cursor() as cursor:
        # Tables the backup does not have (added by a later migration) would make the
        # migrate afterwards fail, so the schema is emptied first.
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        tables = [row[0] for row in cursor.fetchall()]
        if tables:
            quoted = ", ".join(connection.ops.quote_name(table) for table in tables)
            cursor.execute(f"DROP TABLE {quoted} CASCADE")
    connection.close()
    environment, name = _pg_environment(alias)
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "-d",
            name,
            dump,
        ],
        environment,
    )
