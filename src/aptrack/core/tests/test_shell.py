"""The LA dashboard served from its snapshot is put in a kept page shell: the page must be what a
full render gives, with each request's own nonce, user and CSRF token, and messages still shown."""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import override_settings
from django.urls import reverse

from aptrack.core.govuk import shell
from aptrack.oversight import freshness, snapshots

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("oversight:dashboard")


@pytest.fixture(autouse=True)
def _snapshots_and_kept_shells(settings):
    settings.APTRACK_DASHBOARD_SNAPSHOTS = True
    freshness.flush()
    snapshots.held.clear()
    shell._kept.clear()
    with time_machine.travel(dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC), tick=False):
        yield
    shell._kept.clear()


def _own_parts_blanked(html: str) -> str:
    html = re.sub(r'nonce="[^"]+"', 'nonce=""', html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value=""', html)


@override_settings(DEBUG=False)
def test_the_kept_shell_gives_the_page_a_full_render_gives(client, world, settings):
    client.force_login(world.manager_a)
    full = client.get(DASHBOARD, {"period": "this-term"})  # built: rendered in full
    assert not shell._kept
    served = client.get(DASHBOARD, {"period": "this-term"})  # from the snapshot, in a kept shell
    again = client.get(DASHBOARD, {"period": "this-term"})
    assert len(shell._kept) == 1
    assert full.status_code == served.status_code == again.status_code == 200
    assert _own_parts_blanked(served.content.decode()) == _own_parts_blanked(full.content.decode())
    assert _own_parts_blanked(again.content.decode()) == _own_parts_blanked(full.content.decode())


@override_settings(DEBUG=False)
def test_each_request_gets_its_own_nonce_user_and_token(client, world):
    pages = []
    for user in (world.manager_a, world.officer_a, world.manager_a):
        client.force_login(user)
        response = client.get(DASHBOARD, {"period": "this-term"})
        html = response.content.decode()
        nonces = set(re.findall(r'nonce="([^"]+)"', html))
        assert len(nonces) == 1 and f"'nonce-{nonces.pop()}'" in response["Content-Security-Policy"]
        assert f"Signed in as </span>{user.display_name}, {user.organisation.name}" in html
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        pages.append((html, token))
    assert world.officer_a.display_name not in pages[0][0] and world.manager_a.display_name not in pages[1][0]
    assert len({token for _, token in pages}) == 3  # a fresh mask each time, as Django gives


@override_settings(DEBUG=False)
def test_a_message_waiting_is_shown_on_the_kept_page(client, world, rf):
    client.force_login(world.manager_a)
    client.get(DASHBOARD, {"period": "this-term"})
    client.get(DASHBOARD, {"period": "this-term"})
    waiting = CookieStorage(rf.get("/"))._encode([Message(messages.SUCCESS, "Plan saved")])  # as a save leaves it
    client.cookies[CookieStorage.cookie_name] = waiting
    html = client.get(DASHBOARD, {"period": "this-term"}).content.decode()
    assert "Plan saved" in html and "govuk-notification-banner" in html
    assert "Plan saved" not in client.get(DASHBOARD, {"period": "this-term"}).content.decode()  # shown once
