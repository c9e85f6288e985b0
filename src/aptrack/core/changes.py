"""Which local authorities a write touches, so that whatever keeps figures over the data (the
oversight figures store) can follow every change.

Each app says, next to its models (in its ``AppConfig.ready``), which LAs a saved or deleted
instance touches::

    changes.register(Child, touches=child_las, moves=True)

``touches(instance)`` returns LA ids, or None when the change may touch every LA (a provider's
name shows in every LA's figures). With ``moves=True`` the row as it was before a save counts
too, so the LA that loses a child, placement or referral hears of it.

A write that bypasses ``Model.save()`` and ``delete()`` (a bulk load, set-based SQL) calls
``announce(la_ids=...)`` from its public entry point, inside its transaction.

Whatever was touched is sent as one ``data_changed`` signal when the transaction commits
(``la_ids``: a frozenset, or None for every LA). With ``APTRACK_CHANGES_AT_COMMIT`` off (tests,
whose transaction never commits) it is sent at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import Signal

# kwargs: la_ids (frozenset[int] | None: every LA)
data_changed = Signal()

Touches = Callable[[Any], Iterable[int | None] | None]
_registry: dict[type[models.Model], Touches] = {}
_local = threading.local()


def register(model: type[models.Model], *, touches: Touches, moves: bool = False) -> None:
    """Follow saves and deletes of ``model``: ``touches(instance)`` names the LAs each one touches."""
    if model in _registry:
        raise ValueError(f"{model._meta.label} is registered twice")
    _registry[model] = touches
    uid = f"aptrack-changes-{model._meta.label}"
    post_save.connect(_saved, sender=model, dispatch_uid=uid)
    post_delete.connect(_saved, sender=model, dispatch_uid=f"{uid}-delete")
    if moves:
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}-before")


def registered() -> list[type[models.Model]]:
    return list(_registry)


def announce(*, la_ids: Iterable[int] | None) -> None:
    """Say that data about children of these LAs (None: of any LA) was written in bulk."""
    _note(None if la_ids is None else set(la_ids))


def _saved(
    sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any
) -> None:
    if not raw:
        _note(_touched(sender, instance))


def _before_save(
    sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any
) -> None:
    if raw or instance.pk is None:
        return
    before = sender._default_manager.filter(pk=instance.pk).first()
    if before is not None:
        _note(_touched(sender, before))


def _touched(sender: type[models.Model], instance: models.Model) -> set[int] | None:
    found = _registry[sender](instance)
    return None if found is None else {la_id for la_id in found if la_id is not None}


def _pending() -> dict[str, Any]:
    if not hasattr(_local, "pending"):
        _local.pending = {"la_ids": set(), "every": False}
    return _local.pending


def _note(la_ids: set[int] | None) -> None:
    """Add to what this transaction touched, sent when it commits. What a transaction that
    rolls back noted is sent with the next one that commits: an extra change is harmless, a
    missing one is not."""
    pending = _pending()
    if la_ids is None:
        pending["every"] = True
    else:
        pending["la_ids"] |= la_ids
    if settings.APTRACK_CHANGES_AT_COMMIT:
        transaction.on_commit(flush)
    else:
        flush()


def flush() -> None:
    pending = _pending()
    if not pending["every"] and not pending["la_ids"]:
        return
    del _local.pending
    data_changed.send(
        sender=None, la_ids=None if pending["every"] else frozenset(pending["la_ids"])
    )
