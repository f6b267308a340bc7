"""Settings come from the environment; production refuses the development key."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT_DATABASE = (
    "import json, django; from django.conf import settings; django.setup();"
    "db = settings.DATABASES['default'];"
    "print(json.dumps({k: str(db.get(k)) for k in ('ENGINE', 'NAME', 'HOST', 'PORT', 'USER')}))"
)


def run_with_env(code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_sqlite_under_var_is_the_default():
    result = run_with_env(PRINT_DATABASE)
    assert result.returncode == 0, result.stderr
    database = json.loads(result.stdout)
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(ROOT / "var" / "db.sqlite3")


def test_database_url_selects_postgresql():
    result = run_with_env(
        PRINT_DATABASE, DATABASE_URL="postgres://someone@db.internal:6543/inspections"
    )
    assert result.returncode == 0, result.stderr
    database = json.loads(result.stdout)
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["HOST"], database["PORT"], database["USER"]) == (
        "inspections",
        "db.internal",
        "6543",
        "someone",
    )


def test_debug_off_with_the_development_key_refuses_to_start():
    result = run_with_env("import django; django.setup()", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_debug_off_with_a_real_key_starts():
    result = run_with_env(
        "import django; django.setup()", DEBUG="false", SECRET_KEY="x" * 60, ALLOWED_HOSTS="a.b"
    )
    assert result.returncode == 0, result.stderr


def test_a_malformed_boolean_is_refused_loudly():
    result = run_with_env("import django; django.setup()", DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_health_checks_time_zone_and_aware_datetimes(settings):
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert settings.USE_TZ is True
    assert settings.TIME_ZONE == "Europe/London"


def test_a_negative_trusted_proxy_count_is_refused_loudly():
    result = run_with_env("import django; django.setup()", TRUSTED_PROXY_COUNT="-1")
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be 0 or more" in result.stderr


def test_the_trusted_proxy_count_is_read_from_the_environment():
    code = "import django; from django.conf import settings; print(settings.TRUSTED_PROXY_COUNT)"
    assert run_with_env(code).stdout.strip() == "0"
    assert run_with_env(code, TRUSTED_PROXY_COUNT="1").stdout.strip() == "1"
