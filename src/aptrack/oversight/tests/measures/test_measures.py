"""The dashboard's figures on a small known dataset (see dashboard_data for the workings), and
the rule that the list behind every number has that number of children."""

import datetime as dt
from decimal import Decimal
from urllib.parse import parse_qs

import pytest

from aptrack.oversight.measures.build import build_dashboard, children_for
from aptrack.oversight.measures.catalogue import HEADLINE_KEYS, measure_catalogue
from aptrack.oversight.tests import dashboard_data
from aptrack.oversight.tests.dashboard_data import AUTUMN, LAST_YEAR, TODAY

dataset = dashboard_data.dataset

pytestmark = pytest.mark.django_db


def _rows(board, key):
    return {row.label: (row.value, row.count) for row in board.breakdown(key).rows}


def _value(board, key):
    return board.figure(key).value


def _children(board, query, cohort="period"):
    params = parse_qs(query)
    return children_for(
        la=board.la,
        period=board.period,
        today=TODAY,
        measure=params["measure"][0],
        value=params.get("value", [None])[0],
        cohort=params.get("cohort", [cohort])[0],
    )


def test_children_in_ap_now_and_who_they_are(dataset):
    board = build_dashboard(la=dataset.dorset, period=AUTUMN, today=TODAY)
    assert _value(board, "children_in_ap") == 3  # c1, c2, c4: c3 ended, c7 only planned
    assert _value(board, "ehcp_share") == Decimal("66.7")  # c1 and c2 of 3
    assert board.figure("ehcp_share").count == 2 and board.figure("ehcp_share").of == 3
    assert _value(board, "looked_after_in_ap") == 1
    assert _value(board, "part_time_now") == 1
    assert _value(board, "out_of_area_now") == 2  # the tuition provider is in Hackney
    assert _value(board, "unregistered_now") == 2
    assert _value(board, "children_in_ap_period") == 4  # and c3, who ended in October


def test_placements_needing_attention(dataset):
    board = build_dashboard(la=dataset.dorset, period=AUTUMN, today=TODAY)
    assert _value(board, "open_ended") == 1  # c2
    assert _value(board, "open_ended_no_exit_plan") == 1
    assert (
        _value(board, "drift") == 1
    )  # c4, planned to end 1 October; c2 open-ended with a justification
    assert _value(board, "reviews_overdue") == 2  # c2 and c4; c1 was reviewed on 1 November
    assert _value(board, "longest_length") == Decimal("25.0")  # c4: 175 days since 1 June
    assert set(_children(board, board.figure("reviews_overdue").drilldown)) == {
        dataset.c2,
        dataset.c4,
    }


def test_breakdowns_of_the_children_in_ap_during_the_period(dataset):
    board = build_dashboard(la=dataset.dorset, period=AUTUMN, today=TODAY)
    assert _rows(board, "by_tier") == {
        "Tier 2: time-limited": (3, 3),
        "Tier 3: transitional": (1, 1),
    }
    assert _rows(board, "by_route") == {
        "Permanent exclusion": (1, 1),
        "EHCP: setting named in the plan": (1, 1),
        "No referral recorded": (2, 2),
    }
    assert _rows(board, "by_provider_type") == {
        "Registered (school) providers": (2, 2),
        "Unregistered (non-school) providers": (2, 2),
    }
    assert _rows(board, "by_area") == {"In the LA's area": (2, 2), "Out of area": (2, 2)}
    assert _rows(board, "by_provider") == {"Heathside PRU": (2, 2), "Far Tuition": (2, 2)}
    assert _rows(board, "by_year_group") == {"Year 7": (1, 1), "Year 9": (1, 1), "Year 11": (2, 2)}
    assert _rows(board, "by_sen") == {
        "No special educational needs": (1, 1),
        "SEN support": (1, 1),
        "Education, health and care plan": (2, 2),
    }
    assert _rows(board, "by_looked_after") == {"Looked after": (1, 1), "Not looked after": (3, 3)}
    assert _rows(board, "by_fsm") == {
        "Eligible for free school meals": (1, 1),
        "Not eligible": (3, 3),
    }
    assert board.breakdown("by_tier").total == 4


def test_the_now_cohort_counts_only_children_in_ap_today(dataset):
    board = build_dashboard(la=dataset.dorset, period=AUTUMN, today=TODAY, cohort="now")
    assert _rows(board, "by_tier") == {
        "Tier 2: time-limited": (2, 2),
        "Tier 3: transitional": (1, 1),
    }
    row = next(r for r in board.breakdown("by_tier").rows if r.label.startswith("Tier 2"))
    assert "cohort=now" in row.drilldown
    assert set(_children(board, row.drilldown)) == {dataset.c1, dataset.c4}


def test_referrals_and_placements_by_month(dataset):
    board = build_dashboard(la=dataset.dorset, period=AUTUMN, today=TODAY)
    assert _value(board, "referrals_in_period") == 3  # c1, c2, c6; the draft is not a referral
    assert _rows(board, "referrals_by_month") == {
        "Sep 2026": (1, 1),
        "Oct 2026": (1, 1),
        "Nov 2026": (1, 1),
    }
    assert _value(board, "placements_started") == 3  # c1, c2, c3; c4 started in June
    assert _rows(board, "placements_by_month") == {
        "Sep 2026": (2, 2),
        "Oct 2026": (1, 1),
        "Nov 2026": (0, 0),
    }
    assert _value(board, "placements_ended") == 1
    assert _value(board, "average_length") == Decimal("5.6")  # c3: 39 days


def test_sixth_day_compliance(dataset):
    board = build_dashboard(la=dataset.dorset, period=AUTUMN, today=TODAY)
    assert _value(board, "permanent_exclusions") == 2
    assert _value(board, "sixth_day_compliance") == Decimal("50.0")  # c1 placed on day 3, c6 never
    assert _value(board, "sixth_day_missed") == 1
    assert list(_children(board, board.figure("sixth_day_missed").drilldown)) == [dataset.c6]
    assert list(_children(board, board.figure("sixth_day_compliance").drilldown)) == [dataset.c1]


def test_attendance_by_provider_type_and_provider(dataset):
    board = build_dashboard(la=dataset.dorset, period=AUTUMN, today=TODAY)
    assert _value(board, "attendance_rate") == Decimal("65.0")  # 13 of 20 sessions
    assert board.figure("attendance_rate").count == 2
    assert _value(board, "persistent_absence") == 2
    assert _rows(board, "attendance_by_provider_type") == {
        "Registered (school) providers": (Decimal("80.0"), 1),
        "Unregistered (non-school) providers": (Decimal("50.0"), 1),
    }
    assert _rows(board, "attendance_by_provider") == {
        "Far Tuition": (Decimal("50.0"), 1),
        "Heathside PRU": (Decimal("80.0"), 1),
    }


def test_outcomes_and_destinations(dataset):
    autumn = build_dashboard(la=dataset.dorset, period=AUTUMN, today=TODAY)
    assert _value(autumn, "reintegration_rate") == Decimal("100.0")  # c3 back to the home school
    assert _value(autumn, "neet_destinations") == 0
    assert _rows(autumn, "destinations") == {"Back to the home school": (1, 1)}
    assert _value(autumn, "english_maths") is None  # no KS4 results recorded
    last_year = build_dashboard(la=dataset.dorset, period=LAST_YEAR, today=TODAY)
    assert _value(last_year, "reintegration_rate") == Decimal("0.0")
    assert _value(last_year, "neet_destinations") == 1  # c5
    assert _value(last_year, "children_in_ap_period") == 2  # c5, and c4 from 1 June


def test_spend_to_date_from_weekly_costs(dataset):
    board = build_dashboard(la=dataset.dorset, period=AUTUMN, today=TODAY)
    # c1 £500 x 69 days, c2 £300 x 50 days, c3 £400 x 40 days, each ÷ 7: £9,357.
    assert _value(board, "spend_to_date") == Decimal("9357")
    assert board.figure("spend_to_date").count == 3
    assert _rows(board, "spend_by_provider") == {
        "Heathside PRU": (Decimal("7214"), 2),
        "Far Tuition": (Decimal("2143"), 1),
    }
    assert _value(board, "average_weekly_cost") == Decimal("400")  # c1 £500 and c2 £300 now


def test_a_period_still_to_come_has_no_activity(dataset):
    from aptrack.oversight.measures.periods import Period

    board = build_dashboard(la=dataset.dorset, period=Period.term(2026, 2), today=TODAY)
    assert _value(board, "children_in_ap_period") == 0
    assert _value(board, "spend_to_date") == 0
    assert _value(board, "attendance_rate") is None
    assert board.breakdown("referrals_by_month").rows == []


def test_another_las_children_are_never_counted(dataset):
    board = build_dashboard(la=dataset.hackney, period=AUTUMN, today=TODAY)
    assert _value(board, "children_in_ap") == 1
    assert list(_children(board, board.figure("children_in_ap").drilldown)) == [
        dataset.hackney_child
    ]


def test_every_list_has_as_many_children_as_its_number(dataset):
    for period in (AUTUMN, LAST_YEAR):
        for cohort in ("period", "now"):
            board = build_dashboard(la=dataset.dorset, period=period, today=TODAY, cohort=cohort)
            checked = 0
            for section in board.sections:
                for figure in section.figures:
                    if figure.drilldown and figure.count is not None:
                        assert _children(board, figure.drilldown).count() == figure.count, (
                            figure.key
                        )
                        checked += 1
                for breakdown in section.breakdowns:
                    for row in breakdown.rows:
                        assert _children(board, row.drilldown).count() == row.count, (
                            breakdown.key,
                            row.label,
                        )
                        checked += 1
            assert checked > 40


def test_unknown_measures_and_values_are_refused(dataset):
    for measure, value in (
        ("no_such_measure", None),
        ("by_tier", "x"),
        ("by_route", "NOPE"),
        ("by_sex", "Q"),
    ):
        with pytest.raises(KeyError):
            children_for(
                la=dataset.dorset, period=AUTUMN, today=TODAY, measure=measure, value=value
            )


def test_the_catalogue_names_every_figure_and_the_headline(dataset):
    keys = dict(measure_catalogue())
    board = build_dashboard(la=dataset.dorset, period=AUTUMN, today=TODAY)
    figures = [f.key for s in board.sections for f in s.figures]
    assert sorted(figures) == sorted(keys)
    assert [f.key for f in board.headline()] == list(HEADLINE_KEYS)
    assert all(f.label == keys[f.key] for s in board.sections for f in s.figures)


def test_the_dashboard_takes_a_bounded_number_of_queries(dataset, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        build_dashboard(la=dataset.dorset, period=AUTUMN, today=TODAY)


def test_year_groups_are_counted_on_the_last_day_of_the_period_so_far(dataset):
    from aptrack.oversight.measures.periods import Period

    summer = Period.custom(dt.date(2026, 6, 1), dt.date(2026, 7, 1))
    board = build_dashboard(la=dataset.dorset, period=summer, today=TODAY)
    # c4, born December 2010, was in Year 10 in June 2026.
    assert _rows(board, "by_year_group") == {"Year 10": (1, 1)}


def test_english_and_maths_from_the_outcomes_apps_ks4_results(dataset):
    from django.utils import timezone

    from aptrack.outcomes.models import AttainmentRecord
    from aptrack.placements.models import Placement

    ended = Placement.objects.get(child=dataset.c3)  # c3 left AP in the autumn term
    for subject, grade in (("ENGLISH", 5), ("MATHS", 4)):
        AttainmentRecord.objects.create(
            placement=ended,
            subject=subject,
            point="KS4_RESULT",
            grade=grade,
            assessed_date=dt.date(2026, 8, 20),
            recorded_by=dataset.p1.referral.referrer,
            recorded_at=timezone.now(),
        )
    board = build_dashboard(la=dataset.dorset, period=AUTUMN, today=TODAY)
    figure = board.figure("english_maths")
    assert (figure.value, figure.count, figure.of) == (Decimal("100.0"), 1, 1)
    assert list(_children(board, figure.drilldown)) == [dataset.c3]


def test_placement_moves_and_primary_age_provision(dataset):
    from aptrack.children.tests.factories import ChildFactory
    from aptrack.placements.tests.factories import PlanFactory

    # c3 moves from the PRU to a second placement; a Year 4 child has tuition.
    PlanFactory(child=dataset.c3, provider=dataset.p2.provider, start_date=dt.date(2026, 10, 19))
    year_4 = ChildFactory(home_la=dataset.dorset, date_of_birth=dt.date(2017, 10, 1))
    PlanFactory(child=year_4, provider=dataset.p2.provider, start_date=dt.date(2026, 11, 2))
    board = build_dashboard(la=dataset.dorset, period=AUTUMN, today=TODAY)
    assert _value(board, "placement_moves") == 1
    assert list(_children(board, board.figure("placement_moves").drilldown)) == [dataset.c3]
    assert _rows(board, "primary_by_provider_kind") == {"Tuition": (1, 1)}
    row = board.breakdown("primary_by_provider_kind").rows[0]
    assert list(_children(board, row.drilldown)) == [year_4]


@pytest.mark.parametrize("cohort", ["period", "now"])
def test_placement_breakdowns_read_at_once_equal_each_read_alone(dataset, cohort):
    from aptrack.children.tests.factories import ChildFactory
    from aptrack.oversight.measures import cohort as measures_cohort
    from aptrack.oversight.measures.base import Context
    from aptrack.placements.tests.factories import PlanFactory

    # A child in two groups (a move), and a primary-age child, so no group is trivially one row.
    PlanFactory(child=dataset.c3, provider=dataset.p2.provider, start_date=dt.date(2026, 10, 19))
    year_4 = ChildFactory(home_la=dataset.dorset, date_of_birth=dt.date(2017, 10, 1))
    PlanFactory(child=year_4, provider=dataset.p2.provider, start_date=dt.date(2026, 11, 2))
    ctx = Context(la_id=dataset.dorset.pk, period=AUTUMN, today=TODAY, cohort=cohort)
    at_once = measures_cohort.placement_breakdowns(ctx, total=9)
    alone = [
        measures_cohort.placement_breakdown(ctx, group, total=9)
        for group in measures_cohort.PLACEMENT_GROUPS
    ]
    assert at_once == alone
    assert sum(len(b.rows) for b in at_once) > len(at_once)
