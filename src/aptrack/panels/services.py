"""Every write to panels, meetings, agendas and decisions goes through here. A referral's status
changes only through referrals.services; the rules that belong to the meeting (the panel's LA,
an open meeting, quorum, every item settled before closing) are enforced here, once each."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from aptrack.audit import services as audit
from aptrack.audit.models import AuditAction, Channel
from aptrack.core.concurrency import RecordChangedElsewhere, lock_version
from aptrack.core.errors import DomainConflict, DomainForbidden, DomainInvalid
from aptrack.core.govuk.formatting import uk_date
from aptrack.panels import permissions, selectors
from aptrack.panels.models import (
    Agency,
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
from aptrack.panels.states import can_move_meeting
from aptrack.referrals import services as referral_services
from aptrack.referrals.models import Referral, Tier
from aptrack.referrals.states import ReferralStatus

if TYPE_CHECKING:
    from aptrack.accounts.models import User


class PanelInvalid(DomainInvalid):
    """Input a panel, meeting or decision cannot take; `errors` maps a field (or None) to messages."""


class PanelChangedElsewhere(RecordChangedElsewhere):
    pass


class PanelNotAllowed(DomainForbidden):
    """The actor may not do this to this panel or meeting."""


class MeetingClosed(DomainConflict):
    def __init__(self) -> None:
        super().__init__(
            "This meeting is closed: its agenda, decisions and minutes can no longer be changed"
        )


MEETING_NOT_YET_HELD = (
    "The meeting is on {date}: the panel's decisions can be recorded from that day"
)
MEETING_NOT_YET_CLOSABLE = "The meeting is on {date}: it can be closed from that day"


class MeetingNotYetHeld(DomainConflict):
    """A panel decides at its meeting: nothing is decided, and no meeting closed, before it sits."""

    def __init__(self, meeting_date: dt.date, message: str = MEETING_NOT_YET_HELD) -> None:
        super().__init__(message.format(date=uk_date(meeting_date)))


def _ensure_held(meeting: Meeting, at: dt.datetime, message: str = MEETING_NOT_YET_HELD) -> None:
    if meeting.date > timezone.localdate(at):
        raise MeetingNotYetHeld(meeting.date, message)


class ReferralFromAnotherLA(DomainForbidden):
    """A panel hears only the referrals its own LA commissions or oversees."""


class AlreadyOnAgenda(DomainConflict):
    pass


class AgendaItemSettled(DomainConflict):
    """The item already has a decision, or was carried forward."""


class QuorumNotMet(DomainConflict):
    def __init__(self, quorum: selectors.Quorum) -> None:
        super().__init__(
            f"The panel is not quorate, so it cannot decide: {quorum.describe()}. "
            "Record who is present, or carry the item forward to a later meeting."
        )
        self.quorum = quorum


class MeetingHasUndecidedItems(DomainConflict):
    def __init__(self, items: list[AgendaItem]) -> None:
        listed = ", ".join(f"item {item.position}" for item in items)
        super().__init__(
            f"Decide or carry forward every item before you close the meeting: {listed} "
            f"{'has' if len(items) == 1 else 'have'} no decision"
        )
        self.items = items


# --- helpers -----------------------------------------------------------------------------------


def _lock_meeting(meeting: Meeting) -> Meeting:
    """Lock the meeting row (not its panel's): every change to a meeting's agenda, attendance,
    decisions and status takes this lock first, so they queue instead of racing."""
    return (
        Meeting.objects.select_for_update(of=("self",)).select_related("panel").get(pk=meeting.pk)
    )


def _ensure_open(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CLOSED:
        raise MeetingClosed()


def _start(meeting: Meeting) -> None:
    """A planned meeting is in progress once attendance or a decision is recorded."""
    if meeting.status == MeetingStatus.PLANNED and can_move_meeting(
        MeetingStatus.PLANNED, MeetingStatus.IN_PROGRESS
    ):
        meeting.status = MeetingStatus.IN_PROGRESS
        meeting.save(update_fields=["status"])


def _text(data: dict[str, Any], key: str) -> str:
    return str(data.get(key) or "").strip()


def _audit(
    actor: "User",
    at: dt.datetime,
    action: AuditAction,
    instance: Any,
    *,
    child_id: int | None = None,
    changes: dict[str, Any] | None = None,
    where: str = "",
    channel: Channel = Channel.WEB,
) -> None:
    audit.record_event(
        actor=actor,
        at=at,
        action=action,
        channel=channel,
        instance=instance,
        child_id=child_id,
        where=where,
        changes=changes or {},
    )


def _panel_fields(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str | None, list[str]] = {}
    clean = {
        "name": _text(data, "name"),
        "kind": data.get("kind"),
        "quorum": data.get("quorum"),
        "quorum_agencies": data.get("quorum_agencies"),
    }
    if not clean["name"]:
        errors["name"] = ["Enter the panel's name"]
    if clean["kind"] not in PanelKind.values:
        errors["kind"] = ["Select the kind of panel"]
    if not isinstance(clean["quorum"], int) or clean["quorum"] < 1:
        errors["quorum"] = ["Quorum must be at least 1 member"]
    if not isinstance(clean["quorum_agencies"], int) or clean["quorum_agencies"] < 1:
        errors["quorum_agencies"] = ["At least 1 agency must be present for a decision"]
    elif isinstance(clean["quorum"], int) and clean["quorum_agencies"] > clean["quorum"]:
        errors["quorum_agencies"] = ["Agencies needed cannot be more than the members needed"]
    if errors:
        raise PanelInvalid(errors)
    return clean


# --- panels and members ------------------------------------------------------------------------


def create_panel(*, actor: "User", at: dt.datetime, data: dict[str, Any], where: str = "") -> Panel:
    """A panel of the actor's LA, with its quorum: members present and agencies among them."""
    organisation = actor.organisation
    la_id = organisation.local_authority_id if organisation is not None else None
    if not permissions.can_create_panels(actor) or la_id is None:
        raise PanelNotAllowed("Only LA officers and managers can set up panels")
    clean = _panel_fields(data)
    with transaction.atomic():
        panel = Panel.objects.create(
            local_authority_id=la_id,
            **clean,
        )
        _audit(
            actor,
            at,
            AuditAction.CREATED,
            panel,
            changes={k: {"old": None, "new": v} for k, v in clean.items()},
            where=where,
        )
    return panel


def update_panel(
    *,
    actor: "User",
    at: dt.datetime,
    panel: Panel,
    data: dict[str, Any],
    expected_version: int,
    where: str = "",
) -> Panel:
    """Change the panel's name, kind and quorum; refused if someone saved it since
    `expected_version` was loaded."""
    if not permissions.can_manage_panel(actor, panel):
        raise PanelNotAllowed("Only the panel's LA can change it")
    clean = _panel_fields(data)
    with transaction.atomic():
        locked = lock_version(
            Panel, pk=panel.pk, expected_version=expected_version, error=PanelChangedElsewhere
        )
        before = audit.snapshot(locked)
        for key, value in clean.items():
            setattr(locked, key, value)
        changes = audit.diff(before, audit.snapshot(locked))
        locked.version += 1
        locked.save()
        _audit(actor, at, AuditAction.UPDATED, locked, changes=changes, where=where)
    return locked


def add_member(
    *, actor: "User", at: dt.datetime, panel: Panel, data: dict[str, Any], where: str = ""
) -> PanelMember:
    """A member by agency. Linking the member's own user account lets them see the panel's
    agendas and, as chair, record its decisions."""
    if not permissions.can_manage_panel(actor, panel):
        raise PanelNotAllowed("Only the panel's LA can change its members")
    errors: dict[str | None, list[str]] = {}
    user = data.get("user")
    name = _text(data, "name") or (user.display_name if user is not None else "")
    if not name:
        errors["name"] = ["Enter the member's name"]
    if data.get("agency") not in Agency.values:
        errors["agency"] = ["Select the agency the member represents"]
    if user is not None:
        if user.pk not in set(
            selectors.list_linkable_users(panel=panel).values_list("pk", flat=True)
        ):
            errors["user"] = ["Select a panel member or LA user from the panel's area"]
        elif panel.members.filter(user=user, is_active=True).exists():
            errors["user"] = ["This person is already a member of the panel"]
    if errors:
        raise PanelInvalid(errors)
    with transaction.atomic():
        member = PanelMember.objects.create(
            panel=panel,
            user=user,
            name=name,
            agency=data["agency"],
            is_chair=bool(data.get("is_chair")),
            joined_date=at.date(),
        )
        _audit(
            actor,
            at,
            AuditAction.CREATED,
            member,
            where=where,
            changes={
                "panel": {"old": None, "new": panel.pk},
                "agency": {"old": None, "new": member.agency},
                "is_chair": {"old": None, "new": member.is_chair},
            },
        )
    return member


def remove_member(
    *, actor: "User", at: dt.datetime, member: PanelMember, where: str = ""
) -> PanelMember:
    """A member leaves: kept for past attendance, no longer sees the panel."""
    if not permissions.can_manage_panel(actor, member.panel):
        raise PanelNotAllowed("Only the panel's LA can change its members")
    with transaction.atomic():
        locked = PanelMember.objects.select_for_update().get(pk=member.pk)
        if locked.is_active:
            locked.is_active = False
            locked.save(update_fields=["is_active"])
            _audit(
                actor,
                at,
                AuditAction.UPDATED,
                locked,
                where=where,
                changes={"is_active": {"old": True, "new": False}},
            )
    return locked


def schedule_meeting(
    *, actor: "User", at: dt.datetime, panel: Panel, data: dict[str, Any], where: str = ""
) -> Meeting:
    if not permissions.can_manage_panel(actor, panel):
        raise PanelNotAllowed("Only the panel's LA can arrange its meetings")
    if not isinstance(data.get("date"), dt.date):
        raise PanelInvalid({"date": ["Enter the date of the meeting"]})
    with transaction.atomic():
        meeting = Meeting.objects.create(
            panel=panel, date=data["date"], location=_text(data, "location")
        )
        _audit(
            actor,
            at,
            AuditAction.CREATED,
            meeting,
            where=where,
            changes={"date": {"old": None, "new": meeting.date.isoformat()}},
        )
    return meeting


# --- the agenda and the meeting ----------------------------------------------------------------


def add_to_agenda(
    *,
    actor: "User",
    at: dt.datetime,
    channel: Channel,
    meeting: Meeting,
    referral: Referral,
    where: str = "",
) -> AgendaItem:
    """Put a submitted or deferred referral of the panel's own LA on an open meeting's agenda."""
    if not permissions.can_manage_panel(actor, meeting.panel):
        raise PanelNotAllowed("Only the panel's LA can set its agenda")
    with transaction.atomic():
        locked = _lock_meeting(meeting)
        _ensure_open(locked)
        if referral.commissioning_la_id != locked.panel.local_authority_id:
            raise ReferralFromAnotherLA(
                f"This referral is for {referral.commissioning_la.name}, so it goes to that "
                f"authority's panel, not to {locked.panel.name}"
            )
        if AgendaItem.objects.filter(meeting=locked, referral=referral).exists():
            raise AlreadyOnAgenda(
                "This referral has already been on this meeting's agenda: add it to a later meeting"
            )
        referral_services.place_on_agenda(
            actor=actor,
            at=at,
            channel=channel,
            referral=referral,
            where=where,
            reason=f"Added to the agenda of {locked.panel.name} on {uk_date(locked.date)}",
        )
        last = locked.agenda.order_by("-position").values_list("position", flat=True).first() or 0
        item = AgendaItem.objects.create(meeting=locked, referral=referral, position=last + 1)
    return item


def record_attendance(
    *,
    actor: "User",
    at: dt.datetime,
    meeting: Meeting,
    present_member_ids: Iterable[int],
    where: str = "",
) -> list[Attendance]:
    """Who is at the meeting: every active member is marked present or absent."""
    if not permissions.can_run_meeting(actor, meeting):
        raise PanelNotAllowed("Only the panel's LA or its chair can record attendance")
    present = set(present_member_ids)
    with transaction.atomic():
        locked = _lock_meeting(meeting)
        _ensure_open(locked)
        members = {m.pk: m for m in PanelMember.objects.filter(panel=locked.panel, is_active=True)}
        strangers = present - members.keys()
        if strangers:
            raise PanelInvalid({"present": ["Select members of this panel only"]})
        rows = []
        for member_id in members:
            row, _ = Attendance.objects.update_or_create(
                meeting=locked, member_id=member_id, defaults={"present": member_id in present}
            )
            rows.append(row)
        _start(locked)
        _audit(
            actor,
            at,
            AuditAction.UPDATED,
            locked,
            where=where,
            changes={"present": {"old": None, "new": sorted(members[i].name for i in present)}},
        )
    return rows


def _decision_fields(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str | None, list[str]] = {}
    outcome = data.get("outcome")
    clean: dict[str, Any] = {
        "outcome": outcome,
        "reasons": _text(data, "reasons"),
        "approved_tier": data.get("approved_tier"),
        "proposed_provider": data.get("proposed_provider"),
        "proposed_weekly_cost": data.get("proposed_weekly_cost"),
        "value_for_money_note": _text(data, "value_for_money_note"),
    }
    if outcome not in DecisionOutcome.values:
        errors["outcome"] = ["Select the panel's decision"]
    if not clean["reasons"]:
        errors["reasons"] = ["Enter the reasons for the decision"]
    if clean["proposed_weekly_cost"] is not None:
        clean["proposed_weekly_cost"] = Decimal(str(clean["proposed_weekly_cost"]))
        if clean["proposed_weekly_cost"] < 0:
            errors["proposed_weekly_cost"] = ["Proposed weekly cost must be £0 or more"]
    if outcome == DecisionOutcome.APPROVED:
        if clean["approved_tier"] not in Tier.values:
            errors["approved_tier"] = ["Select the tier the panel approved"]
        if clean["proposed_weekly_cost"] is None:
            errors["proposed_weekly_cost"] = [
                "Enter the proposed weekly cost of the placement approved"
            ]
        if not clean["value_for_money_note"]:
            errors["value_for_money_note"] = [
                "Enter the value for money note: the proposed cost against the alternatives considered"
            ]
    else:
        clean["approved_tier"] = None
    if errors:
        raise PanelInvalid(errors)
    return clean


def _lock_open_item(agenda_item: AgendaItem) -> tuple[Meeting, AgendaItem]:
    meeting = _lock_meeting(agenda_item.meeting)
    _ensure_open(meeting)
    item = AgendaItem.objects.select_for_update().get(pk=agenda_item.pk)
    if Decision.objects.filter(agenda_item=item).exists():
        raise AgendaItemSettled("The panel has already decided this item")
    if item.carried_forward_at is not None:
        raise AgendaItemSettled("This item was carried forward to a later meeting")
    return meeting, item


def record_decision(
    *,
    actor: "User",
    at: dt.datetime,
    channel: Channel,
    agenda_item: AgendaItem,
    data: dict[str, Any],
    where: str = "",
) -> Decision:
    """The panel's decision on one item, with its reasons; an approval also records the tier,
    the proposed weekly cost and the value-for-money note. Refused without quorum: enough
    members present, from enough different agencies."""
    meeting = agenda_item.meeting
    if not permissions.can_record_decision(actor, meeting):
        raise PanelNotAllowed("Only the chair or an LA manager can record the panel's decisions")
    clean = _decision_fields(data)
    with transaction.atomic():
        locked_meeting, item = _lock_open_item(agenda_item)
        _ensure_held(locked_meeting, at)
        quorum = selectors.get_quorum(meeting=locked_meeting)
        if not quorum.met:
            raise QuorumNotMet(quorum)
        outcome = DecisionOutcome(clean["outcome"])
        referral_services.record_panel_outcome(
            actor=actor,
            at=at,
            channel=channel,
            referral=item.referral,
            outcome=ReferralStatus(outcome.value),
            reason=f"{outcome.label} by {locked_meeting.panel.name} on {uk_date(locked_meeting.date)}: {clean['reasons']}",
            where=where,
        )
        decision = Decision.objects.create(
            agenda_item=item,
            members_present=quorum.members_present,
            decided_by=actor,
            decided_at=at,
            **clean,
        )
        _start(locked_meeting)
        _audit(
            actor,
            at,
            AuditAction.CREATED,
            decision,
            child_id=item.referral.child_id,
            where=where,
            channel=channel,
            changes={
                k: {"old": None, "new": v}
                for k, v in audit.snapshot(decision).items()
                if k not in {"id", "decided_at"}
            },
        )
    return decision


def carry_forward_item(
    *,
    actor: "User",
    at: dt.datetime,
    channel: Channel,
    agenda_item: AgendaItem,
    reason: str,
    where: str = "",
) -> AgendaItem:
    """An item the meeting will not decide: the referral is deferred to a later meeting. Not a
    decision of the panel, so no quorum is needed (an inquorate meeting carries items forward)."""
    if not permissions.can_run_meeting(actor, agenda_item.meeting):
        raise PanelNotAllowed("Only the panel's LA or its chair can carry items forward")
    reason = (reason or "").strip()
    if not reason:
        raise PanelInvalid({"reason": ["Enter why the item is being carried forward"]})
    with transaction.atomic():
        locked_meeting, item = _lock_open_item(agenda_item)
        referral_services.record_panel_outcome(
            actor=actor,
            at=at,
            channel=channel,
            referral=item.referral,
            outcome=ReferralStatus.DEFERRED,
            reason=f"Carried forward from {locked_meeting.panel.name} on {uk_date(locked_meeting.date)}: {reason}",
            where=where,
        )
        item.carried_forward_at = at
        item.carried_forward_reason = reason
        item.save(update_fields=["carried_forward_at", "carried_forward_reason"])
    return item


def add_action(
    *, actor: "User", at: dt.datetime, meeting: Meeting, data: dict[str, Any], where: str = ""
) -> PanelAction:
    """An action with an owner and a due date, for the meeting or one of its items."""
    if not permissions.can_run_meeting(actor, meeting):
        raise PanelNotAllowed("Only the panel's LA or its chair can record actions")
    errors: dict[str | None, list[str]] = {}
    description, owner = _text(data, "description"), _text(data, "owner")
    due: Any = data.get("due_date")
    item = data.get("agenda_item")
    if not description:
        errors["description"] = ["Enter what is to be done"]
    if not owner:
        errors["owner"] = ["Enter who owns the action"]
    if not isinstance(due, dt.date):
        errors["due_date"] = ["Enter the date the action is due"]
    elif due < meeting.date:
        errors["due_date"] = ["Due date must be on or after the day of the meeting"]
    if item is not None and item.meeting_id != meeting.pk:
        errors["agenda_item"] = ["Select an item on this meeting's agenda"]
    if errors:
        raise PanelInvalid(errors)
    with transaction.atomic():
        locked = _lock_meeting(meeting)
        _ensure_open(locked)
        action = PanelAction.objects.create(
            meeting=locked,
            agenda_item=item,
            description=description,
            owner=owner,
            due_date=due,
        )
        _audit(
            actor,
            at,
            AuditAction.CREATED,
            action,
            where=where,
            child_id=item.referral.child_id if item is not None else None,
            changes={
                "owner": {"old": None, "new": owner},
                "due_date": {"old": None, "new": due.isoformat()},
            },
        )
    return action


def complete_action(
    *, actor: "User", at: dt.datetime, action: PanelAction, done_date: dt.date, where: str = ""
) -> PanelAction:
    """Mark an action done; allowed after the meeting has closed, since that is when most are."""
    if not permissions.can_run_meeting(actor, action.meeting):
        raise PanelNotAllowed("Only the panel's LA or its chair can update actions")
    with transaction.atomic():
        locked = PanelAction.objects.select_for_update().get(pk=action.pk)
        if locked.done_date is None:
            locked.done_date = done_date
            locked.save(update_fields=["done_date"])
            _audit(
                actor,
                at,
                AuditAction.UPDATED,
                locked,
                where=where,
                changes={"done_date": {"old": None, "new": done_date.isoformat()}},
            )
    return locked


def close_meeting(*, actor: "User", at: dt.datetime, meeting: Meeting, where: str = "") -> Meeting:
    """Close the minutes. Every item must be decided, carried forward, or withdrawn by its
    commissioner while on the agenda: nothing is left hanging between meetings."""
    if not permissions.can_run_meeting(actor, meeting):
        raise PanelNotAllowed("Only the panel's LA or its chair can close the meeting")
    with transaction.atomic():
        locked = _lock_meeting(meeting)
        _ensure_open(locked)
        _ensure_held(locked, at, MEETING_NOT_YET_CLOSABLE)
        decided = set(
            Decision.objects.filter(agenda_item__meeting=locked).values_list(
                "agenda_item_id", flat=True
            )
        )
        open_items = [
            item
            for item in locked.agenda.select_related("referral").order_by("position")
            if item.pk not in decided
            and item.carried_forward_at is None
            and item.referral.status != ReferralStatus.WITHDRAWN
        ]
        if open_items:
            raise MeetingHasUndecidedItems(open_items)
        source = MeetingStatus(locked.status)
        if not can_move_meeting(
            source, MeetingStatus.CLOSED
        ):  # pragma: no cover - CLOSED checked above
            raise MeetingClosed()
        locked.status = MeetingStatus.CLOSED
        locked.save(update_fields=["status"])
        _audit(
            actor,
            at,
            AuditAction.UPDATED,
            locked,
            where=where,
            changes={"status": {"old": source.value, "new": MeetingStatus.CLOSED.value}},
        )
    return locked
