"""A child's whole audit trail as a CSV file, for the data protection officer answering a
subject access request or looking into who read a record: every change and every read, with
who, when, from which page or endpoint and the search that found the child."""

import json
from typing import TextIO

from aptrack.audit.models import AuditEvent
from aptrack.core import exports

HEADERS = ["When (UTC)", "Who", "What", "Channel", "Page or endpoint", "Search term", "Record", "Changes"]


def write_child_trail_csv(*, child_id: int, stream: TextIO) -> int:
    """Every event about the child, oldest first, through the export writer. Returns the count."""
    writer = exports.csv_writer(stream)
    writer.writerow(HEADERS)
    count = 0
    for event in AuditEvent.objects.filter(child_id=child_id).order_by("at", "pk").iterator():
        writer.writerow([
            event.at.isoformat(), event.actor_label, event.get_action_display(), event.get_channel_display(),
            event.where, event.search_term or "", f"{event.object_type} {event.object_id}",
            json.dumps(event.changes, sort_keys=True) if event.changes else "",
        ])
        count += 1
    return count
