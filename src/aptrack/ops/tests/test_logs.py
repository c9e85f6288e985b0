import json
import logging

import pytest

from aptrack.ops.logs import JsonFormatter

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """Every log line written while the test runs, formatted as production writes them."""

    class Collect(logging.Handler):
        def __init__(self):
            super().__init__(level=logging.DEBUG)
            self.setFormatter(JsonFormatter())
            self.lines: list[str] = []

        def emit(self, record):
            self.lines.append(self.format(record))

    handler = Collect()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler.lines
    finally:
        root.removeHandler(handler)


def test_each_line_carries_the_request_id_sent_by_the_proxy(client, world, log_lines):
    client.force_login(world.officer_a)
    response = client.get("/children/", headers={"X-Request-ID": "proxy-abc.123"})
    assert response["X-Request-ID"] == "proxy-abc.123"
    lines = [json.loads(line) for line in log_lines]
    assert lines, "the request was logged"
    assert all(line["request_id"] == "proxy-abc.123" for line in lines)
    request_line = next(line for line in lines if line["logger"] == "aptrack.requests")
    assert request_line["path"] == "/children/"
    assert request_line["status"] == 200
    assert request_line["user_id"] == world.officer_a.pk


def test_a_request_without_an_id_gets_a_new_one_per_request(client, log_lines):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert first and second and first != second
    ids = {json.loads(line)["request_id"] for line in log_lines}
    assert ids == {first, second}


def test_an_unsafe_request_id_header_is_replaced(client):
    response = client.get("/healthz", headers={"X-Request-ID": "bad id\nforged: line"})
    assert response["X-Request-ID"] != "bad id\nforged: line"
    assert len(response["X-Request-ID"]) == 32


def test_lines_hold_paths_never_query_strings_or_names(client, world, log_lines):
    client.force_login(world.officer_a)
    client.get("/children/", {"q": world.child_a.legal_last_name})
    client.get("/no-such-page/", {"name": world.child_a.legal_first_name})
    text = "\n".join(log_lines)
    assert world.child_a.legal_last_name not in text
    assert world.child_a.legal_first_name not in text
    assert "officer_a" not in text
    assert all(json.loads(line) for line in log_lines)  # one JSON object per line
    assert any('"path": "/no-such-page/"' in line and '"status": 404' in line for line in log_lines)


def test_lines_outside_a_request_have_no_request_id():
    record = logging.makeLogRecord(
        {"name": "aptrack.test", "levelname": "WARNING", "msg": "Not Found: /x?q=Smith"}
    )
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] is None
    assert line["message"] == "Not Found: /x"
