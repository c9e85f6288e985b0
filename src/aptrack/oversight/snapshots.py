"""Serve the LA dashboard's figures from a snapshot while nothing behind them has changed.

The figures for one LA, period, cohort and day are the same for everyone who may see them (the
children behind a number are scoped when listed), so the rendered figures are kept with the data
versions they were read at (`freshness.versions`). A request whose versions still match is
served the snapshot; otherwise the figures are built, rendered and kept. The versions are read
before building, so figures built while a change commits are kept under the older versions and
never served once that change is counted.

`APTRACK_DASHBOARD_SNAPSHOTS` turns this off (tests run with it off unless they turn it on).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone

from aptrack.organisations.models import LocalAuthority
from aptrack.oversight import freshness
from aptrack.oversight.models import DashboardSnapshot
from aptrack.oversight.periods import Period

KEEP_FOR = dt.timedelta(days=2)  # a snapshot counts "now" as its day, so older ones are never served


@dataclass(frozen=True)
class Served:
    html: str
    from_snapshot: bool


def dashboard_key(period: Period, cohort: str, today: dt.date, form_input: str = "") -> str:
    """A digest of the period, cohort, the period form's input as shown back on the page, and the day."""
    return hashlib.sha256(f"{period.start}|{period.end}|{period.label}|{cohort}|{form_input}|{today}".encode()).hexdigest()


def serve(
    *, la: LocalAuthority, period: Period, cohort: str, today: dt.date, build: Callable[[], str], form_input: str = ""
) -> Served:
    """The rendered page content: the snapshot if it is current, else ``build()``'s, kept."""
    if not settings.APTRACK_DASHBOARD_SNAPSHOTS:
        return Served(build(), from_snapshot=False)
    key = dashboard_key(period, cohort, today, form_input)
    kept = _current_html(la.pk, key)
    if kept is not None:
        return Served(kept, from_snapshot=True)
    stamp = freshness.versions(la.pk)  # before building: see the module's docstring
    started = time.perf_counter()
    html = build()
    now = timezone.now()
    DashboardSnapshot.objects.bulk_create(
        [DashboardSnapshot(
            local_authority=la, key=key, day=today, form_input=form_input[:200], stamp=stamp, html=html, built_at=now,
            build_ms=round((time.perf_counter() - started) * 1000),
        )],
        update_conflicts=True, unique_fields=["local_authority", "key"],
        update_fields=["stamp", "html", "built_at", "build_ms"],
    )
    DashboardSnapshot.objects.filter(local_authority=la, day__lt=today - KEEP_FOR).delete()
    return Served(html, from_snapshot=False)


def _current_html(la_id: int, key: str) -> str | None:
    """The kept page content if its stamp is still current: one statement, written out rather
    than built with the ORM, whose compiling of it took longer than the database's answer."""
    versions, params = freshness.versions_sql(la_id)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT html FROM {quote(DashboardSnapshot._meta.db_table)} "
            f"WHERE local_authority_id = %s AND {quote('key')} = %s AND stamp = {versions}",
            [la_id, key, *params],
        )
        row = cursor.fetchone()
    return row[0] if row is not None else None
