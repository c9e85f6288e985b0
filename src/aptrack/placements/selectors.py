"""Reads of placements: lists and flags for the LA, one placement's plan, a child's timeline
and the caseworker's home. Every date is passed in: nothing here reads the clock."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django.apps import apps
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Max,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from aptrack.accounts.roles import Role
from aptrack.calendars.selectors import get_calendar
from aptrack.children import schooling
from aptrack.children.models import Child
from aptrack.children.permissions import scope_children
from aptrack.panels import selectors as panel_selectors
from aptrack.placements import policy, rules
from aptrack.placements.models import (
    Destination,
    EndReason,
    FollowUp,
    IntendedOutcome,
    PersonPassport,
    Placement,
    PlacementEvent,
    Review,
)
from aptrack.placements.permissions import scope_placements
from aptrack.placements.readers import readers
from aptrack.placements.states import OPEN_STATUSES, EventKind, PlacementStatus
from aptrack.providers.models import ProviderSite
from aptrack.referrals import selectors as referral_selectors
from aptrack.referrals.models import Referral, ReferralEvent
from aptrack.referrals.selectors import list_fair_access_due
from aptrack.referrals.states import OPEN_STATUSES as OPEN_REFERRAL_STATUSES
from aptrack.referrals.states import ReferralStatus

if TYPE_CHECKING:
    from aptrack.accounts.models import User

ACTIVE = PlacementStatus.ACTIVE


@dataclass(frozen=True)
class PlacementFilters:
    status: str = ""
    tier: int | None = None
    provider_id: int | None = None  # the provider's organisation, as Placement.provider
    drift: bool = False
    overdue: bool = False


# --- flags, as query conditions --------------------------------------------------------------
# The rules themselves live in `placements.rules`; these lists and pages call them.


def _flag(condition: Q) -> Case:
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def _la_placements(la_id: int, on: dt.date | None = None) -> QuerySet[Placement]:
    """The placements the LA answers for (`rules.la_placements`), with what the lists show."""
    return rules.la_placements(la_id, on=on).select_related(
        "child", "provider", "site", "commissioning_school"
    )


# --- lists ------------------------------------------------------------------------------------


def list_placements(*, user: "User", filters: PlacementFilters, on: dt.date) -> QuerySet[Placement]:
    placements = rules.with_review_base(
        scope_placements(user).select_related("child", "provider", "site", "commissioning_la")
    ).annotate(is_drift=_flag(rules.drift_q(on)), is_overdue=_flag(rules.overdue_review_q(on)))
    if filters.status:
        placements = placements.filter(status=filters.status)
    if filters.tier in (1, 2, 3):
        placements = placements.filter(tier=filters.tier)
    if filters.provider_id:
        placements = placements.filter(provider_id=filters.provider_id)
    if filters.drift:
        placements = placements.filter(rules.drift_q(on))
    if filters.overdue:
        placements = placements.filter(rules.overdue_review_q(on))
    return placements.order_by("-start_date", "-pk")


def list_providers_in_scope(*, user: "User") -> list[tuple[int, str]]:
    """The providers (organisation id, name) of the placements the user may see, for filters."""
    rows = (
        scope_placements(user)
        .values_list("provider_id", "provider__name")
        .distinct()
        .order_by("provider__name")
    )
    return list(rows)


def list_reviews_overdue(*, la_id: int, on: dt.date) -> list[Placement]:
    """The LA's placements running on `on` whose review is overdue (`rules.overdue_review_q`),
    most overdue first; each with `review_due`."""
    placements = list(
        rules.with_review_base(_la_placements(la_id, on)).filter(rules.overdue_review_q(on))
    )
    for placement in placements:
        placement.review_due = policy.review_due_date(  # type: ignore[attr-defined]
            placement.last_review_date,  # type: ignore[attr-defined]
            placement.start_date,
            placement.tier,
        )
    return sorted(placements, key=lambda p: (p.review_due, p.pk))  # type: ignore[attr-defined]


@dataclass(frozen=True)
class DriftRow:
    placement: Placement
    reasons: list[str]  # `rules.drift_reasons`


def list_drift(*, la_id: int, on: dt.date) -> list[DriftRow]:
    """The LA's placements running on `on` that drift (`rules.drift_q`), longest running first."""
    placements = _la_placements(la_id, on).filter(rules.drift_q(on)).order_by("start_date", "pk")
    return [DriftRow(placement=p, reasons=rules.drift_reasons(p, on)) for p in placements]


def list_ending_soon(*, la_id: int, on: dt.date, days: int | None = None) -> QuerySet[Placement]:
    """Active placements planned to end from `on` to `days` days later (default 20)."""
    days = policy.ending_soon_days() if days is None else days
    return (
        _la_placements(la_id)
        .filter(status=ACTIVE, planned_end_date__range=(on, on + dt.timedelta(days=days)))
        .order_by("planned_end_date", "pk")
    )


def list_follow_ups_due(*, la_id: int, on: dt.date) -> QuerySet[FollowUp]:
    """Follow-up checks not yet recorded whose due date has come."""
    return (
        FollowUp.objects.filter(
            rules.la_placements_q(la_id, prefix="placement__"),
            done_date__isnull=True,
            due_date__lte=on,
        )
        .select_related("placement", "placement__child", "placement__provider")
        .order_by("due_date", "pk")
    )


def list_open_ended(*, la_id: int) -> QuerySet[Placement]:
    """Planned or active placements with no end date, with the manager who approved each."""
    return (
        _la_placements(la_id)
        .filter(rules.open_ended_q(), status__in=OPEN_STATUSES)
        .select_related("open_ended_approved_by")
        .order_by("start_date", "pk")
    )


# --- choices for the plan form ----------------------------------------------------------------


def list_site_choices(*, la_id: int | None) -> list[ProviderSite]:
    """Open sites of the providers an LA works with: based in its area, with a site in it, or
    with a standing on its framework (out-of-area placements included)."""
    if la_id is None:
        return []
    return list(
        ProviderSite.objects.filter(is_active=True)
        .filter(
            Q(provider__home_la_id=la_id)
            | Q(local_authority_id=la_id)
            | Q(provider__approvals__local_authority_id=la_id)
        )
        .select_related("provider")
        .distinct()
        .order_by("provider__name", "name", "pk")
    )


def list_provider_sites(*, placement: Placement) -> list[ProviderSite]:
    """The sites of the placement's provider: the open ones, and the current one even if closed."""
    return list(
        ProviderSite.objects.filter(provider__organisation_id=placement.provider_id)
        .filter(Q(is_active=True) | Q(pk=placement.site_id))
        .select_related("provider")
        .order_by("name", "pk")
    )


def approved_weekly_cost(referral: Referral | None) -> Decimal | None:
    """The weekly cost the panel approved for the referral, if a panel approved one."""
    if referral is None:
        return None
    decision = panel_selectors.get_approval(referral_id=referral.pk)
    return decision.proposed_weekly_cost if decision is not None else None


def get_referral_to_place(*, user: "User", child: Child) -> Referral | None:
    """The child's approved referral the user may place from that has no placement yet (the
    newest): planning a placement from the child's record starts from it."""
    organisation = getattr(user, "organisation", None)
    if organisation is None:
        return None
    referrals = (
        Referral.objects.filter(
            child=child, child__in=scope_children(user), status=ReferralStatus.APPROVED
        )
        .exclude(
            placements__status__in=[s for s in PlacementStatus if s != PlacementStatus.CANCELLED]
        )
        .select_related("child")
        .order_by("-pk")
    )
    if getattr(user, "role", None) == Role.SCHOOL_STAFF:
        return referrals.filter(commissioning_school_id=organisation.pk).first()
    return referrals.filter(commissioning_la_id=organisation.local_authority_id).first()


# --- one placement ----------------------------------------------------------------------------


def get_placement(*, user: "User", placement_id: int) -> Placement | None:
    return (
        scope_placements(user)
        .select_related(
            "child",
            "provider",
            "provider__provider",
            "site",
            "referral",
            "commissioning_la",
            "commissioning_school",
            "open_ended_approved_by",
        )
        .filter(pk=placement_id)
        .first()
    )


def concurrent_hours(
    *, child_id: int, start: dt.date, end: dt.date | None, exclude_id: int | None
) -> Decimal:
    """Hours a week of the child's other planned or active placements overlapping [start,
    end]: concurrent provision adds up."""
    others = Placement.objects.filter(child_id=child_id, status__in=OPEN_STATUSES)
    if exclude_id is not None:
        others = others.exclude(pk=exclude_id)
    if end is not None:
        others = others.filter(start_date__lte=end)
    others = others.filter(
        Q(end_date__gte=start)
        | Q(end_date__isnull=True, planned_end_date__gte=start)
        | Q(end_date__isnull=True, planned_end_date__isnull=True)
    )
    return sum((p.hours_per_week for p in others), Decimal(0))


@dataclass
class OutcomeRow:
    outcome: IntendedOutcome
    latest_score: int | None = None
    latest_value: str = ""
    latest_date: dt.date | None = None


@dataclass
class PlanView:
    placement: Placement
    outcomes: list[OutcomeRow]
    passport: PersonPassport | None
    reviews: list[Review]
    follow_ups: list[FollowUp]
    events: list[PlacementEvent]
    weekly_hours: Decimal
    review_due: dt.date | None
    drift: DriftRow | None
    part_time: bool
    full_time_hours: Decimal
    key_stage: str
    approved_weekly_cost: Decimal | None = None  # the panel's, when it approved the referral


def get_plan(*, placement: Placement, on: dt.date) -> PlanView:
    """Everything the placement page shows, in a fixed number of queries."""
    outcomes = [OutcomeRow(outcome=o) for o in placement.outcomes.order_by("position", "pk")]
    reviews = list(
        placement.reviews.select_related("recorded_by")
        .prefetch_related("progress__outcome")
        .order_by("-held_date", "-pk")
    )
    by_outcome = {row.outcome.pk: row for row in outcomes}
    for review in reversed(reviews):  # oldest first, so the latest score wins
        for progress in review.progress.all():
            row = by_outcome.get(progress.outcome_id)
            if row is not None:
                row.latest_score = progress.score
                row.latest_value = progress.current_value
                row.latest_date = review.held_date
    passport = PersonPassport.objects.filter(placement=placement).first()
    weekly = placement.hours_per_week + placement.home_school_hours_per_week
    if placement.status in OPEN_STATUSES:
        weekly += concurrent_hours(
            child_id=placement.child_id,
            start=placement.start_date,
            end=placement.end_date or placement.planned_end_date,
            exclude_id=placement.pk,
        )
    stage = policy.key_stage(
        schooling.year_group(placement.child.date_of_birth, placement.start_date)
    )
    threshold = policy.full_time_hours(stage)
    last = reviews[0].held_date if reviews else None
    review_due = (
        rules.next_review_due(
            last_review=last,
            start_date=placement.start_date,
            tier=placement.tier,
            planned_end_date=placement.planned_end_date,
            on=on,
        )
        if placement.status == ACTIVE
        else None
    )
    reasons = rules.drift_reasons(placement, on)
    drift = DriftRow(placement=placement, reasons=reasons) if reasons else None
    return PlanView(
        placement=placement,
        outcomes=outcomes,
        passport=passport,
        reviews=reviews,
        follow_ups=list(placement.follow_ups.order_by("weeks_after")),
        events=list(placement.events.select_related("by").order_by("-at", "-pk")),
        weekly_hours=weekly,
        review_due=review_due,
        drift=drift,
        part_time=rules.is_part_time(weekly, stage),
        full_time_hours=threshold,
        key_stage=stage,
        approved_weekly_cost=approved_weekly_cost(placement.referral)
        if placement.referral_id
        else None,
    )


def get_follow_up(*, placement: Placement, follow_up_id: int) -> FollowUp | None:
    return placement.follow_ups.filter(pk=follow_up_id).first()


def get_outcome(*, placement: Placement, outcome_id: int) -> IntendedOutcome | None:
    return placement.outcomes.filter(pk=outcome_id).first()


# --- a child's timeline -----------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    on: dt.date
    at: dt.datetime | None
    kind: str  # referral, decision, placement, review, follow_up
    title: str
    detail: str = ""
    by: str = ""
    placement_id: int | None = None
    referral_id: int | None = None

    @property
    def sort_key(self) -> tuple[dt.date, float]:
        return (self.on, self.at.timestamp() if self.at else 0.0)


def _day(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date() if timezone.is_aware(at) else at.date()


def _name(user: "User | None") -> str:
    if user is None:
        return ""
    return getattr(user, "display_name", "") or user.get_username()


def _uk(value: str | None) -> str:
    if not value:
        return "no date"
    day = dt.date.fromisoformat(value[:10])
    return f"{day.day} {day:%B %Y}"


def _event_detail(event: PlacementEvent) -> str:
    data = event.data or {}
    kind = event.kind
    if kind == EventKind.CREATED:
        end = (
            f" to {_uk(data.get('planned_end_date'))}"
            if data.get("planned_end_date")
            else ", open-ended"
        )
        return (
            f"Tier {data.get('tier')}, from {_uk(data.get('start_date'))}{end}, "
            f"{Decimal(str(data.get('hours_per_week') or 0)).normalize():f} hours a week"
        )
    if kind == EventKind.ENDED:
        reason = EndReason(data["reason"]).label if data.get("reason") in EndReason.values else ""
        destination = (
            Destination(data["destination"]).label
            if data.get("destination") in Destination.values
            else ""
        )
        return f"Ended {_uk(data.get('end_date'))}. {reason}. Destination: {destination}"
    if kind == EventKind.PLAN_CHANGED:
        names = [name.removesuffix("_id").replace("_", " ") for name in (data.get("changes") or {})]
        return "Changed: " + ", ".join(names)
    if kind == EventKind.EXTENDED:
        return f"Planned end moved from {_uk(data.get('from'))} to {_uk(data.get('to'))}: {data.get('reason', '')}"
    if kind == EventKind.TIER_CHANGED:
        return f"From tier {data.get('from')} to tier {data.get('to')}: {data.get('reason', '')}"
    if kind == EventKind.OUTCOME_ADDED:
        return str(data.get("description", ""))
    for key in ("reason", "justification"):
        if data.get(key):
            return str(data[key])
    return ""


def child_timeline(*, user: "User", child: Child) -> list[TimelineEntry]:
    """Referrals and their moves, panel decisions, placements and their events, reviews and
    follow-ups of one child, newest first. The caller has checked the child is in scope."""
    entries: list[TimelineEntry] = []
    referrals = list(Referral.objects.filter(child=child).select_related("referrer"))
    for referral in referrals:
        entries.append(
            TimelineEntry(
                on=_day(referral.created_at),
                at=referral.created_at,
                kind="referral",
                title=f"Referral made: {referral.get_route_display()}",
                detail=referral.needs_summary[:300],
                by=_name(referral.referrer),
                referral_id=referral.pk,
            )
        )
    statuses = dict(ReferralStatus.choices)
    for event in (
        ReferralEvent.objects.filter(referral__child=child)
        .exclude(from_status="")
        .select_related("by")
    ):
        entries.append(
            TimelineEntry(
                on=_day(event.at),
                at=event.at,
                kind="referral",
                title=f"Referral {statuses.get(event.to_status, event.to_status).lower()}",
                detail=event.reason,
                by=_name(event.by),
                referral_id=event.referral_id,
            )
        )
    if apps.is_installed("aptrack.panels"):
        # Panels are another team's app: read them only when installed.
        from aptrack.panels.models import Decision  # noqa: PLC0415

        decisions = Decision.objects.filter(agenda_item__referral__child=child).select_related(
            "agenda_item__meeting__panel", "decided_by", "proposed_provider"
        )
        for decision in decisions:
            tier = f" Tier {decision.approved_tier}." if decision.approved_tier else ""
            provider = (
                f" Proposed provider: {decision.proposed_provider}."
                if decision.proposed_provider_id
                else ""
            )
            entries.append(
                TimelineEntry(
                    on=_day(decision.decided_at),
                    at=decision.decided_at,
                    kind="decision",
                    title=f"{decision.agenda_item.meeting.panel.name}: {decision.get_outcome_display().lower()}",
                    detail=f"{decision.reasons}{tier}{provider}",
                    by=_name(decision.decided_by),
                    referral_id=decision.agenda_item.referral_id,
                )
            )
    placements = list(scope_placements(user).filter(child=child).select_related("provider"))
    names = {p.pk: p.provider.name for p in placements}
    kinds = dict(EventKind.choices)
    events = (
        PlacementEvent.objects.filter(placement__in=placements)
        .exclude(kind__in=[EventKind.REVIEW_RECORDED, EventKind.FOLLOW_UP_RECORDED])
        .select_related("by")
    )
    for placement_event in events:
        entries.append(
            TimelineEntry(
                on=_day(placement_event.at),
                at=placement_event.at,
                kind="placement",
                title=(
                    f"{kinds.get(placement_event.kind, placement_event.kind)}: "
                    f"{names[placement_event.placement_id]}"
                ),
                detail=_event_detail(placement_event),
                by=_name(placement_event.by),
                placement_id=placement_event.placement_id,
            )
        )
    reviews = (
        Review.objects.filter(placement__in=placements)
        .select_related("recorded_by")
        .prefetch_related("progress__outcome")
    )
    for review in reviews:
        scores = "; ".join(
            f"{p.outcome.description}: {p.score} of 5" for p in review.progress.all()
        )
        entries.append(
            TimelineEntry(
                on=review.held_date,
                at=review.recorded_at,
                kind="review",
                title=f"{review.get_kind_display()}: {review.get_decision_display().lower()} ({names[review.placement_id]})",
                detail=scores,
                by=_name(review.recorded_by),
                placement_id=review.placement_id,
            )
        )
    for follow_up in FollowUp.objects.filter(placement__in=placements, done_date__isnull=False):
        assert follow_up.done_date is not None  # noqa: S101 - filtered above
        entries.append(
            TimelineEntry(
                on=follow_up.done_date,
                at=None,
                kind="follow_up",
                title=f"{follow_up.weeks_after}-week follow-up ({names[follow_up.placement_id]})",
                detail=(
                    f"Still attending: {'yes' if follow_up.still_attending else 'no'}. "
                    f"Destination sustained: {'yes' if follow_up.destination_sustained else 'no'}. {follow_up.note}"
                ).strip(),
                placement_id=follow_up.placement_id,
            )
        )
    return sorted(entries, key=lambda e: e.sort_key, reverse=True)


# --- the caseworker's home --------------------------------------------------------------------


def list_sixth_day_deadlines(
    *, la_id: int, on: dt.date, within_school_days: int = 6
) -> list[referral_selectors.SixthDayDuty]:
    """The sixth-day duties (`referrals.selectors.list_sixth_day_duties`) still to act on: no
    provision has started, and the sixth day has come (missed) or falls within the next
    `within_school_days` school days. Soonest first."""
    calendar = get_calendar(la_id=la_id)
    horizon = referral_selectors.school_days_after(calendar, on, within_school_days)
    duties = referral_selectors.list_sixth_day_duties(la_id=la_id, on=on, calendar=calendar)
    rows = [
        d for d in duties if d.provision_started is None and (d.missed or d.due_date <= horizon)
    ]
    return sorted(rows, key=lambda d: (d.due_date, d.referral.pk))


@dataclass
class CaseworkerHome:
    my_referrals: list[Referral]
    upcoming_meetings: list[Any]
    ending_soon: list[Placement]
    reviews_overdue: list[Placement]
    sixth_day: list[referral_selectors.SixthDayDuty]
    drift: list[DriftRow]
    follow_ups_due: list[FollowUp]
    illness: list["IllnessHomeRow"] = field(default_factory=list)
    fair_access: list[Any] = field(default_factory=list)  # referrals.selectors.FairAccessRow
    SHOWN: ClassVar[int] = 10

    def child_ids(self) -> set[int]:
        """The children the home page names (it shows the first SHOWN of the longer lists)."""
        shown = self.SHOWN
        placements = [*self.ending_soon[:shown], *self.reviews_overdue[:shown]]
        placements += [row.placement for row in self.drift[:shown]]
        placements += [follow_up.placement for follow_up in self.follow_ups_due[:shown]]
        referrals = [*self.my_referrals, *(row.referral for row in self.sixth_day)]
        referrals += [row.referral for row in self.fair_access]
        ids = {item.child_id for item in placements} | {item.child_id for item in referrals}
        return ids | {row.child.pk for row in self.illness}


@dataclass(frozen=True)
class IllnessHomeRow:
    child: Child
    days_missed: Decimal
    reached_on: dt.date | None


def list_illness_approaching(*, la_id: int, on: dt.date) -> list[IllnessHomeRow]:
    """Children of the LA (their home LA) with 10 or more days of illness absence this academic
    year: approaching, or past, the 15 days from which the LA arranges education (s19)."""
    duties = readers["illness_approaching"](la_id, on)
    children = Child.objects.in_bulk([duty.child_id for duty in duties])
    return [
        IllnessHomeRow(children[duty.child_id], duty.days_missed, duty.reached_on)
        for duty in duties
        if duty.child_id in children
    ]


def _upcoming_meetings(la_id: int, on: dt.date, limit: int = 5) -> list[Any]:
    if not apps.is_installed("aptrack.panels"):
        return []
    from aptrack.panels.models import Meeting, MeetingStatus  # noqa: PLC0415

    return list(
        Meeting.objects.filter(panel__local_authority_id=la_id, date__gte=on)
        .exclude(status=MeetingStatus.CLOSED)
        .select_related("panel")
        .order_by("date", "pk")[:limit]
    )


def caseworker_home(*, user: "User", on: dt.date) -> CaseworkerHome:
    """An LA caseworker's work for `on`. The caller has checked the role."""
    # A caseworker's organisation is an LA (the caller has checked the role).
    la_id: int = user.organisation.local_authority_id  # type: ignore[union-attr, assignment]
    return CaseworkerHome(
        my_referrals=list(
            Referral.objects.filter(referrer=user, status__in=OPEN_REFERRAL_STATUSES)
            .select_related("child")
            .order_by("created_at", "pk")
        ),
        upcoming_meetings=_upcoming_meetings(la_id, on),
        ending_soon=list(list_ending_soon(la_id=la_id, on=on)),
        reviews_overdue=list_reviews_overdue(la_id=la_id, on=on),
        sixth_day=list_sixth_day_deadlines(la_id=la_id, on=on),
        drift=list_drift(la_id=la_id, on=on),
        follow_ups_due=list(list_follow_ups_due(la_id=la_id, on=on)),
        illness=list_illness_approaching(la_id=la_id, on=on),
        fair_access=list_fair_access_due(la_id=la_id, on=on),
    )


def children_left_ap(*, on_or_before: dt.date) -> QuerySet[Placement, dict[str, Any]]:
    """The children who have left AP on or before the date: no placement planned or active, and
    the last ended placement ended then or earlier. Rows of `child_id` and `left_on`; the
    retention schedule counts its years from `left_on`. A child whose placements were all
    cancelled was never in AP and is not listed."""
    return (
        Placement.objects.order_by()
        .values("child_id")
        .annotate(
            left_on=Max("end_date", filter=Q(status=PlacementStatus.ENDED)),
            still_open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        )
        .filter(still_open=0, left_on__lte=on_or_before)
        .values("child_id", "left_on")
    )


# --- what referrals read of placements (`referrals.readers`, registered in PlacementsConfig.ready)


def list_provision_runs(
    child_ids: Iterable[int], on: dt.date
) -> QuerySet[Placement, tuple[int, dt.date, dt.date | None]]:
    """(child_id, start_date, end_date) of each placement of the children that is provision
    (not planned or cancelled) and started by `on`: what the sixth-day duty counts."""
    return (
        Placement.objects.filter(child_id__in=set(child_ids), start_date__lte=on)
        .exclude(status__in=[PlacementStatus.PLANNED, PlacementStatus.CANCELLED])
        .values_list("child_id", "start_date", "end_date")
    )


def list_referral_starts(
    referral_ids: Iterable[int], on: dt.date
) -> QuerySet[Placement, tuple[int, dt.date]]:
    """(referral_id, start_date) of the placements made from the referrals that started (active
    or ended) by `on`, earliest first: when a Fair Access referral was placed."""
    return (
        Placement.objects.filter(
            referral_id__in=list(referral_ids),
            status__in=[PlacementStatus.ACTIVE, PlacementStatus.ENDED],
            start_date__lte=on,
        )
        .order_by("start_date")
        .values_list("referral_id", "start_date")
    )
