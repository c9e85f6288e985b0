"""Every LA's figures for the national and regional view, kept rather than read on every look.

Reading them takes seconds at national scale (every LA's attendance rollups, and each LA's
sixth-day check on its own school calendar). They are the same for everyone who may open the
view (aggregates only), so they are kept for the period and day with the data versions they were
read at (`freshness.versions(None)`: any change anywhere). They are served as they are while
nothing has changed since; after a change, for at most ``APTRACK_NATIONAL_FIGURES_MAX_AGE``
(15 minutes unless set) after they were read, and the page says when that was. A look at
figures more than half that age, with something changed since, asks the worker to read them
again, so while people keep looking they seldom wait for the read. Somewhere in
England data changes every few minutes during the school day, so holding the national view to
the minute would mean reading it afresh on nearly every look.

`APTRACK_DASHBOARD_SNAPSHOTS` off (as in tests) reads them afresh every time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from aptrack.attendance.measures import SessionCounts
from aptrack.organisations.models import LocalAuthority
from aptrack.oversight import freshness
from aptrack.oversight.models import NationalFigures
from aptrack.oversight.periods import Period
from aptrack.oversight.regional_selectors import LaFigures, la_figures
from aptrack.oversight.snapshots import KEEP_FOR


@dataclass(frozen=True)
class Read:
    figures: dict[int, LaFigures]  # by LA id, every LA
    read_at: dt.datetime
    kept: bool  # served from what was kept rather than read for this look


def every_la(*, period: Period, today: dt.date) -> Read:
    """Every LA's figures for the period, as kept if they may still be served."""
    las = list(LocalAuthority.objects.order_by("pk"))
    if not settings.APTRACK_DASHBOARD_SNAPSHOTS:
        return Read(la_figures(las=las, period=period, today=today), timezone.now(), kept=False)
    key = _key(period, today)
    stamp = freshness.versions(None)
    now = timezone.now()
    kept = NationalFigures.objects.filter(key=key).values_list("figures", "stamp", "built_at").first()
    if kept is not None:
        stored, kept_stamp, built_at = kept
        unchanged = kept_stamp == stamp
        current = unchanged or now - built_at <= settings.APTRACK_NATIONAL_FIGURES_MAX_AGE
        if current and all(str(la.pk) in stored for la in las):
            if not unchanged and now - built_at > settings.APTRACK_NATIONAL_FIGURES_MAX_AGE / 2:
                _refresh_later(period, today)
            return Read({la.pk: decode(stored[str(la.pk)]) for la in las}, built_at, kept=True)
    return Read(_read_and_keep(key=key, las=las, period=period, today=today, stamp=stamp), now, kept=False)


def refresh(*, period: Period, today: dt.date) -> bool:
    """Read the figures again and keep them if something has changed since they were kept;
    whether they were read. The worker runs this once kept figures are half their allowed age,
    so a look seldom waits for the read."""
    key = _key(period, today)
    stamp = freshness.versions(None)
    if NationalFigures.objects.filter(key=key, stamp=stamp).exists():
        return False
    las = list(LocalAuthority.objects.order_by("pk"))
    _read_and_keep(key=key, las=las, period=period, today=today, stamp=stamp)
    return True


def _key(period: Period, today: dt.date) -> str:
    return hashlib.sha256(f"{period.start}|{period.end}|{period.label}|{today}".encode()).hexdigest()


def _read_and_keep(
    *, key: str, las: list[LocalAuthority], period: Period, today: dt.date, stamp: str
) -> dict[int, LaFigures]:
    started = time.perf_counter()
    now = timezone.now()
    figures = la_figures(las=las, period=period, today=today)
    NationalFigures.objects.update_or_create(
        key=key,
        defaults={
            "day": today, "stamp": stamp, "built_at": now,
            "figures": {str(la_id): encode(f) for la_id, f in figures.items()},
            "build_ms": round((time.perf_counter() - started) * 1000),
        },
    )
    NationalFigures.objects.filter(day__lt=today - KEEP_FOR).delete()
    return figures


def _refresh_later(period: Period, today: dt.date) -> None:
    from aptrack.oversight.tasks import refresh_national_figures

    refresh_national_figures.enqueue(
        start=period.start.isoformat(), end=period.end.isoformat(), label=period.label, day=today.isoformat()
    )


def encode(figures: LaFigures) -> dict[str, Any]:
    return asdict(figures)


def decode(data: dict[str, Any]) -> LaFigures:
    return LaFigures(**{
        name: SessionCounts(**value) if isinstance(value, dict) else value for name, value in data.items()
    })
