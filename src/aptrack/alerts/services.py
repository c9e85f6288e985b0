"""Every write to alerts: the attendance checks that raise and escalate them, and the officer's
acknowledge and resolve. Each change leaves an AlertEvent and an audit event. The caller passes
the clock (`at`) and the actor; the checks act as the system (no actor)."""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from aptrack.accounts.models import User
from aptrack.alerts import permissions, policy, selectors
from aptrack.alerts.models import Alert, AlertEvent
from aptrack.alerts.states import AlertKind, AlertStatus, EventKind, can_move
from aptrack.attendance import selectors as attendance_selectors
from aptrack.attendance.models import Session
from aptrack.audit import services as audit
from aptrack.audit.models import AuditAction, Channel
from aptrack.calendars import selectors as calendar_selectors
from aptrack.core import alerting
from aptrack.core.errors import DomainConflict, DomainForbidden
from aptrack.placements.models import Placement

CHECKS_WHERE = "run-attendance-checks"
NOTE_REQUIRED = "Enter what was done and where the child is now"
NOT_ALLOWED = "You cannot act on this alert"
ALREADY = {
    AlertStatus.ACKNOWLEDGED: "This alert has already been acknowledged",
    AlertStatus.RESOLVED: "This alert has already been resolved",
}


class AlertNotAllowed(DomainForbidden):
    pass


class AlertMoveNotAllowed(DomainConflict):
    pass


class AlertNoteMissing(Exception):
    pass


# --- the checks --------------------------------------------------------------------------------


@dataclass
class ChecksReport:
    """What one run of the checks did."""

    at: dt.datetime
    sessions: list[Session] = field(default_factory=list)  # sessions past their cut-off
    raised: Counter[AlertKind] = field(default_factory=Counter)
    escalated: int = 0

    @property
    def raised_total(self) -> int:
        return sum(self.raised.values())

    def lines(self) -> list[str]:
        local = timezone.localtime(self.at)
        due = " and ".join(self.sessions) if self.sessions else "none yet"
        return [
            f"Attendance checks at {local:%Y-%m-%d %H:%M} ({local.tzname()}): sessions due {due}",
            f"Raised {self.raised_total} alerts: "
            + ", ".join(f"{self.raised[kind]} {kind.label.lower()}" for kind in AlertKind),
            f"Escalated {self.escalated} alerts",
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "sessions": list(self.sessions),
            "raised": {kind.value: self.raised[kind] for kind in AlertKind},
            "escalated": self.escalated,
        }


def run_attendance_checks(*, at: dt.datetime, channel: Channel = Channel.COMMAND) -> ChecksReport:
    """The checks due at `at` (Europe/London): for each session of that day whose cut-off has
    passed, whereabouts unknown; then consecutive absence and persistent or severe absence up
    to the latest such session; then escalation of every alert that has waited long enough.
    Running again for the same moment raises nothing new."""
    local = timezone.localtime(at)
    day = local.date()
    report = ChecksReport(at=at)
    report.sessions = [
        session for session, cutoff in policy.cutoffs().items() if local.time() >= cutoff
    ]
    calendars = selectors.Calendars()
    candidates: list[selectors.Candidate] = []
    for session in report.sessions:
        candidates += selectors.list_whereabouts_unknown(
            on=day, session=session, calendars=calendars
        )
    if report.sessions:
        latest = report.sessions[-1]
        candidates += _new_consecutive(
            selectors.list_consecutive_absence(on=day, session=latest, calendars=calendars)
        )
        candidates += selectors.list_absence_crossings(on=day, session=latest, calendars=calendars)
        candidates += selectors.list_illness_duty_reached(
            on=day, session=latest, calendars=calendars
        )
        candidates += selectors.list_fair_access_overdue(
            on=day, session=latest, calendars=calendars
        )
    already = _already_raised(candidates)
    for candidate in candidates:
        if _key(candidate) in already:
            continue
        if _raise_alert(candidate, at=at, channel=channel) is not None:
            report.raised[candidate.kind] += 1
            already.add(_key(candidate))
    report.escalated = escalate_alerts(at=at, channel=channel)
    return report


def run_last_school_days_checks(
    *, today: dt.date, channel: Channel = Channel.COMMAND
) -> ChecksReport:
    """Every check due over the last school day before `today` (the standard calendar), each
    at its own time (`policy.check_times_on`), as if they had run then: for a register kept up
    to yesterday (the synthetic demo's) whose checks have not run. One transaction, so a
    SQLite demo is not one disk sync per alert. The report adds the runs up, at the last."""
    day = attendance_selectors.last_school_day(
        calendar_selectors.get_calendar(la_id=None), today - dt.timedelta(days=1)
    )
    moments = policy.check_times_on(day, timezone.get_current_timezone())
    total = ChecksReport(at=moments[-1])
    with transaction.atomic():
        for moment in moments:
            report = run_attendance_checks(at=moment, channel=channel)
            total.sessions = [
                *total.sessions,
                *(s for s in report.sessions if s not in total.sessions),
            ]
            total.raised.update(report.raised)
            total.escalated += report.escalated
    return total


def _key(candidate: selectors.Candidate) -> tuple[Any, ...]:
    if candidate.period_start_date is not None:
        return (candidate.kind, candidate.placement.child_id, candidate.period_start_date)
    return (candidate.kind, candidate.placement.pk, candidate.session_date, candidate.session)


def _already_raised(candidates: list[selectors.Candidate]) -> set[tuple[Any, ...]]:
    """Keys of the whereabouts alerts raised already on the candidates' day. (Consecutive
    runs are sifted by `_new_consecutive`, and the measures' selector skips children alerted
    this year; the constraints catch anything raised in between by a concurrent run.)"""
    days = {c.session_date for c in candidates if c.kind == AlertKind.WHEREABOUTS_UNKNOWN}
    rows = Alert.objects.filter(
        kind=AlertKind.WHEREABOUTS_UNKNOWN, session_date__in=days
    ).values_list("kind", "placement_id", "session_date", "session")
    return {tuple(row) for row in rows} if days else set()


def _new_consecutive(found: list[selectors.Candidate]) -> list[selectors.Candidate]:
    """Drop runs already alerted: a run alerted when it reached the threshold is the same
    occurrence as it grows, so any alert dated inside the run covers it."""
    if not found:
        return []
    raised = selectors.list_consecutive_already_raised(
        placement_ids=[c.placement.pk for c in found],
        since=min(c.session_date for c in found),
    )
    return [
        c
        for c in found
        if not any(
            (day, session) >= (c.session_date, c.session) for day, session in raised[c.placement.pk]
        )
    ]


def _raise_alert(
    candidate: selectors.Candidate, *, at: dt.datetime, channel: Channel
) -> Alert | None:
    """Create one alert with its event and audit row; None if it exists (a concurrent run)."""
    placement = candidate.placement
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                kind=candidate.kind,
                child_id=placement.child_id,
                placement=placement,
                local_authority_id=candidate.local_authority_id,
                session_date=candidate.session_date,
                session=candidate.session,
                period_start_date=candidate.period_start_date,
                reason=candidate.reason[:300],
                raised_at=at,
            )
            AlertEvent.objects.create(
                alert=alert,
                kind=EventKind.RAISED,
                to_status=AlertStatus.OPEN,
                at=at,
                note=alert.reason,
            )
            audit.record_event(
                actor=None,
                at=at,
                action=AuditAction.CREATED,
                channel=channel,
                instance=alert,
                child_id=placement.child_id,
                where=CHECKS_WHERE,
                changes={
                    "kind": {"old": None, "new": alert.kind},
                    "reason": {"old": None, "new": alert.reason},
                    "local_authority_id": {"old": None, "new": alert.local_authority_id},
                },
            )
            alerting.announce_alert(alert, at=at)
    except IntegrityError:
        return None
    return alert


def raise_safeguarding_concern(
    *, placement: Placement, reason: str, at: dt.datetime, actor: User, channel: Channel, where: str
) -> Alert:
    """A safeguarding concern about a placed child: an alert to the LA answering for the
    placement the moment it is recorded and, for a looked-after child or one on a child
    protection plan, escalated at once to their social worker and virtual school head (the
    same escalation the checks make, without waiting for the escalation delay)."""
    child = placement.child
    session = Session.AM if timezone.localtime(at).hour < 12 else Session.PM
    urgent = child.looked_after or child.social_care_status == "CP"
    virtual_school = child.responsible_la_id if child.looked_after else None
    with transaction.atomic():
        alert = Alert.objects.create(
            kind=AlertKind.SAFEGUARDING_CONCERN,
            child_id=child.pk,
            placement=placement,
            local_authority_id=selectors.placement_la_id(placement),
            session_date=timezone.localdate(at),
            session=session,
            reason=reason[:300],
            raised_at=at,
            escalated_at=at if urgent else None,
            escalated_to_social_worker_id=child.social_worker_id if urgent else None,
            escalated_to_virtual_school_id=virtual_school if urgent else None,
        )
        AlertEvent.objects.create(
            alert=alert,
            kind=EventKind.RAISED,
            to_status=AlertStatus.OPEN,
            at=at,
            by=actor,
            note=alert.reason,
        )
        if urgent:
            AlertEvent.objects.create(
                alert=alert,
                kind=EventKind.ESCALATED,
                at=at,
                note=_recipients(child.social_worker, virtual_school),
            )
        # Out the same day: to the LA's officers and, escalated, the social worker and VSH.
        alerting.announce_alert(alert, at=at)
        if urgent:
            alerting.announce_alert(alert, at=at, escalated=True)
        audit.record_event(
            actor=actor,
            at=at,
            action=AuditAction.CREATED,
            channel=channel,
            instance=alert,
            child_id=child.pk,
            where=where,
            changes={
                "kind": {"old": None, "new": alert.kind},
                "local_authority_id": {"old": None, "new": alert.local_authority_id},
                "escalated_at": {"old": None, "new": at.isoformat() if urgent else None},
            },
        )
    return alert


def escalate_alerts(*, at: dt.datetime, channel: Channel = Channel.COMMAND) -> int:
    """Escalate every alert due (see `selectors.list_escalations_due`) to the child's social
    worker and, for a looked-after child, the virtual school head of the LA looking after
    them. Returns how many were escalated."""
    escalated = 0
    for alert in selectors.list_escalations_due(at=at):
        child = alert.child
        virtual_school = child.responsible_la_id if child.looked_after else None
        with transaction.atomic():
            # A conditional update, so two overlapping runs escalate an alert once.
            changed = Alert.objects.filter(pk=alert.pk, escalated_at__isnull=True).update(
                escalated_at=at,
                escalated_to_social_worker_id=child.social_worker_id,
                escalated_to_virtual_school_id=virtual_school,
            )
            if not changed:
                continue
            recipients = _recipients(child.social_worker, virtual_school)
            AlertEvent.objects.create(alert=alert, kind=EventKind.ESCALATED, at=at, note=recipients)
            audit.record_event(
                actor=None,
                at=at,
                action=AuditAction.UPDATED,
                channel=channel,
                instance=alert,
                child_id=alert.child_id,
                where=CHECKS_WHERE,
                changes={
                    "escalated_at": {"old": None, "new": at.isoformat()},
                    "escalated_to_social_worker_id": {"old": None, "new": child.social_worker_id},
                    "escalated_to_virtual_school_id": {"old": None, "new": virtual_school},
                },
            )
            alerting.announce_alert(alert, at=at, escalated=True)
        escalated += 1
    return escalated


def _recipients(social_worker: User | None, virtual_school_la_id: int | None) -> str:
    parts = []
    if social_worker is not None:
        parts.append(f"social worker {social_worker.display_name}")
    if virtual_school_la_id is not None:
        parts.append("the virtual school head")
    return "To " + " and ".join(parts) if parts else "No social worker or virtual school recorded"


# --- the officer's doors -----------------------------------------------------------------------


def acknowledge_alert(
    *, alert: Alert, actor: User, at: dt.datetime, channel: Channel, note: str = "", where: str = ""
) -> Alert:
    """Say the alert is being looked into."""
    return _move(
        alert=alert,
        target=AlertStatus.ACKNOWLEDGED,
        actor=actor,
        at=at,
        channel=channel,
        note=note.strip(),
        where=where,
    )


def acknowledge_alerts(
    *,
    alerts: Iterable[Alert],
    actor: User,
    at: dt.datetime,
    channel: Channel,
    note: str = "",
    where: str = "",
) -> list[Alert]:
    """Acknowledge several open alerts at once, all or none (each move audited as one)."""
    with transaction.atomic():
        return [
            acknowledge_alert(
                alert=alert, actor=actor, at=at, channel=channel, note=note, where=where
            )
            for alert in alerts
        ]


def resolve_alert(
    *, alert: Alert, actor: User, at: dt.datetime, channel: Channel, note: str, where: str = ""
) -> Alert:
    """Close the alert with a note of what was done and where the child is."""
    if not note.strip():
        raise AlertNoteMissing(NOTE_REQUIRED)
    return _move(
        alert=alert,
        target=AlertStatus.RESOLVED,
        actor=actor,
        at=at,
        channel=channel,
        note=note.strip(),
        where=where,
    )


def _move(
    *,
    alert: Alert,
    target: AlertStatus,
    actor: User,
    at: dt.datetime,
    channel: Channel,
    note: str,
    where: str,
) -> Alert:
    if not permissions.can_act_on_alert(actor, alert):
        raise AlertNotAllowed(NOT_ALLOWED)
    with transaction.atomic():
        locked = Alert.objects.select_for_update().get(pk=alert.pk)
        source = AlertStatus(locked.status)
        if not can_move(source, target):
            raise AlertMoveNotAllowed(ALREADY.get(source, NOT_ALLOWED))
        changes: dict[str, Any] = {"status": {"old": source.value, "new": target.value}}
        locked.status = target
        locked.version += 1
        fields = ["status", "version"]
        if target == AlertStatus.ACKNOWLEDGED:
            locked.acknowledged_at, locked.acknowledged_by = at, actor
            fields += ["acknowledged_at", "acknowledged_by"]
        else:
            locked.resolved_at, locked.resolved_by, locked.resolution_note = at, actor, note
            fields += ["resolved_at", "resolved_by", "resolution_note"]
            changes["resolution_note"] = {"old": "", "new": note}
        locked.save(update_fields=fields)
        AlertEvent.objects.create(
            alert=locked,
            kind=EventKind(target.value),
            from_status=source,
            to_status=target,
            by=actor,
            at=at,
            note=note,
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
