"""Stored XSS: script, markup, template syntax and a spreadsheet formula typed into every free-text
field a user enters come back as inert text wherever they are shown: pages, the dashboard's SVG
charts, the committee pack (its HTML before PDF and its workbook) and the CSV downloads."""

import csv
import io
from urllib.parse import urlencode

import pytest
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from aptrack.alerts.models import AlertEvent
from aptrack.children.models import Child
from aptrack.core.tests.test_permission_matrix import _side
from aptrack.improvement.models import Action, ImprovementPlan, Priority
from aptrack.organisations.tests.factories import la
from aptrack.outcomes.models import Qualification, WellbeingScore
from aptrack.outcomes.tests.factories import ReviewFactory, WellbeingFactory
from aptrack.oversight.pack.build import build_pack
from aptrack.oversight.pack.pdf import render_pack_html
from aptrack.oversight.pack.xlsx import pack_xlsx
from aptrack.oversight.tests.regional_samples import AUTUMN, TODAY
from aptrack.panels.models import AgendaItem, Decision, Meeting, Panel, PanelAction, PanelMember
from aptrack.placements.models import FollowUp, IntendedOutcome, PersonPassport, Placement, Review
from aptrack.providers.models import Provider, ProviderSite
from aptrack.quality.models import QAVisit, VisitAction
from aptrack.referrals.models import Referral
from aptrack.reports.models import Incident, ProviderReport, ReportProgress

pytestmark = pytest.mark.django_db

PAYLOAD = '=HYPERLINK("http://x")<script>alert(1)</script>"\'><img src=x onerror=alert(1)>{{7*7}}'
SHORT = "<script>1</script><img src=x>{{7*7}}"
TINY = "<img src=x>{{7*7}}"
RAW = [b"<script>alert(1)", b"<script>1</script>", b"<img src=x"]
EVALUATED = [b"alert(1)&gt;49", b"&lt;img src=x&gt;49", b"alert(1)>49", b"<img src=x>49"]
ESCAPED = b"&lt;script&gt;"

# The free-text fields users type that other pages show; names and short labels get SHORT or TINY
# where PAYLOAD does not fit.
FIELDS: dict[type[models.Model], list[str]] = {
    Child: ["legal_first_name", "legal_last_name", "preferred_name"],
    Referral: ["needs_summary", "family_views", "child_views", "views_not_obtained_reason"],
    Placement: [
        "exit_plan",
        "readiness_criteria",
        "family_involvement",
        "part_time_reason",
        "open_ended_justification",
        "cost_difference_reason",
    ],
    IntendedOutcome: ["description", "measure", "baseline", "target"],
    FollowUp: ["note"],
    PersonPassport: ["about_me", "needs", "what_helps", "what_to_avoid", "contacts"],
    Review: ["child_views", "family_views", "decision_reason"],
    WellbeingScore: ["note"],
    Panel: ["name"],
    PanelMember: ["name"],
    Meeting: ["location"],
    AgendaItem: ["carried_forward_reason"],
    Decision: ["reasons", "value_for_money_note"],
    PanelAction: ["description", "owner"],
    Provider: ["name", "qualifications", "therapeutic_offer", "contact_email", "contact_phone"],
    ProviderSite: ["name", "address_line_1", "town"],
    QAVisit: ["visitors", "child_feedback", "family_feedback", "summary"],
    VisitAction: ["text", "owner_name"],
    ImprovementPlan: ["title", "board"],
    Priority: ["title", "description"],
    Action: ["title", "description", "owner_name", "owner_role"],
    AlertEvent: ["note"],
    Qualification: ["title", "result"],
    ProviderReport: [
        "english",
        "maths",
        "wellbeing",
        "incidents_summary",
        "child_words",
        "family_words",
        "next_steps",
        "correction_reason",
    ],
    ReportProgress: ["note"],
    Incident: ["what_happened", "actions_taken"],
}


def _fits(model: type[models.Model], field: str) -> str:
    length = model._meta.get_field(field).max_length
    return next(text for text in (PAYLOAD, SHORT, TINY) if length is None or length >= len(text))


@pytest.fixture
def hostile(world):
    objects = _side(
        la=world.child_a.home_la,
        child=world.child_a,
        officer=world.manager_a,
        provider_user=world.provider_x,
    )
    now = timezone.now()
    Decision.objects.create(
        agenda_item=objects.agenda_item,
        outcome="DECLINED",
        reasons="x",
        members_present=3,
        decided_by=world.manager_a,
        decided_at=now,
    )
    PersonPassport.objects.create(placement=objects.placement, updated_at=now)
    ReviewFactory(placement=objects.placement, recorded_by=world.manager_a)
    WellbeingFactory(placement=objects.placement, recorded_by=world.manager_a)
    objects.alert.events.create(kind="ACKNOWLEDGED", by=world.officer_a, at=now, note="x")
    ReportProgress.objects.create(report=objects.report, outcome=objects.outcome, score=3)
    organisation = world.provider_x.organisation
    organisation.name = PAYLOAD[: organisation._meta.get_field("name").max_length]
    organisation.save(update_fields=["name"])
    for model, fields in FIELDS.items():
        model.objects.update(**{field: _fits(model, field) for field in fields})
    return world, objects


def _body(response) -> bytes:
    assert response.status_code == 200, (response, response.request["PATH_INFO"])
    return b"".join(response.streaming_content) if response.streaming else response.content


def _unsafe(body: bytes) -> list[bytes]:
    return [b for b in RAW + EVALUATED if b in body]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_show_typed_markup_as_text(hostile):
    world, o = hostile
    pages = {
        "manager_a": [
            reverse("children:detail", args=[o.child.pk]),
            reverse("referrals:detail", args=[o.referral.pk]),
            reverse("placements:detail", args=[o.placement.pk]),
            reverse("placements:timeline", args=[o.child.pk]),
            reverse("placements:passport", args=[o.placement.pk]),
            reverse("panels:detail", args=[o.panel.pk]),
            reverse("panels:meeting", args=[o.meeting.pk]),
            reverse("panels:pack", args=[o.meeting.pk]),
            reverse("panels:minutes", args=[o.meeting.pk]),
            reverse("providers:detail", args=[o.provider.pk]),
            reverse("quality:visit", args=[o.visit.pk]),
            reverse("quality:visits", args=[o.provider.pk]),
            reverse("improvement:plan", args=[o.plan.pk]),
            reverse("improvement:action", args=[o.plan.pk, o.plan_action.pk]),
            reverse("alerts:list"),
            reverse("alerts:detail", args=[o.alert.pk]),
            reverse("outcomes:placement", args=[o.placement.pk]),
            reverse("oversight:dashboard"),
            reverse("oversight:children") + "?measure=children_in_ap",
            reverse("census:page", args=["838"]),
            reverse("children:list") + "?" + urlencode({"q": PAYLOAD}),
            reverse("placements:review_new", args=[o.placement.pk]),
            reverse("reports:placement", args=[o.placement.pk]),
            reverse("reports:detail", args=[o.report.pk]),
            reverse("reports:incident", args=[o.incident.pk]),
            reverse("reports:chronology", args=[o.child.pk]),
        ],
        "provider_x": [
            reverse("providers:detail", args=[o.provider.pk]),
            reverse("placements:detail", args=[o.placement.pk]),
        ],
    }
    found, shown = {}, set()
    for persona, urls in pages.items():
        client = _client(getattr(world, persona))
        for url in urls:
            body = _body(client.get(url))
            if unsafe := _unsafe(body):
                found[url] = unsafe
            if ESCAPED in body:
                shown.add(url)
    assert found == {}
    # The check can fail: the typed text is on every one of the pages, escaped.
    assert shown == {url for urls in pages.values() for url in urls}


def test_the_committee_pack_shows_typed_markup_and_formulas_as_text(hostile):
    pack = build_pack(
        la=la("838"), period=AUTUMN, today=TODAY, for_publication=False, generated_at=timezone.now()
    )
    html = render_pack_html(pack).encode()
    assert _unsafe(html) == []
    assert ESCAPED in html, "the provider's typed name is in the pack, escaped"
    book = load_workbook(io.BytesIO(pack_xlsx(pack)))
    cells = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    assert [cell.value for cell in cells if str(cell.value).startswith("=")] == []
    assert "'" + PAYLOAD in {cell.value for cell in cells}, (
        "the provider's typed name is in the workbook, inert"
    )


def _csv_cells(body: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for cell in row]


def test_csv_downloads_hold_typed_formulas_as_text(hostile):
    world, o = hostile
    manager = _client(world.manager_a)
    today = timezone.localdate()
    # A search for the typed name finds the child and puts the search in the audit trail.
    _body(manager.get(reverse("children:list"), {"q": PAYLOAD}))
    Placement.objects.filter(pk=o.placement.pk).update(
        referral=o.referral
    )  # the census's reason for it
    downloads = [
        reverse("children:audit_trail", args=[o.child.pk]),
        reverse("dataprotection:audit_log")
        + "?"
        + urlencode(
            {
                f"{name}-{part}": getattr(day, part)
                for name, day in (("start", today.replace(day=1)), ("end", today))
                for part in ("day", "month", "year")
            }
        ),
        reverse("census:errors", args=["838"]),
        reverse("census:download", args=["838"]),
    ]
    starts, held = {}, set()
    for url in downloads:
        response = manager.get(url)
        assert response["Content-Type"].startswith("text/csv"), url
        cells = _csv_cells(_body(response))
        starts[url] = [cell for cell in cells if _formula_like(cell)]
        held |= {url for cell in cells if cell.startswith("'=HYPERLINK")}
    assert starts == {url: [] for url in downloads}
    # The error report is empty once the census is clean; the others hold the typed text.
    assert held == set(downloads) - {reverse("census:errors", args=["838"])}, (
        "typed formulas come out inert"
    )


def _formula_like(cell: str) -> bool:
    """Starts as a spreadsheet formula would: `=`, `@`, or `+`/`-` not leading a number."""
    if cell[:1] in ("=", "@"):
        return True
    return cell[:1] in ("+", "-") and not cell[1:].replace(".", "", 1).isdigit()
