"""A signal for writes that bypass ``Model.save()`` and ``delete()`` (bulk loads and set-based
SQL), so that whatever keeps figures over the data (the oversight dashboard's snapshots) can
follow them as it follows ordinary saves.

Send it inside the transaction that wrote, naming the local authorities whose children the
write touched, or ``None`` when it may touch any (a provider register sync, say)::

    changes.announce(la_ids={span.la_id for span in spans})
"""

from __future__ import annotations

from collections.abc import Iterable

from django.dispatch import Signal

# kwargs: la_ids (frozenset[int] | None: every LA)
data_changed = Signal()


def announce(*, la_ids: Iterable[int] | None) -> None:
    """Say that data about children of these LAs (None: of any LA) was written in bulk."""
    data_changed.send(sender=None, la_ids=None if la_ids is None else frozenset(la_ids))
