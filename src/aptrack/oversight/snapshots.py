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
    built_at: dt.datetime


def dashboard_key(period: Period, cohort: str, today: dt.date, form_input: str = "") -> str:
    """A digest of the period, cohort, the period form's input as shown back on the page, and the day."""
    return hashlib.sha256(f"{period.start}|{period.end}|{period.label}|{cohort}|{form_input}|{today}".encode()).hexdigest()


def serve(
    *, la: LocalAuthority, period: Period, cohort: str, today: dt.date, build: Callable[[], str], form_input: str = ""
) -> Served:
    """The rendered page content: the snapshot if it is current, else ``build()``'s, kept."""
    if not settings.APTRACK_DASHBOARD_SNAPSHOTS:
        return Served(build(), from_snapshot=False, built_at=timezone.now())
    key = dashboard_key(period, cohort, today, form_input)
    kept = (
        DashboardSnapshot.objects.filter(local_authority=la, key=key, stamp=freshness.versions_sql(la.pk))
        .values_list("html", "built_at").first()
    )
    if kept is not None:
        return Served(kept[0], from_snapshot=True, built_at=kept[1])
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
    return Served(html, from_snapshot=False, built_at=now)
