"""A small hand-made dashboard for pack and suppression tests that need exact numbers."""

import datetime as dt
from decimal import Decimal

from aptrack.oversight.measures.catalogue import Breakdown, Dashboard, Figure, Row, Section
from aptrack.oversight.measures.periods import Period


def sample_dashboard(la: object, period: Period, *, scale: int = 1) -> Dashboard:
    """Small numbers (1–4) next to safe ones, in every unit the pack formats."""
    return Dashboard(
        la=la,  # type: ignore[arg-type]
        period=period,
        today=period.end,
        sections=[
            Section(
                key="now",
                title="Children in AP now",
                figures=[
                    Figure(
                        "children_in_ap",
                        "Children in AP now",
                        40 * scale,
                        "count",
                        40 * scale,
                        "measure=children_in_ap",
                    ),
                    Figure(
                        "ehcp_share",
                        "Children in AP now with an EHCP",
                        Decimal("80.0"),
                        "percent",
                        32 * scale,
                        None,
                    ),
                    Figure(
                        "looked_after_in_ap", "Looked-after children in AP now", 3, "count", 3, None
                    ),
                    Figure(
                        "sixth_day_compliance",
                        "Permanently excluded children with provision by the sixth day",
                        Decimal("75.0"),
                        "percent",
                        4,
                        None,
                    ),
                    Figure(
                        "attendance_rate",
                        "Attendance in AP in the period",
                        None,
                        "percent",
                        None,
                        None,
                    ),
                    Figure(
                        "spend_to_date",
                        "Spend on placements in the period to date",
                        Decimal("123456.78"),
                        "gbp",
                        40,
                        None,
                    ),
                    Figure(
                        "average_length",
                        "Average length of placements ended in the period",
                        Decimal("276.4"),
                        "days",
                        12,
                        None,
                    ),
                    Figure("open_ended", "Open-ended placements", 0, "count", 0, None),
                ],
                breakdowns=[
                    Breakdown(
                        key="by_tier",
                        title="Children in AP now by tier",
                        unit="count",
                        chart="bar",
                        rows=[
                            Row("Tier 1", 2, 2, "measure=by_tier&value=1"),
                            Row("Tier 2", 30 * scale, 30 * scale, "measure=by_tier&value=2"),
                            Row("Tier 3", 8, 8, "measure=by_tier&value=3"),
                        ],
                    ),
                    Breakdown(
                        key="attendance_by_provider_type",
                        title="Attendance by provider type",
                        unit="percent",
                        chart="bar",
                        rows=[
                            Row("Registered providers", Decimal("61.5"), 30, None),
                            Row("Non-school providers", Decimal("44.0"), 1, None),
                        ],
                    ),
                ],
            ),
        ],
    )


def patch_build_dashboard(monkeypatch: object) -> list[tuple[Period, dt.date]]:
    """The store of figures (which the pack reads) returns the sample (twice the children in the
    current period's year, so changes are not zero); returns the calls made."""
    from aptrack.oversight.measures import store

    calls: list[tuple[Period, dt.date]] = []

    def fake(*, la: object, period: Period, today: dt.date, cohort: str = "period") -> store.Kept:
        calls.append((period, today))
        board = sample_dashboard(la, period, scale=2 if len(calls) == 1 else 1)
        return store.Kept(board, dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC))

    monkeypatch.setattr(store, "dashboard", fake)  # type: ignore[attr-defined]
    return calls
