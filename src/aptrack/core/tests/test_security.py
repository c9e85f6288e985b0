import os
import subprocess
import sys

import pytest
from django.urls import reverse

from aptrack.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"]["status"] == "ok"


def test_pages_send_security_headers(client, world):
    client.force_login(world.officer_a)
    response = client.get(reverse("children:list"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert "camera=()" in response["Permissions-Policy"]


def test_the_inline_script_carries_the_csp_nonce(client, world):
    client.force_login(world.officer_a)
    response = client.get(reverse("core:home"))
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_post_without_csrf_token_is_refused(world):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.officer_a)
    assert strict.post(reverse("children:new"), {}).status_code == 403


def test_sign_in_and_lockout_after_repeated_failures(client, world, settings):
    url = reverse("accounts:login")
    response = client.post(url, {"username": "officer_a", "password": "wrong"})
    assert "Enter a correct username and password" in response.content.decode()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(url, {"username": "officer_a", "password": "wrong"})
    response = client.post(url, {"username": "officer_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()


def test_sign_in_with_the_right_password(client, world):
    response = client.post(
        reverse("accounts:login"), {"username": "officer_a", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200


def test_sign_out_needs_post_and_ends_the_session(client, world):
    client.force_login(world.officer_a)
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("core:home")).status_code == 302


def _aptrack(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "aptrack.manage", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_production_settings_refuse_to_start_without_secret_key(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "APTRACK_TESTING"}
    }
    env["SQLITE_PATH"] = str(tmp_path / "x.sqlite3")
    result = _aptrack("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "APTRACK_TESTING"}}
    env.update(
        SECRET_KEY="x" * 64 + "production-like-secret-for-the-check",
        ALLOWED_HOSTS="aptrack.example.gov.uk",
        SQLITE_PATH=str(tmp_path / "x.sqlite3"),
        STATIC_ROOT=str(tmp_path / "static"),
    )
    result = _aptrack("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_a_session_in_use_is_renewed_at_most_once_a_minute(client, world):
    import datetime as dt

    import time_machine
    from django.contrib.sessions.models import Session

    def expiry():
        return Session.objects.get(session_key=client.session.session_key).expire_date

    with time_machine.travel(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        client.force_login(world.officer_a)
        client.get("/")
        first = expiry()
        clock.move_to(dt.datetime(2026, 11, 23, 9, 0, 30, tzinfo=dt.UTC))
        client.get("/")
        assert expiry() == first  # 30 seconds on: not written again
        clock.move_to(dt.datetime(2026, 11, 23, 9, 25, tzinfo=dt.UTC))
        assert client.get("/").status_code == 200  # 25 minutes idle: still signed in, and renewed
        assert expiry() == first + dt.timedelta(minutes=25)
        clock.move_to(dt.datetime(2026, 11, 23, 9, 56, tzinfo=dt.UTC))
        response = client.get("/")  # 31 minutes idle: signed out
        assert response.status_code == 302 and "sign-in" in response.url
