"""Reads of panels, meetings, agendas, packs and minutes. Those that take a user start from
their scope; those that take a meeting are for callers that have already authorised it."""

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet

from aptrack.accounts.models import User
from aptrack.accounts.roles import Role
from aptrack.calendars import deadlines
from aptrack.calendars.engine import OutsideKnownTerms
from aptrack.calendars.selectors import get_calendar
from aptrack.children.models import Child
from aptrack.panels.models import (
    AgendaItem,
    Attendance,
    Decision,
    DecisionOutcome,
    Meeting,
    MeetingStatus,
    Panel,
    PanelAction,
    PanelKind,
    PanelMember,
)
from aptrack.panels.permissions import scope_meetings, scope_panels
from aptrack.providers.models import Provider
from aptrack.referrals.models import Referral, Route
from aptrack.referrals.selectors import ReferralDuties, get_referral_duties, sixth_day_due
from aptrack.referrals.states import ReferralStatus

AGENDA_READY = (ReferralStatus.SUBMITTED, ReferralStatus.DEFERRED)


@dataclass(frozen=True)
class Quorum:
    members_present: int
    agencies_present: int
    members_needed: int
    agencies_needed: int

    @property
    def met(self) -> bool:
        return (
            self.members_present >= self.members_needed
            and self.agencies_present >= self.agencies_needed
        )

    def describe(self) -> str:
        return (
            f"{self.members_present} of the {self.members_needed} members needed are present, "
            f"from {self.agencies_present} of the {self.agencies_needed} agencies needed"
        )


def get_quorum(*, meeting: Meeting) -> Quorum:
    """Members marked present, and how many different agencies they come from."""
    present = Attendance.objects.filter(meeting=meeting, present=True)
    return Quorum(
        members_present=present.count(),
        agencies_present=present.values("member__agency").distinct().count(),
        members_needed=meeting.panel.quorum,
        agencies_needed=meeting.panel.quorum_agencies,
    )


# --- panels and meetings -----------------------------------------------------------------------


def list_panels(*, user: "User", on: dt.date) -> QuerySet[Panel]:
    return (
        scope_panels(user)
        .select_related("local_authority")
        .annotate(
            member_count=Count("members", filter=Q(members__is_active=True), distinct=True),
            next_meeting_date=Min(
                "meetings__date",
                filter=Q(meetings__date__gte=on) & ~Q(meetings__status=MeetingStatus.CLOSED),
            ),
        )
        .order_by("name", "pk")
    )


def get_panel(*, user: "User", panel_id: int) -> Panel | None:
    return scope_panels(user).select_related("local_authority").filter(pk=panel_id).first()


def list_members(*, panel: Panel) -> QuerySet[PanelMember]:
    return (
        panel.members.filter(is_active=True)
        .select_related("user")
        .order_by("-is_chair", "agency", "name", "pk")
    )


def list_meetings(*, panel: Panel) -> QuerySet[Meeting]:
    return panel.meetings.annotate(item_count=Count("agenda")).order_by("-date", "-pk")


def get_meeting(*, user: "User", meeting_id: int) -> Meeting | None:
    return (
        scope_meetings(user)
        .select_related("panel", "panel__local_authority")
        .filter(pk=meeting_id)
        .first()
    )


def list_upcoming_meetings(*, user: "User", on: dt.date) -> QuerySet[Meeting]:
    """Open meetings on or after `on` of the panels the user manages or sits on, soonest first."""
    return (
        scope_meetings(user)
        .filter(date__gte=on)
        .exclude(status=MeetingStatus.CLOSED)
        .select_related("panel")
        .annotate(item_count=Count("agenda"))
        .order_by("date", "pk")
    )


def list_meetings_to_close(*, user: "User", on: dt.date) -> QuerySet[Meeting]:
    """Meetings whose day has passed but whose minutes are not closed."""
    return (
        scope_meetings(user)
        .filter(date__lt=on)
        .exclude(status=MeetingStatus.CLOSED)
        .select_related("panel")
        .annotate(item_count=Count("agenda"))
        .order_by("date", "pk")
    )


def list_agenda(*, meeting: Meeting) -> QuerySet[AgendaItem]:
    return meeting.agenda.select_related(
        "referral",
        "referral__child",
        "referral__child__home_school",
        "referral__commissioning_la",
        "referral__commissioning_school",
        "decision",
        "decision__proposed_provider",
        "decision__decided_by",
    ).order_by("position", "pk")


@dataclass(frozen=True)
class AttendanceRow:
    member: PanelMember
    present: bool | None  # None: not recorded yet


def list_attendance(*, meeting: Meeting) -> list[AttendanceRow]:
    """Every active member, and anyone recorded at the meeting who has since left the panel."""
    recorded = {a.member_id: a.present for a in Attendance.objects.filter(meeting=meeting)}
    members = PanelMember.objects.filter(
        Q(panel=meeting.panel, is_active=True) | Q(pk__in=recorded.keys())
    ).order_by("-is_chair", "agency", "name", "pk")
    return [AttendanceRow(member=m, present=recorded.get(m.pk)) for m in members]


def list_actions(*, meeting: Meeting) -> QuerySet[PanelAction]:
    return meeting.actions.select_related("agenda_item").order_by("due_date", "pk")


def list_referrals_ready_for_agenda(*, meeting: Meeting) -> QuerySet[Referral]:
    """Submitted or deferred referrals of the panel's LA, not already on this meeting's agenda."""
    return (
        Referral.objects.filter(
            commissioning_la_id=meeting.panel.local_authority_id, status__in=AGENDA_READY
        )
        .exclude(agenda_items__meeting=meeting)
        .select_related("child")
        .order_by("updated_at", "pk")
    )


def list_linkable_users(*, panel: Panel) -> QuerySet[User]:
    """Users who may sit on the panel as themselves: panel members and LA staff of its area."""
    return (
        User.objects.filter(
            is_active=True,
            role__in=[Role.PANEL_MEMBER, Role.LA_OFFICER, Role.LA_MANAGER],
            organisation__local_authority_id=panel.local_authority_id,
        )
        .select_related("organisation")
        .order_by("last_name", "first_name", "username")
    )


def list_proposable_providers(*, panel: Panel) -> QuerySet[Provider]:
    """Providers based in the panel's LA or known to it through its framework of approved AP."""
    la_id = panel.local_authority_id
    return (
        Provider.objects.filter(Q(home_la_id=la_id) | Q(approvals__local_authority_id=la_id))
        .distinct()
        .order_by("name", "pk")
    )


# --- the pack and the minutes ------------------------------------------------------------------


@dataclass(frozen=True)
class PackItem:
    item: AgendaItem
    referral: Referral
    child: Child
    year_group: int
    sixth_day: dt.date | None  # for a permanent exclusion: the day full-time education is owed
    decision: Decision | None
    sixth_day_estimated: bool = False  # no term dates that far ahead: counted in weekdays
    # At a Fair Access Panel: the day a place is due if the panel approves at this meeting.
    fair_access_place_by: dt.date | None = None
    # The statutory duties of the referral's route (illness days for the health route).
    duties: ReferralDuties | None = None


@dataclass(frozen=True)
class MeetingPack:
    meeting: Meeting
    panel: Panel
    members: list[PanelMember]
    quorum: Quorum
    items: list[PackItem]
    prepared_on: dt.date


def get_decision(item: AgendaItem) -> Decision | None:
    try:
        return item.decision
    except Decision.DoesNotExist:
        return None


def describe_who_decides(*, meeting: Meeting) -> str:
    """Who may record the meeting's decisions (`permissions.can_record_decision`), in words."""
    panel = meeting.panel
    chairs = [
        m.name
        for m in PanelMember.objects.filter(
            panel=panel, is_active=True, is_chair=True, joined_date__lte=meeting.date
        ).order_by("name")
    ]
    chair = (
        f"the panel's chair ({', '.join(chairs)})"
        if chairs
        else "the panel's chair (none is named yet)"
    )
    return f"Only {chair} or an LA manager of {panel.local_authority.name} can record the panel's decisions"


def get_approval(*, referral_id: int) -> Decision | None:
    """The panel's decision approving the referral (the latest, were it approved twice): the
    tier, provider and weekly cost a placement made from it starts with."""
    return (
        Decision.objects.filter(
            agenda_item__referral_id=referral_id, outcome=DecisionOutcome.APPROVED
        )
        .select_related("proposed_provider", "agenda_item__meeting__panel")
        .order_by("-decided_at", "-pk")
        .first()
    )


def get_meeting_pack(*, meeting: Meeting, on: dt.date) -> MeetingPack:
    """The agenda with what the panel reads for each referral: the child in brief, route,
    needs, the family's and the child's views, the proposed tier and its cost."""
    calendar = get_calendar(la_id=meeting.panel.local_authority_id)
    items = []
    for item in list_agenda(meeting=meeting):
        referral = item.referral
        sixth, estimated = None, False
        if referral.route == Route.PERMANENT_EXCLUSION and referral.first_day_of_exclusion:
            # The duty's one due date (`referrals.selectors.sixth_day_due`, docs/rules.md).
            sixth, estimated = sixth_day_due(calendar, referral.first_day_of_exclusion)
        place_by = None
        if meeting.panel.kind == PanelKind.FAIR_ACCESS:
            try:
                place_by = deadlines.fair_access_deadline(calendar, meeting.date)
            except OutsideKnownTerms:
                place_by = None
        items.append(
            PackItem(
                item=item,
                referral=referral,
                child=referral.child,
                year_group=referral.child.year_group(meeting.date),
                sixth_day=sixth,
                decision=get_decision(item),
                sixth_day_estimated=estimated,
                fair_access_place_by=place_by,
                duties=get_referral_duties(referral=referral, on=on),
            )
        )
    return MeetingPack(
        meeting=meeting,
        panel=meeting.panel,
        members=list(list_members(panel=meeting.panel)),
        quorum=get_quorum(meeting=meeting),
        items=items,
        prepared_on=on,
    )


@dataclass(frozen=True)
class MinuteItem:
    position: int
    referral_id: int
    child_initials: str
    route: str
    outcome: str
    decision: Decision | None
    carried_forward_reason: str


@dataclass(frozen=True)
class Minutes:
    meeting: Meeting
    panel: Panel
    present: list[PanelMember]
    absent: list[PanelMember]
    agencies_present: list[str]
    quorum: Quorum
    items: list[MinuteItem]
    actions: list[PanelAction]


def _initials(child: Child) -> str:
    return f"{child.legal_first_name[:1]}.{child.legal_last_name[:1]}.".upper()


def _outcome(item: AgendaItem, decision: Decision | None) -> str:
    if decision is not None:
        return decision.get_outcome_display()
    if item.carried_forward_at:
        return "Carried forward"
    if item.referral.status == ReferralStatus.WITHDRAWN:
        return "Withdrawn before a decision"
    return "Not yet decided"


def get_minutes(*, meeting: Meeting, with_agenda: bool = True) -> Minutes:
    """Who attended, each decision with its reasons and value-for-money note, and the actions.
    Children appear by initials and referral number: minutes travel further than the pack.
    `with_agenda=False` leaves out the agenda items and the actions (which name them), for a
    reader who may not see them (permissions.can_see_agenda)."""
    rows = list_attendance(meeting=meeting)
    present = [r.member for r in rows if r.present]
    items = []
    for item in list_agenda(meeting=meeting) if with_agenda else []:
        decision = get_decision(item)
        items.append(
            MinuteItem(
                position=item.position,
                referral_id=item.referral_id,
                child_initials=_initials(item.referral.child),
                route=item.referral.get_route_display(),
                outcome=_outcome(item, decision),
                decision=decision,
                carried_forward_reason=item.carried_forward_reason,
            )
        )
    return Minutes(
        meeting=meeting,
        panel=meeting.panel,
        present=present,
        absent=[r.member for r in rows if not r.present],
        agencies_present=sorted({m.get_agency_display() for m in present}),
        quorum=get_quorum(meeting=meeting),
        items=items,
        actions=list(list_actions(meeting=meeting)) if with_agenda else [],
    )


# --- what referrals read of panels (`referrals.readers`, registered in PanelsConfig.ready) ------


def list_agenda_history(referral: Referral) -> QuerySet[AgendaItem]:
    """Every meeting the referral was put before, with the decision where one was made."""
    return (
        AgendaItem.objects.filter(referral=referral)
        .select_related(
            "meeting",
            "meeting__panel",
            "decision",
            "decision__proposed_provider",
            "decision__decided_by",
        )
        .order_by("meeting__date", "pk")
    )


def list_fair_access_approvals(
    la_id: int, on: dt.date, referral_ids: Collection[int] | None = None
) -> QuerySet[AgendaItem]:
    """The agenda items the LA's Fair Access Panels approved at meetings held by `on`, by
    referral then meeting date: the decisions `referrals.selectors.list_fair_access_deadlines`
    counts the 20 school days from."""
    items = (
        AgendaItem.objects.filter(
            referral__commissioning_la_id=la_id,
            meeting__panel__kind=PanelKind.FAIR_ACCESS,
            meeting__date__lte=on,
            decision__outcome=DecisionOutcome.APPROVED,
        )
        .select_related("referral", "referral__child", "meeting")
        .order_by("referral_id", "meeting__date", "pk")
    )
    if referral_ids is not None:
        items = items.filter(referral_id__in=list(referral_ids))
    return items
