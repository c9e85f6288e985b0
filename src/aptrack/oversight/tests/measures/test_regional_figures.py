"""The regional figures are the dashboard's: each LA's numbers equal `build_dashboard`'s for the
same period and day; areas add up their LAs; small numbers are suppressed in the tables."""

from decimal import Decimal

import pytest

from aptrack.organisations.tests.factories import la
from aptrack.oversight.measures import regional as regional_measures
from aptrack.oversight.measures.build import build, build_dashboard
from aptrack.oversight.regional import table
from aptrack.oversight.tests.regional_samples import AUTUMN, TODAY, populate

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(world):
    populate(world)
    return regional_measures.la_figures(las=[la("838"), la("204")], period=AUTUMN, today=TODAY)


def _row(breakdown, label_start):
    return next((row for row in breakdown.rows if row.label.startswith(label_start)), None)


@pytest.mark.parametrize("code", ["838", "204"])
def test_each_las_figures_equal_the_dashboards(figures, code):
    authority = la(code)
    mine = figures[authority.pk]
    board = build_dashboard(la=authority, period=AUTUMN, today=TODAY)
    assert mine.children_now == board.figure("children_in_ap").value
    assert mine.ehcp_share == board.figure("ehcp_share").value
    assert mine.looked_after_now == board.figure("looked_after_in_ap").value
    assert mine.attendance_rate == board.figure("attendance_rate").value
    assert mine.attendance_children == board.figure("attendance_rate").count
    assert mine.excluded == board.figure("permanent_exclusions").value
    assert mine.sixth_day_compliance == board.figure("sixth_day_compliance").value
    assert mine.reintegration_rate == board.figure("reintegration_rate").value
    by_type = board.breakdown("attendance_by_provider_type")
    registered, non_school = _row(by_type, "Registered"), _row(by_type, "Unregistered")
    assert mine.registered_attendance_rate == (registered.value if registered else None)
    assert mine.non_school_attendance_rate == (non_school.value if non_school else None)
    now = build(la=authority, period=AUTUMN, today=TODAY, cohort="now")
    fsm = _row(now.breakdown("by_fsm"), "Eligible")
    assert mine.fsm_now == (fsm.value if fsm else 0)


def test_dorsets_figures(figures):
    dorset = figures[la("838").pk]
    # child_a, 6 more, and the excluded child placed on 4 November.
    assert dorset.children_now == 8
    assert (dorset.ehcp_now, dorset.looked_after_now, dorset.fsm_now) == (3, 2, 4)
    assert dorset.ehcp_share == Decimal("37.5")
    assert dorset.attendance_rate == Decimal("66.7")  # 2 of 3 children present all week
    assert (dorset.excluded, dorset.sixth_day_met) == (2, 1)
    assert (dorset.ended, dorset.reintegrated) == (6, 4)
    assert dorset.reintegration_rate == Decimal("66.7")


def test_an_area_adds_up_numerators_and_denominators_not_rates(figures):
    dorset, hackney = figures[la("838").pk], figures[la("204").pk]
    both = dorset + hackney
    assert both.children_now == dorset.children_now + hackney.children_now == 9
    assert both.ehcp_share == Decimal("33.3")  # 3 of 9, not the mean of 37.5% and 0%


def test_tables_suppress_small_numbers_and_rates_of_few_children(figures):
    dorset = table.row("Dorset", figures[la("838").pk]).cells
    hackney = table.row("Hackney", figures[la("204").pk]).cells
    cells = dict(zip([m.key for m in table.MEASURES], dorset, strict=True))
    assert cells["children_now"] == "8"
    assert cells["ehcp_share"] == "c"  # 3 children with an EHCP
    assert cells["looked_after_share"] == "c"
    assert cells["fsm_share"] == "c"
    assert cells["attendance_rate"] == "c"  # 3 children with sessions
    assert cells["sixth_day_compliance"] == "c"  # 1 of 2
    assert cells["reintegration_rate"] == "c"  # 4 of 6: 4 is small
    assert dict(zip([m.key for m in table.MEASURES], hackney, strict=True))["children_now"] == "c"
    # Nothing about a child: only numbers, "c" and "–".
    for value in dorset + hackney:
        assert (
            value in ("c", "–")
            or value.replace(".", "").replace("%", "").replace(",", "").isdigit()
        )


def test_published_national_figures_are_labelled_with_their_sources():
    row = table.published_row()
    cells = dict(zip([m.key for m in table.MEASURES], row.cells, strict=True))
    assert cells["attendance_rate"] == "57.5%"
    assert cells["fsm_share"] == "47%"
    assert cells["sixth_day_compliance"] == table.NOT_PUBLISHED
    sources = dict(table.sources())
    assert "2023/24" in sources["Attendance"]
    assert "Centre for Social Justice" in sources["Eligible for free school meals"]


def test_comparison_shows_the_difference_unless_either_side_is_suppressed(figures):
    dorset, hackney = figures[la("838").pk], figures[la("204").pk]
    lines = {
        line.label: line for line in table.comparison(dorset, dorset, dorset, dorset + hackney)
    }
    assert lines["Children in AP now"].difference == "0"
    assert lines["Children in AP now"].england == "9"
    lines = {
        line.label: line for line in table.comparison(dorset, hackney, dorset, dorset + hackney)
    }
    assert lines["Children in AP now"].difference == "c"


def test_sixth_day_reads_do_not_grow_with_the_number_of_las(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from aptrack.oversight.measures.duties import sixth_day_children_by_la

    populate(world)
    dorset = la("838").pk
    every_la = list(type(la("838")).objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as one:
        alone = sixth_day_children_by_la(la_ids=[dorset], period=AUTUMN, today=TODAY)
    with CaptureQueriesContext(connection) as all_las:
        together = sixth_day_children_by_la(la_ids=every_la, period=AUTUMN, today=TODAY)
    # the exclusions, term dates, closure days and the excluded children's placements
    assert len(all_las.captured_queries) == len(one.captured_queries) == 4
    assert together == alone  # Hackney had no exclusion fall due in the autumn


def test_an_areas_total_does_not_give_back_a_suppressed_la(figures):
    # Dorset 8 children and Hackney 1 in one area of 9: showing 8 and 9 would give Hackney's 1 back.
    dorset, hackney = figures[la("838").pk], figures[la("204").pk]
    area = dorset + hackney
    hidden = table.hidden_cells([("area", area, [("838", dorset), ("204", hackney)])], area)
    shown = {
        key: dict(
            zip(
                [m.key for m in table.MEASURES],
                table.row(key, f, key=key, hidden=hidden).cells,
                strict=True,
            )
        )
        for key, f in (("838", dorset), ("204", hackney), ("area", area), ("england", area))
    }
    assert shown["204"]["children_now"] == "c"
    children = [shown[key]["children_now"] for key in ("838", "area", "england")]
    assert "c" in children  # one more number hidden, so 9 − 8 cannot be worked out
    assert shown["england"]["children_now"] == shown["area"]["children_now"]


def test_an_area_with_no_data_shows_a_dash_not_c(figures):
    dorset = figures[la("838").pk]
    empty = regional_measures.LaFigures()
    england = dorset + empty
    hidden = table.hidden_cells([("SW", dorset, [("838", dorset)]), ("NE", empty, [])], england)
    cells = dict(
        zip(
            [m.key for m in table.MEASURES],
            table.row("NE", empty, key="NE", hidden=hidden).cells,
            strict=True,
        )
    )
    assert cells["sixth_day_compliance"] == "–"
    assert cells["reintegration_rate"] == "–"
