"""Writes of providers' compliance evidence, and a manager's override of non-compliance.
Callers pass the actor and the clock; every write is audited."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from aptrack.accounts.models import User
from aptrack.audit.models import AuditAction, Channel
from aptrack.providers.models import Provider
from aptrack.quality import permissions
from aptrack.quality.models import (
    NAMED_PERSON_CHECK_TYPES,
    CheckType,
    ComplianceCheck,
    ComplianceOverride,
)
from aptrack.quality.selectors import compliance as compliance_selectors
from aptrack.quality.services.common import created_changes, record_audit
from aptrack.quality.services.errors import NotAllowed, QualityInvalid

EVIDENCE_IN_FUTURE = "Evidence date must be today or in the past"
EXPIRY_NOT_AFTER_EVIDENCE = "Expiry date must be after the evidence date"
NAMED_PERSON_NEEDED = "Enter the name of the designated safeguarding lead"
REASON_NEEDED = "Give the reason for going ahead with a provider that is not compliant"
OVERRIDE_NOT_NEEDED = "{provider} is compliant: no override is needed"


class OverrideNotNeeded(Exception):
    pass


def record_compliance_check(
    *,
    actor: User,
    at: dt.datetime,
    provider: Provider,
    check_type: CheckType,
    evidence_date: dt.date,
    expiry_date: dt.date,
    named_person: str = "",
    evidence_reference: str = "",
    notes: str = "",
    channel: Channel = Channel.WEB,
    where: str = "",
) -> ComplianceCheck:
    """Record new evidence for one check. It supersedes the current evidence of that type,
    which is kept as history. Provider staff may record only for their own provider."""
    if not permissions.can_record_evidence(actor, provider):
        raise NotAllowed("You cannot record evidence for this provider")
    check_type = CheckType(check_type)
    errors: dict[str | None, list[str]] = {}
    if evidence_date > timezone.localdate(at):
        errors["evidence_date"] = [EVIDENCE_IN_FUTURE]
    if expiry_date <= evidence_date:
        errors["expiry_date"] = [EXPIRY_NOT_AFTER_EVIDENCE]
    named_person = named_person.strip()
    if check_type in NAMED_PERSON_CHECK_TYPES and not named_person:
        errors["named_person"] = [NAMED_PERSON_NEEDED]
    if errors:
        raise QualityInvalid(errors)
    with transaction.atomic():
        # Lock the provider so two recorders of the same check queue rather than collide.
        Provider.objects.select_for_update().filter(pk=provider.pk).first()
        current = (
            ComplianceCheck.objects.select_for_update()
            .filter(provider=provider, check_type=check_type, superseded_at__isnull=True)
            .first()
        )
        if current is not None:
            current.superseded_at = at
            current.save(update_fields=["superseded_at"])
        check = ComplianceCheck.objects.create(
            provider=provider,
            check_type=check_type,
            evidence_date=evidence_date,
            expiry_date=expiry_date,
            named_person=named_person,
            evidence_reference=evidence_reference.strip(),
            notes=notes.strip(),
            recorded_by=actor,
            recorded_at=at,
        )
        if current is not None:
            current.superseded_by = check
            current.save(update_fields=["superseded_by"])
        changes = created_changes(check, "superseded_at", "superseded_by_id")
        if current is not None:
            changes["supersedes"] = {"old": None, "new": current.pk}
        record_audit(
            actor=actor,
            at=at,
            action=AuditAction.CREATED,
            instance=check,
            channel=channel,
            where=where,
            changes=changes,
        )
    return check


def override_non_compliance(
    *,
    actor: User,
    at: dt.datetime,
    provider: Provider,
    reason: str,
    on: dt.date | None = None,
    channel: Channel = Channel.WEB,
    where: str = "",
) -> ComplianceOverride:
    """An LA manager records why their LA goes ahead with a provider that is not compliant on
    `on` (today by default). What was missing or expired is kept with the reason."""
    la_id = permissions.user_la_id(actor)
    if la_id is None or not permissions.can_override_non_compliance(actor):
        raise NotAllowed("Only an LA manager can override non-compliance")
    reason = reason.strip()
    if not reason:
        raise QualityInvalid({"reason": [REASON_NEEDED]})
    status = compliance_selectors.get_compliance(provider=provider, on=on or timezone.localdate(at))
    if status.compliant:
        raise OverrideNotNeeded(OVERRIDE_NOT_NEEDED.format(provider=provider.name))
    with transaction.atomic():
        override = ComplianceOverride.objects.create(
            provider=provider,
            local_authority_id=la_id,
            reason=reason,
            gaps={
                "on": status.on.isoformat(),
                "missing": [str(t) for t in status.missing],
                "expired": [
                    {"check_type": c.check_type, "expiry_date": c.expiry_date.isoformat()}
                    for c in status.expired
                ],
            },
            by=actor,
            at=at,
        )
        record_audit(
            actor=actor,
            at=at,
            action=AuditAction.CREATED,
            instance=override,
            channel=channel,
            where=where,
            changes=created_changes(override),
        )
    return override
