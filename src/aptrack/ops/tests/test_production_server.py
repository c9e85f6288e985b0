"""gunicorn with the production settings (DEBUG off, WhiteNoise's hashed and compressed static
files, secure cookies behind a TLS proxy) on PostgreSQL, used over HTTP as a person would: sign
in, the children register, a child, the dashboard, and a static file."""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from aptrack.accounts.tests.factories import PASSWORD

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="production runs on PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Browser:
    """Plain HTTP as a TLS-ending proxy would forward it, keeping cookies (Secure ones too)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.set_cookies: list[str] = []

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection(HOST, self.port, timeout=20)
        sent = {"X-Forwarded-Proto": "https", "Host": f"{HOST}:{self.port}", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            sent.update({
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://{HOST}:{self.port}",
                "Referer": f"https://{HOST}:{self.port}{path}",
            })
        conn.request(method, path, body=data, headers=sent)
        response = conn.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.set_cookies.append(header)
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        conn.close()
        return response, content


@pytest.fixture
def static_root(tmp_path):
    """The static files as `aptrack collectstatic` leaves them (hashed, compressed); Swagger's
    and the admin's are left out to keep this quick, as the pages here use neither."""
    env = _production_env(tmp_path, port=0)
    subprocess.run(
        [sys.executable, "-m", "aptrack.manage", "collectstatic", "--no-input", "-v0",
         "-i", "ninja", "-i", "admin", "-i", "*.map"],
        env=env, check=True, timeout=120,
    )
    # The sessions' cache table, which `aptrack migrate` makes under production settings (the
    # test database was migrated with the tests' in-memory cache).
    subprocess.run([sys.executable, "-m", "aptrack.manage", "createcachetable"], env=env, check=True, timeout=60)
    return tmp_path / "static"


def _production_env(tmp_path, *, port: int) -> dict[str, str]:
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "APTRACK_TESTING", "MIGRATE_DATABASE_URL"}}
    env.update(
        SECRET_KEY="s" * 60 + "-production-like-secret",
        DATABASE_URL=f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or HOST}:{db['PORT'] or 5432}/{db['NAME']}",
        ALLOWED_HOSTS=HOST,
        BEHIND_PROXY="true",
        STATIC_ROOT=str(tmp_path / "static"),
        GUNICORN_BIND=f"{HOST}:{port}",
        GUNICORN_WORKERS="2",
        LOG_LEVEL="WARNING",
    )
    return env


@pytest.fixture
def server(tmp_path, static_root):
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(settings.PROJECT_DIR / "gunicorn.conf.py")],
        cwd=settings.PROJECT_DIR,
        env=_production_env(tmp_path, port=port),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            response, _ = Browser(port).request("GET", "/healthz")
            if response.status == 200:
                break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"gunicorn did not start:\n{process.communicate()[0].decode()}")
        time.sleep(0.3)
    yield Browser(port)
    process.terminate()
    output = process.communicate(timeout=30)[0].decode()
    assert "Traceback" not in output, output


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
        "POST", "/accounts/sign-in/",
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
    response, css = server.request("GET", stylesheet.group(1).decode(), headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert "immutable" in response.getheader("Cache-Control")  # WhiteNoise: hashed names kept forever
