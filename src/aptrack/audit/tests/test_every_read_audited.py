"""Every page, export and API endpoint that shows a child leaves a view record for each child it
showed (the rule in `audit/services.py`). Every URL of the apps that hold children is listed
below, either walked or named as showing no child with the reason: a new URL fails
`test_every_url_is_classified` until someone decides which it is."""

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from aptrack.accounts import services as account_services
from aptrack.alerts.models import Alert
from aptrack.audit.models import AuditAction, AuditEvent, Channel
from aptrack.children.tests.factories import ChildFactory
from aptrack.documents.models import AttachedTo, Document
from aptrack.notices.models import Notice, NoticeKind
from aptrack.outcomes.tests.factories import QualificationFactory
from aptrack.panels.models import AgendaItem
from aptrack.panels.tests.factories import MeetingFactory, PanelFactory
from aptrack.placements.models import FollowUp, IntendedOutcome, Placement
from aptrack.referrals.models import Route
from aptrack.referrals.states import ReferralStatus
from aptrack.referrals.tests.factories import ReferralFactory
from aptrack.reports.tests.factories import IncidentFactory, ReportFactory
from aptrack.returns.tests.factories import (
    ProviderFactory,
    ProviderReturnFactory,
    ReturnLineFactory,
)

pytestmark = pytest.mark.django_db

# The apps whose URLs must each be classified here.
WATCHED = {
    "children",
    "placements",
    "referrals",
    "attendance",
    "returns",
    "census",
    "panels",
    "outcomes",
    "api",
    "alerts",
    "commissioning",
    "dataprotection",
    "documents",
    "notifications",
    "sufficiency",
    "notices",
    "reports",
}


@dataclass(frozen=True)
class Walk:
    """A GET that shows children: who asks, the URL, and which of the scenario's children it shows."""

    persona: str
    url: Callable[[Any], str]
    children: tuple[str, ...] = ("child_a",)
    search_term: Callable[[Any], str] | None = None
    api: bool = False
    status: tuple[int, ...] = (200,)


@dataclass(frozen=True)
class NoChild:
    """Shows no child's name, UPN or date of birth: why."""

    reason: str


@dataclass(frozen=True)
class Change:
    """A write: what it shows back is the record just changed, audited as that change."""

    reason: str = "writes the record; its response is audited as the change"
    walks: list[Walk] = field(default_factory=list)


def _census(s: Any, name: str) -> str:
    return (
        reverse(name, args=["838"])
        + "?census_date-day=15&census_date-month=1&census_date-year=2027"
    )


def _one_la_query(s: Any) -> str:
    return s.child_a.upn


CLASSIFIED: dict[str, list[Walk] | NoChild | Change] = {
    # children
    "children:list": [
        Walk(
            "officer_a",
            lambda s: reverse("children:list") + f"?q={s.child_a.upn}",
            search_term=_one_la_query,
        ),
        Walk("officer_a", lambda s: reverse("children:list"), children=("child_a", "child_a2")),
    ],
    "children:new": NoChild("the form; possible duplicates are counted, never named"),
    "children:detail": [
        Walk("officer_a", lambda s: reverse("children:detail", args=[s.child_a.pk]))
    ],
    "children:edit": [Walk("officer_a", lambda s: reverse("children:edit", args=[s.child_a.pk]))],
    "children:audit_trail": [
        Walk("manager_a", lambda s: reverse("children:audit_trail", args=[s.child_a.pk]))
    ],
    "dataprotection:audit_log": NoChild(
        "the audit log names records by id; its download is recorded as an export"
    ),
    "dataprotection:subject_access_json": [
        Walk(
            "manager_a",
            lambda s: reverse("dataprotection:subject_access_json", args=[s.child_a.pk]),
        )
    ],
    "dataprotection:subject_access_pdf": [
        Walk(
            "manager_a", lambda s: reverse("dataprotection:subject_access_pdf", args=[s.child_a.pk])
        )
    ],
    # attendance
    "attendance:register": [Walk("provider_x", lambda s: reverse("attendance:register"))],
    "attendance:upload": NoChild("an upload form; its report echoes the uploader's own file"),
    "attendance:measures": NoChild("rates for the provider or LA, no child named"),
    "attendance:child": [
        Walk("officer_a", lambda s: reverse("attendance:child", args=[s.child_a.pk]))
    ],
    # referrals
    "referrals:list": [
        Walk("officer_a", lambda s: reverse("referrals:list"), children=("child_a", "child_a2"))
    ],
    "referrals:new": [
        Walk(
            "officer_a",
            lambda s: reverse("referrals:new") + f"?q={s.child_a.upn}",
            search_term=_one_la_query,
        ),
        Walk("officer_a", lambda s: reverse("referrals:new") + f"?child={s.child_a.pk}"),
    ],
    "referrals:sixth_day": [
        Walk("officer_a", lambda s: reverse("referrals:sixth_day"), children=("child_a2",))
    ],
    "referrals:detail": [
        Walk("officer_a", lambda s: reverse("referrals:detail", args=[s.referral.pk]))
    ],
    "referrals:edit": [
        Walk("officer_a", lambda s: reverse("referrals:edit", args=[s.referral.pk]))
    ],
    "referrals:submit": [
        Walk("officer_a", lambda s: reverse("referrals:submit", args=[s.referral.pk]))
    ],
    "referrals:withdraw": [
        Walk("officer_a", lambda s: reverse("referrals:withdraw", args=[s.referral.pk]))
    ],
    # panels
    "panels:list": NoChild("panels of the LA"),
    "panels:new": NoChild("a form to set up a panel"),
    "panels:detail": NoChild("a panel, its members and meetings"),
    "panels:edit": NoChild("a form for the panel"),
    "panels:member_new": NoChild("a form for a member"),
    "panels:member_remove": NoChild("POST only: removes a member"),
    "panels:meeting_new": NoChild("a form for a meeting"),
    "panels:meeting": [
        Walk(
            "manager_a",
            lambda s: reverse("panels:meeting", args=[s.meeting.pk]),
            children=("child_a", "child_a2"),
        )
    ],
    "panels:agenda_add": NoChild("POST only: on an error it shows the meeting page, which records"),
    "panels:attendance": NoChild("POST only: on an error it shows the meeting page, which records"),
    "panels:decision": NoChild("POST only: on an error it shows the meeting page, which records"),
    "panels:carry_forward": [
        Walk(
            "manager_a",
            lambda s: reverse("panels:carry_forward", args=[s.meeting.pk, s.agenda_item.pk]),
            children=("child_a2",),
        )
    ],
    "panels:action_new": NoChild("POST only: on an error it shows the meeting page, which records"),
    "panels:action_done": NoChild("POST only: marks an action done"),
    "panels:close": NoChild("closing a meeting: items named by referral number and initials only"),
    "panels:pack": [
        Walk(
            "manager_a",
            lambda s: reverse("panels:pack", args=[s.meeting.pk]),
            children=("child_a2",),
        )
    ],
    "panels:minutes": NoChild("minutes name children by initials only"),
    # placements
    "placements:list": [Walk("officer_a", lambda s: reverse("placements:list"))],
    "placements:home": [
        Walk("officer_a", lambda s: reverse("placements:home"), children=("child_a", "child_a2"))
    ],
    "placements:new": [
        Walk("officer_a", lambda s: reverse("placements:new") + f"?child={s.child_a.pk}")
    ],
    "placements:timeline": [
        Walk("officer_a", lambda s: reverse("placements:timeline", args=[s.child_a.pk]))
    ],
    **{
        f"placements:{name}": [
            Walk(
                "officer_a",
                lambda s, name=name: reverse(f"placements:{name}", args=[s.placement.pk]),
            )
        ]
        for name in (
            "detail",
            "edit",
            "agreement",
            "cancel",
            "outcome_new",
            "passport",
            "review_new",
            "end",
        )
    },
    "placements:activate": NoChild("POST only: starts a placement (loading it records the child)"),
    "placements:outcome_edit": [
        Walk(
            "officer_a",
            lambda s: reverse("placements:outcome_edit", args=[s.placement.pk, s.outcome.pk]),
        )
    ],
    "placements:follow_up": [
        Walk(
            "officer_a",
            lambda s: reverse("placements:follow_up", args=[s.placement.pk, s.follow_up.pk]),
        )
    ],
    # returns
    "returns:list": NoChild("returns by provider and period, with counts of pupils"),
    "returns:new": NoChild("a form to start a return"),
    "returns:alerts": [Walk("officer_a", lambda s: reverse("returns:alerts"))],
    "returns:detail": [
        Walk("provider_x", lambda s: reverse("returns:detail", args=[s.provider_return.pk]))
    ],
    "returns:line_new": [
        Walk("provider_x", lambda s: reverse("returns:line_new", args=[s.empty_return.pk]))
    ],
    "returns:line_new_anonymous": NoChild("a form for a pupil not on aptrack: no child named"),
    "returns:line_remove": NoChild("POST only: removes a line"),
    "returns:submit": NoChild("confirms a submission with the number of pupils"),
    # sufficiency
    "sufficiency:page": NoChild("aggregates only: counts, waits and places, no child named"),
    # census
    "census:home": NoChild("redirects to the LA's census page"),
    "census:page": [Walk("officer_a", lambda s: _census(s, "census:page"))],
    "census:download": [
        Walk("officer_a", lambda s: _census(s, "census:download"), status=(200, 409))
    ],
    "census:errors": [Walk("officer_a", lambda s: _census(s, "census:errors"))],
    "census:reason": [
        Walk("officer_a", lambda s: reverse("census:reason", args=["838", s.placement.pk]))
    ],
    # outcomes
    **{
        f"outcomes:{name}": [
            Walk(
                "officer_a", lambda s, name=name: reverse(f"outcomes:{name}", args=[s.placement.pk])
            )
        ]
        for name in (
            "placement",
            "attainment_new",
            "qualification_new",
            "wellbeing_new",
            "prior_attendance",
        )
    },
    "outcomes:qualification_result": [
        Walk(
            "officer_a",
            lambda s: reverse(
                "outcomes:qualification_result", args=[s.placement.pk, s.qualification.pk]
            ),
        )
    ],
    "outcomes:outreach": NoChild("tier 1 outreach to schools: counts of pupils, no child named"),
    "outcomes:outreach_new": NoChild("a form for outreach support"),
    # alerts
    "alerts:list": [Walk("officer_a", lambda s: reverse("alerts:list"))],
    "alerts:detail": [Walk("officer_a", lambda s: reverse("alerts:detail", args=[s.alert.pk]))],
    "alerts:acknowledge": NoChild("POST only: acknowledges an alert"),
    "alerts:resolve": NoChild("POST only: resolves an alert"),
    "alerts:bulk_acknowledge": NoChild("POST only: acknowledges the alerts ticked in the inbox"),
    # documents
    "documents:compliance": NoChild("a provider's compliance evidence: no child"),
    "documents:visit": NoChild("a QA visit's papers: the provider, no child"),
    "documents:placement": [
        Walk("officer_a", lambda s: reverse("documents:placement", args=[s.placement.pk]))
    ],
    "documents:report": [
        Walk("officer_a", lambda s: reverse("documents:report", args=[s.report.pk]))
    ],
    "documents:download": [
        Walk("officer_a", lambda s: reverse("documents:download", args=[s.document.pk])),
        Walk("officer_a", lambda s: reverse("documents:download", args=[s.report_document.pk])),
    ],
    "notifications:preferences": NoChild(
        "a person's own choices and messages, which name no child"
    ),
    # invoices
    "commissioning:invoices": NoChild("invoices by provider, with counts of lines and totals"),
    "commissioning:upload": NoChild("an upload form; its problems echo the uploader's own file"),
    "commissioning:export": NoChild("totals by cost centre and provider, no child named"),
    "commissioning:invoice": [
        Walk("finance_a", lambda s: reverse("commissioning:invoice", args=[s.invoice_id])),
        Walk("provider_x", lambda s: reverse("commissioning:invoice", args=[s.invoice_id])),
    ],
    "commissioning:decide": NoChild(
        "POST only: on an error it shows the invoice page, which records"
    ),
    # contracts: a block's places used are a count, no child named
    "commissioning:contracts": NoChild("contracts by provider and kind, no child named"),
    "commissioning:contract_new": NoChild("a form for a contract"),
    "commissioning:contract": NoChild("a contract, its rates and a count of places used"),
    "commissioning:contract_edit": NoChild("a form for a contract's terms"),
    "commissioning:rate_new": NoChild("a form for a contract's rate"),
    # spend: totals by funder, tier, route and provider (the dashboard's drill-down records)
    "commissioning:spend": NoChild("spend totals and unit costs by group, no child named"),
    "commissioning:budget": NoChild("a form for the LA's AP budget and the budgets set"),
    # provider reports and incidents
    "reports:overdue": [Walk("officer_a", lambda s: reverse("reports:overdue"))],
    **{
        f"reports:{name}": [
            Walk(
                "provider_x", lambda s, name=name: reverse(f"reports:{name}", args=[s.placement.pk])
            )
        ]
        for name in ("placement", "new", "incident_new")
    },
    "reports:detail": [Walk("officer_a", lambda s: reverse("reports:detail", args=[s.report.pk]))],
    "reports:incident": [
        Walk("social_worker", lambda s: reverse("reports:incident", args=[s.incident.pk]))
    ],
    "reports:chronology": [
        Walk("officer_a", lambda s: reverse("reports:chronology", args=[s.child_a.pk]))
    ],
    # the API
    "api:openapi-json": NoChild("the API's description"),
    "api:openapi-view": NoChild("the API's documentation page"),
    "api:api-root": NoChild("the API's root"),
    "api:list_children": [
        Walk(
            "officer_a",
            lambda s: f"/api/v1/children?q={s.child_a.upn}",
            search_term=_one_la_query,
            api=True,
        ),
        Walk(
            "officer_a",
            lambda s: "/api/v1/children?limit=1000",
            children=("child_a", "child_a2"),
            api=True,
        ),
    ],
    "api:get_child": [Walk("officer_a", lambda s: f"/api/v1/children/{s.child_a.pk}", api=True)],
    "api:create_child": Change(),
    "api:update_child": Change(),
    "api:record_marks": NoChild("POST of marks: answers with counts and errors by row"),
    "api:send_invoices": NoChild("POST of invoice lines: answers with counts and the UPNs sent"),
    "api:list_referrals": [
        Walk("officer_a", lambda s: "/api/v1/referrals", children=("child_a", "child_a2"), api=True)
    ],
    "api:get_referral": [
        Walk("officer_a", lambda s: f"/api/v1/referrals/{s.referral.pk}", api=True)
    ],
    "api:create_referral": Change(),
    "api:submit_referral": Change(),
    "api:withdraw_referral": Change(),
    "api:list_placements": [Walk("officer_a", lambda s: "/api/v1/placements", api=True)],
    "api:get_placement": [
        Walk("officer_a", lambda s: f"/api/v1/placements/{s.placement.pk}", api=True)
    ],
    "api:create_placement": Change(),
    "api:create_notice": Change(),
    "api:list_notices": [Walk("officer_a", lambda s: "/api/v1/notices", api=True)],
    # notices from schools
    "notices:list": [
        Walk("officer_a", lambda s: reverse("notices:list")),
        Walk("school_y", lambda s: reverse("notices:list")),
    ],
    "notices:detail": [
        Walk("officer_a", lambda s: reverse("notices:detail", args=[s.notice.pk])),
        Walk("school_y", lambda s: reverse("notices:detail", args=[s.notice.pk])),
    ],
    "children:import_ctf": NoChild(
        "the CTF upload form: the diff it shows after a POST is audited"
    ),
    "children:import_ctf_confirm": NoChild("POST only: imports the checked file"),
    "notices:exclusion_new": NoChild("a school's form: it shows no child until it is sent"),
    "notices:school_ap_new": NoChild("a school's form: it shows no child until it is sent"),
    "api:start_placement": Change(),
    "api:end_placement": Change(),
    "api:list_reports": [Walk("officer_a", lambda s: "/api/v1/reports", api=True)],
    "api:create_report": Change(),
    "api:list_incidents": [Walk("officer_a", lambda s: "/api/v1/incidents", api=True)],
    "api:create_incident": Change(),
}


def _url_names(patterns: list[Any], namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _url_names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and namespace:
            yield f"{namespace}:{pattern.name}"


def test_every_url_is_classified():
    """A new page or endpoint under these apps must say whether it shows a child."""
    names = {
        name for name in _url_names(get_resolver().url_patterns) if name.split(":")[0] in WATCHED
    }
    assert names - CLASSIFIED.keys() == set(), "classify these URLs in CLASSIFIED"
    assert CLASSIFIED.keys() - names == set(), "these URLs no longer exist"


@pytest.fixture
def scenario(world, settings):
    """The world's children with a referral, panel, return, census, alert, outcomes and a
    placement document each."""
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    today = timezone.localdate()
    placement = Placement.objects.get(child=world.child_a)
    provider = ProviderFactory(organisation=world.provider_x.organisation)
    referral = ReferralFactory(child=world.child_a, referrer=world.officer_a)
    excluded = ReferralFactory(
        child=world.child_a2,
        referrer=world.officer_a,
        route=Route.PERMANENT_EXCLUSION,
        first_day_of_exclusion=today - dt.timedelta(days=28),
        status=ReferralStatus.ON_AGENDA,
    )
    meeting = MeetingFactory(panel=PanelFactory(), date=today + dt.timedelta(days=7))
    agenda_item = AgendaItem.objects.create(meeting=meeting, referral=excluded, position=1)
    ReferralFactory(child=world.child_a, referrer=world.officer_a, status=ReferralStatus.SUBMITTED)
    provider_return = ProviderReturnFactory(provider=provider, created_by=world.provider_x)
    ReturnLineFactory(provider_return=provider_return, child=world.child_a, named=True)
    empty_return = ProviderReturnFactory(
        provider=provider,
        created_by=world.provider_x,
        period_start_date=dt.date(2026, 10, 1),
        period_end_date=dt.date(2026, 10, 31),
    )
    alert = Alert.objects.create(
        kind="ABSENT",
        child=world.child_a,
        placement=placement,
        local_authority=world.child_a.home_la,
        session_date=today,
        session="AM",
        reason="No mark",
        raised_at=timezone.now(),
    )
    notice = Notice.objects.create(
        kind=NoticeKind.SUSPENSION,
        school=world.school_y.organisation,
        child=world.child_a,
        home_la=world.child_a.home_la,
        notified_by=world.school_y,
        notified_at=timezone.now(),
        updated_at=timezone.now(),
        first_day=today,
        exclusion_reason="PA",
        suspension_days=8,
    )
    # Summer 2 before the placement: Autumn 1's report stays overdue for the overdue list.
    report = ReportFactory(
        placement=placement,
        submitted_by=world.provider_x,
        half_term_name="Summer 2",
        academic_year=2025,
        period_start=dt.date(2026, 6, 1),
        period_end=dt.date(2026, 7, 21),
    )
    return SimpleNamespace(
        **vars(world),
        placement=placement,
        referral=referral,
        meeting=meeting,
        agenda_item=agenda_item,
        provider_return=provider_return,
        empty_return=empty_return,
        alert=alert,
        notice=notice,
        outcome=IntendedOutcome.objects.create(
            placement=placement,
            description="Reads fluently",
            measure="Reading age",
            baseline="8",
            target="10",
        ),
        follow_up=FollowUp.objects.create(placement=placement, weeks_after=6, due_date=today),
        qualification=QualificationFactory(placement=placement, recorded_by=world.officer_a),
        # Straight into the storage and the table: the scenario leaves no audit rows of its own.
        document=Document.objects.create(
            attached_to=AttachedTo.PLACEMENT,
            placement=placement,
            title="Agreement",
            file=storages["documents"].save(
                "documents/agreement.pdf", ContentFile(b"%PDF-1.7 agreement")
            ),
            filename="agreement.pdf",
            content_type="application/pdf",
            size=18,
            sha256="0" * 64,
            uploaded_by=world.officer_a,
            uploaded_at=timezone.now(),
        ),
        invoice_id=_invoice(world),
        report=report,
        report_document=Document.objects.create(
            attached_to=AttachedTo.PROVIDER_REPORT,
            provider_report=report,
            title="Sample of work",
            file=storages["documents"].save("documents/work.pdf", ContentFile(b"%PDF-1.7 work")),
            filename="work.pdf",
            content_type="application/pdf",
            size=13,
            sha256="0" * 64,
            uploaded_by=world.provider_x,
            uploaded_at=timezone.now(),
        ),
        incident=IncidentFactory(placement=placement, recorded_by=world.provider_x),
    )


def _invoice(world: Any) -> int:
    from aptrack.commissioning import services as commissioning
    from aptrack.commissioning.invoice_file import read_rows
    from aptrack.commissioning.tests.factories import row

    return commissioning.record_invoices(
        provider=world.provider_x.organisation,
        lines=read_rows([row(upn=world.child_a.upn)]),
        channel="COMMAND",
        by=world.provider_x,
        at=timezone.now(),
    ).invoice_ids[0]


WALKS = [
    pytest.param(name, walk, id=f"{name}-{index}")
    for name, entry in CLASSIFIED.items()
    if isinstance(entry, list)
    for index, walk in enumerate(entry)
]


@pytest.mark.parametrize(("name", "walk"), WALKS)
def test_every_page_and_endpoint_records_each_child_it_shows(client, scenario, name, walk):
    user = getattr(scenario, walk.persona)
    url = walk.url(scenario)
    if walk.api:
        _, token = account_services.issue_api_token(user=user, name="MIS", at=timezone.now())
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    else:
        client.force_login(user)
        response = client.get(url)
    assert response.status_code in walk.status, (url, response.status_code)
    expected = {getattr(scenario, child).pk for child in walk.children}
    views = AuditEvent.objects.filter(action=AuditAction.VIEWED, actor=user)
    assert expected <= set(views.values_list("child_id", flat=True)), url
    path = url.split("?")[0]
    assert set(views.values_list("channel", flat=True)) == {
        Channel.API if walk.api else Channel.WEB
    }
    if not name.startswith("census:") or name == "census:page":
        assert set(views.values_list("where", flat=True)) == {path}
    if walk.search_term is not None:
        assert set(views.values_list("search_term", flat=True)) == {walk.search_term(scenario)}


def test_a_search_records_only_the_children_found_and_no_others(client, scenario):
    ChildFactory(home_la=scenario.child_a.home_la)
    client.force_login(scenario.officer_a)
    client.get(reverse("children:list"), {"q": scenario.child_a.upn})
    assert list(AuditEvent.objects.values_list("child_id", flat=True)) == [scenario.child_a.pk]
