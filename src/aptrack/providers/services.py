"""Every write to the provider register. Callers pass the actor and the clock.

Who may change which part of a provider is `permissions`' rule; `update_provider` refuses a
field outside it whoever calls it. Every write is audited with the organisation (for LA staff,
the LA) of the person who made it."""

import datetime as dt
from typing import Any

from django.db import models, transaction

from aptrack.accounts.models import User
from aptrack.audit.models import AuditAction, Channel
from aptrack.audit.services import diff, record_event, snapshot
from aptrack.core import changes
from aptrack.core.concurrency import RecordChangedElsewhere, lock_version
from aptrack.core.errors import DomainConflict, DomainForbidden, DomainInvalid
from aptrack.organisations.models import (
    Establishment,
    LocalAuthority,
    Organisation,
    OrganisationKind,
)
from aptrack.providers import permissions, states
from aptrack.providers.models import (
    STATE_AP_TYPE_CODES,
    ApprovalEvent,
    Provider,
    ProviderApproval,
    ProviderKind,
    ProviderSite,
)

IDENTITY_NEEDS_EXACTLY_ONE = "Give exactly one of URN, UKPRN or setting type"
UKPRN_INVALID = "UKPRN must be 8 numbers starting with 1"
URN_UNKNOWN = "No establishment has URN {urn}: import it from GIAS first"
URN_TAKEN = "Another provider already has URN {urn}"
REGISTERED_NEEDS_URN = "A registered provider (school, college or PRU) needs its URN"
APPROVAL_MOVE_NOT_ALLOWED = "A provider cannot move from {source} to {target}"
APPROVAL_NEEDS_REASON = "Give the reason for the change"
RECORD_CHANGED = (
    "Someone else changed this provider while you were editing. Reload to see their changes."
)
CHANGE_NOT_ALLOWED = "You cannot change the provider's {fields}"
IDENTITY_FIELDS = ("urn", "ukprn", "setting_type")

PROFILE_FIELDS = (
    "name",
    "kind",
    "home_la",
    "offers_tier_1",
    "offers_tier_2",
    "offers_tier_3",
    "key_stages",
    "teaches_english_and_maths",
    "qualifications",
    "therapeutic_offer",
    "hours_per_week",
    "capacity",
    "daily_rate",
    "hourly_rate",
    "ofsted_judgement",
    "ofsted_date",
    "contact_email",
    "contact_phone",
)


class ProviderInvalid(DomainInvalid):
    """Input the register cannot take; `errors` maps a field name (or None) to messages."""


class ProviderChangedElsewhere(RecordChangedElsewhere):
    pass


class ApprovalMoveNotAllowed(DomainConflict):
    pass


class ProviderChangeNotAllowed(DomainForbidden):
    """The user asked to change a part of the provider that is not theirs to change."""


def _audit(
    *,
    actor: User,
    at: dt.datetime,
    action: AuditAction,
    instance: models.Model,
    before: dict[str, Any] | None,
    where: str,
) -> None:
    """One audit event for a register write, naming the organisation that made it."""
    organisation = getattr(actor, "organisation", None)
    record_event(
        actor=actor,
        at=at,
        action=action,
        channel=Channel.WEB,
        instance=instance,
        child_id=None,
        where=where,
        changes={
            "organisation": organisation.name if organisation is not None else "",
            "organisation_id": organisation.pk if organisation is not None else None,
            "fields": diff(before or {}, snapshot(instance)),
        },
    )


def _identity(data: dict[str, Any], *, exclude_id: int | None) -> dict[str, Any]:
    urn = (data.get("urn") or "").strip()
    ukprn = (data.get("ukprn") or "").strip()
    setting_type = data.get("setting_type") or ""
    errors: dict[str | None, list[str]] = {}
    given = [bool(urn), bool(ukprn), bool(setting_type)]
    if sum(given) != 1:
        errors[None] = [IDENTITY_NEEDS_EXACTLY_ONE]
        raise ProviderInvalid(errors)
    establishment = None
    if urn:
        establishment = Establishment.objects.filter(urn=urn).first()
        if establishment is None:
            errors["urn"] = [URN_UNKNOWN.format(urn=urn)]
        else:
            taken = Provider.objects.filter(establishment=establishment)
            if exclude_id is not None:
                taken = taken.exclude(pk=exclude_id)
            if taken.exists():
                errors["urn"] = [URN_TAKEN.format(urn=urn)]
    if ukprn and not (
        ukprn.isascii() and ukprn.isdigit() and len(ukprn) == 8 and ukprn.startswith("1")
    ):
        errors["ukprn"] = [UKPRN_INVALID]
    if data.get("kind") in {ProviderKind.PRU, ProviderKind.AP_ACADEMY} and not urn:
        errors["urn"] = [REGISTERED_NEEDS_URN]
    if errors:
        raise ProviderInvalid(errors)
    return {"establishment": establishment, "ukprn": ukprn, "setting_type": setting_type}


def create_provider(
    *, actor: User, at: dt.datetime, data: dict[str, Any], where: str = ""
) -> Provider:
    """Add a provider to the register, with its organisation (for its staff's accounts)."""
    identity = _identity(data, exclude_id=None)
    profile = {key: data[key] for key in PROFILE_FIELDS if key in data}
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name=profile["name"],
            kind=OrganisationKind.PROVIDER,
            local_authority=profile["home_la"],
            establishment=identity["establishment"],
        )
        provider = Provider.objects.create(
            organisation=organisation, created_at=at, updated_at=at, **identity, **profile
        )
        _audit(
            actor=actor,
            at=at,
            action=AuditAction.CREATED,
            instance=provider,
            before=None,
            where=where,
        )
    return provider


def _current_identity(provider: Provider) -> dict[str, Any]:
    return {
        "urn": provider.establishment.urn if provider.establishment else "",
        "ukprn": provider.ukprn,
        "setting_type": provider.setting_type,
        "kind": provider.kind,
    }


def update_provider(
    *,
    actor: User,
    at: dt.datetime,
    provider: Provider,
    data: dict[str, Any],
    expected_version: int,
    where: str = "",
) -> Provider:
    """Change the parts of a provider's shared record that the actor may change (`data` holds
    only those: a field outside them is refused whole, nothing saved)."""
    with transaction.atomic():
        locked = lock_version(
            Provider,
            pk=provider.pk,
            expected_version=expected_version,
            error=ProviderChangedElsewhere,
            message=RECORD_CHANGED,
        )
        refused = set(data) - permissions.changeable_provider_fields(actor, locked)
        if refused:
            raise ProviderChangeNotAllowed(
                CHANGE_NOT_ALLOWED.format(fields=", ".join(sorted(refused)))
            )
        before = snapshot(locked)
        identity = {}
        if set(data) & {*IDENTITY_FIELDS, "kind"}:
            identity = _identity({**_current_identity(locked), **data}, exclude_id=locked.pk)
        for key, value in {**identity, **{k: data[k] for k in PROFILE_FIELDS if k in data}}.items():
            setattr(locked, key, value)
        locked.updated_at = at
        locked.version += 1
        locked.save()
        Organisation.objects.filter(pk=locked.organisation_id).update(
            name=locked.name, establishment=locked.establishment
        )
        _audit(
            actor=actor,
            at=at,
            action=AuditAction.UPDATED,
            instance=locked,
            before=before,
            where=where,
        )
        changes.announce(la_ids=None)
    return locked


def ensure_registered_provider(
    *, establishment: Establishment, at: dt.datetime
) -> tuple[Provider, bool]:
    """Make a state-funded AP establishment (GIAS types 14, 38, 42, 43) a registered provider,
    once. Returns the provider and whether it was created."""
    existing = Provider.objects.filter(establishment=establishment).first()
    if existing is not None:
        if existing.name != establishment.name:
            Provider.objects.filter(pk=existing.pk).update(name=establishment.name, updated_at=at)
            Organisation.objects.filter(pk=existing.organisation_id).update(name=establishment.name)
            changes.announce(la_ids=None)
        return existing, False
    organisation = Organisation.objects.filter(
        kind=OrganisationKind.PROVIDER, establishment=establishment
    ).first() or Organisation.objects.create(
        name=establishment.name,
        kind=OrganisationKind.PROVIDER,
        local_authority=establishment.local_authority,
        establishment=establishment,
    )
    provider = Provider.objects.create(
        organisation=organisation,
        name=establishment.name,
        kind=STATE_AP_TYPE_CODES.get(establishment.type_code, ProviderKind.PRU),
        establishment=establishment,
        home_la=establishment.local_authority,
        offers_tier_2=True,
        created_at=at,
        updated_at=at,
    )
    return provider, True


def add_site(
    *, actor: User, at: dt.datetime, provider: Provider, data: dict[str, Any], where: str = ""
) -> ProviderSite:
    with transaction.atomic():
        site = ProviderSite.objects.create(
            provider=provider,
            name=data["name"].strip(),
            address_line_1=data["address_line_1"].strip(),
            town=(data.get("town") or "").strip(),
            postcode=data["postcode"].strip().upper(),
            local_authority=data["local_authority"],
        )
        _audit(
            actor=actor, at=at, action=AuditAction.CREATED, instance=site, before=None, where=where
        )
    return site


def change_approval(
    *,
    actor: User,
    at: dt.datetime,
    provider: Provider,
    local_authority: LocalAuthority,
    target: states.ApprovalStatus,
    effective_date: dt.date,
    reason: str,
    review_date: dt.date | None = None,
    where: str = "",
) -> ProviderApproval:
    """Move a provider's standing on one LA's framework, leaving an event for the history."""
    if not reason.strip():
        raise ProviderInvalid({"reason": [APPROVAL_NEEDS_REASON]})
    with transaction.atomic():
        approval, _ = ProviderApproval.objects.select_for_update().get_or_create(
            provider=provider, local_authority=local_authority
        )
        before = snapshot(approval)
        source = states.ApprovalStatus(approval.status)
        if not states.can_move(source, target):
            raise ApprovalMoveNotAllowed(
                APPROVAL_MOVE_NOT_ALLOWED.format(source=source.label, target=target.label)
            )
        ApprovalEvent.objects.create(
            approval=approval,
            from_status=source,
            to_status=target,
            effective_date=effective_date,
            reason=reason.strip(),
            by=actor,
            at=at,
        )
        approval.status = target
        approval.since_date = effective_date
        approval.review_date = review_date
        approval.reason = reason.strip()
        approval.save()
        _audit(
            actor=actor,
            at=at,
            action=AuditAction.UPDATED,
            instance=approval,
            before=before,
            where=where,
        )
    return approval


def update_relationship(
    *,
    actor: User,
    at: dt.datetime,
    provider: Provider,
    local_authority: LocalAuthority,
    data: dict[str, Any],
    where: str = "",
) -> ProviderApproval:
    """An LA's own notes and agreed rates for a provider, on that LA's relationship row only."""
    with transaction.atomic():
        approval, _ = ProviderApproval.objects.select_for_update().get_or_create(
            provider=provider, local_authority=local_authority
        )
        before = snapshot(approval)
        approval.notes = (data.get("notes") or "").strip()
        approval.agreed_daily_rate = data.get("agreed_daily_rate")
        approval.agreed_hourly_rate = data.get("agreed_hourly_rate")
        approval.save()
        _audit(
            actor=actor,
            at=at,
            action=AuditAction.UPDATED,
            instance=approval,
            before=before,
            where=where,
        )
    return approval
