"""The GOV.UK header, phase banner and footer are rendered once and kept: every page still shows
them, with links under the URL prefix the site is served at."""

import pytest
from django.test import override_settings
from django.urls import reverse, set_script_prefix

from aptrack.core.context_processors import navigation
from aptrack.core.govuk import fixed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_kept():
    fixed._kept.clear()
    yield
    fixed._kept.clear()


@override_settings(DEBUG=False)
def test_every_page_has_the_header_phase_banner_and_footer(client, world):
    client.force_login(world.officer_a)
    for name in ("core:home", "children:list"):
        body = client.get(reverse(name)).content.decode()
        assert 'class="govuk-header"' in body
        assert "Synthetic data only: this service holds no real child’s details." in body
        assert f'href="{reverse("healthz")}"' in body and "Service status" in body
    assert {name for name, _ in fixed._kept} == {"header", "phase_banner", "footer"}


@override_settings(DEBUG=False)
def test_markup_follows_the_url_prefix_the_site_is_served_at(client, world):
    client.force_login(world.officer_a)
    client.get(reverse("core:home"))
    # As behind a proxy serving the site under /aptrack/ (WSGI's SCRIPT_NAME), which Django's
    # handler turns into the prefix every reverse() adds; the test client does not, so set it.
    set_script_prefix("/aptrack/")
    try:
        body = client.get("/").content.decode()
    finally:
        set_script_prefix("/")
    assert 'href="/aptrack/healthz"' in body
    assert 'href="/aptrack/children/"' in body  # the service navigation too
    assert 'href="/healthz"' not in body


def test_navigation_marks_the_section_the_page_is_in(rf, world):
    request = rf.get("/children/123/")
    request.user = world.officer_a
    items = {item["text"]: item["active"] for item in navigation(request)["navigation"]}
    assert items["Children"] is True and items["Home"] is False and items["Placements"] is False


def test_unknown_fixed_markup_is_refused():
    from django.template import engines

    with pytest.raises(ValueError, match="No fixed markup called 'banner'"):
        engines["jinja2"].from_string("{{ fixed_markup('banner') }}").render({})
