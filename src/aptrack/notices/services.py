"""Every notice a school sends goes through here, all or nothing, with the clock and the actor
passed in. A notice creates or updates the child on the home LA's register, then hands the
rest to the owners: the exclusion becomes a referral on its route (the sixth-day duty reads
it); the school's AP becomes a placement the school commissions."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Q

from aptrack.accounts.models import User
from aptrack.audit import services as audit
from aptrack.audit.models import AuditAction, Channel
from aptrack.children import services as child_services
from aptrack.children import upn as upn_rules
from aptrack.children.models import Child, Sex
from aptrack.core.errors import DomainForbidden, DomainInvalid
from aptrack.notices import permissions
from aptrack.notices.models import EXCLUSION_KINDS, ExclusionReason, Notice, NoticeKind
from aptrack.notices.school_placements import create_school_placement
from aptrack.organisations.models import Establishment, LocalAuthority, Organisation
from aptrack.placements.models import Placement
from aptrack.placements.rules import running_on_q
from aptrack.placements.states import PlacementStatus
from aptrack.providers import services as provider_services
from aptrack.providers.models import (
    STATE_AP_TYPE_CODES,
    Provider,
    ProviderKind,
    SettingType,
)
from aptrack.referrals import services as referral_services
from aptrack.referrals.models import PrimaryReason, Route, Tier

Errors = dict[str | None, list[str]]

NOT_A_SCHOOL = "Only staff of a school with a URN can send notices to the local authority"
UPN_NEEDED = "Enter the child's UPN"
UPN_OTHER_SCHOOL = (
    "The child with this UPN is a pupil of another school on the register: "
    "ask the local authority to update their school"
)
CHILD_DETAILS_NEEDED = (
    "This UPN is not on the register yet: enter the child's {field} so the local authority "
    "can add them"
)
HOME_LA_UNKNOWN = "No local authority has the code {code}"
KIND_NEEDED = "Select permanent exclusion or suspension"
FIRST_DAY_NEEDED = "Enter the first day of the exclusion"
REASON_NEEDED = "Select the reason for the exclusion"
MEETING_BEFORE_EXCLUSION = (
    "The governors' meeting must be on or after the first day of the exclusion"
)
SUSPENSION_DAYS_NEEDED = (
    "Enter the length of the suspension in school days: more than 5 (at most 45 in a school year)"
)
START_NEEDED = "Enter the day the placement starts"
HOURS_NEEDED = "Enter the hours a week, more than 0 and at most 40"
AP_REASON_NEEDED = "Select why the school commissions the placement"
REVIEW_NEEDED = "Enter the date of the first review, after the start"
PROVIDER_IDENTITY = (
    "Give the provider's URN, or its UKPRN, or (for an unregistered provider) its name, "
    "address and postcode"
)
PROVIDER_URN_UNKNOWN = "No provider on the register has URN {urn}"
PROVIDER_UKPRN_UNKNOWN = (
    "No provider on the register has UKPRN {ukprn}: give its name, address and postcode too"
)
UKPRN_INVALID = "UKPRN must be 8 numbers starting with 1"

MAX_SUSPENSION_DAYS = 45
MAX_WEEKLY_HOURS = Decimal(40)


class NoticeInvalid(DomainInvalid):
    """Input a notice cannot take; `errors` maps a field name (or None) to messages."""


class NoticeNotAllowed(DomainForbidden):
    """The actor may not send notices."""


def _add(errors: Errors, field: str | None, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _text(value: Any) -> str:
    return str(value or "").strip()


def _school(actor: User) -> Organisation:
    if not permissions.can_send_notices(actor) or actor.organisation is None:
        raise NoticeNotAllowed(NOT_A_SCHOOL)
    return actor.organisation


def _school_la(school: Organisation) -> LocalAuthority:
    establishment = school.establishment
    if establishment is None:  # never: `can_send_notices` asks for one
        raise NoticeNotAllowed(NOT_A_SCHOOL)
    return establishment.local_authority


# --- the child ---------------------------------------------------------------------------------


def _child(
    *,
    actor: User,
    at: dt.datetime,
    channel: Channel,
    school: Organisation,
    data: dict[str, Any],
    errors: Errors,
    where: str,
) -> Child | None:
    """The child by UPN: added to the register for their home LA if new (a pupil of this school);
    given this school as home school if they had none. Another school's pupil is refused."""
    raw = _text(data.get("upn"))
    if not raw:
        _add(errors, "upn", UPN_NEEDED)
        return None
    try:
        upn = upn_rules.parse(raw).upn
    except upn_rules.InvalidUPN as error:
        _add(errors, "upn", str(error))
        return None
    existing = Child.objects.select_for_update().filter(upn=upn).first()
    establishment_id = school.establishment_id
    if existing is not None:
        if existing.home_school_id not in (None, establishment_id):
            _add(errors, "upn", UPN_OTHER_SCHOOL)
            return None
        if existing.home_school_id is None:
            existing = child_services.update_child(
                actor=actor,
                at=at,
                channel=channel,
                child=existing,
                data={
                    **{key: getattr(existing, key) for key in child_services.EDITABLE_FIELDS},
                    "home_school": school.establishment,
                },
                expected_version=existing.version,
                where=where,
            )
        return existing
    code = _text(data.get("home_la_code"))
    home_la = _school_la(school)
    if code:
        found = LocalAuthority.objects.filter(code=code).first()
        if found is None:
            _add(errors, "home_la_code", HOME_LA_UNKNOWN.format(code=code))
            return None
        home_la = found
    details = {
        "legal_first_name": "first name",
        "legal_last_name": "last name",
        "date_of_birth": "date of birth",
        "sex": "sex",
    }
    missing = [key for key in details if not data.get(key)]
    for key in missing:
        _add(errors, key, CHILD_DETAILS_NEEDED.format(field=details[key]))
    if data.get("sex") and data["sex"] not in Sex.values:
        _add(errors, "sex", CHILD_DETAILS_NEEDED.format(field="sex"))
    if errors:
        return None
    try:
        return child_services.register_child(
            actor=actor,
            at=at,
            channel=channel,
            where=where,
            data={
                "upn": upn,
                "legal_first_name": _text(data["legal_first_name"]),
                "legal_last_name": _text(data["legal_last_name"]),
                "date_of_birth": data["date_of_birth"],
                "sex": data["sex"],
                "home_la": home_la,
                "home_school": school.establishment,
            },
        )
    except child_services.ChildInvalid as error:
        for field, messages in error.errors.items():
            for message in messages:
                _add(errors, field, message)
        return None


def _audit(*, actor: User, at: dt.datetime, channel: Channel, notice: Notice, where: str) -> None:
    audit.record_event(
        actor=actor,
        at=at,
        action=AuditAction.CREATED,
        channel=channel,
        instance=notice,
        child_id=notice.child_id,
        where=where,
        changes={
            k: {"old": None, "new": v}
            for k, v in audit.snapshot(notice).items()
            if k not in {"id", "notified_at", "updated_at"}
        },
    )


# --- exclusions --------------------------------------------------------------------------------


def _validated_exclusion(data: dict[str, Any], errors: Errors) -> dict[str, Any]:
    kind = data.get("kind")
    if kind not in EXCLUSION_KINDS:
        _add(errors, "kind", KIND_NEEDED)
    first_day = data.get("first_day")
    if first_day is None:
        _add(errors, "first_day", FIRST_DAY_NEEDED)
    reason = _text(data.get("exclusion_reason")).upper()
    if reason not in ExclusionReason.values:
        _add(errors, "exclusion_reason", REASON_NEEDED)
    meeting = data.get("governors_meeting_date")
    if meeting is not None and first_day is not None and meeting < first_day:
        _add(errors, "governors_meeting_date", MEETING_BEFORE_EXCLUSION)
    days = data.get("suspension_days")
    if kind == NoticeKind.SUSPENSION:
        if not isinstance(days, int) or not 5 < days <= MAX_SUSPENSION_DAYS:
            _add(errors, "suspension_days", SUSPENSION_DAYS_NEEDED)
    else:
        days = None
    return {
        "kind": kind,
        "first_day": first_day,
        "exclusion_reason": reason,
        "governors_meeting_date": meeting,
        "suspension_days": days,
    }


def _placement_on(child: Child, day: dt.date) -> Placement | None:
    """The AP the child is in on the exclusion's first day (else the latest running one)."""
    running = Placement.objects.filter(child=child).filter(
        running_on_q(day) | Q(status=PlacementStatus.ACTIVE, end_date__isnull=True)
    )
    return running.order_by("-start_date", "-pk").first()


def notify_exclusion(
    *, actor: User, at: dt.datetime, channel: Channel, data: dict[str, Any], where: str = ""
) -> Notice:
    """A school notifies the home LA of a permanent exclusion or a suspension past five days.

    The exclusion is recorded as a referral on its route with its first day, through
    `referrals.services.create_referral`, so the sixth-day duty (one owner:
    `referrals.selectors.list_sixth_day_duties`) and the caseworker's home see it at once.
    Sending the same exclusion again (child, kind and first day) updates the notice."""
    school = _school(actor)
    errors: Errors = {}
    clean = _validated_exclusion(data, errors)
    with transaction.atomic():
        child = _child(
            actor=actor,
            at=at,
            channel=channel,
            school=school,
            data=data,
            errors=errors,
            where=where,
        )
        if errors or child is None:
            raise NoticeInvalid(errors)
        existing = (
            Notice.objects.select_for_update()
            .filter(child=child, kind=clean["kind"], first_day=clean["first_day"], school=school)
            .first()
        )
        if existing is not None:
            before = audit.snapshot(existing)
            for key in ("exclusion_reason", "governors_meeting_date", "suspension_days"):
                setattr(existing, key, clean[key])
            existing.updated_at = at
            existing.save()
            changes = audit.diff(before, audit.snapshot(existing))
            if changes:
                audit.record_event(
                    actor=actor,
                    at=at,
                    action=AuditAction.UPDATED,
                    channel=channel,
                    instance=existing,
                    child_id=child.pk,
                    where=where,
                    changes=changes,
                )
            return existing
        is_pex = clean["kind"] == NoticeKind.PERMANENT_EXCLUSION
        reason = ExclusionReason(clean["exclusion_reason"]).label
        summary = f"{NoticeKind(clean['kind']).label} notified by {school.name}. Reason: {reason}."
        if clean["suspension_days"]:
            summary += f" Length: {clean['suspension_days']} school days."
        referral = referral_services.create_referral(
            actor=actor,
            at=at,
            channel=channel,
            child=child,
            where=where,
            data={
                "route": Route.PERMANENT_EXCLUSION if is_pex else Route.SUSPENSION,
                "first_day_of_exclusion": clean["first_day"],
                "primary_reason": PrimaryReason.PERMANENT_EXCLUSION
                if is_pex
                else PrimaryReason.BEHAVIOUR,
                "needs_summary": summary,
                "proposed_tier": Tier.TIER_2 if is_pex else Tier.TIER_1,
            },
        )
        notice = Notice.objects.create(
            school=school,
            child=child,
            home_la_id=child.home_la_id,
            notified_by=actor,
            notified_at=at,
            updated_at=at,
            referral=referral,
            placement=_placement_on(child, clean["first_day"]),
            **clean,
        )
        _audit(actor=actor, at=at, channel=channel, notice=notice, where=where)
    return notice


# --- AP the school commissions -----------------------------------------------------------------


def _hours(value: Any) -> Decimal | None:
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not hours.is_finite() or not Decimal(0) < hours <= MAX_WEEKLY_HOURS:
        return None
    return hours.quantize(Decimal("0.1"))


def _validated_ap(data: dict[str, Any], errors: Errors) -> dict[str, Any]:
    start = data.get("start_date")
    if start is None:
        _add(errors, "start_date", START_NEEDED)
    hours = _hours(data.get("hours_per_week"))
    if hours is None:
        _add(errors, "hours_per_week", HOURS_NEEDED)
    reason = _text(data.get("ap_reason"))
    if reason not in PrimaryReason.values:
        _add(errors, "ap_reason", AP_REASON_NEEDED)
    review = data.get("review_date")
    if review is None or (start is not None and review <= start):
        _add(errors, "review_date", REVIEW_NEEDED)
    return {
        "start_date": start,
        "hours_per_week": hours,
        "ap_reason": reason,
        "review_date": review,
    }


def _provider(
    *,
    actor: User,
    at: dt.datetime,
    school: Organisation,
    data: dict[str, Any],
    errors: Errors,
    where: str,
) -> tuple[Provider | None, bool]:
    """The provider by URN or UKPRN; an unregistered one by name and postcode, added to the
    register (setting type OTH, not yet assessed by any LA) when it is not on it."""
    urn = _text(data.get("provider_urn"))
    ukprn = _text(data.get("provider_ukprn"))
    name = _text(data.get("provider_name"))
    address = _text(data.get("provider_address"))
    postcode = upn_rules.normalise(_text(data.get("provider_postcode")))
    if urn:
        provider = Provider.objects.filter(establishment__urn=urn).first()
        if provider is None:
            establishment = Establishment.objects.filter(urn=urn).first()
            if establishment is not None and establishment.type_code in STATE_AP_TYPE_CODES:
                return provider_services.ensure_registered_provider(
                    establishment=establishment, at=at
                )[0], False
            _add(errors, "provider_urn", PROVIDER_URN_UNKNOWN.format(urn=urn))
        return provider, False
    if ukprn:
        if not (ukprn.isascii() and ukprn.isdigit() and len(ukprn) == 8 and ukprn[0] == "1"):
            _add(errors, "provider_ukprn", UKPRN_INVALID)
            return None, False
        provider = Provider.objects.filter(ukprn=ukprn).first()
        if provider is not None:
            return provider, False
        if not (name and address and postcode):
            _add(errors, "provider_ukprn", PROVIDER_UKPRN_UNKNOWN.format(ukprn=ukprn))
            return None, False
    elif not (name and address and postcode):
        _add(errors, None, PROVIDER_IDENTITY)
        return None, False
    known = (
        Provider.objects.filter(name__iexact=name, sites__postcode__iexact=_spaced(postcode))
        .order_by("pk")
        .first()
    )
    if known is not None:
        return known, False
    if errors:
        return None, False
    home_la = _school_la(school)
    try:
        provider = provider_services.create_provider(
            actor=actor,
            at=at,
            where=where,
            data={
                "name": name,
                "kind": ProviderKind.OTHER,
                "home_la": home_la,
                "ukprn": ukprn,
                "setting_type": "" if ukprn else SettingType.OTH,
            },
        )
    except provider_services.ProviderInvalid as error:
        for key, messages in error.errors.items():
            for message in messages:
                _add(errors, f"provider_{key}" if key else None, message)
        return None, False
    provider_services.add_site(
        actor=actor,
        at=at,
        provider=provider,
        where=where,
        data={
            "name": name,
            "address_line_1": address,
            "town": _text(data.get("provider_town")),
            "postcode": _spaced(postcode),
            "local_authority": home_la,
        },
    )
    return provider, True


def _spaced(postcode: str) -> str:
    """A UK postcode with its single space before the last three characters."""
    compact = postcode.replace(" ", "").upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def notify_school_ap(
    *, actor: User, at: dt.datetime, channel: Channel, data: dict[str, Any], where: str = ""
) -> Notice:
    """A school tells the home LA of AP it commissions itself (registered or not): the
    placement is recorded as the school's commission, which the home LA answers for
    (`placements.rules.la_placements_q`) and the AP census leaves to the school census
    (`census.selectors.placements_running_on`); a provider not on the register is added,
    not yet assessed, and counts towards its registration threshold from the start. Sending the
    same placement again (child, provider and start) returns the notice already sent; changes
    to the placement go through the placement's own pages."""
    school = _school(actor)
    errors: Errors = {}
    clean = _validated_ap(data, errors)
    with transaction.atomic():
        child = _child(
            actor=actor,
            at=at,
            channel=channel,
            school=school,
            data=data,
            errors=errors,
            where=where,
        )
        provider, added = _provider(
            actor=actor, at=at, school=school, data=data, errors=errors, where=where
        )
        if errors or child is None or provider is None:
            raise NoticeInvalid(errors)
        # A school's system sending the same notice again (child, provider, start) gets the
        # notice it already sent: a second placement would count the child twice.
        sent = Notice.objects.filter(
            kind=NoticeKind.SCHOOL_AP,
            school=school,
            child=child,
            provider=provider,
            start_date=clean["start_date"],
        ).first()
        if sent is not None:
            return sent
        placement = create_school_placement(
            actor=actor,
            at=at,
            channel=channel,
            child=child,
            school=school,
            provider=provider,
            start_date=clean["start_date"],
            hours_per_week=clean["hours_per_week"],
            where=where,
        )
        notice = Notice.objects.create(
            kind=NoticeKind.SCHOOL_AP,
            school=school,
            child=child,
            home_la_id=child.home_la_id,
            notified_by=actor,
            notified_at=at,
            updated_at=at,
            placement=placement,
            provider=provider,
            provider_added=added,
            **clean,
        )
        _audit(actor=actor, at=at, channel=channel, notice=notice, where=where)
    return notice
