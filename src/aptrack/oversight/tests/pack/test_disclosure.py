"""A publication copy gives no suppressed number back: the test plays a reader with the published
pack who adds and subtracts (rows against their total, a rate against its denominator, a figure
against the rows it sums) and fails if any "c" can be worked out."""

from decimal import ROUND_HALF_UP, Decimal

import pytest

from aptrack.organisations.tests.factories import la
from aptrack.oversight.measures.build import build_dashboard
from aptrack.oversight.measures.catalogue import Breakdown, Dashboard, Figure, Row, Section
from aptrack.oversight.measures.periods import Period
from aptrack.oversight.pack import suppression
from aptrack.oversight.pack.build import every_figure
from aptrack.oversight.tests.regional_samples import AUTUMN as REGIONAL_AUTUMN
from aptrack.oversight.tests.regional_samples import TODAY, populate

AUTUMN = Period.term(2026, 0)
C = suppression.SUPPRESSED


def _rows(key: str, counts: list[tuple[str, int]], values: list[str] | None = None) -> list[Row]:
    values = values or [label for label, _ in counts]
    return [
        Row(label, n, n, f"measure={key}&value={value}")
        for (label, n), value in zip(counts, values, strict=True)
    ]


def _percent(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def issue_dashboard() -> Dashboard:
    """The numbers from the issue: 388 children, 3 of unknown sex; 13 permanently excluded, 12 with
    provision by the sixth day; destinations with one small row; spend by tier."""
    destinations = [
        ("HOME_SCHOOL", 20),
        ("NEW_MAINSTREAM", 9),
        ("POST_16", 14),
        ("NEET", 2),
        ("CME", 6),
    ]
    return Dashboard(
        la="Dorset",  # type: ignore[arg-type]
        period=AUTUMN,
        sections=[
            Section(
                "period",
                "In the period",
                [
                    Figure("children_in_ap_period", "Children in AP", 388, "count", 388, None),
                    Figure("placements_ended", "Ended", 51, "count", 51, None),
                    Figure(
                        "reintegration_rate",
                        "Reintegrated",
                        _percent(29, 51),
                        "percent",
                        29,
                        None,
                        of=51,
                    ),
                    Figure("neet_destinations", "NEET", 8, "count", 8, None, of=51),
                    Figure("spend_to_date", "Spend", Decimal("90000"), "gbp", 60, None),
                ],
                [
                    Breakdown(
                        "by_sex",
                        "By sex",
                        "count",
                        _rows("by_sex", [("Female", 117), ("Male", 268), ("Not known", 3)]),
                        "bar",
                        total=388,
                    ),
                    Breakdown(
                        "by_looked_after",
                        "Looked after",
                        "count",
                        _rows("by_looked_after", [("Looked after", 2), ("Not looked after", 386)]),
                        "bar",
                        total=388,
                    ),
                    Breakdown(
                        "by_fsm",
                        "FSM",
                        "count",
                        _rows(
                            "by_fsm", [("Eligible", 1), ("Not eligible", 1), ("Not recorded", 386)]
                        ),
                        "bar",
                        total=388,
                    ),
                    Breakdown(
                        "destinations",
                        "Destinations",
                        "count",
                        _rows(
                            "destinations",
                            [(v, n) for v, n in destinations],
                            [v for v, _ in destinations],
                        ),
                        "bar",
                    ),
                    Breakdown(
                        "spend_by_tier",
                        "Spend by tier",
                        "gbp",
                        [
                            Row("Tier 1", Decimal("1000"), 2, None),
                            Row("Tier 2", Decimal("50000"), 40, None),
                            Row("Tier 3", Decimal("39000"), 18, None),
                        ],
                        "bar",
                    ),
                ],
            ),
            Section(
                "duties",
                "Sixth day",
                [
                    Figure("permanent_exclusions", "PEx", 13, "count", 13, None),
                    Figure(
                        "sixth_day_compliance",
                        "By the sixth day",
                        _percent(12, 13),
                        "percent",
                        12,
                        None,
                        of=13,
                    ),
                    Figure("sixth_day_missed", "Missed", 1, "count", 1, None),
                    Figure("ehcp_share", "EHCP", _percent(385, 388), "percent", 385, None, of=388),
                ],
                [],
            ),
        ],
    )


def _number(value: object) -> Decimal | None:
    return None if value is None or value == C else Decimal(str(value))


def _solve(total: Decimal | None, parts: list[object]) -> list[Decimal | None]:
    """What a reader gets for each "c" in parts from the total: the one missing value, or 1
    each when the "c"s add up to exactly one child each."""
    unknown = [i for i, value in enumerate(parts) if _number(value) is None]
    if total is None or not unknown:
        return [None] * len(parts)
    rest = total - sum(_number(value) for value in parts if _number(value) is not None)
    found: list[Decimal | None] = [None] * len(parts)
    if len(unknown) == 1:
        found[unknown[0]] = rest
    elif rest == len(unknown):
        for i in unknown:
            found[i] = Decimal(1)
    return found


def recovered(published: Dashboard, original: Dashboard) -> list[str]:
    """Every suppressed number (or small implied number) a reader works out."""
    leaks: list[str] = []

    def figure(key: str) -> Decimal | None:
        shown = published.figure(key)
        return _number(shown.value) if shown else None

    def implied_count(key: str) -> Decimal | None:
        shown, real = published.figure(key), original.figure(key)
        if shown is None or _number(shown.value) is None or real.of is None:
            return None
        return (Decimal(shown.value) * real.of / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)

    for section in published.sections:
        for breakdown in section.breakdowns:
            total = figure(suppression.BREAKDOWN_TOTALS.get(breakdown.key, "")) or (
                Decimal(breakdown.total) if breakdown.total is not None else None
            )
            values = [row.value for row in breakdown.rows]
            for row, found in zip(breakdown.rows, _solve(total, values), strict=True):
                if found is not None:
                    leaks.append(f"{breakdown.key}: {row.label} = {found}")
        for shown in section.figures:
            real = original.figure(shown.key)
            count = implied_count(shown.key)
            if count is not None and suppression.is_small(int(real.of - count)):
                leaks.append(f"{shown.key}: {real.of - count} not counted")
    # 13 children at 92.3% leaves 1 without sixth-day provision.
    pex, met, missed = (
        figure("permanent_exclusions"),
        implied_count("sixth_day_compliance"),
        figure("sixth_day_missed"),
    )
    if pex is not None and met is not None and missed is None:
        leaks.append(f"sixth_day_missed = {pex - met}")
    if (
        pex is not None
        and missed is not None
        and met is None
        and suppression.is_small(int(pex - missed))
    ):
        leaks.append(f"sixth_day_compliance count = {pex - missed}")
    # Figures that sum some rows: NEET = NEET + CME destinations; reintegrated = two rows.
    for key, (breakdown_key, values) in suppression.ROW_SUBSETS.items():
        breakdown = published.breakdown(breakdown_key)
        if breakdown is None or published.figure(key) is None:
            continue
        total = figure(key) if published.figure(key).unit == "count" else implied_count(key)
        rows = [
            row
            for row in breakdown.rows
            if row.drilldown.endswith(tuple(f"value={v}" for v in values))
        ]
        for row, found in zip(rows, _solve(total, [row.value for row in rows]), strict=True):
            if found is not None:
                leaks.append(f"{key}: {row.label} = {found}")
    return leaks


def test_the_issue_subtractions_recover_the_small_numbers_without_secondary_suppression() -> None:
    # Primary suppression alone is what the issue found: the reader gets them all back.
    original = issue_dashboard()
    primary_only = Dashboard(
        la=original.la,
        period=original.period,
        sections=[
            Section(
                s.key,
                s.title,
                [suppression.suppress_figure(f) for f in s.figures],
                [
                    Breakdown(
                        b.key,
                        b.title,
                        b.unit,
                        [suppression.suppress_row(r) for r in b.rows],
                        b.chart,
                        total=b.total,
                    )
                    for b in s.breakdowns
                ],
            )
            for s in original.sections
        ],
    )
    leaks = recovered(primary_only, original)
    assert "by_sex: Not known = 3" in leaks
    assert "sixth_day_missed = 1" in leaks
    assert any(leak.startswith("destinations: NEET") for leak in leaks)


def test_no_suppressed_number_can_be_worked_out_from_the_publication_copy() -> None:
    original = issue_dashboard()
    published = suppression.suppress_dashboard(original)
    assert recovered(published, original) == []
    sexes = [row.value for row in published.breakdown("by_sex").rows]
    assert sexes == [C, 268, C]  # the next smallest row hides the 3
    assert published.figure("sixth_day_compliance").value == C
    assert published.figure("sixth_day_missed").value == C
    assert published.figure("ehcp_share").value == C  # 385 of 388: 3 without an EHCP
    fsm = [row.value for row in published.breakdown("by_fsm").rows]
    assert fsm.count(C) == 3  # two "c"s adding to 2 would be one child each
    spend = [row.value for row in published.breakdown("spend_by_tier").rows]
    assert spend.count(C) == 2
    assert published.figure("children_in_ap_period").value == 388  # large numbers stay


@pytest.mark.django_db
def test_a_publication_copy_of_a_real_dashboard_gives_nothing_back(world) -> None:
    populate(world)
    board = build_dashboard(la=la("838"), period=REGIONAL_AUTUMN, today=TODAY)
    published = suppression.suppress_dashboard(board)
    assert recovered(published, board) == []
    assert any(value == C for _, _, value in every_figure(published))
