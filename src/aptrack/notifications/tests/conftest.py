"""A fake GOV.UK Notify: a tiny HTTP server answering the v2 send endpoints with Notify's JSON,
recording each request, so the official client is exercised over real HTTP."""

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import timezone

from aptrack.alerts.models import Alert
from aptrack.placements.models import Placement

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
NOTIFY_KEY = f"aptrack_test-{SERVICE_ID}-3d844edf-8d35-48ac-975b-e847b4f122b0"


class FakeNotify:
    def __init__(self) -> None:
        self.requests: list[tuple[str, dict, dict]] = []
        self.fail_with: int | None = None
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append((self.path, dict(self.headers), body))
                if fake.fail_with:
                    status, answer = (
                        fake.fail_with,
                        {
                            "status_code": fake.fail_with,
                            "errors": [{"error": "BadRequestError", "message": "Can't send"}],
                        },
                    )
                else:
                    status, answer = (
                        201,
                        {
                            "id": str(uuid.uuid4()),
                            "reference": body.get("reference"),
                            "content": {"body": body["personalisation"].get("body", "")},
                            "uri": f"https://api.notifications.service.gov.uk{self.path}",
                            "template": {"id": body["template_id"], "version": 1, "uri": ""},
                        },
                    )
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_notify(settings):
    fake = FakeNotify()
    settings.NOTIFY_API_KEY = NOTIFY_KEY
    settings.NOTIFY_BASE_URL = fake.url
    settings.NOTIFY_TEMPLATES = {
        "email": "f33517ff-2a88-4f6e-b855-c550268ce08a",
        "sms": "9d751e0e-f929-4891-82a1-a5e6d4f3e7a9",
    }
    yield fake
    fake.close()


def make_alert(world, *, kind: str = "WHEREABOUTS_UNKNOWN", **fields) -> Alert:
    placement = Placement.objects.get(child=world.child_a)
    return Alert.objects.create(
        kind=kind,
        child=world.child_a,
        placement=placement,
        local_authority=world.child_a.home_la,
        session_date=timezone.localdate(),
        session="AM",
        reason="No mark by the cut-off",
        raised_at=timezone.now(),
        **fields,
    )


@pytest.fixture
def emails(world):
    for persona in ("officer_a", "manager_a", "social_worker", "officer_b", "qa_lead_a"):
        user = getattr(world, persona)
        user.email = f"{persona}@example.org"
        user.save()
    return world
