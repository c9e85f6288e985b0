"""The API docs page works under the app's own CSP: Swagger UI comes from this server, not a CDN."""

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_api_docs_load_swagger_ui_from_this_server_with_the_csp_nonce(client, world):
    client.force_login(world.officer_a)
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    body = response.content.decode()
    assert "cdn." not in body and "https://" not in body.split("swagger-settings")[0]
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    for path in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js"):
        assert f'nonce="{nonce}" src="/static/{path}"' in body
        assert finders.find(path), path  # the file is there to serve
