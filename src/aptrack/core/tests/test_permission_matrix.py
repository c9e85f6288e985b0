"""No one opens another organisation's records by typing its id into a URL: every URL pattern
that takes an object's id (pages, exports and the API) is requested, GET and POST, by every
persona for an object of another LA, provider or school (see DORSET_LA_SIDE and the lists after
it), and must answer 403 or 404 (405 for a method the URL does not take) without the other
child's name or UPN in the body. The few records shared on purpose say with whom and why.

Every URL pattern with a parameter is listed in MATRIX: a new one fails
`test_every_url_with_an_id_is_in_the_matrix` until it is entered."""

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from aptrack.accounts import services as account_services
from aptrack.accounts.roles import Role
from aptrack.accounts.tests.factories import UserFactory
from aptrack.alerts.models import Alert
from aptrack.children.models import Child
from aptrack.children.tests.factories import ChildFactory, PlacementFactory
from aptrack.conftest import build_world, built_once
from aptrack.documents.models import AttachedTo, Document
from aptrack.improvement.tests.factories import ActionFactory as PlanActionFactory
from aptrack.notices.models import Notice, NoticeKind
from aptrack.organisations.models import LocalAuthority
from aptrack.organisations.tests.factories import EstablishmentFactory, OrganisationFactory
from aptrack.outcomes.tests.factories import QualificationFactory
from aptrack.oversight.models import PackExport
from aptrack.panels.models import AgendaItem, PanelAction
from aptrack.panels.tests.factories import MeetingFactory, PanelFactory, PanelMemberFactory
from aptrack.placements.models import FollowUp, IntendedOutcome, Placement
from aptrack.quality.models import CheckType, Framework, Standard, VisitAction
from aptrack.quality.tests.factories import add_check, make_visit
from aptrack.referrals.tests.factories import ReferralFactory
from aptrack.reports.tests.factories import IncidentFactory, ReportFactory
from aptrack.returns.tests.factories import (
    ProviderFactory,
    ProviderReturnFactory,
    ReturnLineFactory,
)

pytestmark = pytest.mark.django_db

# Who asks for which side's objects: Dorset's LA-wide roles for Hackney's (another LA); Dorset's
# provider, school, social worker and virtual school for a Dorset child placed with provider W,
# pupil of another school, on no one's caseload (another provider or school in their own LA);
# Hackney's officer and provider Z for Dorset's child_a.
DORSET_LA_SIDE = ["officer_a", "manager_a", "qa_lead_a", "panel_member", "analyst", "finance_a"]
DORSET_ORG_SIDE = ["provider_x", "school_y", "social_worker", "virtual_school_head_a"]
DORSET_SIDE = DORSET_LA_SIDE + DORSET_ORG_SIDE
HACKNEY_SIDE = ["officer_b", "provider_z"]

REFUSED = {403, 404}


@dataclass(frozen=True)
class Target:
    """A URL of one side's object: `url(objects)` builds it from that side's objects."""

    url: Callable[[Any], str]
    api_method: str | None = None  # the API's method; pages are asked GET and POST
    api_body: dict[str, Any] | None = None
    # Who may open the other side's object, and why: still never with the other side's children.
    shared_with: frozenset[str] = frozenset()
    why_shared: str = ""


@dataclass(frozen=True)
class Exempt:
    """Takes a parameter that is not another organisation's object: why."""

    reason: str


def _page(name: str, *attrs: str) -> Target:
    return Target(lambda o: reverse(name, args=[getattr(o, attr).pk for attr in attrs]))


def _shared(target: Target, personas: set[str], why: str) -> Target:
    return Target(target.url, shared_with=frozenset(personas), why_shared=why)


EVERYONE = set(DORSET_SIDE + HACKNEY_SIDE)
LA_STAFF = {"officer_a", "manager_a", "qa_lead_a", "officer_b"}
STANDING = {"manager_a", "qa_lead_a"}


def _api(path: str, attr: str, method: str = "GET", body: dict[str, Any] | None = None) -> Target:
    return Target(
        lambda o: "/api/v1/" + path.format(getattr(o, attr).pk), api_method=method, api_body=body
    )


MATRIX: dict[str, Target | Exempt] = {
    # children
    **{
        f"children:{name}": _page(f"children:{name}", "child")
        for name in ("detail", "edit", "audit_trail")
    },
    **{
        f"dataprotection:{name}": _page(f"dataprotection:{name}", "child")
        for name in ("subject_access_json", "subject_access_pdf")
    },
    "attendance:child": _page("attendance:child", "child"),
    # providers
    "providers:detail": _shared(
        _page("providers:detail", "provider"),
        EVERYONE,
        "the provider register is shared and holds no child data",
    ),
    **{
        f"providers:{name}": _page(f"providers:{name}", "provider") for name in ("edit", "site_new")
    },
    "providers:approval": _shared(
        _page("providers:approval", "provider"),
        STANDING,
        "each LA keeps its own standing for any provider it may commission",
    ),
    "providers:relationship": _shared(
        _page("providers:relationship", "provider"),
        LA_STAFF,
        "each LA keeps its own notes and rates for any provider",
    ),
    # referrals
    **{
        f"referrals:{name}": _page(f"referrals:{name}", "referral")
        for name in ("detail", "edit", "submit", "withdraw")
    },
    # panels
    **{
        f"panels:{name}": _page(f"panels:{name}", "panel")
        for name in ("detail", "edit", "member_new", "meeting_new")
    },
    "panels:member_remove": _page("panels:member_remove", "panel", "member"),
    **{
        f"panels:{name}": _page(f"panels:{name}", "meeting")
        for name in (
            "meeting",
            "agenda_add",
            "attendance",
            "action_new",
            "close",
            "pack",
            "minutes",
        )
    },
    "panels:decision": _page("panels:decision", "meeting", "agenda_item"),
    "panels:carry_forward": _page("panels:carry_forward", "meeting", "agenda_item"),
    "panels:action_done": _page("panels:action_done", "meeting", "panel_action"),
    # placements
    "placements:timeline": _page("placements:timeline", "child"),
    **{
        f"placements:{name}": _page(f"placements:{name}", "placement")
        for name in (
            "detail",
            "edit",
            "agreement",
            "activate",
            "cancel",
            "outcome_new",
            "passport",
            "review_new",
            "end",
        )
    },
    "placements:outcome_edit": _page("placements:outcome_edit", "placement", "outcome"),
    "placements:follow_up": _page("placements:follow_up", "placement", "follow_up"),
    # returns
    **{
        f"returns:{name}": _page(f"returns:{name}", "provider_return")
        for name in ("detail", "line_new", "line_new_anonymous", "submit")
    },
    "returns:line_remove": _page("returns:line_remove", "provider_return", "return_line"),
    # quality
    **{
        f"quality:{name}": _shared(
            _page(f"quality:{name}", "provider"),
            LA_STAFF,
            "QA is shared: any LA checks and visits any provider so none commissions blind",
        )
        for name in ("compliance", "visits", "visit_new")
    },
    **{
        f"quality:{name}": _page(f"quality:{name}", "visit")
        for name in ("visit", "visit_complete", "action_new")
    },
    "quality:action_status": _page("quality:action_status", "visit", "visit_action"),
    **{
        f"quality:{name}": _page(f"quality:{name}", "framework")
        for name in ("framework", "framework_copy", "framework_edit", "standard_new")
    },
    "quality:standard_edit": _page("quality:standard_edit", "framework", "standard"),
    "quality:standard_remove": _page("quality:standard_remove", "framework", "standard"),
    # documents: whoever may see the record they are attached to
    "documents:compliance": _shared(
        _page("documents:compliance", "compliance_check"),
        LA_STAFF,
        "QA is shared: any LA reads any provider's compliance evidence",
    ),
    "documents:visit": _page("documents:visit", "visit"),
    "documents:placement": _page("documents:placement", "placement"),
    "documents:report": _page("documents:report", "report"),
    "documents:download": _page("documents:download", "document"),
    # notices from schools: the school that sent one and the child's home LA
    "notices:detail": _page("notices:detail", "notice"),
    # alerts
    **{
        f"alerts:{name}": _page(f"alerts:{name}", "alert")
        for name in ("detail", "acknowledge", "resolve")
    },
    # outcomes
    **{
        f"outcomes:{name}": _page(f"outcomes:{name}", "placement")
        for name in (
            "placement",
            "attainment_new",
            "qualification_new",
            "wellbeing_new",
            "prior_attendance",
        )
    },
    "outcomes:qualification_result": _page(
        "outcomes:qualification_result", "placement", "qualification"
    ),
    # oversight
    "oversight:pack_status": _page("oversight:pack_status", "pack"),
    "oversight:pack_download": Target(
        lambda o: reverse("oversight:pack_download", args=[o.pack.pk, "pdf"])
    ),
    # improvement
    **{
        f"improvement:{name}": _page(f"improvement:{name}", "plan")
        for name in ("plan", "plan_edit", "priority_new")
    },
    "improvement:priority_edit": _page("improvement:priority_edit", "plan", "priority"),
    "improvement:action_new": _page("improvement:action_new", "plan", "priority"),
    "improvement:action": _page("improvement:action", "plan", "plan_action"),
    "improvement:action_edit": _page("improvement:action_edit", "plan", "plan_action"),
    # census: the LA's code is the object
    **{
        f"census:{name}": Target(lambda o, name=name: reverse(f"census:{name}", args=[o.la.code]))
        for name in ("page", "download", "errors")
    },
    "census:reason": Target(lambda o: reverse("census:reason", args=[o.la.code, o.placement.pk])),
    # invoices
    **{
        f"commissioning:{name}": _page(f"commissioning:{name}", "invoice")
        for name in ("invoice", "decide")
    },
    # contracts
    **{
        f"commissioning:{name}": _page(f"commissioning:{name}", "contract")
        for name in ("contract", "contract_edit", "rate_new")
    },
    # provider reports and incidents
    **{
        f"reports:{name}": _page(f"reports:{name}", "placement")
        for name in ("placement", "new", "incident_new")
    },
    "reports:detail": _page("reports:detail", "report"),
    "reports:incident": _page("reports:incident", "incident"),
    "reports:chronology": _page("reports:chronology", "child"),
    # the API
    "api:get_child": _api("children/{}", "child"),
    "api:update_child": _api(
        "children/{}",
        "child",
        "PUT",
        {
            "legal_first_name": "Someone",
            "legal_last_name": "Else",
            "date_of_birth": "2014-01-01",
            "sex": "F",
            "home_la_code": "838",
            "version": 1,
        },
    ),
    "api:get_referral": _api("referrals/{}", "referral"),
    "api:submit_referral": _api("referrals/{}/submit", "referral", "POST"),
    "api:withdraw_referral": _api(
        "referrals/{}/withdraw", "referral", "POST", {"reason": "Moved away"}
    ),
    "api:get_placement": _api("placements/{}", "placement"),
    "api:start_placement": _api("placements/{}/start", "placement", "POST", {"version": 1}),
    "api:end_placement": _api(
        "placements/{}/end",
        "placement",
        "POST",
        {
            "end_date": "2026-12-01",
            "reason": "COMPLETED",
            "destination": "HOME_SCHOOL",
            "transition_plan": "Back",
            "version": 1,
        },
    ),
}


def _names_with_parameters(
    patterns: list[Any], namespace: str = "", parameters: bool = False
) -> Iterator[str]:
    for pattern in patterns:
        takes = parameters or pattern.pattern.regex.groups > 0
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                yield from _names_with_parameters(
                    pattern.url_patterns, pattern.namespace or namespace, takes
                )
        elif isinstance(pattern, URLPattern) and takes:
            yield f"{namespace}:{pattern.name}"


def test_every_url_with_an_id_is_in_the_matrix():
    """A new URL that takes an id must be entered in MATRIX, with the object it takes."""
    names = set(_names_with_parameters(get_resolver().url_patterns))
    assert names - MATRIX.keys() == set(), "enter these URLs in MATRIX"
    assert MATRIX.keys() - names == set(), "these URLs no longer exist"


def _side(*, la: LocalAuthority, child: Child, officer: Any, provider_user: Any) -> SimpleNamespace:
    """One of everything the URLs take, belonging to `la`, its child and its provider."""
    today = timezone.localdate()
    now = timezone.now()
    placement = Placement.objects.get(child=child)
    provider = ProviderFactory(organisation=provider_user.organisation)
    referral = ReferralFactory(child=child, referrer=officer)
    panel = PanelFactory(local_authority=la)
    meeting = MeetingFactory(panel=panel, date=today + dt.timedelta(days=7))
    agenda_item = AgendaItem.objects.create(meeting=meeting, referral=referral, position=1)
    provider_return = ProviderReturnFactory(provider=provider, created_by=provider_user)
    framework = Framework.objects.create(
        name=f"{child.pk} framework", owner_la=la, created_at=now, updated_at=now
    )
    visit = make_visit(provider, officer, visit_date=today)
    # A placement's document row (its file is never read: every request here is refused).
    document = Document.objects.create(
        attached_to=AttachedTo.PLACEMENT,
        placement=placement,
        title="Agreement",
        file="documents/agreement.pdf",
        filename="agreement.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        uploaded_by=officer,
        uploaded_at=now,
    )
    plan_action = PlanActionFactory(
        priority__plan__local_authority=la, priority__plan__created_by=officer
    )
    # A suspension notice from a school of the side's LA (not School Y) about the side's child.
    school = OrganisationFactory(
        kind="SCHOOL", local_authority=la, establishment=EstablishmentFactory(local_authority=la)
    )
    notice = Notice.objects.create(
        kind=NoticeKind.SUSPENSION,
        school=school,
        child=child,
        home_la=child.home_la,
        notified_by=officer,
        notified_at=now,
        updated_at=now,
        first_day=today,
        exclusion_reason="PA",
        suspension_days=8,
    )
    return SimpleNamespace(
        la=la,
        child=child,
        placement=placement,
        provider=provider,
        referral=referral,
        panel=panel,
        member=PanelMemberFactory(panel=panel),
        meeting=meeting,
        agenda_item=agenda_item,
        panel_action=PanelAction.objects.create(
            meeting=meeting,
            agenda_item=agenda_item,
            description="Call",
            owner="Sam",
            due_date=today,
        ),
        provider_return=provider_return,
        return_line=ReturnLineFactory(provider_return=provider_return, child=child, named=True),
        visit=visit,
        document=document,
        notice=notice,
        compliance_check=add_check(
            provider,
            officer,
            CheckType.DSL,
            evidence_date=today,
            expiry_date=today + dt.timedelta(days=365),
        ),
        visit_action=VisitAction.objects.create(
            visit=visit,
            text="Fix the fire door",
            owner_name="Sam",
            due_date=today,
            created_by=officer,
            created_at=now,
        ),
        framework=framework,
        standard=Standard.objects.create(
            framework=framework,
            area_number=1,
            area_title="Safety",
            code="1.1",
            text="Pupils are safe",
        ),
        alert=Alert.objects.create(
            kind="ABSENT",
            child=child,
            placement=placement,
            local_authority=la,
            session_date=today,
            session="AM",
            reason="No mark",
            raised_at=now,
        ),
        outcome=IntendedOutcome.objects.create(
            placement=placement,
            description="Reads fluently",
            measure="Reading age",
            baseline="8",
            target="10",
        ),
        follow_up=FollowUp.objects.create(placement=placement, weeks_after=6, due_date=today),
        qualification=QualificationFactory(placement=placement, recorded_by=officer),
        pack=PackExport.objects.create(
            local_authority=la,
            period_start_date=dt.date(2026, 9, 1),
            period_end_date=dt.date(2026, 11, 30),
            period_label="Autumn",
            requested_by=officer,
            requested_at=now,
            as_at_date=today,
        ),
        plan=plan_action.priority.plan,
        priority=plan_action.priority,
        report=ReportFactory(placement=placement, submitted_by=provider_user),
        incident=IncidentFactory(placement=placement, recorded_by=provider_user),
        plan_action=plan_action,
        invoice=_invoice(child, provider_user),
        contract=_contract(la, provider_user),
    )


def _invoice(child: Child, provider_user: Any) -> Any:
    """An invoice from the side's provider naming the side's child."""
    from aptrack.commissioning import services as commissioning
    from aptrack.commissioning.invoice_file import read_rows
    from aptrack.commissioning.tests.factories import row

    report = commissioning.record_invoices(
        provider=provider_user.organisation,
        lines=read_rows([row(upn=child.upn, invoice_number=f"INV-{child.pk}")]),
        channel="COMMAND",
        by=provider_user,
        at=timezone.now(),
    )
    return SimpleNamespace(pk=report.invoice_ids[0])


def _contract(la: LocalAuthority, provider_user: Any) -> Any:
    """A block contract of the side's LA with the side's provider."""
    from aptrack.commissioning.models import Contract

    return Contract.objects.create(
        local_authority=la,
        provider=provider_user.organisation,
        reference=f"BLOCK-{la.pk}-{provider_user.pk}",
        kind="BLOCK",
        start_date=dt.date(2026, 9, 1),
        end_date=dt.date(2027, 7, 31),
        places=5,
        block_price=50000,
        created_at=timezone.now(),
    )


@pytest.fixture(scope="module")
def _sides_built(request: pytest.FixtureRequest) -> Iterator[tuple[Any, Any, Any, Any]]:
    with built_once(request):
        yield _build_sides(build_world())


@pytest.fixture
def sides(_sides_built, db):
    """The world and each side's objects, built once for the module (each test asks only, and
    what its requests write is rolled back after it)."""
    return _sides_built


def _build_sides(world: Any) -> tuple[Any, Any, Any, Any]:
    hackney = _side(
        la=world.child_b.home_la,
        child=world.child_b,
        officer=world.officer_b,
        provider_user=world.provider_z,
    )
    dorset = _side(
        la=world.child_a.home_la,
        child=world.child_a,
        officer=world.manager_a,
        provider_user=world.provider_x,
    )
    w_org = OrganisationFactory(
        name="Provider W", kind="PROVIDER", local_authority=world.child_a.home_la
    )
    child_w = ChildFactory(
        legal_first_name="Wilhelmina",
        legal_last_name="Quarrington",
        home_la=world.child_a.home_la,
        home_school=EstablishmentFactory(local_authority=world.child_a.home_la),
    )
    PlacementFactory(child=child_w, provider=w_org, commissioning_la=world.child_a.home_la)
    provider_w = UserFactory(organisation=w_org, role=Role.PROVIDER_STAFF)
    other_org = _side(
        la=world.child_a.home_la, child=child_w, officer=world.officer_a, provider_user=provider_w
    )
    return world, dorset, hackney, other_org


def _clients(world: Any, personas: list[str], *, api: bool) -> dict[str, tuple[Client, str]]:
    """A signed-in client per persona or, for the API, a bearer token."""
    clients = {}
    for persona in personas:
        user = getattr(world, persona)
        client = Client()
        token = ""
        if api:
            _, token = account_services.issue_api_token(user=user, name="MIS", at=timezone.now())
        else:
            client.force_login(user)
        clients[persona] = (client, token)
    return clients


def _requests(target: Target, client: Client, token: str, url: str) -> list[tuple[str, Any]]:
    if target.api_method is None:
        return [("GET", client.get(url)), ("POST", client.post(url, {}))]
    body = json.dumps(target.api_body) if target.api_body is not None else ""
    return [
        (
            target.api_method,
            client.generic(
                target.api_method,
                url,
                body,
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            ),
        )
    ]


def _leaks(target: Target, clients: dict[str, tuple[Client, str]], objects: Any) -> list[str]:
    url = target.url(objects)
    child = objects.child
    secrets = [child.upn, child.legal_first_name, child.legal_last_name]
    found = []
    for persona, (client, token) in clients.items():
        answers = _requests(target, client, token, url)
        statuses = {status.status_code for _, status in answers}
        allowed = REFUSED | {405} | ({200} if persona in target.shared_with else set())
        if statuses == {405} or not statuses <= allowed:
            found.append(f"{persona} {url}: {[(method, r.status_code) for method, r in answers]}")
        for method, response in answers:
            body = b"".join(response.streaming_content) if response.streaming else response.content
            shown = [secret for secret in secrets if secret.encode() in body]
            if shown:
                found.append(f"{persona} {method} {url} shows {shown}")
    return found


TARGETS = [
    pytest.param(name, target, id=name)
    for name, target in MATRIX.items()
    if isinstance(target, Target)
]


@pytest.mark.parametrize(("name", "target"), TARGETS)
def test_no_one_opens_another_organisations_record_by_its_id(sides, name, target):
    world, dorset, hackney, other_org = sides
    api = target.api_method is not None
    leaks = _leaks(target, _clients(world, DORSET_LA_SIDE, api=api), hackney)
    leaks += _leaks(target, _clients(world, DORSET_ORG_SIDE, api=api), other_org)
    leaks += _leaks(target, _clients(world, HACKNEY_SIDE, api=api), dorset)
    assert leaks == []


def test_the_check_catches_a_child_shown_to_someone(sides):
    """The same requests for one's own side's child are answered with the child: the check sees it."""
    world, dorset, _, _ = sides
    leaks = _leaks(MATRIX["children:detail"], _clients(world, ["officer_a"], api=False), dorset)
    assert any("shows" in leak for leak in leaks), leaks
    assert any("('GET', 200)" in leak for leak in leaks), leaks
