"""gunicorn with the production settings on a free loopback port, and a plain HTTP client that
keeps cookies as a browser behind a TLS-ending proxy would. Used by the production-server test
and by the load bench (`bench.load`)."""

import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

HOST = "127.0.0.1"
PROJECT_DIR = Path(__file__).resolve().parents[3]
SERVER_DID_NOT_START = "gunicorn did not start:\n{output}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Browser:
    """Plain HTTP as a TLS-ending proxy would forward it, keeping cookies (Secure ones too)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.set_cookies: list[str] = []

    def request(
        self,
        method: str,
        path: str,
        body: dict | None = None,
        headers: dict | None = None,
        *,
        json_body: bytes | None = None,
    ):
        conn = http.client.HTTPConnection(HOST, self.port, timeout=20)
        sent = {"X-Forwarded-Proto": "https", "Host": f"{HOST}:{self.port}", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data: str | bytes | None = json_body
        if json_body is not None:
            sent["Content-Type"] = "application/json"
        elif body is not None:
            data = urlencode(body)
            sent.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": f"https://{HOST}:{self.port}",
                    "Referer": f"https://{HOST}:{self.port}{path}",
                }
            )
        try:
            conn.request(method, path, body=data, headers=sent)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.set_cookies.append(header)
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response, content


def production_env(
    *, database_url: str, static_root: Path, port: int, workers: int = 2, **extra: str
) -> dict[str, str]:
    """The environment of a production install (DEBUG off, behind a TLS proxy) on `database_url`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "APTRACK_TESTING", "MIGRATE_DATABASE_URL"}
    }
    env.update(
        SECRET_KEY="s" * 60 + "-production-like-secret",
        DATABASE_URL=database_url,
        ALLOWED_HOSTS=HOST,
        BEHIND_PROXY="true",
        STATIC_ROOT=str(static_root),
        GUNICORN_BIND=f"{HOST}:{port}",
        GUNICORN_WORKERS=str(workers),
        LOG_LEVEL="WARNING",
        **extra,
    )
    return env


@contextmanager
def gunicorn(
    env: dict[str, str], *, port: int, start_within: float = 30
) -> Iterator[tuple[Browser, list[str]]]:
    """gunicorn serving with `env` (from `production_env`) until the block ends; yields a client
    and a list that holds, once the block has ended, the server's output."""
    # Output to a file, not a pipe: a pipe nobody reads until the end fills and stops the server.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(PROJECT_DIR / "gunicorn.conf.py")],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

        def read_log() -> str:
            log.seek(0)
            return log.read().decode(errors="replace")

        deadline = time.monotonic() + start_within
        while True:
            try:
                response, _ = Browser(port).request("GET", "/healthz")
                if response.status == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                process.wait()
                raise RuntimeError(SERVER_DID_NOT_START.format(output=read_log()))
            time.sleep(0.3)
        output: list[str] = []
        try:
            yield Browser(port), output
        finally:
            process.terminate()
            process.wait(timeout=30)
            output.append(read_log())
