"""The documented production settings (.env.example) pass Django's deployment checks, and
.env.example names every setting aptrack reads from the environment."""

import os
import re
import subprocess
import sys

from django.conf import settings

ENV_EXAMPLE = settings.PROJECT_DIR / ".env.example"
READERS = re.compile(
    r'(?:environ\.get|env_bool|env_int|env_list|env_secret|environ\[)\(?\s*"([A-Z][A-Z0-9_]+)"'
)
INTERNAL = {"APTRACK_TESTING"}  # set by the test suite only


def documented() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = re.match(r"^(#\s?)?([A-Z][A-Z0-9_]+)=(.*)$", line)
        if match:
            values.setdefault(match.group(2), match.group(3) if not match.group(1) else None)
    return values


def test_env_example_names_every_setting_read_from_the_environment():
    read = set()
    for source in (
        settings.BASE_DIR / "config" / "settings.py",
        settings.PROJECT_DIR / "gunicorn.conf.py",
    ):
        read |= set(READERS.findall(source.read_text()))
    assert "SENTRY_DSN" in read and "GUNICORN_WORKERS" in read
    assert read - INTERNAL - set(documented()) == set()


def test_check_deploy_prints_no_warning_with_the_documented_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "APTRACK_TESTING"}}
    env.update({name: value for name, value in documented().items() if value is not None})
    env.update(
        SECRET_KEY="k" * 64 + "-the-one-setting-left-blank-in-the-example",
        DATABASE_URL="",  # SQLite here: the checks are the same
        SQLITE_PATH=str(tmp_path / "check.sqlite3"),
        STATIC_ROOT=str(tmp_path / "static"),
    )
    assert env["DEBUG"] == "false" and env["SECURE_SSL_REDIRECT"] == "true"
    result = subprocess.run(
        [sys.executable, "-m", "aptrack.manage", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr
