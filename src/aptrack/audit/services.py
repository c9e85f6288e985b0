"""One door into the audit trail. Callers pass the actor, the clock and the channel.

What counts as a read of a child: any page, export row or API item that shows a child's name,
UPN or date of birth. Every such read leaves one VIEWED row per child per request, written by
`record_reads` (or `record_view` for one child), with who, when, the page or endpoint and the
search term that listed them. The walk in `audit/tests/test_every_read_audited.py` holds every
page and endpoint to it.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import BigIntegerField, CharField, DateTimeField, F, JSONField, Value
from django.db.models.functions import Cast, Concat, Left

from aptrack.audit.models import AuditAction, AuditEvent, Channel

# The columns `record_reads` fills, in the order its SELECT yields them.
_READ_COLUMNS = (
    "at",
    "actor_id",
    "actor_label",
    "action",
    "channel",
    "object_type",
    "object_id",
    "object_label",
    "child_id",
    "where",
    "changes",
    "search_term",
)


def snapshot(instance: models.Model) -> dict[str, Any]:
    """A JSON-safe copy of an instance's concrete field values, for before/after diffs."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        value = field.value_from_object(instance)
        if isinstance(value, dt.date | dt.datetime):
            value = value.isoformat()
        elif value is not None and not isinstance(value, bool | int | float | str):
            value = str(value)
        data[field.attname] = value
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    ignored = {"updated_at", "version"}
    return {
        key: {"old": before.get(key), "new": value}
        for key, value in after.items()
        if key not in ignored and before.get(key) != value
    }


def _actor_label(actor: Any) -> str:
    if actor is None:
        return "system"
    return f"{actor.get_username()} ({getattr(actor, 'role', '') or 'no role'})"


def record_event(
    *,
    actor: Any,
    at: dt.datetime,
    action: AuditAction,
    channel: Channel,
    instance: models.Model,
    child_id: int | None,
    where: str = "",
    changes: dict[str, Any] | None = None,
    search_term: str = "",
) -> AuditEvent:
    event = audit_event(
        actor=actor,
        at=at,
        action=action,
        channel=channel,
        instance=instance,
        child_id=child_id,
        where=where,
        changes=changes,
        search_term=search_term,
    )
    event.save()
    return event


def record_events(events: list[AuditEvent]) -> None:
    """Record many events (built with `audit_event`) in one write: a bulk import's trail."""
    AuditEvent.objects.bulk_create(events, batch_size=500)


def audit_event(
    *,
    actor: Any,
    at: dt.datetime,
    action: AuditAction,
    channel: Channel,
    instance: models.Model,
    child_id: int | None,
    where: str = "",
    changes: dict[str, Any] | None = None,
    search_term: str = "",
) -> AuditEvent:
    """An unsaved event, for `record_events`."""
    return AuditEvent(
        at=at,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=_actor_label(actor),
        action=action,
        channel=channel,
        object_type=instance._meta.label,
        object_id=str(instance.pk),
        object_label=str(instance)[:200],
        child_id=child_id,
        where=where[:300],
        changes=changes or {},
        search_term=search_term[:200] or None,
    )


def record_trail_export(
    *, actor: Any, at: dt.datetime, channel: Channel, where: str, changes: dict[str, Any]
) -> AuditEvent:
    """A download of the audit trail itself (for the data protection officer): who, when and
    which part (`changes` holds the range and the row count)."""
    return AuditEvent.objects.create(
        at=at,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=_actor_label(actor),
        action=AuditAction.EXPORTED,
        channel=channel,
        object_type=AuditEvent._meta.label,
        object_id="",
        object_label="Audit trail",
        child_id=None,
        where=where[:300],
        changes=changes,
    )


def record_view(
    *, actor: Any, at: dt.datetime, channel: Channel, child: Any, where: str, search_term: str = ""
) -> AuditEvent:
    """One child shown on a page or by an endpoint (see `record_reads` for lists)."""
    return record_event(
        actor=actor,
        at=at,
        action=AuditAction.VIEWED,
        channel=channel,
        instance=child,
        child_id=child.pk,
        where=where,
        search_term=search_term,
    )


def record_reads(
    *,
    actor: Any,
    at: dt.datetime,
    channel: Channel,
    children: "models.QuerySet[Any] | Iterable[Any]",
    where: str,
    search_term: str = "",
) -> int:
    """The children a page, export or API call showed: one VIEWED row each, in one statement.

    `children` is the queryset that produced them (a page's slice, an export's rows) or the
    children or child ids already loaded. The rows are written by a single INSERT ... SELECT
    over the children table, so a list of 1,000 costs one query, not 1,000. Returns how many
    children were recorded."""
    child_model = apps.get_model("children", "Child")
    if isinstance(children, models.QuerySet):
        chosen: Any = children.values("pk")
    else:
        chosen = sorted({getattr(child, "pk", child) for child in children})
        if not chosen:
            return 0
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    rows = (
        child_model.objects.filter(pk__in=chosen)
        .order_by()
        .values_list(
            Value(at, output_field=DateTimeField()),
            Value(actor_id, output_field=BigIntegerField()),
            Value(_actor_label(actor)[:200]),
            Value(AuditAction.VIEWED.value),
            Value(str(channel)),
            Value(child_model._meta.label),
            Cast("pk", output_field=CharField(max_length=40)),
            Left(
                Concat("legal_first_name", Value(" "), "legal_last_name", output_field=CharField()),
                200,
            ),
            F("pk"),
            Value(where[:300]),
            Value({}, output_field=JSONField()),
            Value(search_term[:200] or None, output_field=CharField()),
        )
    )
    try:
        select_sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # a scope that can see no child at all
        return 0
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in _READ_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(AuditEvent._meta.db_table)} ({columns}) {select_sql}", params
        )
        return int(cursor.rowcount)


def record_sign_in_refused(
    *, at: dt.datetime, username: str, user: Any, address: str, reasons: list[str], where: str
) -> AuditEvent:
    """A sign-in refused by the lockout rules (`accounts.lockout`). The actor is whoever tried,
    so nobody: the event names the account tried (an existing user, or the name as typed), the
    address and the rules that refused it."""
    return AuditEvent.objects.create(
        at=at,
        actor=None,
        actor_label=f"sign-in from {address or 'unknown address'}"[:200],
        action=AuditAction.LOCKED_OUT,
        channel=Channel.WEB,
        object_type="accounts.User",
        object_id=str(user.pk) if user is not None else "",
        object_label=username[:200],
        where=where[:300],
        changes={"username": username, "address": address, "reasons": reasons},
    )
