"""gunicorn with the production settings (DEBUG off, WhiteNoise's hashed and compressed static
files, secure cookies behind a TLS proxy) on PostgreSQL, used over HTTP as a person would: sign
in, the children register, a child, the dashboard, and a static file."""

import re
import subprocess
import sys

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from aptrack.accounts.tests.factories import PASSWORD
from aptrack.ops.production_server import HOST, free_port, gunicorn, production_env

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="production runs on PostgreSQL"),
    # Gunicorn reads what the test commits. serialized_rollback restores the reference data (LAs)
    # a transactional test before it flushed, and keeps post_migrate from re-adding content types
    # that the next serialized test would then load twice.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def static_root(tmp_path):
    """The static files as `aptrack collectstatic` leaves them (hashed, compressed); Swagger's
    and the admin's are left out to keep this quick, as the pages here use neither."""
    env = _production_env(tmp_path, port=0)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "aptrack.manage",
            "collectstatic",
            "--no-input",
            "-v0",
            "-i",
            "ninja",
            "-i",
            "admin",
            "-i",
            "*.map",
        ],
        env=env,
        check=True,
        timeout=120,
    )
    # The sessions' cache table, which `aptrack migrate` makes under production settings (the
    # test database was migrated with the tests' in-memory cache).
    subprocess.run(
        [sys.executable, "-m", "aptrack.manage", "createcachetable"],
        env=env,
        check=True,
        timeout=60,
    )
    return tmp_path / "static"


def _production_env(tmp_path, *, port: int) -> dict[str, str]:
    db = connection.settings_dict
    return production_env(
        database_url=f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or HOST}:{db['PORT'] or 5432}/{db['NAME']}",
        static_root=tmp_path / "static",
        port=port,
    )


@pytest.fixture
def server(tmp_path, static_root):
    port = free_port()
    with gunicorn(_production_env(tmp_path, port=port), port=port) as (browser, output):
        yield browser
    assert "Traceback" not in output[0], output[0]


def test_gunicorn_serves_the_service_with_production_settings(server, world):
    user = world.officer_a
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "productionsalt")  # a production hasher
    user.save(update_fields=["password"])

    # Plain HTTP (no proxy saying it was HTTPS) is sent to HTTPS.
    response, _ = server.request("GET", "/accounts/sign-in/", headers={"X-Forwarded-Proto": "http"})
    assert response.status == 301 and response.getheader("Location").startswith("https://")

    response, page = server.request("GET", "/accounts/sign-in/")
    assert response.status == 200
    assert response.getheader("Strict-Transport-Security")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    response, _ = server.request(
        "POST",
        "/accounts/sign-in/",
        {"csrfmiddlewaretoken": token, "username": user.username, "password": PASSWORD},
    )
    assert response.status == 302, "signed in"
    session_cookie = next(c for c in server.set_cookies if c.startswith("sessionid="))
    assert "Secure" in session_cookie and "HttpOnly" in session_cookie

    response, page = server.request("GET", "/children/")
    assert response.status == 200
    assert world.child_a.legal_last_name.encode() in page
    assert response.getheader("X-Request-ID")

    response, page = server.request("GET", f"/children/{world.child_a.pk}/")
    assert response.status == 200 and world.child_a.legal_first_name.encode() in page
    response, _ = server.request("GET", f"/children/{world.child_b.pk}/")
    assert response.status == 404, "another LA's child stays hidden"

    response, page = server.request("GET", "/oversight/")
    assert response.status == 200

    stylesheet = re.search(rb'href="(/static/vendor/govuk-frontend\.min\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "pages link the hashed name"
    response, css = server.request(
        "GET", stylesheet.group(1).decode(), headers={"Accept-Encoding": "gzip"}
    )
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert "immutable" in response.getheader(
        "Cache-Control"
    )  # WhiteNoise: hashed names kept forever
