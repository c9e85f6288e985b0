"""No list, search, drill-down or export shows a child of another organisation: every URL
pattern without an id (pages, downloads and the API) is requested by every persona, GET and
POST, with searches for the other organisation's children by name and UPN and their ids in the
query, and every drill-down, filter and download link the answer holds is followed once. No
answer (HTML, CSV, XLSX, PDF or JSON) may hold the name or UPN of a child the persona may not
see (`EXPECTED_VISIBLE` in conftest.py, and child W of another provider and school in Dorset),
and none may be a server error.

Every URL pattern without a parameter is listed in LIST_MATRIX: a new one fails
`test_every_url_without_an_id_is_in_the_list_matrix` until it is entered. The URLs with an id
are in test_permission_matrix.py; the committee pack's PDF and workbook, built by the task
worker, are checked in `test_the_committee_pack_holds_no_other_organisations_child`."""

import html
import io
import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import timezone
from openpyxl import load_workbook

from aptrack.accounts import services as account_services
from aptrack.children.models import Child
from aptrack.conftest import EXPECTED_VISIBLE
from aptrack.core.tests.test_permission_matrix import (  # noqa: F401 (fixtures)
    _sides_built,
    sides,
)
from aptrack.oversight.measures.periods import Period
from aptrack.oversight.models import PackExport
from aptrack.oversight.pack.build import build_pack
from aptrack.oversight.pack.forms import PackRequestForm
from aptrack.oversight.pack.pdf import render_pack_html
from aptrack.referrals.models import Referral

pytestmark = pytest.mark.django_db

# The query strings a list is asked with, besides none: `{last}`, `{upn}`, `{child}` and
# `{referral}` are the other organisation's child's last name, UPN and id and its referral's id.
SEARCHES = ("q={last}", "q={upn}")
TODAY_RANGE = "start-day=1&start-month=1&start-year=2000&end-day=31&end-month=12&end-year=2099"


@dataclass(frozen=True)
class Lists:
    """A URL without an id: the query strings it is asked with, and whether to POST to it."""

    queries: tuple[str, ...] = ()
    post: bool = True
    api_method: str | None = None  # the API's method; pages are asked GET (and POST)
    api_body: str | None = None  # a JSON body, with the same fields as the queries


PAGE = Lists()
SEARCHED = Lists(queries=SEARCHES)
# Signing out would end the persona's session for the requests after it; single sign-on
# starts at the council's identity provider.
NOT_POSTED = Lists(post=False)

_CHILD_BODY = {
    "legal_first_name": "{first}",
    "legal_last_name": "{last}",
    "upn": "{upn}",
    "date_of_birth": "2014-01-01",
    "sex": "F",
    "home_la_code": "838",
}
_REFERRAL_BODY = {
    "child_id": "{child}",
    "route": "EXCLUDED",
    "primary_reason": "PERMANENT_EXCLUSION",
    "needs_summary": "Needs",
    "proposed_tier": 1,
}
_PLACEMENT_BODY = {
    "child_id": "{child}",
    "referral_id": "{referral}",
    "provider_id": 1,
    "site_id": 1,
    "tier": 1,
    "start_date": "2026-12-01",
    "hours_per_week": "25",
}
_MARKS_BODY = {"marks": [{"upn": "{upn}", "date": "2026-11-23", "session": "AM", "code": "/"}]}


def _api(method: str = "GET", body: dict[str, Any] | None = None, **kwargs: Any) -> Lists:
    return Lists(api_method=method, api_body=json.dumps(body) if body else None, **kwargs)


LIST_MATRIX: dict[str, Lists] = {
    ":healthz": PAGE,
    ":readyz": PAGE,
    "core:home": PAGE,
    "accounts:login": PAGE,
    "accounts:logout": NOT_POSTED,
    "accounts:oidc_authentication_init": NOT_POSTED,
    "accounts:oidc_authentication_callback": NOT_POSTED,
    "accounts:oidc_logout": NOT_POSTED,
    "accounts:two_factor_set_up": PAGE,
    "accounts:two_factor_verify": PAGE,
    "children:list": Lists(queries=(*SEARCHES, "looked_after=yes", "page=2")),
    "children:new": PAGE,
    "referrals:list": Lists(queries=(*SEARCHES, "status=SUBMITTED&status=DRAFT")),
    "referrals:new": Lists(queries=(*SEARCHES, "child={child}")),
    "referrals:sixth_day": PAGE,
    "placements:home": PAGE,
    "placements:list": Lists(queries=("status=", "status=PLANNED")),
    "placements:new": Lists(queries=("child={child}", "referral={referral}")),
    "providers:list": SEARCHED,
    "providers:new": PAGE,
    "panels:list": PAGE,
    "panels:new": PAGE,
    "alerts:list": Lists(queries=("status=", "status=OPEN&kind=ABSENT")),
    "alerts:bulk_acknowledge": PAGE,
    "attendance:register": PAGE,
    "attendance:upload": PAGE,
    "attendance:measures": PAGE,
    "returns:list": Lists(queries=("status=",)),
    "returns:new": PAGE,
    "returns:alerts": PAGE,
    "quality:dashboard": PAGE,
    "quality:frameworks": PAGE,
    "quality:report": Lists(queries=(TODAY_RANGE, TODAY_RANGE + "&format=pdf")),
    "outcomes:outreach": PAGE,
    "outcomes:outreach_new": PAGE,
    "oversight:dashboard": PAGE,
    "oversight:children": Lists(queries=("period=this-year&measure=children_in_ap",)),
    "oversight:regional": Lists(queries=("region=ALL",)),
    "oversight:pack_request": PAGE,
    "improvement:list": PAGE,
    "improvement:plan_new": PAGE,
    "census:home": PAGE,
    "dataprotection:audit_log": Lists(queries=(TODAY_RANGE,)),
    "children:import_ctf": PAGE,
    "children:import_ctf_confirm": PAGE,
    "notices:list": Lists(queries=("kind=", "kind=EXCLUSION")),
    "notices:exclusion_new": PAGE,
    "notices:school_ap_new": PAGE,
    "commissioning:invoices": PAGE,
    "commissioning:upload": PAGE,
    "commissioning:export": Lists(queries=(TODAY_RANGE,)),
    "commissioning:contracts": Lists(queries=("provider=&kind=BLOCK", "provider={child}")),
    "commissioning:contract_new": PAGE,
    "commissioning:spend": Lists(queries=("year={child}", "download=csv", "download=xlsx")),
    "commissioning:budget": Lists(queries=("year={child}",)),
    "reports:overdue": PAGE,
    "sufficiency:page": PAGE,
    "notifications:preferences": PAGE,
    # the API
    "api:api-root": _api(),
    "api:openapi-json": _api(),
    "api:openapi-view": _api(),
    "api:list_children": _api(queries=(*SEARCHES, "limit=100")),
    "api:list_referrals": _api(queries=("limit=100",)),
    "api:list_placements": _api(queries=("limit=100",)),
    "api:create_child": _api("POST", _CHILD_BODY),
    "api:create_referral": _api("POST", _REFERRAL_BODY),
    "api:create_placement": _api("POST", _PLACEMENT_BODY),
    "api:record_marks": _api("POST", _MARKS_BODY),
    "api:list_notices": _api(queries=("limit=100",)),
    "api:create_notice": _api("POST", {"kind": "EXCLUSION", "upn": "{upn}"}),
    "api:list_reports": _api(queries=("limit=100",)),
    "api:create_report": _api("POST", {"placement_id": 1}),
    "api:list_incidents": _api(queries=("limit=100",)),
    "api:create_incident": _api("POST", {"placement_id": 1}),
    "api:send_invoices": _api("POST", {"invoice_number": "1"}),
}

# Pages and downloads with an id that a page links to, followed as the persona's own
# organisation's: the census return and its files, the committee pack, a child's downloads.
FOLLOWED_WITH_AN_ID = {
    "census:page",
    "census:download",
    "census:errors",
    "children:audit_trail",
    "dataprotection:subject_access_json",
    "dataprotection:subject_access_pdf",
    "oversight:pack_download",
}
FOLLOWED_AT_MOST = 120  # links followed for one persona
REDIRECTS_FOLLOWED = 3  # a list that redirects (to the LA's census return, say) is followed
FOLLOWED_DEPTH = 2  # links on the pages reached by a link are followed too

# Dorset's child with provider W, pupil of another school: only Dorset's LA-wide caseworkers.
CHILD_W_VISIBLE = {"officer_a", "manager_a"}


def _names_without_parameters(patterns: list[Any], namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        if pattern.pattern.regex.groups > 0:
            continue
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                yield from _names_without_parameters(
                    pattern.url_patterns, pattern.namespace or namespace
                )
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name}"


def test_every_url_without_an_id_is_in_the_list_matrix():
    """A new list, search, export or API endpoint must be entered in LIST_MATRIX."""
    names = set(_names_without_parameters(get_resolver().url_patterns))
    assert names - LIST_MATRIX.keys() == set(), "enter these URLs in LIST_MATRIX"
    assert LIST_MATRIX.keys() - names == set(), "these URLs no longer exist"


def _forbidden(world: Any, persona: str, child_w: Child) -> list[Child]:
    children = [
        getattr(world, name)
        for name in ("child_a", "child_a2", "child_b")
        if name not in EXPECTED_VISIBLE[persona]
    ]
    return children + ([] if persona in CHILD_W_VISIBLE else [child_w])


def _fields(child: Child) -> dict[str, Any]:
    referral = Referral.objects.filter(child=child).order_by("pk").first()
    return {
        "first": child.legal_first_name,
        "last": child.legal_last_name,
        "upn": child.upn,
        "child": child.pk,
        "referral": referral.pk if referral else 0,
    }


def _fill(template: str, fields: dict[str, Any]) -> str:
    for key, value in fields.items():
        template = template.replace("{" + key + "}", str(value))
    return template


def _json_fill(body: str, fields: dict[str, Any]) -> str:
    """Ids go in as numbers, names and UPNs as text."""
    for key in ("child", "referral"):
        body = body.replace(f'"{{{key}}}"', str(fields[key]))
    return _fill(body, fields)


def _pdf_text(content: bytes) -> bytes:
    """The PDF's bytes with its compressed streams inflated (no PDF text library is a
    dependency: text drawn in embedded fonts is not found this way, the pack's HTML is
    checked for that)."""
    parts = [content]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.DOTALL):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"\n".join(parts)


def _readable(response: Any) -> bytes:
    """The answer as text to search: workbook cells, PDF streams, or the body itself."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(body), read_only=True)
        cells = [
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        ]
        return "\n".join(cells).encode()
    if "pdf" in kind:
        return _pdf_text(body)
    return body


HREF = re.compile(r'href="(/[^"#]*)"')


def _links(response: Any) -> Iterator[str]:
    """The drill-downs, filters and downloads a page links to."""
    if "text/html" not in response.get("Content-Type", ""):
        return
    for href in HREF.findall(response.content.decode(errors="replace")):
        url = html.unescape(href)
        try:
            match = resolve(urlsplit(url).path)
        except Resolver404:
            continue
        if match.view_name in FOLLOWED_WITH_AN_ID or (
            urlsplit(url).query and f"{match.namespace}:{match.url_name}" in LIST_MATRIX
        ):
            yield url


@dataclass
class Asker:
    """One persona asking: a signed-in client for pages and a bearer token for the API."""

    persona: str
    client: Client
    token: str
    secrets: dict[str, list[str]]  # the other children's names and UPNs, by child
    found: list[str]
    asked: int = 0

    def check(self, method: str, url: str, response: Any, *, sent: str = "") -> None:
        self.asked += 1
        if response.status_code >= 500:
            self.found.append(f"{self.persona} {method} {url}: {response.status_code}")
        body = _readable(response)
        for secrets in self.secrets.values():
            # A UPN the persona sent may come back in the answer's error: it is not the child's.
            shown = [s for s in secrets if s.encode() in body and s not in sent]
            if shown:
                self.found.append(f"{self.persona} {method} {url} shows {shown}")

    def page(self, url: str, *, post: bool) -> Any:
        response = self.client.get(url)
        self.check("GET", url, response, sent=url)
        for _ in range(REDIRECTS_FOLLOWED):
            where = response.get("Location", "") if response.status_code in {301, 302} else ""
            if not where.startswith("/"):
                break
            response = self.client.get(where)
            self.check("GET", where, response, sent=url)
        if post:
            self.check("POST", url, self.client.post(url, {}), sent=url)
        return response

    def api(self, method: str, url: str, body: str | None) -> None:
        response = self.client.generic(
            method,
            url,
            body or "",
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {self.token}",
        )
        self.check(method, url, response, sent=url + (body or ""))


def _asker(world: Any, persona: str, forbidden: list[Child]) -> Asker:
    user = getattr(world, persona)
    client = Client()
    client.force_login(user)
    _, token = account_services.issue_api_token(user=user, name="MIS", at=timezone.now())
    secrets = {
        str(child.pk): [child.upn, child.legal_first_name, child.legal_last_name]
        for child in forbidden
    }
    return Asker(persona, client, token, secrets, found=[])


def _ask_everything(asker: Asker, forbidden: list[Child]) -> None:
    to_follow: dict[str, int] = {}
    for name, entry in LIST_MATRIX.items():
        url = reverse(name.removeprefix(":"))
        queries = {_fill(query, _fields(child)) for query in entry.queries for child in forbidden}
        for query in ["", *sorted(queries)]:
            asked = f"{url}?{query}" if query else url
            if entry.api_method is None:
                response = asker.page(asked, post=entry.post and not query)
                to_follow.update(dict.fromkeys(_links(response), 1))
            elif entry.api_method == "GET" or not entry.api_body:
                asker.api(entry.api_method, asked, None)
        if entry.api_method == "POST" and entry.api_body:
            for child in forbidden:
                asker.api("POST", url, _json_fill(entry.api_body, _fields(child)))
    followed: set[str] = set()
    while to_follow and len(followed) < FOLLOWED_AT_MOST:
        url, depth = next(iter(to_follow.items()))
        del to_follow[url]
        followed.add(url)
        response = asker.page(url, post=False)
        if depth < FOLLOWED_DEPTH:
            for link in _links(response):
                if link not in followed:
                    to_follow.setdefault(link, depth + 1)


PERSONAS = sorted(EXPECTED_VISIBLE)


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_list_search_drilldown_or_export_shows_another_organisations_child(sides, persona):  # noqa: F811
    world, _, _, other_org = sides
    forbidden = _forbidden(world, persona, other_org.child)
    asker = _asker(world, persona, forbidden)
    _ask_everything(asker, forbidden)
    assert asker.found == []
    assert asker.asked > len(LIST_MATRIX)


def test_the_check_catches_a_child_shown_to_someone(sides):  # noqa: F811
    """Dorset's officer asked as if Dorset's own children were another organisation's: the
    register, its search, a drill-down, the API's list and the census download show them and the
    check says so."""
    world, _, _, _ = sides
    asker = _asker(world, "officer_a", [world.child_a])
    _ask_everything(asker, [world.child_a])
    shown = "\n".join(asker.found)
    for url in (
        "/children/ ",
        "/children/?q=",
        "/oversight/children/?period=",
        "/api/v1/children ",
        "/census/838/errors.csv?",
    ):
        assert url in shown, shown


def _pack(world: Any, manager: Any, client: Client, capture: Any) -> PackExport:
    today = timezone.localdate()
    period = PackRequestForm(today=today).fields["period"].choices[0][0]
    with capture(execute=True):
        response = client.post(reverse("oversight:pack_request"), {"period": period})
    assert response.status_code == 302, response.content[:2000]
    return PackExport.objects.filter(requested_by=manager).latest("pk")


def test_the_committee_pack_holds_no_other_organisations_child(
    sides,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    """Dorset's pack (HTML, PDF and workbook), built by the task, holds none of Hackney's children
    nor, asked by Hackney, Hackney's any of Dorset's."""
    world, _, _, _ = sides
    for manager, other in ((world.manager_a, world.child_b), (world.officer_b, world.child_a)):
        client = Client()
        client.force_login(manager)
        pack = _pack(world, manager, client, django_capture_on_commit_callbacks)
        pack.refresh_from_db()
        assert pack.status == "DONE", pack.status
        asker = Asker(
            manager.username, client, "", {"other": [other.upn, other.legal_last_name]}, []
        )
        for kind in ("pdf", "xlsx"):
            url = reverse("oversight:pack_download", args=[pack.pk, kind])
            response = client.get(url)
            assert response.status_code == 200
            asker.check("GET", url, response)
        period = Period(pack.period_start_date, pack.period_end_date, pack.period_label)
        built = build_pack(
            la=pack.local_authority,
            period=period,
            today=pack.as_at_date,
            for_publication=False,
            generated_at=timezone.now(),
        )
        body = render_pack_html(built).encode()
        assert other.legal_last_name.encode() not in body and other.upn.encode() not in body
        assert asker.found == []
