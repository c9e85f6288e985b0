"""Sentry starts only when SENTRY_DSN is set, and then without personal data."""

import json
import os
import subprocess
import sys

from aptrack.ops.errors import _scrub

PROBE = (
    "import json, django; django.setup(); import sentry_sdk; from django.conf import settings; "
    "client = sentry_sdk.get_client(); "
    "print(json.dumps({'active': client.is_active(), 'enabled': settings.SENTRY_ENABLED, "
    "'pii': client.options.get('send_default_pii') if client.is_active() else None}))"
)


def _probe(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENTRY_")}
    env.update(DJANGO_SETTINGS_MODULE="aptrack.config.settings", DEBUG="true", **extra)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_sentry_is_not_started_without_a_dsn():
    assert _probe() == {"active": False, "enabled": False, "pii": None}


def test_sentry_starts_with_a_dsn_and_sends_no_personal_data():
    # A loopback DSN: nothing is sent, since nothing goes wrong in the probe.
    assert _probe(SENTRY_DSN="http://public@127.0.0.1:9/1") == {
        "active": True,
        "enabled": True,
        "pii": False,
    }


def test_events_keep_the_path_and_lose_the_query_string_form_and_cookies():
    event = {
        "request": {
            "url": "https://aptrack.example.gov.uk/children/?q=Smith",
            "query_string": "q=Smith",
            "data": {"first_name": "Ann"},
            "cookies": {"sessionid": "x"},
            "method": "GET",
        }
    }
    assert _scrub(event, {})["request"] == {
        "url": "https://aptrack.example.gov.uk/children/",
        "method": "GET",
    }
