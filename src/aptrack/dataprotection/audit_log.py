"""The audit trail over a date range, for the data protection officer: the whole trail, or the
part an LA holds (events about its children and events by its own staff)."""

import datetime as dt
from typing import Any, TextIO

from django.db.models import Q, QuerySet
from django.utils import timezone

from aptrack.audit import services as audit
from aptrack.audit.models import AuditEvent, Channel
from aptrack.audit.trail_export import write_audit_log_csv
from aptrack.children.permissions import children_of_la

RANGE_BACKWARDS = "The start date {start} is after the end date {end}"


class BadRange(ValueError):
    pass


def events_between(
    *, start: dt.date, end: dt.date, la_id: int | None = None
) -> QuerySet[AuditEvent]:
    """Events from the start of `start` to the end of `end` (UTC days), optionally one LA's."""
    if start > end:
        raise BadRange(RANGE_BACKWARDS.format(start=start.isoformat(), end=end.isoformat()))
    first = dt.datetime.combine(start, dt.time.min, tzinfo=dt.UTC)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
    events = AuditEvent.objects.filter(at__gte=first, at__lt=after)
    if la_id is not None:
        events = events.filter(
            Q(child_id__in=children_of_la(la_id).values("pk"))
            | Q(actor__organisation__local_authority_id=la_id)
        )
    return events


def export_audit_log(
    *,
    start: dt.date,
    end: dt.date,
    la_id: int | None,
    stream: TextIO,
    actor: Any,
    channel: Channel,
    where: str,
) -> int:
    """Write the range as CSV and record the export (who, which range, whose, how many rows) in
    the trail itself. Returns the row count."""
    count = write_audit_log_csv(
        events=events_between(start=start, end=end, la_id=la_id), stream=stream
    )
    audit.record_trail_export(
        actor=actor,
        at=timezone.now(),
        channel=channel,
        where=where,
        changes={"from": start.isoformat(), "to": end.isoformat(), "la_id": la_id, "rows": count},
    )
    return count
