"""A child's whole audit trail as a CSV file, for the data protection officer answering a
subject access request or looking into who read a record: every change and every read, with
who, when, from which page or endpoint and the search that found the child."""

import json
from collections.abc import Iterable
from typing import TextIO

from django.apps import apps
from django.db.models import QuerySet

from aptrack.audit.models import AuditEvent
from aptrack.core import exports

HEADERS = [
    "When (UTC)",
    "Who",
    "What",
    "Channel",
    "Page or endpoint",
    "Search term",
    "Record",
    "Changes",
]
LOG_HEADERS = [*HEADERS[:7], "Child", "Changes"]
# The trail is append-only, so retention cannot reach it: once a child's record is anonymised,
# the exports show that child's rows by the child id alone, without the values that changed.
WITHHELD = "withheld: the child's record has been anonymised"


def anonymised_child_ids(child_ids: Iterable[int | None]) -> set[int]:
    child = apps.get_model("children", "Child")
    return set(
        child.objects.filter(pk__in=set(child_ids), anonymised_on__isnull=False).values_list(
            "pk", flat=True
        )
    )


def _changes(event: AuditEvent, anonymised: set[int]) -> str:
    if event.child_id in anonymised and event.changes:
        return WITHHELD
    return json.dumps(event.changes, sort_keys=True) if event.changes else ""


def _cells(event: AuditEvent) -> list[str]:
    return [
        event.at.isoformat(),
        event.actor_label,
        event.get_action_display(),
        event.get_channel_display(),
        event.where,
        event.search_term or "",
        f"{event.object_type} {event.object_id}",
    ]


def write_audit_log_csv(*, events: QuerySet[AuditEvent], stream: TextIO) -> int:
    """The events, oldest first, through the export writer, for the data protection officer.
    Returns the count."""
    writer = exports.csv_writer(stream)
    writer.writerow(LOG_HEADERS)
    count = 0
    ordered = events.order_by("at", "pk")
    anonymised = anonymised_child_ids(
        ordered.exclude(child_id=None).values_list("child_id", flat=True).distinct()
    )
    for event in ordered.iterator():
        writer.writerow([*_cells(event), event.child_id or "", _changes(event, anonymised)])
        count += 1
    return count


def write_child_trail_csv(*, child_id: int, stream: TextIO) -> int:
    """Every event about the child, oldest first, through the export writer. Returns the count."""
    writer = exports.csv_writer(stream)
    writer.writerow(HEADERS)
    count = 0
    anonymised = anonymised_child_ids([child_id])
    for event in AuditEvent.objects.filter(child_id=child_id).order_by("at", "pk").iterator():
        writer.writerow([*_cells(event), _changes(event, anonymised)])
        count += 1
    return count
