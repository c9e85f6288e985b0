"""Every write to a placement, its plan, outcomes, Person Passport, reviews and follow-ups.

One door per change: each function runs in one transaction, locks the row it changes, checks
the rules, writes, appends a PlacementEvent and an audit entry. Callers pass the actor and the
clock; nothing here reads either. Whether the actor may touch the placement at all is the
caller's check (`permissions`); rules that depend on the actor's role (a manager's approval of
an open-ended placement or of a compliance override) are checked here.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from aptrack.accounts.roles import Role
from aptrack.audit import services as audit
from aptrack.audit.models import AuditAction, Channel
from aptrack.calendars.selectors import get_calendar
from aptrack.children import schooling
from aptrack.children.models import Child
from aptrack.commissioning import costs as commissioning_costs
from aptrack.core.concurrency import RecordChangedElsewhere
from aptrack.organisations.models import LocalAuthority, Organisation, OrganisationKind
from aptrack.placements import policy, rules, selectors
from aptrack.placements.models import (
    Destination,
    EndReason,
    FollowUp,
    IntendedOutcome,
    OutcomeProgress,
    PersonPassport,
    Placement,
    PlacementEvent,
    Review,
    ReviewDecision,
    ReviewKind,
)
from aptrack.placements.states import ALLOWED_TRANSITIONS, OPEN_STATUSES, EventKind, PlacementStatus
from aptrack.providers.models import Provider, ProviderApproval
from aptrack.providers.states import ApprovalStatus
from aptrack.referrals.models import Referral
from aptrack.referrals.states import ReferralStatus

# --- messages (tests import these) ---------------------------------------------------------

CHILD_NEEDED = "Select the child"
PROVIDER_NEEDED = "Select the provider"
SITE_NEEDED = "Select the site the child will attend"
SITE_NOT_PROVIDERS = "Select one of the provider's own sites"
SITE_CLOSED = "That site is closed: select one of the provider's open sites"
TIER_NEEDED = "Select the tier"
START_NEEDED = "Enter the start date"
START_FIXED = "The start date cannot change once the placement has started"
PLANNED_END_NEEDED = "Enter the planned end date. A placement with no end date needs a manager's recorded justification"
END_BEFORE_START = "The planned end date must be after the start date"
OPEN_ENDED_NEEDS_MANAGER = "Only an LA manager can approve an open-ended placement"
PLANNED_END_PAST_MAXIMUM = (
    "The planned end date must be on or before {maximum}: a tier 2 placement with this "
    "provider lasts at most {weeks} weeks"
)
HOURS_NEEDED = "Enter the hours a week"
HOURS_NOT_POSITIVE = "Hours a week must be more than 0"
HOURS_OVER_WEEK = "Hours a week must be 40 or fewer"
HOME_SCHOOL_HOURS_INVALID = "Hours at the home school must be between 0 and 40"
TOTAL_HOURS_OVER_WEEK = (
    "With the child's other placements and home school this comes to {total} hours a week: "
    "the total must be 40 or fewer"
)
PART_TIME_REASON_NEEDED = (
    "The child would have {total} hours a week, less than full-time ({threshold} hours at {stage}): "
    "give the reason for a part-time timetable"
)
PART_TIME_AGREEMENT_NEEDED = "A part-time timetable needs the parents' agreement"
PART_TIME_REVIEW_NEEDED = "Enter the date the part-time timetable will be reviewed"
PART_TIME_REVIEW_BEFORE_START = "The part-time review date must be on or after the start date"
PART_TIME_PLAN_NEEDED = "Describe the plan back to full-time education"
COST_INVALID = "Weekly cost must be 0 or more"
COST_DIFFERS_REASON_NEEDED = "The weekly cost, {cost}, differs from the {approved} the panel approved: give the reason for the difference"
EXIT_PLAN_NEEDED = "Describe the exit or reintegration plan: how and when the child will move on"
WEEKEND_NOT_SCHOOL_DAY = "{date} is a {weekday}: choose a school day"
HOLIDAY_NOT_SCHOOL_DAY = (
    "{date} is not a school day (a holiday or closure day): choose a school day"
)
REFERRAL_NOT_APPROVED = "A placement can only be made from a referral the panel has approved"
REFERRAL_OTHER_CHILD = "The referral is for a different child"
REFERRAL_OTHER_LA = "The referral is for another local authority to commission"
REFERRAL_OTHER_SCHOOL = "The referral is for another school to commission"
SCHOOL_NEEDED = "Without an approved referral, give the school commissioning this tier 1 work"
NO_REFERRAL_TIER_1_ONLY = (
    "Without an approved referral, a placement can only be tier 1 work commissioned by a school"
)
COMMISSIONER_UNKNOWN = (
    "Your account is not linked to a local authority or school that can commission"
)
PROVIDER_NOT_APPROVED = (
    "{provider} has the standing '{status}' with {la}: no new placements can be made with it"
)
PROVIDER_NOT_COMPLIANT = (
    "{provider} does not hold in-date compliance evidence (safeguarding, insurance, risk "
    "assessments). A manager may place with it only with a recorded reason"
)
OVERRIDE_NEEDS_MANAGER = "Only an LA manager can override a provider's compliance"
RECORD_CHANGED = (
    "Someone else changed this placement while you were editing it. "
    "Your changes have not been saved: reload the page to see theirs."
)
MOVE_NOT_ALLOWED = "A placement that is {source} cannot be {verb}"
NOT_STARTED_YET = "The placement cannot start before its start date, {start}"
PLAN_CLOSED = "The plan of a placement that is {status} cannot be changed"
CANCEL_REASON_NEEDED = "Give the reason for cancelling the placement"
END_DATE_NEEDED = "Enter the date the placement ended"
END_DATE_BEFORE_START = "The end date must be on or after the start date, {start}"
END_DATE_IN_FUTURE = "The end date must be today or in the past"
END_REASON_NEEDED = "Select why the placement ended"
DESTINATION_NEEDED = "Select where the child went"
TRANSITION_PLAN_NEEDED = "Describe the transition plan"
REVIEW_VIEWS_NEEDED = (
    "Record the child's and the family's views, or the reason they could not be given"
)
OUTCOME_FIELD_NEEDED = {
    "description": "Describe the intended outcome",
    "measure": "Say how progress will be measured",
    "baseline": "Enter the baseline: where the child is now",
    "target": "Enter the target",
}
OUTCOME_FIELD_LIMITS = {"description": 300, "measure": 200, "baseline": 100, "target": 100}
PASSPORT_EMPTY = "Fill in at least one part of the Person Passport"
REVIEW_NEEDS_OUTCOMES = "Add the placement's intended outcomes before recording a review"
REVIEW_ONLY_ACTIVE = "Reviews are recorded while the placement is active"
REVIEW_DATE_NEEDED = "Enter the date the review was held"
REVIEW_DATE_BEFORE_START = "The review date must be on or after the start date, {start}"
REVIEW_DATE_IN_FUTURE = "The review date must be today or in the past"
REVIEW_KIND_NEEDED = "Select the kind of review"
ATTENDANCE_INVALID = "Attendance must be a percentage from 0 to 100"
SCORES_MISSING = "Score progress against every intended outcome. Not scored: {missing}"
SCORE_INVALID = "Scores run from 1 (no progress) to 5 (achieved)"
DECISION_NEEDED = "Select the decision"
EXTEND_REASON_NEEDED = "Give the reason for extending the placement"
EXTEND_DATE_NEEDED = "Enter the new planned end date"
EXTEND_DATE_NOT_LATER = "The new planned end date must be after the current one, {current}"
NEW_TIER_NEEDED = "Select the new tier"
NEW_TIER_SAME = "The new tier must differ from the current tier"
FOLLOW_UP_DONE = "This follow-up has already been recorded"
FOLLOW_UP_DATE_NEEDED = "Enter the date of the check"
FOLLOW_UP_DATE_BEFORE_END = "The check must be on or after the day the placement ended, {end}"
FOLLOW_UP_DATE_IN_FUTURE = "The date of the check must be today or in the past"
FOLLOW_UP_TOO_EARLY = (
    "The {weeks}-week follow-up is due on {due}, {weeks} weeks after the placement ended: "
    "it cannot be recorded before then"
)
STILL_ATTENDING_NEEDED = "Say whether the child is still attending"
SUSTAINED_NEEDED = "Say whether the destination has been sustained"

# The plan fields a caller may set; the rest are derived or belong to other doors.
PLAN_FIELDS = (
    "site",
    "tier",
    "start_date",
    "planned_end_date",
    "open_ended_justification",
    "hours_per_week",
    "home_school_hours_per_week",
    "part_time_reason",
    "part_time_parent_agreed",
    "part_time_review_date",
    "part_time_plan_to_full_time",
    "exit_plan",
    "readiness_criteria",
    "weekly_cost",
    "cost_difference_reason",
    "dual_registered",
    "family_involvement",
)
PASSPORT_FIELDS = ("about_me", "needs", "what_helps", "what_to_avoid", "contacts")
FOLLOW_UP_WEEKS = (6, 12)
# Standings under which an LA refuses new placements with a provider.
BLOCKING_STANDINGS = frozenset({ApprovalStatus.REFERRALS_PAUSED, ApprovalStatus.NOT_APPROVED})

Errors = dict[str | None, list[str]]


# --- exceptions ----------------------------------------------------------------------------


class PlacementInvalid(Exception):
    """Input the placement cannot take; `errors` maps a field name (or None) to messages."""

    def __init__(self, errors: Errors) -> None:
        super().__init__("; ".join(f"{k or 'placement'}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


class ProviderNotApproved(PlacementInvalid):
    """The commissioning LA has paused or refused new placements with the provider."""


class ProviderNotCompliant(PlacementInvalid):
    """The provider's compliance evidence is missing or out of date, and no manager overrode it."""


class ReviewInvalid(PlacementInvalid):
    pass


class PlacementChangedElsewhere(RecordChangedElsewhere):
    pass


class PlacementMoveNotAllowed(Exception):
    pass


# --- helpers -------------------------------------------------------------------------------


def _money(value: Decimal) -> str:
    return f"£{value:,.2f}".replace(".00", "")


def school_day_error(day: dt.date, *, la_id: int | None) -> str | None:
    """Why `day` cannot be a placement's end date on the LA's calendar: a weekend, or a holiday
    or closure within the known terms (beyond them only weekends are known)."""
    if day.weekday() >= 5:
        return WEEKEND_NOT_SCHOOL_DAY.format(date=f"{day.day} {day:%B %Y}", weekday=f"{day:%A}")
    calendar = get_calendar(la_id=la_id)
    last = calendar.last_known_day
    if last is not None and day <= last and not calendar.is_school_day(day):
        return HOLIDAY_NOT_SCHOOL_DAY.format(date=f"{day.day} {day:%B %Y}")
    return None


def _local_date(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date() if timezone.is_aware(at) else at.date()


def _add(errors: Errors, field: str | None, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _hours_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _is_manager(actor: Any) -> bool:
    return getattr(actor, "role", None) == Role.LA_MANAGER


def _json(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _lock(placement: Placement, expected_version: int | None = None) -> Placement:
    locked = Placement.objects.select_for_update().get(pk=placement.pk)
    if expected_version is not None and locked.version != expected_version:
        raise PlacementChangedElsewhere(RECORD_CHANGED)
    return locked


def _event(
    placement: Placement,
    *,
    kind: EventKind,
    by: Any,
    at: dt.datetime,
    from_status: str = "",
    to_status: str = "",
    data: dict[str, Any] | None = None,
) -> PlacementEvent:
    return PlacementEvent.objects.create(
        placement=placement,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        by=by if getattr(by, "pk", None) else None,
        at=at,
        data={key: _json(value) for key, value in (data or {}).items()},
    )


def _audit(
    *,
    actor: Any,
    at: dt.datetime,
    action: AuditAction,
    instance: Any,
    child_id: int,
    channel: Channel,
    where: str,
    changes: dict[str, Any] | None = None,
) -> None:
    audit.record_event(
        actor=actor,
        at=at,
        action=action,
        channel=channel,
        instance=instance,
        child_id=child_id,
        where=where,
        changes=changes,
    )


def _provider_of(placement: Placement) -> Provider | None:
    return Provider.objects.filter(organisation_id=placement.provider_id).first()


def _move(placement: Placement, target: PlacementStatus, verb: str) -> PlacementStatus:
    """Guard for every status move: the transitions table decides."""
    source = PlacementStatus(placement.status)
    if target not in ALLOWED_TRANSITIONS[source]:
        raise PlacementMoveNotAllowed(
            MOVE_NOT_ALLOWED.format(source=source.label.lower(), verb=verb)
        )
    return source


def _ensure_plan_open(placement: Placement) -> None:
    if placement.status not in OPEN_STATUSES:
        label = PlacementStatus(placement.status).label.lower()
        raise PlacementMoveNotAllowed(PLAN_CLOSED.format(status=label))


# --- compliance and standing ---------------------------------------------------------------


def is_provider_compliant(provider: Provider, on: dt.date) -> bool:
    """Compliance comes from the quality app when it is installed; without it, every provider
    counts as compliant (the LA then holds its evidence outside aptrack)."""
    if not apps.is_installed("aptrack.quality"):
        return True
    # Imported here: quality is an optional app, and it imports from placements' neighbours.
    from aptrack.quality import selectors as quality_selectors

    return quality_selectors.is_provider_compliant(provider, on)


def _standing_error(provider: Provider, la: LocalAuthority | None) -> str | None:
    if la is None:
        return None
    approval = ProviderApproval.objects.filter(provider=provider, local_authority=la).first()
    if approval is None or approval.status not in BLOCKING_STANDINGS:
        return None
    return PROVIDER_NOT_APPROVED.format(
        provider=provider.name, status=ApprovalStatus(approval.status).label, la=la.name
    )


# --- the plan ------------------------------------------------------------------------------


def _weekly_cost(provider: Provider, hours: Decimal, given: Decimal | None) -> Decimal | None:
    """Rate × hours from the register when the provider has a rate; the caller's figure only
    for providers priced case by case."""
    cent = Decimal("0.01")
    if provider.hourly_rate is not None:
        return (provider.hourly_rate * hours).quantize(cent)
    if provider.daily_rate is not None:
        return (provider.daily_rate * hours / policy.SCHOOL_DAYS_A_WEEK).quantize(cent)
    return given


def _validated_plan(
    *,
    actor: Any,
    child: Child,
    provider: Provider | None,
    values: dict[str, Any],
    current: Placement | None,
    errors: Errors,
    la_id: int | None = None,
    approved_cost: Decimal | None = None,
) -> dict[str, Any]:
    """Check the plan fields against every rule; add to `errors`; return the clean values
    with the derived ones (maximum end date, open-ended approval, weekly cost). `la_id`: the
    commissioning LA, whose calendar the start and planned end dates must be school days of;
    `approved_cost`: the weekly cost the panel approved, which the plan carries unless a
    reason for the difference is given."""
    clean: dict[str, Any] = {}
    site = values.get("site")
    if provider is None:
        pass  # reported by the caller
    elif site is None:
        _add(errors, "site", SITE_NEEDED)
    elif site.provider_id != provider.pk:
        _add(errors, "site", SITE_NOT_PROVIDERS)
    elif not site.is_active and (current is None or current.site_id != site.pk):
        _add(errors, "site", SITE_CLOSED)
    clean["site"] = site

    tier = values.get("tier")
    tier = int(tier) if tier not in (None, "") else None
    if tier not in (1, 2, 3):
        _add(errors, "tier", TIER_NEEDED)
        tier = None
    clean["tier"] = tier

    start = values.get("start_date")
    if start is None:
        _add(errors, "start_date", START_NEEDED)
    elif (
        current is not None
        and current.status != PlacementStatus.PLANNED
        and start != current.start_date
    ):
        _add(errors, "start_date", START_FIXED)
    elif (current is None or start != current.start_date) and (
        not_school_day := school_day_error(start, la_id=la_id)
    ):
        _add(errors, "start_date", not_school_day)
    clean["start_date"] = start

    planned_end = values.get("planned_end_date")
    justification = _text(values.get("open_ended_justification"))
    clean["planned_end_date"] = planned_end
    clean["open_ended_justification"] = ""
    clean["open_ended_approved_by"] = None
    if planned_end is not None:
        if start is not None and planned_end <= start:
            _add(errors, "planned_end_date", END_BEFORE_START)
        elif current is None or planned_end != current.planned_end_date:
            not_school_day = school_day_error(planned_end, la_id=la_id)
            if not_school_day:
                _add(errors, "planned_end_date", not_school_day)
    elif not justification:
        _add(errors, "planned_end_date", PLANNED_END_NEEDED)
    elif (
        current is not None
        and current.planned_end_date is None
        and current.open_ended_approved_by_id is not None
        and current.open_ended_justification == justification
    ):
        # Already approved by a manager: an officer may change other parts of the plan.
        clean["open_ended_justification"] = justification
        clean["open_ended_approved_by"] = current.open_ended_approved_by
    elif not _is_manager(actor):
        _add(errors, "open_ended_justification", OPEN_ENDED_NEEDS_MANAGER)
    else:
        clean["open_ended_justification"] = justification
        clean["open_ended_approved_by"] = actor

    maximum = None
    if provider is not None and start is not None:
        maximum = policy.maximum_end_date(tier=tier, registered=provider.is_registered, start=start)
    clean["maximum_end_date"] = maximum
    if maximum is not None and planned_end is not None and planned_end > maximum:
        weeks = policy.tier_2_maximum_weeks(registered=provider.is_registered)  # type: ignore[union-attr]
        _add(
            errors,
            "planned_end_date",
            PLANNED_END_PAST_MAXIMUM.format(maximum=f"{maximum.day} {maximum:%B %Y}", weeks=weeks),
        )

    # Held to the column's tenths, so an unchanged figure never reads as a change.
    tenth = Decimal("0.1")
    hours = _decimal(values.get("hours_per_week"))
    hours = hours.quantize(tenth) if hours is not None else None
    if hours is None:
        _add(errors, "hours_per_week", HOURS_NEEDED)
    elif hours <= 0:
        _add(errors, "hours_per_week", HOURS_NOT_POSITIVE)
    elif hours > policy.MAX_WEEKLY_HOURS:
        _add(errors, "hours_per_week", HOURS_OVER_WEEK)
    clean["hours_per_week"] = hours
    home_hours = (_decimal(values.get("home_school_hours_per_week")) or Decimal(0)).quantize(tenth)
    if not Decimal(0) <= home_hours <= policy.MAX_WEEKLY_HOURS:
        _add(errors, "home_school_hours_per_week", HOME_SCHOOL_HOURS_INVALID)
    clean["home_school_hours_per_week"] = home_hours

    for key in ("part_time_reason", "part_time_plan_to_full_time"):
        clean[key] = _text(values.get(key))
    clean["part_time_parent_agreed"] = bool(values.get("part_time_parent_agreed"))
    clean["part_time_review_date"] = values.get("part_time_review_date")
    if hours is not None and "hours_per_week" not in errors and start is not None:
        total = (
            hours
            + home_hours
            + selectors.concurrent_hours(
                child_id=child.pk,
                start=start,
                end=planned_end,
                exclude_id=current.pk if current is not None else None,
            )
        )
        if total > policy.MAX_WEEKLY_HOURS:
            _add(errors, "hours_per_week", TOTAL_HOURS_OVER_WEEK.format(total=_hours_text(total)))
        stage = policy.key_stage(schooling.year_group(child.date_of_birth, start))
        threshold = policy.full_time_hours(stage)
        if rules.is_part_time(total, stage):
            if not clean["part_time_reason"]:
                _add(
                    errors,
                    "part_time_reason",
                    PART_TIME_REASON_NEEDED.format(
                        total=_hours_text(total), threshold=_hours_text(threshold), stage=stage
                    ),
                )
            if not clean["part_time_parent_agreed"]:
                _add(errors, "part_time_parent_agreed", PART_TIME_AGREEMENT_NEEDED)
            review = clean["part_time_review_date"]
            if review is None:
                _add(errors, "part_time_review_date", PART_TIME_REVIEW_NEEDED)
            elif review < start:
                _add(errors, "part_time_review_date", PART_TIME_REVIEW_BEFORE_START)
            if not clean["part_time_plan_to_full_time"]:
                _add(errors, "part_time_plan_to_full_time", PART_TIME_PLAN_NEEDED)
        else:
            # Full-time: no part-time timetable to keep on record.
            clean.update(
                part_time_reason="",
                part_time_parent_agreed=False,
                part_time_review_date=None,
                part_time_plan_to_full_time="",
            )

    given_cost = _decimal(values.get("weekly_cost"))
    given_cost = given_cost.quantize(Decimal("0.01")) if given_cost is not None else None
    if given_cost is not None and given_cost < 0:
        _add(errors, "weekly_cost", COST_INVALID)
    if given_cost is None and approved_cost is not None:
        given_cost = approved_cost  # carried over from the panel's decision
    # A placement bought on a contract costs what the contract says (`commissioning.costs`, the
    # rule's owner); the provider's published rates, or the caller's figure, only otherwise.
    contract_cost = (
        commissioning_costs.placement_cost(placement=current, hours_per_week=hours)
        if current is not None and hours is not None
        else None
    )
    clean["weekly_cost"] = cost = (
        contract_cost
        if contract_cost is not None
        else _weekly_cost(provider, hours, given_cost)
        if provider is not None and hours is not None
        else given_cost
    )
    clean["cost_difference_reason"] = ""
    if approved_cost is not None and cost is not None and cost != approved_cost:
        clean["cost_difference_reason"] = _text(values.get("cost_difference_reason"))
        if not clean["cost_difference_reason"]:
            _add(
                errors,
                "cost_difference_reason",
                COST_DIFFERS_REASON_NEEDED.format(
                    cost=_money(cost), approved=_money(approved_cost)
                ),
            )
    for key in ("exit_plan", "readiness_criteria", "family_involvement"):
        clean[key] = _text(values.get(key))
    if not clean["exit_plan"]:
        _add(errors, "exit_plan", EXIT_PLAN_NEEDED)
    clean["dual_registered"] = bool(values.get("dual_registered"))
    return clean


def _commissioners(
    *,
    actor: Any,
    child: Child,
    referral: Referral | None,
    school: Organisation | None,
    tier: Any,
    errors: Errors,
) -> tuple[LocalAuthority | None, Organisation | None]:
    """Who commissions: from an approved referral, its LA (and school); without one, a school
    commissioning tier 1 work, overseen by the LA (schools tell the LA, domain.md §1)."""
    role = getattr(actor, "role", None)
    organisation = getattr(actor, "organisation", None)
    actor_la_id = getattr(organisation, "local_authority_id", None)
    if referral is not None:
        if referral.child_id != child.pk:
            _add(errors, "referral", REFERRAL_OTHER_CHILD)
        if referral.status != ReferralStatus.APPROVED:
            _add(errors, "referral", REFERRAL_NOT_APPROVED)
        if (
            role in (Role.LA_OFFICER, Role.LA_MANAGER)
            and referral.commissioning_la_id != actor_la_id
        ):
            _add(errors, "referral", REFERRAL_OTHER_LA)
        if role == Role.SCHOOL_STAFF and referral.commissioning_school_id != getattr(
            organisation, "pk", None
        ):
            _add(errors, "referral", REFERRAL_OTHER_SCHOOL)
        return referral.commissioning_la, referral.commissioning_school
    if role == Role.SCHOOL_STAFF:
        school = organisation
    if tier not in (None, "") and int(tier) != 1:
        _add(errors, "tier", NO_REFERRAL_TIER_1_ONLY)
    if school is None or school.kind != OrganisationKind.SCHOOL:
        _add(errors, "commissioning_school", SCHOOL_NEEDED)
        return None, None
    if role in (Role.LA_OFFICER, Role.LA_MANAGER) and actor_la_id is not None:
        return LocalAuthority.objects.get(pk=actor_la_id), school
    if school.establishment_id is None:
        _add(errors, None, COMMISSIONER_UNKNOWN)
        return None, school
    return school.establishment.local_authority, school  # type: ignore[union-attr]


def _validated_outcome(data: dict[str, Any], errors: Errors, prefix: str = "") -> dict[str, str]:
    clean: dict[str, str] = {}
    for key, message in OUTCOME_FIELD_NEEDED.items():
        value = _text(data.get(key))
        if not value:
            _add(errors, prefix + key, message)
        elif len(value) > OUTCOME_FIELD_LIMITS[key]:
            _add(
                errors,
                prefix + key,
                f"{message} in {OUTCOME_FIELD_LIMITS[key]} characters or fewer",
            )
        clean[key] = value
    return clean


def create_placement(
    *,
    actor: Any,
    at: dt.datetime,
    data: dict[str, Any],
    channel: Channel = Channel.WEB,
    where: str = "",
) -> Placement:
    """Plan a placement. `data`: child, provider (a Provider), the PLAN_FIELDS, and optionally
    referral, commissioning_school (an Organisation), compliance_override_reason and
    outcomes (a list of {description, measure, baseline, target}).

    Starts ACTIVE when its start date has come, else PLANNED."""
    errors: Errors = {}
    child: Child | None = data.get("child")
    provider: Provider | None = data.get("provider")
    if child is None:
        raise PlacementInvalid({"child": [CHILD_NEEDED]})
    if provider is None:
        _add(errors, "provider", PROVIDER_NEEDED)
    today = _local_date(at)
    with transaction.atomic():
        # Lock the child: two placements made at once must see each other's hours.
        child = Child.objects.select_for_update().get(pk=child.pk)
        la, school = _commissioners(
            actor=actor,
            child=child,
            referral=data.get("referral"),
            school=data.get("commissioning_school"),
            tier=data.get("tier"),
            errors=errors,
        )
        referral = data.get("referral")
        clean = _validated_plan(
            actor=actor,
            child=child,
            provider=provider,
            values=data,
            current=None,
            errors=errors,
            la_id=la.pk if la is not None else None,
            approved_cost=selectors.approved_weekly_cost(referral)
            if referral is not None and referral.child_id == child.pk
            else None,
        )
        outcomes = [
            _validated_outcome(outcome, errors, prefix=f"outcomes.{index}.")
            for index, outcome in enumerate(data.get("outcomes") or [])
        ]
        override = _text(data.get("compliance_override_reason"))
        blocked = non_compliant = False
        if provider is not None:
            standing = _standing_error(provider, la)
            if standing:
                _add(errors, "provider", standing)
                blocked = True
            # Evidence must be in date now and on the first day the child attends.
            if is_provider_compliant(provider, max(clean["start_date"] or today, today)):
                override = ""
            elif not override:
                _add(errors, "provider", PROVIDER_NOT_COMPLIANT.format(provider=provider.name))
                non_compliant = True
            elif not _is_manager(actor):
                _add(errors, "compliance_override_reason", OVERRIDE_NEEDS_MANAGER)
                non_compliant = True
        if errors:
            if blocked:
                raise ProviderNotApproved(errors)
            if non_compliant:
                raise ProviderNotCompliant(errors)
            raise PlacementInvalid(errors)
        assert provider is not None  # noqa: S101 - errors above otherwise
        status = PlacementStatus.ACTIVE if clean["start_date"] <= today else PlacementStatus.PLANNED
        placement = Placement.objects.create(
            child=child,
            provider=provider.organisation,
            referral=data.get("referral"),
            commissioning_la=la,
            commissioning_school=school,
            compliance_override_reason=override,
            status=status,
            created_at=at,
            **clean,
        )
        for position, outcome in enumerate(outcomes):
            IntendedOutcome.objects.create(placement=placement, position=position, **outcome)
        _event(
            placement,
            kind=EventKind.CREATED,
            by=actor,
            at=at,
            to_status=status,
            data={
                "provider": provider.name,
                "tier": clean["tier"],
                "start_date": clean["start_date"],
                "planned_end_date": clean["planned_end_date"],
                "hours_per_week": clean["hours_per_week"],
                "referral_id": placement.referral_id,
            },
        )
        if placement.open_ended_approved_by_id:
            _event(
                placement,
                kind=EventKind.OPEN_ENDED_APPROVED,
                by=actor,
                at=at,
                data={"justification": placement.open_ended_justification},
            )
        if override:
            _event(
                placement,
                kind=EventKind.COMPLIANCE_OVERRIDDEN,
                by=actor,
                at=at,
                data={"reason": override},
            )
        _audit(
            actor=actor,
            at=at,
            action=AuditAction.CREATED,
            instance=placement,
            child_id=child.pk,
            channel=channel,
            where=where,
            changes={
                k: {"old": None, "new": v}
                for k, v in audit.snapshot(placement).items()
                if k not in {"id", "created_at", "version"}
            },
        )
    return placement


def update_plan(
    *,
    actor: Any,
    at: dt.datetime,
    placement: Placement,
    data: dict[str, Any],
    expected_version: int,
    channel: Channel = Channel.WEB,
    where: str = "",
) -> Placement:
    """Change the plan of a planned or active placement. Refused if the placement changed
    since the editor loaded it, so two officers never silently overwrite each other. The
    provider cannot change: end the placement and make a new one."""
    with transaction.atomic():
        Child.objects.select_for_update().get(pk=placement.child_id)
        locked = _lock(placement, expected_version)
        _ensure_plan_open(locked)
        provider = _provider_of(locked)
        values = {key: data.get(key, getattr(locked, key)) for key in PLAN_FIELDS}
        errors: Errors = {}
        clean = _validated_plan(
            actor=actor,
            child=locked.child,
            provider=provider,
            values=values,
            current=locked,
            errors=errors,
            la_id=locked.commissioning_la_id,
            approved_cost=selectors.approved_weekly_cost(locked.referral),
        )
        if errors:
            raise PlacementInvalid(errors)
        before = audit.snapshot(locked)
        was_approved = locked.open_ended_approved_by_id
        for key, value in clean.items():
            setattr(locked, key, value)
        changes = audit.diff(before, audit.snapshot(locked))
        if not changes:
            return locked
        locked.version += 1
        locked.save()
        _event(locked, kind=EventKind.PLAN_CHANGED, by=actor, at=at, data={"changes": changes})
        if locked.open_ended_approved_by_id and locked.open_ended_approved_by_id != was_approved:
            _event(
                locked,
                kind=EventKind.OPEN_ENDED_APPROVED,
                by=actor,
                at=at,
                data={"justification": locked.open_ended_justification},
            )
        _audit(
            actor=actor,
            at=at,
            action=AuditAction.UPDATED,
            instance=locked,
            child_id=locked.child_id,
            channel=channel,
            where=where,
            changes=changes,
        )
    return locked


# --- status moves --------------------------------------------------------------------------


def activate_placement(
    *,
    actor: Any,
    at: dt.datetime,
    placement: Placement,
    expected_version: int | None = None,
    channel: Channel = Channel.WEB,
    where: str = "",
) -> Placement:
    """PLANNED → ACTIVE, on or after the start date."""
    with transaction.atomic():
        locked = _lock(placement, expected_version)
        source = _move(locked, PlacementStatus.ACTIVE, "started")
        if _local_date(at) < locked.start_date:
            start = locked.start_date
            raise PlacementInvalid(
                {None: [NOT_STARTED_YET.format(start=f"{start.day} {start:%B %Y}")]}
            )
        locked.status = PlacementStatus.ACTIVE
        locked.version += 1
        locked.save(update_fields=["status", "version"])
        _event(
            locked,
            kind=EventKind.ACTIVATED,
            by=actor,
            at=at,
            from_status=source,
            to_status=locked.status,
        )
        _audit(
            actor=actor,
            at=at,
            action=AuditAction.UPDATED,
            instance=locked,
            child_id=locked.child_id,
            channel=channel,
            where=where,
            changes={"status": {"old": source, "new": locked.status}},
        )
    return locked


def cancel_placement(
    *,
    actor: Any,
    at: dt.datetime,
    placement: Placement,
    reason: str,
    expected_version: int | None = None,
    channel: Channel = Channel.WEB,
    where: str = "",
) -> Placement:
    """PLANNED → CANCELLED: the placement never started."""
    with transaction.atomic():
        locked = _lock(placement, expected_version)
        source = _move(locked, PlacementStatus.CANCELLED, "cancelled")
        reason = _text(reason)
        if not reason:
            raise PlacementInvalid({"reason": [CANCEL_REASON_NEEDED]})
        locked.status = PlacementStatus.CANCELLED
        locked.version += 1
        locked.save(update_fields=["status", "version"])
        _event(
            locked,
            kind=EventKind.CANCELLED,
            by=actor,
            at=at,
            from_status=source,
            to_status=locked.status,
            data={"reason": reason},
        )
        _audit(
            actor=actor,
            at=at,
            action=AuditAction.UPDATED,
            instance=locked,
            child_id=locked.child_id,
            channel=channel,
            where=where,
            changes={"status": {"old": source, "new": locked.status}},
        )
    return locked


def end_placement(
    *,
    actor: Any,
    at: dt.datetime,
    placement: Placement,
    end_date: dt.date | None,
    reason: str,
    destination: str,
    transition_plan: str,
    expected_version: int | None = None,
    channel: Channel = Channel.WEB,
    where: str = "",
) -> Placement:
    """ACTIVE → ENDED with the reason, the destination and a transition plan; books the
    follow-up checks 6 and 12 weeks after the end date."""
    with transaction.atomic():
        locked = _lock(placement, expected_version)
        source = _move(locked, PlacementStatus.ENDED, "ended")
        errors: Errors = {}
        if end_date is None:
            _add(errors, "end_date", END_DATE_NEEDED)
        elif end_date < locked.start_date:
            start = locked.start_date
            _add(
                errors, "end_date", END_DATE_BEFORE_START.format(start=f"{start.day} {start:%B %Y}")
            )
        elif end_date > _local_date(at):
            _add(errors, "end_date", END_DATE_IN_FUTURE)
        elif not_school_day := school_day_error(end_date, la_id=locked.commissioning_la_id):
            _add(errors, "end_date", not_school_day)
        if reason not in EndReason.values:
            _add(errors, "reason", END_REASON_NEEDED)
        if destination not in Destination.values:
            _add(errors, "destination", DESTINATION_NEEDED)
        if not _text(transition_plan):
            _add(errors, "transition_plan", TRANSITION_PLAN_NEEDED)
        if errors:
            raise PlacementInvalid(errors)
        assert end_date is not None  # noqa: S101 - errors above otherwise
        locked.status = PlacementStatus.ENDED
        locked.end_date = end_date
        locked.end_reason = reason
        locked.destination = destination
        locked.transition_plan = _text(transition_plan)
        locked.version += 1
        locked.save()
        for weeks in FOLLOW_UP_WEEKS:
            FollowUp.objects.create(
                placement=locked, weeks_after=weeks, due_date=end_date + dt.timedelta(weeks=weeks)
            )
        _event(
            locked,
            kind=EventKind.ENDED,
            by=actor,
            at=at,
            from_status=source,
            to_status=locked.status,
            data={"end_date": end_date, "reason": reason, "destination": destination},
        )
        _audit(
            actor=actor,
            at=at,
            action=AuditAction.UPDATED,
            instance=locked,
            child_id=locked.child_id,
            channel=channel,
            where=where,
            changes={
                "status": {"old": source, "new": locked.status},
                "end_date": {"old": None, "new": end_date.isoformat()},
                "end_reason": {"old": "", "new": reason},
                "destination": {"old": "", "new": destination},
            },
        )
    return locked


# --- outcomes and the Person Passport ------------------------------------------------------


def add_outcome(
    *,
    actor: Any,
    at: dt.datetime,
    placement: Placement,
    data: dict[str, Any],
    expected_version: int | None = None,
    channel: Channel = Channel.WEB,
    where: str = "",
) -> IntendedOutcome:
    """Add a measurable intended outcome: description, measure, baseline and target."""
    with transaction.atomic():
        locked = _lock(placement, expected_version)
        _ensure_plan_open(locked)
        errors: Errors = {}
        clean = _validated_outcome(data, errors)
        if errors:
            raise PlacementInvalid(errors)
        position = locked.outcomes.count()
        outcome = IntendedOutcome.objects.create(placement=locked, position=position, **clean)
        locked.version += 1
        locked.save(update_fields=["version"])
        _event(
            locked,
            kind=EventKind.OUTCOME_ADDED,
            by=actor,
            at=at,
            data={"outcome_id": outcome.pk, **clean},
        )
        _audit(
            actor=actor,
            at=at,
            action=AuditAction.CREATED,
            instance=outcome,
            child_id=locked.child_id,
            channel=channel,
            where=where,
            changes={k: {"old": None, "new": v} for k, v in clean.items()},
        )
    return outcome


def change_outcome(
    *,
    actor: Any,
    at: dt.datetime,
    outcome: IntendedOutcome,
    data: dict[str, Any],
    expected_version: int,
    channel: Channel = Channel.WEB,
    where: str = "",
) -> IntendedOutcome:
    with transaction.atomic():
        locked = _lock(outcome.placement, expected_version)
        _ensure_plan_open(locked)
        errors: Errors = {}
        clean = _validated_outcome(data, errors)
        if errors:
            raise PlacementInvalid(errors)
        row = IntendedOutcome.objects.select_for_update().get(pk=outcome.pk, placement=locked)
        before = audit.snapshot(row)
        for key, value in clean.items():
            setattr(row, key, value)
        changes = audit.diff(before, audit.snapshot(row))
        if not changes:
            return row
        row.save()
        locked.version += 1
        locked.save(update_fields=["version"])
        _event(
            locked,
            kind=EventKind.OUTCOME_CHANGED,
            by=actor,
            at=at,
            data={"outcome_id": row.pk, "changes": changes},
        )
        _audit(
            actor=actor,
            at=at,
            action=AuditAction.UPDATED,
            instance=row,
            child_id=locked.child_id,
            channel=channel,
            where=where,
            changes=changes,
        )
    return row


def update_passport(
    *,
    actor: Any,
    at: dt.datetime,
    placement: Placement,
    data: dict[str, Any],
    expected_version: int | None = None,
    channel: Channel = Channel.WEB,
    where: str = "",
) -> PersonPassport:
    """Write the child's one-page profile (made on first save)."""
    with transaction.atomic():
        locked = _lock(placement, expected_version)
        _ensure_plan_open(locked)
        clean = {key: _text(data.get(key)) for key in PASSPORT_FIELDS}
        if not any(clean.values()):
            raise PlacementInvalid({None: [PASSPORT_EMPTY]})
        passport = PersonPassport.objects.select_for_update().filter(placement=locked).first()
        before = audit.snapshot(passport) if passport else {}
        if passport is None:
            passport = PersonPassport(placement=locked)
        for key, value in clean.items():
            setattr(passport, key, value)
        changes = (
            audit.diff(before, audit.snapshot(passport))
            if before
            else {k: {"old": None, "new": v} for k, v in clean.items()}
        )
        changes.pop("updated_at", None)
        if before and not changes:
            return passport
        passport.updated_at = at
        passport.save()
        locked.version += 1
        locked.save(update_fields=["version"])
        _event(
            locked,
            kind=EventKind.PASSPORT_UPDATED,
            by=actor,
            at=at,
            data={"fields": sorted(changes)},
        )
        _audit(
            actor=actor,
            at=at,
            action=AuditAction.UPDATED if before else AuditAction.CREATED,
            instance=passport,
            child_id=locked.child_id,
            channel=channel,
            where=where,
            changes=changes,
        )
    return passport


# --- reviews -------------------------------------------------------------------------------


def _score(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def record_review(
    *,
    actor: Any,
    at: dt.datetime,
    placement: Placement,
    data: dict[str, Any],
    channel: Channel = Channel.WEB,
    where: str = "",
) -> Review:
    """Record a review of an active placement. `data`: held_date, kind, attendance_percent,
    child_views, family_views, scores ({outcome id: 1–5}), optional notes and current_values
    ({outcome id: text}), decision, decision_reason, new_planned_end_date, new_tier.

    Every intended outcome is scored. EXTEND moves the planned end date (with a reason);
    CHANGE_TIER changes the tier; END is recorded here and the caller then ends the placement
    through `end_placement`. The next review falls due one cadence (policy) after this one."""
    with transaction.atomic():
        locked = _lock(placement)
        if locked.status != PlacementStatus.ACTIVE:
            raise ReviewInvalid({None: [REVIEW_ONLY_ACTIVE]})
        outcomes = list(locked.outcomes.order_by("position", "pk"))
        errors: Errors = {}
        if not outcomes:
            _add(errors, None, REVIEW_NEEDS_OUTCOMES)
        held = data.get("held_date")
        start = locked.start_date
        if held is None:
            _add(errors, "held_date", REVIEW_DATE_NEEDED)
        elif held < start:
            _add(
                errors,
                "held_date",
                REVIEW_DATE_BEFORE_START.format(start=f"{start.day} {start:%B %Y}"),
            )
        elif held > _local_date(at):
            _add(errors, "held_date", REVIEW_DATE_IN_FUTURE)
        kind = data.get("kind") or ReviewKind.PLACEMENT_REVIEW
        if kind not in ReviewKind.values:
            _add(errors, "kind", REVIEW_KIND_NEEDED)
        attendance = _decimal(data.get("attendance_percent"))
        if data.get("attendance_percent") not in (None, "") and (
            attendance is None or not Decimal(0) <= attendance <= Decimal(100)
        ):
            _add(errors, "attendance_percent", ATTENDANCE_INVALID)
        raw_scores = {int(k): v for k, v in (data.get("scores") or {}).items()}
        scores = {o.pk: _score(raw_scores.get(o.pk)) for o in outcomes}
        missing = [o for o in outcomes if scores[o.pk] is None]
        if missing:
            _add(
                errors,
                "scores",
                SCORES_MISSING.format(missing="; ".join(o.description for o in missing)),
            )
        for outcome in outcomes:
            score = scores[outcome.pk]
            if score is not None and not 1 <= score <= 5:
                _add(errors, f"score_{outcome.pk}", SCORE_INVALID)
        decision = data.get("decision")
        reason = _text(data.get("decision_reason"))
        new_end = data.get("new_planned_end_date")
        new_tier = data.get("new_tier")
        new_tier = int(new_tier) if new_tier not in (None, "") else None
        child_views, family_views = _text(data.get("child_views")), _text(data.get("family_views"))
        views_reason = _text(data.get("views_not_obtained_reason"))
        if (not child_views or not family_views) and not views_reason:
            _add(errors, "views_not_obtained_reason", REVIEW_VIEWS_NEEDED)
        if child_views and family_views:
            views_reason = ""
        if decision not in ReviewDecision.values:
            _add(errors, "decision", DECISION_NEEDED)
        elif decision == ReviewDecision.EXTEND:
            if not reason:
                _add(errors, "decision_reason", EXTEND_REASON_NEEDED)
            current = locked.planned_end_date or held
            if new_end is None:
                _add(errors, "new_planned_end_date", EXTEND_DATE_NEEDED)
            elif current is not None and new_end <= current:
                _add(
                    errors,
                    "new_planned_end_date",
                    EXTEND_DATE_NOT_LATER.format(current=f"{current.day} {current:%B %Y}"),
                )
            elif not_school_day := school_day_error(new_end, la_id=locked.commissioning_la_id):
                _add(errors, "new_planned_end_date", not_school_day)
        elif decision == ReviewDecision.CHANGE_TIER:
            if new_tier not in (1, 2, 3):
                _add(errors, "new_tier", NEW_TIER_NEEDED)
            elif new_tier == locked.tier:
                _add(errors, "new_tier", NEW_TIER_SAME)
        if errors:
            raise ReviewInvalid(errors)
        assert held is not None  # noqa: S101 - errors above otherwise
        if decision != ReviewDecision.EXTEND:
            new_end = None
        if decision != ReviewDecision.CHANGE_TIER:
            new_tier = None
        tier_after = new_tier if new_tier is not None else locked.tier
        review = Review.objects.create(
            placement=locked,
            kind=kind,
            held_date=held,
            attendance_percent=attendance,
            child_views=child_views,
            family_views=family_views,
            views_not_obtained_reason=views_reason,
            decision=decision,
            decision_reason=reason,
            new_planned_end_date=new_end,
            new_tier=new_tier,
            next_review_date=held + dt.timedelta(days=policy.review_cadence_days(tier_after)),
            recorded_by=actor,
            recorded_at=at,
        )
        notes = {int(k): v for k, v in (data.get("notes") or {}).items()}
        values = {int(k): v for k, v in (data.get("current_values") or {}).items()}
        OutcomeProgress.objects.bulk_create(
            [
                OutcomeProgress(
                    review=review,
                    outcome=o,
                    score=scores[o.pk],
                    note=_text(notes.get(o.pk)),
                    current_value=_text(values.get(o.pk))[:100],
                )
                for o in outcomes
            ]
        )
        _event(
            locked,
            kind=EventKind.REVIEW_RECORDED,
            by=actor,
            at=at,
            data={
                "review_id": review.pk,
                "held_date": held,
                "decision": decision,
                "scores": {str(o.pk): scores[o.pk] for o in outcomes},
            },
        )
        changes: dict[str, Any] = {}
        if new_end is not None:
            changes["planned_end_date"] = {
                "old": _json(locked.planned_end_date),
                "new": new_end.isoformat(),
            }
            _event(
                locked,
                kind=EventKind.EXTENDED,
                by=actor,
                at=at,
                data={
                    "from": locked.planned_end_date,
                    "to": new_end,
                    "reason": reason,
                    "review_id": review.pk,
                },
            )
            locked.planned_end_date = new_end
            # A placement given an end date is no longer open-ended.
            locked.open_ended_justification = ""
            locked.open_ended_approved_by = None
        if new_tier is not None:
            changes["tier"] = {"old": locked.tier, "new": new_tier}
            provider = _provider_of(locked)
            # A tier 2 placement's time limit runs from when it became tier 2.
            locked.maximum_end_date = policy.maximum_end_date(
                tier=new_tier, registered=bool(provider and provider.is_registered), start=held
            )
            _event(
                locked,
                kind=EventKind.TIER_CHANGED,
                by=actor,
                at=at,
                data={
                    "from": locked.tier,
                    "to": new_tier,
                    "reason": reason,
                    "review_id": review.pk,
                },
            )
            locked.tier = new_tier
        locked.version += 1
        locked.save()
        _audit(
            actor=actor,
            at=at,
            action=AuditAction.CREATED,
            instance=review,
            child_id=locked.child_id,
            channel=channel,
            where=where,
            changes={
                "held_date": {"old": None, "new": held.isoformat()},
                "decision": {"old": None, "new": decision},
                **changes,
            },
        )
    return review


# --- after the placement -------------------------------------------------------------------


def record_follow_up(
    *,
    actor: Any,
    at: dt.datetime,
    follow_up: FollowUp,
    data: dict[str, Any],
    channel: Channel = Channel.WEB,
    where: str = "",
) -> FollowUp:
    """Record a 6- or 12-week check after the placement ended: still attending, destination
    sustained?"""
    with transaction.atomic():
        locked = (
            FollowUp.objects.select_for_update().select_related("placement").get(pk=follow_up.pk)
        )
        placement = locked.placement
        errors: Errors = {}
        if locked.done_date is not None:
            raise PlacementInvalid({None: [FOLLOW_UP_DONE]})
        done = data.get("done_date")
        if done is None:
            _add(errors, "done_date", FOLLOW_UP_DATE_NEEDED)
        elif placement.end_date is not None and done < placement.end_date:
            end = placement.end_date
            _add(
                errors, "done_date", FOLLOW_UP_DATE_BEFORE_END.format(end=f"{end.day} {end:%B %Y}")
            )
        elif done > _local_date(at):
            _add(errors, "done_date", FOLLOW_UP_DATE_IN_FUTURE)
        elif done < locked.due_date:
            due = locked.due_date
            _add(
                errors,
                "done_date",
                FOLLOW_UP_TOO_EARLY.format(weeks=locked.weeks_after, due=f"{due.day} {due:%B %Y}"),
            )
        if data.get("still_attending") is None:
            _add(errors, "still_attending", STILL_ATTENDING_NEEDED)
        if data.get("destination_sustained") is None:
            _add(errors, "destination_sustained", SUSTAINED_NEEDED)
        if errors:
            raise PlacementInvalid(errors)
        locked.done_date = done
        locked.still_attending = bool(data["still_attending"])
        locked.destination_sustained = bool(data["destination_sustained"])
        locked.note = _text(data.get("note"))
        locked.save()
        _event(
            placement,
            kind=EventKind.FOLLOW_UP_RECORDED,
            by=actor,
            at=at,
            data={
                "weeks_after": locked.weeks_after,
                "done_date": done,
                "still_attending": locked.still_attending,
                "destination_sustained": locked.destination_sustained,
            },
        )
        _audit(
            actor=actor,
            at=at,
            action=AuditAction.UPDATED,
            instance=locked,
            child_id=placement.child_id,
            channel=channel,
            where=where,
            changes={
                "done_date": {"old": None, "new": _json(done)},
                "still_attending": {"old": None, "new": locked.still_attending},
                "destination_sustained": {"old": None, "new": locked.destination_sustained},
            },
        )
    return locked
