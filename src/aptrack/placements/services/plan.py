"""The plan of a placement: who commissions it, with which provider and site, its tier,
dates, hours, part-time timetable, cost and exit plan (`create_placement`, `update_plan`),
and the provider's standing and compliance that a new placement must meet.

One door per change: each function runs in one transaction, locks the row it changes, checks
the rules, writes, appends a PlacementEvent and an audit entry. Callers pass the actor and the
clock; nothing here reads either. Whether the actor may touch the placement at all is the
caller's check (`permissions`); rules that depend on the actor's role (a manager's approval of
an open-ended placement or of a compliance override) are checked here.
"""

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import transaction

from aptrack.accounts.roles import Role
from aptrack.audit import services as audit
from aptrack.audit.models import AuditAction, Channel
from aptrack.children import schooling
from aptrack.children.models import Child
from aptrack.organisations.models import LocalAuthority, Organisation, OrganisationKind
from aptrack.placements import policy, rules, selectors
from aptrack.placements.models import IntendedOutcome, Placement
from aptrack.placements.readers import readers
from aptrack.placements.services.agreements import keep_agreement
from aptrack.placements.services.common import (
    add_error,
    clean_text,
    ensure_plan_open,
    is_manager,
    local_date,
    lock_placement,
    provider_of,
    record_audit,
    record_event,
    school_day_error,
    to_decimal,
)
from aptrack.placements.services.errors import (
    Errors,
    PlacementInvalid,
    ProviderNotApproved,
    ProviderNotCompliant,
)
from aptrack.placements.services.messages import (
    COMMISSIONER_UNKNOWN,
    COST_DIFFERS_REASON_NEEDED,
    END_BEFORE_START,
    EXIT_PLAN_NEEDED,
    HOME_SCHOOL_HOURS_INVALID,
    HOURS_NOT_POSITIVE,
    HOURS_OVER_WEEK,
    NO_REFERRAL_TIER_1_ONLY,
    OPEN_ENDED_NEEDS_MANAGER,
    OVERRIDE_NEEDS_MANAGER,
    PART_TIME_AGREEMENT_NEEDED,
    PART_TIME_PLAN_NEEDED,
    PART_TIME_REASON_NEEDED,
    PART_TIME_REVIEW_BEFORE_START,
    PART_TIME_REVIEW_NEEDED,
    PLANNED_END_NEEDED,
    PLANNED_END_PAST_MAXIMUM,
    PROVIDER_NOT_APPROVED,
    PROVIDER_NOT_COMPLIANT,
    REFERRAL_NOT_APPROVED,
    REFERRAL_OTHER_CHILD,
    REFERRAL_OTHER_LA,
    REFERRAL_OTHER_SCHOOL,
    SCHOOL_NEEDED,
    SITE_CLOSED,
    SITE_NOT_PROVIDERS,
    START_FIXED,
    TIER_NEEDED,
    TOTAL_HOURS_OVER_WEEK,
)
from aptrack.placements.services.outcomes import validated_outcome
from aptrack.placements.states import EventKind, PlacementStatus
from aptrack.providers.models import Provider, ProviderApproval
from aptrack.providers.states import ApprovalStatus
from aptrack.referrals.models import Referral
from aptrack.referrals.states import ReferralStatus

if TYPE_CHECKING:
    from aptrack.accounts.models import User

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


# Standings under which an LA refuses new placements with a provider.
BLOCKING_STANDINGS = frozenset({ApprovalStatus.REFERRALS_PAUSED, ApprovalStatus.NOT_APPROVED})


def _money(value: Decimal) -> str:
    return f"£{value:,.2f}".replace(".00", "")


def _hours_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def is_provider_compliant(provider: Provider, on: dt.date) -> bool:
    """Compliance comes from the quality app when it is installed; without it, every provider
    counts as compliant (the LA then holds its evidence outside aptrack)."""
    if not apps.is_installed("aptrack.quality"):
        return True
    # Imported here: quality is an optional app, and it imports from placements' neighbours.
    from aptrack.quality.selectors import compliance as quality_compliance

    return quality_compliance.is_provider_compliant(provider, on)


def _standing_error(provider: Provider, la: LocalAuthority | None) -> str | None:
    if la is None:
        return None
    approval = ProviderApproval.objects.filter(provider=provider, local_authority=la).first()
    if approval is None or approval.status not in BLOCKING_STANDINGS:
        return None
    return PROVIDER_NOT_APPROVED.format(
        provider=provider.name, status=ApprovalStatus(approval.status).label, la=la.name
    )


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
    actor: "User",
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
    site: Any = values.get("site")
    if provider is None:
        pass  # no register entry to check the site against
    elif site.provider_id != provider.pk:
        add_error(errors, "site", SITE_NOT_PROVIDERS)
    elif not site.is_active and (current is None or current.site_id != site.pk):
        add_error(errors, "site", SITE_CLOSED)
    clean["site"] = site

    tier: Any = values.get("tier")
    tier = int(tier) if tier not in (None, "") else None
    if tier not in (1, 2, 3):
        add_error(errors, "tier", TIER_NEEDED)
        tier = None
    clean["tier"] = tier

    start = values["start_date"]
    if (
        current is not None
        and current.status != PlacementStatus.PLANNED
        and start != current.start_date
    ):
        add_error(errors, "start_date", START_FIXED)
    elif (current is None or start != current.start_date) and (
        not_school_day := school_day_error(start, la_id=la_id)
    ):
        add_error(errors, "start_date", not_school_day)
    clean["start_date"] = start

    planned_end = values.get("planned_end_date")
    justification = clean_text(values.get("open_ended_justification"))
    clean["planned_end_date"] = planned_end
    clean["open_ended_justification"] = ""
    clean["open_ended_approved_by"] = None
    if planned_end is not None:
        if planned_end <= start:
            add_error(errors, "planned_end_date", END_BEFORE_START)
        elif current is None or planned_end != current.planned_end_date:
            not_school_day = school_day_error(planned_end, la_id=la_id)
            if not_school_day:
                add_error(errors, "planned_end_date", not_school_day)
    elif not justification:
        add_error(errors, "planned_end_date", PLANNED_END_NEEDED)
    elif (
        current is not None
        and current.planned_end_date is None
        and current.open_ended_approved_by_id is not None
        and current.open_ended_justification == justification
    ):
        # Already approved by a manager: an officer may change other parts of the plan.
        clean["open_ended_justification"] = justification
        clean["open_ended_approved_by"] = current.open_ended_approved_by
    elif not is_manager(actor):
        add_error(errors, "open_ended_justification", OPEN_ENDED_NEEDS_MANAGER)
    else:
        clean["open_ended_justification"] = justification
        clean["open_ended_approved_by"] = actor

    maximum = None
    if provider is not None:
        maximum = policy.maximum_end_date(tier=tier, registered=provider.is_registered, start=start)
    clean["maximum_end_date"] = maximum
    if (
        maximum is not None
        and provider is not None  # always, with a maximum
        and planned_end is not None
        and planned_end > maximum
    ):
        weeks = policy.tier_2_maximum_weeks(registered=provider.is_registered)
        add_error(
            errors,
            "planned_end_date",
            PLANNED_END_PAST_MAXIMUM.format(maximum=f"{maximum.day} {maximum:%B %Y}", weeks=weeks),
        )

    # Held to the column's tenths, so an unchanged figure never reads as a change.
    tenth = Decimal("0.1")
    hours = Decimal(values["hours_per_week"]).quantize(tenth)
    if hours <= 0:
        add_error(errors, "hours_per_week", HOURS_NOT_POSITIVE)
    elif hours > policy.MAX_WEEKLY_HOURS:
        add_error(errors, "hours_per_week", HOURS_OVER_WEEK)
    clean["hours_per_week"] = hours
    home_hours = (to_decimal(values.get("home_school_hours_per_week")) or Decimal(0)).quantize(
        tenth
    )
    if not Decimal(0) <= home_hours <= policy.MAX_WEEKLY_HOURS:
        add_error(errors, "home_school_hours_per_week", HOME_SCHOOL_HOURS_INVALID)
    clean["home_school_hours_per_week"] = home_hours

    for key in ("part_time_reason", "part_time_plan_to_full_time"):
        clean[key] = clean_text(values.get(key))
    clean["part_time_parent_agreed"] = bool(values.get("part_time_parent_agreed"))
    clean["part_time_review_date"] = values.get("part_time_review_date")
    if "hours_per_week" not in errors:
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
            add_error(
                errors, "hours_per_week", TOTAL_HOURS_OVER_WEEK.format(total=_hours_text(total))
            )
        stage = policy.key_stage(schooling.year_group(child.date_of_birth, start))
        threshold = policy.full_time_hours(stage)
        if rules.is_part_time(total, stage):
            if not clean["part_time_reason"]:
                add_error(
                    errors,
                    "part_time_reason",
                    PART_TIME_REASON_NEEDED.format(
                        total=_hours_text(total), threshold=_hours_text(threshold), stage=stage
                    ),
                )
            if not clean["part_time_parent_agreed"]:
                add_error(errors, "part_time_parent_agreed", PART_TIME_AGREEMENT_NEEDED)
            review = clean["part_time_review_date"]
            if review is None:
                add_error(errors, "part_time_review_date", PART_TIME_REVIEW_NEEDED)
            elif review < start:
                add_error(errors, "part_time_review_date", PART_TIME_REVIEW_BEFORE_START)
            if not clean["part_time_plan_to_full_time"]:
                add_error(errors, "part_time_plan_to_full_time", PART_TIME_PLAN_NEEDED)
        else:
            # Full-time: no part-time timetable to keep on record.
            clean.update(
                part_time_reason="",
                part_time_parent_agreed=False,
                part_time_review_date=None,
                part_time_plan_to_full_time="",
            )

    given_cost = to_decimal(values.get("weekly_cost"))
    given_cost = given_cost.quantize(Decimal("0.01")) if given_cost is not None else None
    if given_cost is None and approved_cost is not None:
        given_cost = approved_cost  # carried over from the panel's decision
    # A placement bought on a contract costs what the contract says (`commissioning.costs`, the
    # rule's owner); the provider's published rates, or the caller's figure, only otherwise.
    contract_cost = (
        readers["contract_cost"](placement=current, hours_per_week=hours)
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
        clean["cost_difference_reason"] = clean_text(values.get("cost_difference_reason"))
        if not clean["cost_difference_reason"]:
            add_error(
                errors,
                "cost_difference_reason",
                COST_DIFFERS_REASON_NEEDED.format(
                    cost=_money(cost), approved=_money(approved_cost)
                ),
            )
    for key in ("exit_plan", "readiness_criteria", "family_involvement"):
        clean[key] = clean_text(values.get(key))
    if not clean["exit_plan"]:
        add_error(errors, "exit_plan", EXIT_PLAN_NEEDED)
    clean["dual_registered"] = bool(values.get("dual_registered"))
    return clean


def _commissioners(
    *,
    actor: "User",
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
            add_error(errors, "referral", REFERRAL_OTHER_CHILD)
        if referral.status != ReferralStatus.APPROVED:
            add_error(errors, "referral", REFERRAL_NOT_APPROVED)
        if (
            role in (Role.LA_OFFICER, Role.LA_MANAGER)
            and referral.commissioning_la_id != actor_la_id
        ):
            add_error(errors, "referral", REFERRAL_OTHER_LA)
        if role == Role.SCHOOL_STAFF and referral.commissioning_school_id != getattr(
            organisation, "pk", None
        ):
            add_error(errors, "referral", REFERRAL_OTHER_SCHOOL)
        return referral.commissioning_la, referral.commissioning_school
    if role == Role.SCHOOL_STAFF:
        school = organisation
    if tier not in (None, "") and int(tier) != 1:
        add_error(errors, "tier", NO_REFERRAL_TIER_1_ONLY)
    if school is None or school.kind != OrganisationKind.SCHOOL:
        add_error(errors, "commissioning_school", SCHOOL_NEEDED)
        return None, None
    if role in (Role.LA_OFFICER, Role.LA_MANAGER) and actor_la_id is not None:
        return LocalAuthority.objects.get(pk=actor_la_id), school
    if school.establishment is None:
        add_error(errors, None, COMMISSIONER_UNKNOWN)
        return None, school
    return school.establishment.local_authority, school


def create_placement(
    *,
    actor: "User",
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
    child: Child = data["child"]
    provider: Provider = data["provider"]
    today = local_date(at)
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
            validated_outcome(outcome, errors, prefix=f"outcomes.{index}.")
            for index, outcome in enumerate(data.get("outcomes") or [])
        ]
        override = clean_text(data.get("compliance_override_reason"))
        blocked = non_compliant = False
        standing = _standing_error(provider, la)
        if standing:
            add_error(errors, "provider", standing)
            blocked = True
        # Evidence must be in date now and on the first day the child attends.
        if is_provider_compliant(provider, max(clean["start_date"], today)):
            override = ""
        elif not override:
            add_error(errors, "provider", PROVIDER_NOT_COMPLIANT.format(provider=provider.name))
            non_compliant = True
        elif not is_manager(actor):
            add_error(errors, "compliance_override_reason", OVERRIDE_NEEDS_MANAGER)
            non_compliant = True
        if errors:
            if blocked:
                raise ProviderNotApproved(errors)
            if non_compliant:
                raise ProviderNotCompliant(errors)
            raise PlacementInvalid(errors)
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
        record_event(
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
            record_event(
                placement,
                kind=EventKind.OPEN_ENDED_APPROVED,
                by=actor,
                at=at,
                data={"justification": placement.open_ended_justification},
            )
        if override:
            record_event(
                placement,
                kind=EventKind.COMPLIANCE_OVERRIDDEN,
                by=actor,
                at=at,
                data={"reason": override},
            )
        record_audit(
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
        if status == PlacementStatus.ACTIVE:
            keep_agreement(placement=placement, by=actor, at=at)
    return placement


def update_plan(
    *,
    actor: "User",
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
        locked = lock_placement(placement, expected_version)
        ensure_plan_open(locked)
        provider = provider_of(locked)
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
        record_event(
            locked, kind=EventKind.PLAN_CHANGED, by=actor, at=at, data={"changes": changes}
        )
        if locked.open_ended_approved_by_id and locked.open_ended_approved_by_id != was_approved:
            record_event(
                locked,
                kind=EventKind.OPEN_ENDED_APPROVED,
                by=actor,
                at=at,
                data={"justification": locked.open_ended_justification},
            )
        record_audit(
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
