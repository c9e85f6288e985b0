"""Every write to a referral goes through here. Each status move is checked against
states.ALLOWED_TRANSITIONS, leaves a ReferralEvent (who, when, why) and an audit row."""

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from aptrack.audit import services as audit
from aptrack.audit.models import AuditAction, Channel
from aptrack.children.models import Child
from aptrack.core.concurrency import RecordChangedElsewhere
from aptrack.core.errors import DomainConflict, DomainForbidden, DomainInvalid
from aptrack.referrals import permissions
from aptrack.referrals.models import (
    EXCLUSION_ROUTES,
    PrimaryReason,
    Referral,
    ReferralEvent,
    Route,
    Tier,
)
from aptrack.referrals.states import PANEL_DECISIONS, ReferralStatus, can_move

if TYPE_CHECKING:
    from aptrack.accounts.models import User

EDITABLE_FIELDS = (
    "route",
    "first_day_of_exclusion",
    "primary_reason",
    "needs_summary",
    "family_views",
    "child_views",
    "views_not_obtained_reason",
    "consent_given",
    "proposed_tier",
    "estimated_weekly_cost",
)
TEXT_FIELDS = ("needs_summary", "family_views", "child_views", "views_not_obtained_reason")

RECORD_CHANGED = (
    "Someone else changed this referral while you were editing it. "
    "Your changes have not been saved: reload the page to see theirs."
)
# How each state reads in a sentence, and what each move is called.
_IS = {
    ReferralStatus.DRAFT: "a draft",
    ReferralStatus.SUBMITTED: "submitted",
    ReferralStatus.ON_AGENDA: "on a panel agenda",
    ReferralStatus.APPROVED: "approved",
    ReferralStatus.DECLINED: "declined",
    ReferralStatus.DEFERRED: "deferred",
    ReferralStatus.WITHDRAWN: "withdrawn",
}
_VERB = {
    ReferralStatus.DRAFT: "returned to draft",
    ReferralStatus.SUBMITTED: "submitted",
    ReferralStatus.ON_AGENDA: "added to a panel agenda",
    ReferralStatus.APPROVED: "approved",
    ReferralStatus.DECLINED: "declined",
    ReferralStatus.DEFERRED: "deferred",
    ReferralStatus.WITHDRAWN: "withdrawn",
}


class ReferralInvalid(DomainInvalid):
    """Input a referral cannot take; `errors` maps a field name (or None) to messages."""


class ReferralNotReady(ReferralInvalid):
    """A draft that cannot be submitted yet: consent or views are missing."""


class ReferralNotAllowed(DomainForbidden):
    """The actor may not make this change to this referral."""


class ReferralMoveNotAllowed(DomainConflict):
    """The move is not in ALLOWED_TRANSITIONS from the referral's current state."""

    def __init__(self, source: ReferralStatus, target: ReferralStatus) -> None:
        super().__init__(f"This referral is {_IS[source]}, so it cannot be {_VERB[target]}.")
        self.source = source
        self.target = target


class ReferralChangedElsewhere(RecordChangedElsewhere):
    def __init__(self) -> None:
        super().__init__(RECORD_CHANGED)


# --- rules -------------------------------------------------------------------------------------


def _validated(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str | None, list[str]] = {}
    clean = {key: data.get(key) for key in EDITABLE_FIELDS}
    for key in TEXT_FIELDS:
        clean[key] = (clean[key] or "").strip()
    clean["consent_given"] = bool(clean["consent_given"])
    if isinstance(clean["proposed_tier"], str) and clean["proposed_tier"].isdigit():
        clean["proposed_tier"] = int(clean["proposed_tier"])
    if clean["route"] not in Route.values:
        errors.setdefault("route", []).append("Select the route into alternative provision")
    if clean["primary_reason"] not in PrimaryReason.values:
        errors.setdefault("primary_reason", []).append(
            "Select the primary reason for the placement"
        )
    if clean["proposed_tier"] not in Tier.values:
        errors.setdefault("proposed_tier", []).append("Select the proposed tier")
    if not clean["needs_summary"]:
        errors.setdefault("needs_summary", []).append("Enter a summary of the child's needs")
    if clean["route"] in EXCLUSION_ROUTES:
        if clean["first_day_of_exclusion"] is None:
            errors.setdefault("first_day_of_exclusion", []).append(
                "Enter the first day of the exclusion: the sixth-day deadline is counted from it"
            )
    else:
        clean["first_day_of_exclusion"] = None
    if (
        clean["route"] == Route.PERMANENT_EXCLUSION
        and clean["primary_reason"] in PrimaryReason.values
        and clean["primary_reason"] != PrimaryReason.PERMANENT_EXCLUSION
    ):
        errors.setdefault("primary_reason", []).append(
            "For a permanent exclusion the primary reason is permanent exclusion: "
            "it takes precedence over any other reason"
        )
    cost = clean["estimated_weekly_cost"]
    if cost is not None:
        cost = Decimal(str(cost))
        if cost < 0:
            errors.setdefault("estimated_weekly_cost", []).append(
                "Estimated weekly cost must be £0 or more"
            )
        clean["estimated_weekly_cost"] = cost
    if errors:
        raise ReferralInvalid(errors)
    return clean


def submission_problems(referral: Referral) -> dict[str | None, list[str]]:
    """What stops a draft being submitted: consent, and the family's and the child's views (or
    the reason one of them could not be obtained). Empty when it is ready."""
    problems: dict[str | None, list[str]] = {}
    if not referral.consent_given:
        problems["consent_given"] = [
            "Record that the parent or carer consents to the referral before you submit it"
        ]
    if not referral.views_not_obtained_reason.strip():
        if not referral.family_views.strip():
            problems["family_views"] = [
                "Record the family's views, or say why they could not be obtained"
            ]
        if not referral.child_views.strip():
            problems["child_views"] = [
                "Record the child's own views, or say why they could not be obtained"
            ]
    return problems


def _field_label(name: str) -> str:
    """A changed field's name as the referral's history shows it."""
    field = Referral._meta.get_field(name.removesuffix("_id"))
    if not isinstance(field, models.Field):  # never: the edit form changes the model's fields
        raise TypeError(f"{name} is not a field of a referral")
    return str(field.verbose_name)


def _commissioners(actor: "User", child: Child, route: str) -> dict[str, Any]:
    """An LA refers for itself; a school commissions for its pupils, naming its LA for oversight.
    A school's permanent exclusion names the child's home LA instead: the home LA owes
    education from the sixth school day (DfE exclusion guidance para 90, domain.md §5)."""
    organisation = actor.organisation
    if organisation is None:  # never: `can_start_referrals` asks for one
        raise ReferralNotAllowed("You cannot start a referral for this child")
    if actor.role in permissions.REFERRER_LA_ROLES:
        return {
            "commissioning_la_id": organisation.local_authority_id,
            "commissioning_school": None,
        }
    la_id = organisation.local_authority_id
    if la_id is None and organisation.establishment is not None:
        la_id = organisation.establishment.local_authority_id
    if route == Route.PERMANENT_EXCLUSION:
        la_id = child.home_la_id
    if la_id is None:
        raise ReferralNotAllowed(
            "Your school is not linked to a local authority: ask an administrator to link it"
        )
    return {"commissioning_la_id": la_id, "commissioning_school": organisation}


# --- the one place a referral's status changes -------------------------------------------------


def _lock(referral: Referral) -> Referral:
    return Referral.objects.select_for_update().get(pk=referral.pk)


def _move(
    *,
    locked: Referral,
    target: ReferralStatus,
    actor: "User",
    at: dt.datetime,
    channel: Channel,
    reason: str,
    where: str,
) -> ReferralEvent:
    """Move a locked referral to `target` if the table allows it, leaving its event and audit row.
    Callers hold the lock (inside atomic) and have checked the move's own preconditions."""
    source = ReferralStatus(locked.status)
    if not can_move(source, target):
        raise ReferralMoveNotAllowed(source, target)
    locked.status = target
    locked.updated_at = at
    locked.version += 1
    locked.save(update_fields=["status", "updated_at", "version"])
    event = ReferralEvent.objects.create(
        referral=locked, from_status=source, to_status=target, by=actor, at=at, reason=reason
    )
    audit.record_event(
        actor=actor,
        at=at,
        action=AuditAction.UPDATED,
        channel=channel,
        instance=locked,
        child_id=locked.child_id,
        where=where,
        changes={
            "status": {"old": source.value, "new": target.value},
            "reason": {"old": None, "new": reason},
        },
    )
    return event


# --- doors -------------------------------------------------------------------------------------


def create_referral(
    *,
    actor: "User",
    at: dt.datetime,
    channel: Channel,
    child: Child,
    data: dict[str, Any],
    where: str = "",
) -> Referral:
    """Start a draft referral. LA staff refer children in their LA's scope; school staff
    commission for their own pupils."""
    if not permissions.can_refer_child(actor, child):
        raise ReferralNotAllowed("You cannot start a referral for this child")
    clean = _validated(data)
    with transaction.atomic():
        referral = Referral.objects.create(
            child=child,
            referrer=actor,
            status=ReferralStatus.DRAFT,
            created_at=at,
            updated_at=at,
            **_commissioners(actor, child, clean["route"]),
            **clean,
        )
        ReferralEvent.objects.create(
            referral=referral,
            from_status="",
            to_status=ReferralStatus.DRAFT,
            by=actor,
            at=at,
            reason="Referral started",
        )
        audit.record_event(
            actor=actor,
            at=at,
            action=AuditAction.CREATED,
            channel=channel,
            instance=referral,
            child_id=child.pk,
            where=where,
            changes={
                k: {"old": None, "new": v}
                for k, v in audit.snapshot(referral).items()
                if k not in {"id", "created_at", "updated_at", "version"}
            },
        )
    return referral


def update_referral(
    *,
    actor: "User",
    at: dt.datetime,
    channel: Channel,
    referral: Referral,
    data: dict[str, Any],
    expected_version: int,
    where: str = "",
) -> Referral:
    """Change a draft or submitted referral. Refused once it is on an agenda or decided, and
    if someone else changed it since the editor loaded it."""
    with transaction.atomic():
        locked = _lock(referral)
        if not permissions.is_commissioner(actor, locked):
            raise ReferralNotAllowed("Only the commissioner can change this referral")
        if locked.status not in permissions.EDITABLE_STATUSES:
            raise ReferralNotAllowed(
                f"This referral is {_IS[ReferralStatus(locked.status)]}, so it can no longer be changed"
            )
        if locked.version != expected_version:
            raise ReferralChangedElsewhere()
        clean = _validated(data)
        before = audit.snapshot(locked)
        for key, value in clean.items():
            setattr(locked, key, value)
        changes = audit.diff(before, audit.snapshot(locked))
        if not changes:
            return locked
        locked.updated_at = at
        locked.version += 1
        locked.save()
        labels = [_field_label(k) for k in changes]
        ReferralEvent.objects.create(
            referral=locked,
            from_status=locked.status,
            to_status=locked.status,
            by=actor,
            at=at,
            reason="Details changed: " + ", ".join(labels),
        )
        audit.record_event(
            actor=actor,
            at=at,
            action=AuditAction.UPDATED,
            channel=channel,
            instance=locked,
            child_id=locked.child_id,
            where=where,
            changes=changes,
        )
    return locked


def submit_referral(
    *, actor: "User", at: dt.datetime, channel: Channel, referral: Referral, where: str = ""
) -> Referral:
    """Send a draft for a panel. It needs the parent's consent and both the family's and the
    child's views, or a recorded reason why a view could not be obtained."""
    with transaction.atomic():
        locked = _lock(referral)
        if not permissions.is_commissioner(actor, locked):
            raise ReferralNotAllowed("Only the commissioner can submit this referral")
        source = ReferralStatus(locked.status)
        if not can_move(source, ReferralStatus.SUBMITTED):
            raise ReferralMoveNotAllowed(source, ReferralStatus.SUBMITTED)
        problems = submission_problems(locked)
        if problems:
            raise ReferralNotReady(problems)
        _move(
            locked=locked,
            target=ReferralStatus.SUBMITTED,
            actor=actor,
            at=at,
            channel=channel,
            reason="Submitted for a panel",
            where=where,
        )
    return locked


def withdraw_referral(
    *,
    actor: "User",
    at: dt.datetime,
    channel: Channel,
    referral: Referral,
    reason: str,
    where: str = "",
) -> Referral:
    """Withdraw an open referral, with the reason (it stays on the record)."""
    reason = (reason or "").strip()
    if not reason:
        raise ReferralInvalid({"reason": ["Enter why the referral is being withdrawn"]})
    with transaction.atomic():
        locked = _lock(referral)
        if not permissions.is_commissioner(actor, locked):
            raise ReferralNotAllowed("Only the commissioner can withdraw this referral")
        _move(
            locked=locked,
            target=ReferralStatus.WITHDRAWN,
            actor=actor,
            at=at,
            channel=channel,
            reason=reason,
            where=where,
        )
    return locked


def place_on_agenda(
    *,
    actor: "User",
    at: dt.datetime,
    channel: Channel,
    referral: Referral,
    reason: str,
    where: str = "",
) -> Referral:
    """SUBMITTED or DEFERRED → ON_AGENDA. Called by panels.services.add_to_agenda, which checks
    the panel's LA and the meeting."""
    with transaction.atomic():
        locked = _lock(referral)
        _move(
            locked=locked,
            target=ReferralStatus.ON_AGENDA,
            actor=actor,
            at=at,
            channel=channel,
            reason=reason,
            where=where,
        )
    return locked


def record_panel_outcome(
    *,
    actor: "User",
    at: dt.datetime,
    channel: Channel,
    referral: Referral,
    outcome: ReferralStatus,
    reason: str,
    where: str = "",
) -> Referral:
    """ON_AGENDA → APPROVED, DECLINED or DEFERRED. Called by panels.services only, which checks
    quorum (record_decision) or records an item carried forward (carry_forward_item)."""
    if outcome not in PANEL_DECISIONS:
        raise ValueError(f"{outcome} is not a panel outcome")
    with transaction.atomic():
        locked = _lock(referral)
        _move(
            locked=locked,
            target=outcome,
            actor=actor,
            at=at,
            channel=channel,
            reason=reason,
            where=where,
        )
    return locked
