"""Every page shows the GOV.UK header, phase banner, footer and the signed-in user's own
navigation, with links under the URL prefix the site is served at."""

import pytest
from django.test import override_settings
from django.urls import reverse, set_script_prefix

from aptrack.core.context_processors import navigation

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_every_page_has_the_header_phase_banner_and_footer(client, world):
    client.force_login(world.officer_a)
    for name in ("core:home", "children:list"):
        body = client.get(reverse(name)).content.decode()
        assert 'class="app-council-header"' in body
        assert "Synthetic data only: this service holds no real child’s details." in body
        assert f'href="{reverse("healthz")}"' in body and "Service status" in body


def test_a_council_service_has_no_crown_and_names_the_council(client, world, settings):
    settings.APTRACK_COUNCIL_LOGO = "/static/aptrack/council-logo.svg"
    client.force_login(world.officer_a)
    body = client.get(reverse("core:home")).content.decode()
    for crown in (
        "govuk-header__logotype",
        "Crown copyright",
        "govuk-footer__copyright-logo",
        "govuk-footer__licence-logo",
        "Open Government Licence",
    ):
        assert crown not in body
    header = body[body.index('class="app-council-header"') : body.index("</header>")]
    assert "Dorset" in header and 'src="/static/aptrack/council-logo.svg"' in header


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
    assert items["Children"] is True and items["Placements"] is False
    assert "Home" not in items  # the service name links home


def test_unknown_fixed_markup_is_refused():
    from django.template import engines

    with pytest.raises(ValueError, match="No fixed markup called 'banner'"):
        engines["jinja2"].from_string("{{ fixed_markup('banner') }}").render({})


def _navigation(body: str) -> str:
    return (
        body[body.index('<section aria-label="Service information"') : body.index("</section>")]
        if ('<section aria-label="Service information"' in body)
        else body[body.index("govuk-service-navigation") : body.index("</nav>")]
    )


def _header(body: str) -> str:
    return body[body.index('<header class="app-council-header"') : body.index("</header>")]


@override_settings(DEBUG=False)
def test_the_header_shows_each_user_their_own_name_and_sign_out(client, world):
    import re

    client.force_login(world.officer_a)
    first_page = client.get(reverse("children:list")).content.decode()
    client.force_login(world.officer_b)  # the same role, so the same items
    second_page = client.get(reverse("children:list")).content.decode()
    first, second = _header(first_page), _header(second_page)
    assert world.officer_a.display_name in first and world.officer_a.display_name not in second
    assert world.officer_b.display_name in second
    for header in (first, second):
        assert (
            '<span class="govuk-visually-hidden">Signed in as </span>' in header
        )  # markup, not escaped text
        assert re.search(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]+">', header)
    for page in (first_page, second_page):
        assert (
            '<a class="govuk-service-navigation__link" href="/children/" aria-current="page">'
            in _navigation(page)
        )


@override_settings(DEBUG=False)
def test_navigation_marks_the_current_section_of_each_page(client, world):
    client.force_login(world.officer_a)
    children = _navigation(client.get(reverse("children:list")).content.decode())
    home = _navigation(client.get(reverse("core:home")).content.decode())
    assert (
        'href="/children/" aria-current="page"' in children
        and 'href="/children/" aria-current' not in home
    )
    assert 'aria-current="page"' not in home


@override_settings(DEBUG=False)
def test_the_header_escapes_what_a_user_typed(client, world):
    world.officer_a.first_name = "<b>Amy</b>"
    world.officer_a.save()
    client.force_login(world.officer_a)
    header = _header(client.get(reverse("core:home")).content.decode())
    assert "&lt;b&gt;Amy&lt;/b&gt;" in header and "<b>Amy</b>" not in header
