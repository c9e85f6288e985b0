"""Pages render with the production static files: collected, with hashed names from a manifest
(WhiteNoise), as `aptrack collectstatic` leaves them. In development and tests static files are
served by name, so a reference that only works that way (a folder passed to ``static()``) would
pass every other test and fail every page in production."""

import re

import pytest
from django.core.management import call_command
from django.test import override_settings

pytestmark = pytest.mark.django_db

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture(scope="session")
def collected_once(tmp_path_factory):
    """The static files collected once for the run. Swagger's and the admin's are left out (as
    in ops' production-server tests): the pages here use neither, and compressing Swagger's
    bundles was most of a 40-second collect."""
    root = tmp_path_factory.mktemp("collected-static")
    with override_settings(STATIC_ROOT=root, STORAGES=PRODUCTION_STORAGES):
        call_command(
            "collectstatic",
            interactive=False,
            verbosity=0,
            ignore_patterns=["ninja", "admin", "*.map"],
        )
    return root


@pytest.fixture
def collected(collected_once):
    with override_settings(STATIC_ROOT=collected_once, STORAGES=PRODUCTION_STORAGES):
        yield collected_once


@pytest.mark.parametrize("persona", [None, "manager_a"])
def test_pages_render_with_hashed_static_files(client, world, collected, persona):
    if persona:
        client.force_login(getattr(world, persona))
    response = client.get("/" if persona else "/accounts/sign-in/", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    stylesheets = re.findall(
        r'href="/static/(vendor/govuk-frontend\.min\.[0-9a-f]{12}\.css)"', html
    )
    assert stylesheets and (collected / stylesheets[0]).exists()
    for icon in re.findall(r'href="/static/(vendor/assets/[^"]+)"', html):
        assert (collected / icon).exists(), icon


def test_the_dashboard_renders_with_hashed_static_files(client, world, collected):
    client.force_login(world.manager_a)
    response = client.get("/oversight/")
    assert response.status_code == 200
    assert re.search(
        r'href="/static/oversight/dashboard\.[0-9a-f]{12}\.css"', response.content.decode()
    )
