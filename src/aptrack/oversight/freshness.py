"""Which data the dashboard's figures are built from, and a count of its changes.

Every save or delete of a model the figures read (children, placements and their reviews,
referrals, outcomes, attendance rollups, term dates, providers, organisations), and every bulk
write announced through `core.changes`, adds the LAs it touches to a list kept for the current
transaction. When the transaction commits, each of those LAs' `DataVersion` goes up by one, and
so does ``any``; a change that may touch every LA (a provider, an organisation) raises ``all``.

A dashboard snapshot records the versions it was built from (its stamp), so it is served only
while nothing behind it has changed since: no time limit is needed and none is used. Counting at
commit, not inside the writer's transaction, means a busy LA's writers never queue on its
version row; the cost is a moment between a commit and its count when a reader may still be
served the older snapshot.

Which LAs a change touches follows the rule for an LA's placements (`placements.rules`): a
change to a child touches the LA the child lives in (before and after the change) and every LA
answering for one of their placements.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Model
from django.db.models.signals import post_delete, post_save, pre_save

ALL = "all"  # data every LA's figures read
ANY = "any"  # bumped with every change: the national view's version


def la_key(la_id: int) -> str:
    return f"la:{la_id}"


@dataclass
class Pending:
    """What the current transaction has touched, resolved to LAs when it commits."""

    la_ids: set[int] = field(default_factory=set)
    child_ids: set[int] = field(default_factory=set)
    placement_ids: set[int] = field(default_factory=set)
    referral_ids: set[int] = field(default_factory=set)
    everything: bool = False

    def __bool__(self) -> bool:
        return bool(self.everything or self.la_ids or self.child_ids or self.placement_ids or self.referral_ids)


_local = threading.local()


def _pending() -> Pending:
    if not hasattr(_local, "pending"):
        _local.pending = Pending()
    return _local.pending


def _note(**touched: Any) -> None:
    """Add to what this transaction touched and count it when the transaction commits (at
    once, outside a transaction). Entries of a transaction that rolls back are counted with the
    next one that commits: an extra count is harmless, a missing one is not."""
    pending = _pending()
    for name, ids in touched.items():
        if name == "everything":
            pending.everything = pending.everything or bool(ids)
        else:
            getattr(pending, name).update(i for i in ids if i is not None)
    transaction.on_commit(flush)


def flush() -> None:
    """Resolve what was touched to LAs and count one change for each (and for ``any``)."""
    pending = _pending()
    if not pending:
        return
    _local.pending = Pending()
    la_ids = _resolve(pending)
    keys = {ANY} | {la_key(la) for la in la_ids}
    if pending.everything:
        keys.add(ALL)
    bump(keys)
    _refresh_viewed(None if pending.everything else la_ids)


def _refresh_viewed(la_ids: set[int] | None) -> None:
    """Queue a rebuild of the changed LAs' dashboard pages that were looked at today (None:
    every LA's), so the next look is served at once."""
    from django.conf import settings
    from django.utils import timezone

    from aptrack.oversight.models import DashboardSnapshot

    if not settings.APTRACK_DASHBOARD_SNAPSHOTS:
        return
    today = timezone.localdate()
    viewed = DashboardSnapshot.objects.filter(day=today)
    if la_ids is not None:
        viewed = viewed.filter(local_authority_id__in=la_ids)
    chosen = sorted(set(viewed.values_list("local_authority_id", flat=True)))
    if chosen:
        from aptrack.oversight.tasks import refresh_dashboards

        refresh_dashboards.enqueue(la_ids=chosen, day=today.isoformat())


def bump(keys: Iterable[str]) -> None:
    from aptrack.oversight.models import DataVersion

    keys = sorted(set(keys))  # one order, so two committers never wait on each other's rows
    DataVersion.objects.bulk_create([DataVersion(key=key) for key in keys], ignore_conflicts=True)
    DataVersion.objects.filter(key__in=keys).update(version=F("version") + 1)


def versions(la_id: int | None) -> str:
    """The stamp of the data behind one LA's figures (None: behind the national view)."""
    from aptrack.oversight.models import DataVersion

    keys = [ALL, la_key(la_id)] if la_id is not None else [ALL, ANY]
    found = dict(DataVersion.objects.filter(key__in=keys).values_list("key", "version"))
    return ".".join(str(found.get(key, 0)) for key in keys)


def versions_sql(la_id: int) -> tuple[str, list[str]]:
    """`versions(la_id)` as an SQL expression (and its parameters), to compare with a stored
    stamp in the same statement, on PostgreSQL and SQLite alike."""
    from aptrack.oversight.models import DataVersion

    quote = connection.ops.quote_name
    one = (
        f"CAST(COALESCE((SELECT version FROM {quote(DataVersion._meta.db_table)} "
        f"WHERE {quote('key')} = %s), 0) AS VARCHAR(24))"
    )
    return f"{one} || '.' || {one}", [ALL, la_key(la_id)]


def _resolve(pending: Pending) -> set[int]:
    from aptrack.children.models import Child
    from aptrack.placements import rules as placement_rules
    from aptrack.placements.models import Placement
    from aptrack.referrals.models import Referral

    la_ids = set(pending.la_ids)
    child_ids = set(pending.child_ids)
    if pending.referral_ids:
        for la_id, child_id in Referral.objects.filter(pk__in=pending.referral_ids).values_list(
            "commissioning_la_id", "child_id"
        ):
            la_ids.add(la_id)
            child_ids.add(child_id)
    if pending.placement_ids:
        child_ids.update(
            Placement.objects.filter(pk__in=pending.placement_ids).values_list("child_id", flat=True)
        )
    if child_ids:
        la_ids.update(Child.objects.filter(pk__in=child_ids).values_list("home_la_id", flat=True))
        la_ids.update(placement_rules.answering_la_ids(child_ids=child_ids))
    la_ids.discard(None)  # type: ignore[arg-type]
    return la_ids


# --- what each watched model touches ------------------------------------------------------------


def _touches(instance: Model) -> dict[str, Any]:
    """The LAs, children, placements or referrals a saved or deleted row touches."""
    from aptrack.placements.models import IntendedOutcome

    label = instance._meta.label
    if label == "children.Child":
        return {"la_ids": [instance.home_la_id], "child_ids": [instance.pk]}
    if label == "placements.Placement":
        return {"la_ids": [instance.commissioning_la_id], "child_ids": [instance.child_id]}
    if label == "referrals.Referral":
        return {"la_ids": [instance.commissioning_la_id], "child_ids": [instance.child_id]}
    if label == "referrals.ReferralEvent":
        return {"referral_ids": [instance.referral_id]}
    if label == "placements.OutcomeProgress":
        placement_id = IntendedOutcome.objects.filter(pk=instance.outcome_id).values_list("placement_id", flat=True)
        return {"placement_ids": list(placement_id)} if placement_id else {"everything": True}
    if label == "outcomes.OutreachSupport":
        return {"la_ids": [instance.local_authority_id]}
    if label == "attendance.PlacementWeek":
        return {"la_ids": [instance.local_authority_id]}
    if label in ("calendars.TermPeriod", "calendars.ClosureDay"):
        la_id = instance.local_authority_id
        return {"la_ids": [la_id]} if la_id is not None else {"everything": True}
    if hasattr(instance, "placement_id"):
        return {"placement_ids": [instance.placement_id]}
    return {"everything": True}


# Fields whose old value names an LA that loses the row when they change.
_MOVES = {
    "children.Child": "home_la_id",
    "placements.Placement": "commissioning_la_id",
    "referrals.Referral": "commissioning_la_id",
}

WATCHED = (
    "children.Child",
    "placements.Placement",
    "placements.IntendedOutcome",
    "placements.Review",
    "placements.OutcomeProgress",
    "placements.FollowUp",
    "referrals.Referral",
    "referrals.ReferralEvent",
    "outcomes.AttainmentRecord",
    "outcomes.Qualification",
    "outcomes.WellbeingScore",
    "outcomes.PriorAttendance",
    "outcomes.OutreachSupport",
    "attendance.AttendanceMark",
    "attendance.PlacementWeek",
    "calendars.TermPeriod",
    "calendars.ClosureDay",
    "providers.Provider",
    "providers.ProviderSite",
    "organisations.LocalAuthority",
    "organisations.Organisation",
)


def _before_save(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
    column = _MOVES.get(sender._meta.label)
    if column is None or instance.pk is None or raw:
        return
    old = sender._default_manager.filter(pk=instance.pk).values_list(column, flat=True).first()
    if old is not None and old != getattr(instance, column):
        _note(la_ids=[old])


def _changed(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        _note(**_touches(instance))


def _announced(sender: Any, la_ids: frozenset[int] | None, **kwargs: Any) -> None:
    _note(**({"everything": True} if la_ids is None else {"la_ids": la_ids}))


def connect() -> None:
    """Listen to the watched models and to bulk-write announcements (from AppConfig.ready)."""
    from django.apps import apps

    from aptrack.core.changes import data_changed

    for label in WATCHED:
        model = apps.get_model(label)
        uid = f"oversight-freshness-{label}"
        if label in _MOVES:
            pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}-pre")
        post_save.connect(_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete")
    data_changed.connect(_announced, dispatch_uid="oversight-freshness-bulk")
