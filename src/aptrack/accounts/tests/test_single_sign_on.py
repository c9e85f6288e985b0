"""LA staff sign in through their council's OpenID Connect provider: a fake provider served over
real HTTP on this machine issues signed tokens; aptrack signs in the existing LA user with the
email it vouches for, and never makes a user or a role."""

import base64
import hashlib
import http.client
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse

from aptrack.accounts.models import User
from aptrack.accounts.single_sign_on import BACKEND
from aptrack.accounts.tests.factories import UserFactory
from aptrack.organisations.tests.factories import OrganisationFactory, la

pytestmark = pytest.mark.django_db

CLIENT_ID, CLIENT_SECRET = "aptrack-test", "provider-shared-secret"


class FakeProvider:
    """The parts of an OpenID Connect provider a sign-in touches, on 127.0.0.1 over HTTP."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.email = ""
        self.audience = CLIENT_ID
        self.grants: dict[str, dict] = {}  # code: what /authorize was asked
        self.tokens: dict[str, str] = {}  # access token: email
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _json(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                url = urlparse(self.path)
                query = {key: values[0] for key, values in parse_qs(url.query).items()}
                if (
                    url.path == "/authorize"
                ):  # the person signs in at the council, then is sent back
                    code = secrets.token_urlsafe(16)
                    provider.grants[code] = {**query, "email": provider.email}
                    self.send_response(302)
                    self.send_header(
                        "Location",
                        query["redirect_uri"]
                        + "?"
                        + urlencode({"code": code, "state": query["state"]}),
                    )
                    self.end_headers()
                elif url.path == "/jwks":
                    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(provider.key.public_key()))
                    self._json(200, {"keys": [{**jwk, "kid": "k1", "alg": "RS256", "use": "sig"}]})
                elif url.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    if token not in provider.tokens:
                        self._json(401, {"error": "invalid_token"})
                    else:
                        self._json(
                            200,
                            {
                                "sub": "s-" + provider.tokens[token],
                                "email": provider.tokens[token],
                                "email_verified": True,
                            },
                        )
                else:
                    self._json(404, {})

            def do_POST(self) -> None:  # noqa: N802
                form = {
                    k: v[0]
                    for k, v in parse_qs(
                        self.rfile.read(int(self.headers["Content-Length"])).decode()
                    ).items()
                }
                grant = provider.grants.pop(form.get("code", ""), None)
                verifier = form.get("code_verifier", "")
                challenge = (
                    base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                    .rstrip(b"=")
                    .decode()
                )
                if (
                    grant is None
                    or form.get("client_secret") != CLIENT_SECRET
                    or challenge != grant["code_challenge"]
                    or form.get("redirect_uri") != grant["redirect_uri"]
                ):
                    self._json(400, {"error": "invalid_grant"})
                    return
                access = secrets.token_urlsafe(16)
                provider.tokens[access] = grant["email"]
                now = int(time.time())
                claims = {
                    "iss": provider.url,
                    "aud": provider.audience,
                    "sub": "s-" + grant["email"],
                    "iat": now,
                    "exp": now + 300,
                    "nonce": grant["nonce"],
                    "email": grant["email"],
                }
                id_token = jwt.encode(
                    claims, provider.key, algorithm="RS256", headers={"kid": "k1"}
                )
                self._json(
                    200, {"access_token": access, "id_token": id_token, "token_type": "Bearer"}
                )

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeProvider":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def provider(settings):
    with FakeProvider() as running:
        settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = CLIENT_ID, CLIENT_SECRET
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = running.url + "/authorize"
        settings.OIDC_OP_TOKEN_ENDPOINT = running.url + "/token"
        settings.OIDC_OP_USER_ENDPOINT = running.url + "/userinfo"
        settings.OIDC_OP_JWKS_ENDPOINT = running.url + "/jwks"
        settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, BACKEND]
        settings.APTRACK_REQUIRE_2FA = True
        yield running


def _single_sign_on(client, provider, email):
    """The browser's round trip: aptrack -> the provider's sign-in -> aptrack's callback."""
    provider.email = email
    start = client.get(reverse("accounts:oidc_authentication_init"))
    assert start.status_code == 302 and start.url.startswith(provider.url + "/authorize?")
    connection = http.client.HTTPConnection(*provider.server.server_address)
    connection.request("GET", start.url.removeprefix(provider.url))
    back = connection.getresponse().getheader("Location")
    connection.close()
    return client.get(back.removeprefix("http://testserver"))


def test_an_la_manager_signs_in_with_their_councils_account(client, provider):
    council = OrganisationFactory(kind="LOCAL_AUTHORITY", local_authority=la("838"))
    manager = UserFactory(
        organisation=council, role="LA_MANAGER", email="gareth.lewis@council.example"
    )
    assert (
        "sign in with your council account"
        in client.get(reverse("accounts:login")).content.decode()
    )
    response = _single_sign_on(client, provider, "Gareth.Lewis@council.example")
    assert response.status_code == 302 and response.url == "/"
    home = client.get("/")  # the council's sign-in did the second factor: no TOTP asked
    assert home.status_code == 200 and home.wsgi_request.user == manager


@pytest.mark.parametrize("kind", ["nobody", "provider", "inactive"])
def test_an_unknown_or_non_la_address_is_refused_and_no_user_is_made(client, provider, kind):
    if kind == "provider":
        UserFactory(
            organisation=OrganisationFactory(kind="PROVIDER"),
            role="PROVIDER_STAFF",
            email="x@p.example",
        )
    if kind == "inactive":
        council = OrganisationFactory(kind="LOCAL_AUTHORITY", local_authority=la("838"))
        UserFactory(organisation=council, role="LA_OFFICER", email="x@p.example", is_active=False)
    users = User.objects.count()
    response = _single_sign_on(client, provider, "x@p.example")
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    assert client.get("/").status_code == 302
    assert User.objects.count() == users


def test_a_token_issued_to_another_application_is_refused(client, provider):
    council = OrganisationFactory(kind="LOCAL_AUTHORITY", local_authority=la("838"))
    UserFactory(organisation=council, role="LA_OFFICER", email="priya@council.example")
    provider.audience = "some-other-app"
    assert _single_sign_on(client, provider, "priya@council.example").status_code == 400
    assert client.get("/").status_code == 302
