"""Serve the LA dashboard's figures from a snapshot while nothing behind them has changed.

The figures for one LA, period, cohort and day are the same for everyone who may see them (the
children behind a number are scoped when listed), so the rendered figures are kept with the data
versions they were read at (`freshness.versions`). A request whose versions still match is
served the snapshot; otherwise the figures are built, rendered and kept. The versions are read
before building, so figures built while a change commits are kept under the older versions and
never served once that change is counted. A snapshot is keyed by the period form's input and the
day, which decide the period, so a page served from one does not read the form at all.

`APTRACK_DASHBOARD_SNAPSHOTS` turns this off (tests run with it off unless they turn it on).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.utils import timezone

from aptrack.organisations.models import LocalAuthority
from aptrack.oversight import freshness
from aptrack.oversight.models import DashboardSnapshot

KEEP_FOR = dt.timedelta(days=2)  # a snapshot counts "now" as its day, so older ones are never served


def dashboard_key(today: dt.date, form_input: str = "") -> str:
    """A digest of the period form's input (as shown back on the page) and the day: together
    they decide the period and cohort, so a snapshot is found before the form is read."""
    return hashlib.sha256(f"{form_input}|{today}".encode()).hexdigest()


def kept(*, la_id: int, today: dt.date, form_input: str = "") -> str | None:
    """The snapshot's content if there is one and nothing behind it has changed since."""
    if not settings.APTRACK_DASHBOARD_SNAPSHOTS:
        return None
    return _current_html(la_id, dashboard_key(today, form_input))


def keep(*, la: LocalAuthority, today: dt.date, build: Callable[[], str], form_input: str = "") -> str:
    """``build()``'s content, kept as the snapshot for this input and day (when snapshots are on)."""
    if not settings.APTRACK_DASHBOARD_SNAPSHOTS:
        return build()
    key = dashboard_key(today, form_input)
    stamp = freshness.versions(la.pk)  # before building: see the module's docstring
    started = time.perf_counter()
    html = build()
    now = timezone.now()
    build_name = uuid.uuid4().hex
    DashboardSnapshot.objects.bulk_create(
        [DashboardSnapshot(
            local_authority=la, key=key, day=today, form_input=form_input[:200], stamp=stamp, html=html,
            build=build_name, built_at=now, build_ms=round((time.perf_counter() - started) * 1000),
        )],
        update_conflicts=True, unique_fields=["local_authority", "key"],
        update_fields=["stamp", "html", "build", "built_at", "build_ms"],
    )
    DashboardSnapshot.objects.filter(local_authority=la, day__lt=today - KEEP_FOR).delete()
    held.put(la.pk, key, build_name, html)
    return html


class _Held:
    """The page content of snapshots this process has read lately, most recent last, up to
    ``APTRACK_DASHBOARD_HELD_CHARACTERS`` in all. A held copy is used only when the database
    says the snapshot it came from is still the current one (the same build), so it saves moving
    the content out of the database, never decides what is current."""

    def __init__(self) -> None:
        self._pages: OrderedDict[tuple[int, str], tuple[str, str]] = OrderedDict()  # -> (build, html)
        self._size = 0
        self._lock = threading.Lock()

    def get(self, la_id: int, key: str) -> tuple[str, str] | None:
        with self._lock:
            found = self._pages.get((la_id, key))
            if found is not None:
                self._pages.move_to_end((la_id, key))
            return found

    def put(self, la_id: int, key: str, build: str, html: str) -> None:
        limit = settings.APTRACK_DASHBOARD_HELD_CHARACTERS
        with self._lock:
            old = self._pages.pop((la_id, key), None)
            if old is not None:
                self._size -= len(old[1])
            if len(html) > limit:
                return
            self._pages[(la_id, key)] = (build, html)
            self._size += len(html)
            while self._size > limit:
                _, (_, dropped) = self._pages.popitem(last=False)
                self._size -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._size = 0


held = _Held()


def _current_html(la_id: int, key: str) -> str | None:
    """The kept page content if its stamp is still current: one statement, written out rather
    than built with the ORM, whose compiling of it took longer than the database's answer. The
    content itself is left in the database when this process holds the same version of it."""
    versions, params = freshness.versions_sql(la_id)
    quote = connection.ops.quote_name
    mine = held.get(la_id, key)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT build, CASE WHEN build = %s THEN NULL ELSE html END "
            f"FROM {quote(DashboardSnapshot._meta.db_table)} "
            f"WHERE local_authority_id = %s AND {quote('key')} = %s AND stamp = {versions}",
            [mine[0] if mine else None, la_id, key, *params],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    build, html = row
    if html is None and mine is not None:
        return mine[1]
    held.put(la_id, key, build, html)
    return html
