"""The one store of figures: each LA's dashboard figures and its comparison figures (for the
regional and national view), as numbers, per period and day (`oversight.Figures`).

Every reader goes through here: the dashboard and its drill-downs, the regional and national
view, the improvement plan's measures and the committee pack. Figures are computed by the
measures (`build.build_dashboard`, `regional.la_figures`) and kept with the stamp of
the LA's data they were computed from (`versions`). They are served:

- while the LA's data is unchanged since (exactly current); or
- for at most ``APTRACK_FIGURES_MAX_AGE`` (60 seconds unless set) after they were computed,
  while data is coming in; older than that they are computed again on the request.

After a change commits, the worker (the background task `refresh_figures`) computes again the
LA's figures that were looked at today, so the next look is usually served at once and exactly.
Each page says when its figures were computed.

The stamp is read before computing, so figures computed while a change commits are kept under
the older stamp: served only within the bound, and computed again by the worker.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from aptrack.attendance.measures import SessionCounts
from aptrack.organisations.models import LocalAuthority
from aptrack.oversight.measures.base import COHORT_NOW, COHORT_PERIOD
from aptrack.oversight.measures.build import build_dashboard
from aptrack.oversight.measures.catalogue import Breakdown, Dashboard, Figure, Row, Section
from aptrack.oversight.measures.periods import Period
from aptrack.oversight.measures.regional import LaFigures, la_figures
from aptrack.oversight.models import DataVersion, Figures

ALL = "all"  # data every LA's figures read (providers, organisations, the standard calendar)
COMPARISON = "comparison"
DASHBOARD = {COHORT_PERIOD: "dashboard", COHORT_NOW: "dashboard-now"}
KEEP_FOR = dt.timedelta(days=2)  # rows not computed again for this long are deleted


@dataclass(frozen=True)
class Kept:
    """Figures and when they were computed."""

    figures: Any
    computed_at: dt.datetime


# --- the data versions -------------------------------------------------------------------------


def la_key(la_id: int) -> str:
    return f"la:{la_id}"


def count_changes(la_ids: frozenset[int] | None) -> None:
    """Count a change to these LAs' data (None: every LA's), and ask the worker to compute
    again the figures looked at today of the LAs changed (`core.changes.data_changed`)."""
    keys = sorted({ALL} if la_ids is None else {la_key(la_id) for la_id in la_ids})
    if keys:  # one order, so two committers never wait on each other's rows
        DataVersion.objects.bulk_create(
            [DataVersion(key=key) for key in keys], ignore_conflicts=True
        )
        DataVersion.objects.filter(key__in=keys).update(version=F("version") + 1)
    transaction.on_commit(lambda: _refresh_later(la_ids))


def versions(la_ids: Iterable[int]) -> dict[int, str]:
    """The stamp of each LA's data: its own version and every LA's."""
    ids = list(la_ids)
    found = dict(
        DataVersion.objects.filter(key__in=[ALL, *map(la_key, ids)]).values_list("key", "version")
    )
    return {la_id: f"{found.get(ALL, 0)}.{found.get(la_key(la_id), 0)}" for la_id in ids}


def _refresh_later(la_ids: frozenset[int] | None) -> None:
    viewed = Figures.objects.filter(day=timezone.localdate())
    if la_ids is not None:
        viewed = viewed.filter(local_authority_id__in=la_ids)
    chosen = sorted(set(viewed.values_list("local_authority_id", flat=True)))
    if chosen:
        refresh_figures.enqueue(la_ids=chosen, day=timezone.localdate().isoformat())


# --- readers -----------------------------------------------------------------------------------


def dashboard(
    *, la: LocalAuthority, period: Period, today: dt.date, cohort: str = COHORT_PERIOD
) -> Kept:
    """The LA's dashboard figures for the period and cohort, as at ``today``."""
    view = DASHBOARD[cohort]
    stamp = versions([la.pk])[la.pk]
    row = _rows(view, period, today, [la.pk]).get(la.pk)
    if row is not None and _may_serve(row, stamp):
        return Kept(
            decode_dashboard(row.figures, la=la, period=period, today=today), row.computed_at
        )
    started = time.perf_counter()
    board = build_dashboard(la=la, period=period, today=today, cohort=cohort)
    computed_at = _keep(view, period, today, {la.pk: (encode_dashboard(board), stamp)}, started)
    return Kept(board, computed_at)


def comparison(*, las: list[LocalAuthority], period: Period, today: dt.date) -> Kept:
    """Every given LA's comparison figures (dict by LA id); ``computed_at`` is the oldest's.
    Those that may not be served are computed together, in a few grouped queries."""
    stamps = versions(la.pk for la in las)
    rows = _rows(COMPARISON, period, today, list(stamps))
    figures: dict[int, LaFigures] = {}
    oldest: dt.datetime | None = None
    for la in las:
        row = rows.get(la.pk)
        if row is not None and _may_serve(row, stamps[la.pk]):
            figures[la.pk] = decode_la_figures(row.figures)
            oldest = row.computed_at if oldest is None else min(oldest, row.computed_at)
    missing = [la for la in las if la.pk not in figures]
    if missing:
        started = time.perf_counter()
        computed = la_figures(las=missing, period=period, today=today)
        computed_at = _keep(
            COMPARISON,
            period,
            today,
            {la_id: (asdict(found), stamps[la_id]) for la_id, found in computed.items()},
            started,
        )
        figures.update(computed)
        oldest = computed_at if oldest is None else min(oldest, computed_at)
    return Kept(figures, oldest or timezone.now())


def refresh(*, la_ids: Iterable[int], today: dt.date) -> int:
    """Compute again today's kept figures of these LAs whose data changed since; how many."""
    stamps = versions(la_ids)
    stale = [
        row
        for row in Figures.objects.filter(local_authority_id__in=list(stamps), day=today)
        .select_related("local_authority")
        .order_by("pk")
        if row.stamp != stamps[row.local_authority_id]
    ]
    comparisons: dict[tuple[dt.date, dt.date, str], list[LocalAuthority]] = {}
    for row in stale:
        period = Period(row.period_start, row.period_end, row.period_label)
        if row.view == COMPARISON:
            comparisons.setdefault((row.period_start, row.period_end, row.period_label), []).append(
                row.local_authority
            )
            continue
        started = time.perf_counter()
        cohort = COHORT_NOW if row.view == DASHBOARD[COHORT_NOW] else COHORT_PERIOD
        board = build_dashboard(la=row.local_authority, period=period, today=today, cohort=cohort)
        _keep(
            row.view,
            period,
            today,
            {row.local_authority_id: (encode_dashboard(board), stamps[row.local_authority_id])},
            started,
        )
    for (start, end, label), las in comparisons.items():
        period = Period(start, end, label)
        started = time.perf_counter()
        computed = la_figures(las=las, period=period, today=today)
        _keep(
            COMPARISON,
            period,
            today,
            {pk: (asdict(f), stamps[pk]) for pk, f in computed.items()},
            started,
        )
    return len(stale)


@task()
def refresh_figures(la_ids: list[int], day: str) -> int:
    """Compute again the LAs' figures looked at that day whose data has changed since (the
    background task `_refresh_later` queues after a change commits)."""
    return refresh(la_ids=la_ids, today=dt.date.fromisoformat(day))


def _may_serve(row: Figures, stamp: str) -> bool:
    return row.stamp == stamp or timezone.now() - row.computed_at < settings.APTRACK_FIGURES_MAX_AGE


def _rows(view: str, period: Period, today: dt.date, la_ids: list[int]) -> dict[int, Figures]:
    found = Figures.objects.filter(
        view=view,
        day=today,
        period_start=period.start,
        period_end=period.end,
        local_authority_id__in=la_ids,
    ).only("local_authority_id", "stamp", "computed_at", "figures")
    return {row.local_authority_id: row for row in found}


def _keep(
    view: str,
    period: Period,
    today: dt.date,
    computed: dict[int, tuple[dict[str, Any], str]],
    started: float,
) -> dt.datetime:
    now = timezone.now()
    ms = round((time.perf_counter() - started) * 1000)
    Figures.objects.bulk_create(
        [
            Figures(
                local_authority_id=la_id,
                view=view,
                day=today,
                period_start=period.start,
                period_end=period.end,
                period_label=period.label[:100],
                stamp=stamp,
                figures=figures,
                computed_at=now,
                compute_ms=ms,
            )
            for la_id, (figures, stamp) in computed.items()
        ],
        update_conflicts=True,
        unique_fields=["local_authority", "view", "day", "period_start", "period_end"],
        update_fields=["period_label", "stamp", "figures", "computed_at", "compute_ms"],
    )
    Figures.objects.filter(computed_at__lt=now - KEEP_FOR).delete()
    return now


# --- numbers to JSON and back --------------------------------------------------------------------


def _number(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def _from_number(value: Any) -> Any:
    return Decimal(value) if isinstance(value, str) else value


def encode_dashboard(board: Dashboard) -> dict[str, Any]:
    return {
        "cohort": board.extra.get("cohort", COHORT_PERIOD),
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "note": section.note,
                "figures": [{**asdict(f), "value": _number(f.value)} for f in section.figures],
                "breakdowns": [
                    {
                        "key": b.key,
                        "title": b.title,
                        "unit": b.unit,
                        "chart": b.chart,
                        "note": b.note,
                        "total": b.total,
                        "rows": [{**asdict(r), "value": _number(r.value)} for r in b.rows],
                    }
                    for b in section.breakdowns
                ],
            }
            for section in board.sections
        ],
    }


def decode_dashboard(
    data: dict[str, Any], *, la: LocalAuthority, period: Period, today: dt.date
) -> Dashboard:
    sections = [
        Section(
            key=s["key"],
            title=s["title"],
            note=s["note"],
            figures=[Figure(**{**f, "value": _from_number(f["value"])}) for f in s["figures"]],
            breakdowns=[
                Breakdown(
                    key=b["key"],
                    title=b["title"],
                    unit=b["unit"],
                    chart=b["chart"],
                    note=b["note"],
                    total=b["total"],
                    rows=[Row(**{**r, "value": _from_number(r["value"])}) for r in b["rows"]],
                )
                for b in s["breakdowns"]
            ],
        )
        for s in data["sections"]
    ]
    return Dashboard(
        la=la, period=period, sections=sections, today=today, extra={"cohort": data["cohort"]}
    )


def decode_la_figures(data: dict[str, Any]) -> LaFigures:
    fields: dict[str, Any] = {
        name: SessionCounts(**value) if isinstance(value, dict) else value
        for name, value in data.items()
    }
    return LaFigures(**fields)
