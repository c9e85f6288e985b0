import datetime as dt

import pytest

from aptrack.organisations.tests.factories import la
from aptrack.providers.models import ProviderApproval
from aptrack.quality.models import Grade, VisitType
from aptrack.quality.selectors import summary as summary_selectors
from aptrack.quality.selectors import visits as visits_selectors
from aptrack.quality.services import visits as visits_services
from aptrack.quality.tests.conftest import AT, ON
from aptrack.quality.tests.factories import ProviderFactory, make_compliant, make_visit

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


@pytest.fixture
def dorset():
    return la("838").pk


def _due(dorset, **kwargs):
    return {
        row.provider.name: row
        for row in visits_selectors.list_audits_due(la_id=dorset, on=ON, **kwargs)
    }


def test_a_provider_never_audited_is_due(world, px, dorset):
    row = _due(dorset)[px.name]
    assert (row.last_audit_date, row.due_date, row.overdue, row.label) == (
        None,
        None,
        True,
        "Never audited",
    )


def test_an_audit_more_than_12_months_ago_is_overdue(world, px, dorset):
    make_visit(px, world.qa_lead_a, visit_date=dt.date(2025, 3, 1), completed=True)
    row = _due(dorset)[px.name]
    assert (row.due_date, row.overdue, row.label) == (dt.date(2026, 3, 1), True, "Overdue")


def test_an_audit_exactly_12_months_ago_is_not_yet_overdue(world, px, dorset):
    make_visit(px, world.qa_lead_a, visit_date=dt.date(2025, 3, 2), completed=True)
    assert px.name not in _due(dorset)
    row = _due(dorset, within_days=30)[px.name]
    assert (row.overdue, row.label) == (False, "Due soon")


def test_an_audit_falling_due_within_the_window_is_listed_only_when_asked(world, px, dorset):
    make_visit(px, world.qa_lead_a, visit_date=dt.date(2025, 3, 20), completed=True)
    assert px.name not in _due(dorset)
    assert _due(dorset, within_days=30)[px.name].due_date == dt.date(2026, 3, 20)
    assert px.name not in _due(dorset, within_days=10)


@pytest.mark.parametrize(
    "visit",
    [
        {"completed": False},  # a draft is not an audit yet
        {"completed": True, "visit_type": VisitType.MONITORING},  # not an annual audit
    ],
)
def test_only_a_completed_annual_audit_counts(world, px, dorset, visit):
    make_visit(px, world.qa_lead_a, visit_date=ON - 10 * DAY, **visit)
    assert _due(dorset)[px.name].last_audit_date is None


def test_another_las_audit_does_not_count_for_this_la(world, px, dorset):
    make_visit(px, world.officer_b, visit_date=ON - 10 * DAY, completed=True)
    assert _due(dorset)[px.name].last_audit_date is None


def test_audits_due_lists_only_providers_the_la_uses(world, px, pz, dorset):
    assert pz.name not in _due(dorset)
    ProviderApproval.objects.create(provider=pz, local_authority=la("838"))
    assert pz.name in _due(dorset)


def test_open_actions_past_due(world, px, dorset):
    visit = make_visit(px, world.qa_lead_a, visit_date=ON - 60 * DAY, completed=True)

    def add(days):
        return visits_services.add_action(
            actor=world.qa_lead_a,
            at=AT,
            visit=visit,
            text=f"Due {days}",
            owner_name="P",
            due_date=ON + days * DAY,
        )

    late, _today, _later = add(-1), add(0), add(5)
    done = add(-2)
    visits_services.set_action_status(actor=world.qa_lead_a, at=AT, action=done, target="DONE")
    assert visits_selectors.list_open_actions_past_due(la_id=dorset, on=ON) == [late]
    assert visits_selectors.list_open_actions_past_due(la_id=la("204").pk, on=ON) == []


def test_qa_summary_for_the_quality_board(world, px, dorset, django_assert_max_num_queries):
    other = ProviderFactory(home_la=la("838"), name="Other provider")
    make_compliant(other, world.officer_a, on=dt.date(2026, 8, 31))
    period = summary_selectors.Period.academic_year(ON)
    assert (period.start, period.end) == (dt.date(2025, 9, 1), dt.date(2026, 8, 31))
    audit = make_visit(
        px, world.qa_lead_a, visit_date=dt.date(2025, 10, 1), completed=True, overall=3
    )
    make_visit(
        px,
        world.qa_lead_a,
        visit_date=dt.date(2026, 1, 10),
        completed=True,
        overall=2,
        visit_type=VisitType.MONITORING,
    )
    make_visit(
        px, world.qa_lead_a, visit_date=dt.date(2025, 6, 1), completed=True, overall=4
    )  # before
    make_visit(px, world.officer_b, visit_date=dt.date(2025, 11, 1), completed=True)  # Hackney's
    make_visit(other, world.qa_lead_a, visit_date=dt.date(2026, 2, 1))  # draft
    visits_services.add_action(
        actor=world.qa_lead_a,
        at=AT,
        visit=audit,
        text="SCR",
        owner_name="P",
        due_date=dt.date(2025, 11, 1),
    )

    with django_assert_max_num_queries(8):
        summary = summary_selectors.qa_summary(la_id=dorset, period=period)

    assert summary.providers_used == 2
    assert summary.compliant_count == 1
    assert [row.provider for row in summary.not_compliant] == [px]
    assert dict(summary.visits_by_type) == {
        "Annual audit": 1,
        "Monitoring visit": 1,
        "Unannounced visit": 0,
    }
    assert dict(summary.overall_counts) == {
        Grade.STRONG: 0,
        Grade.GOOD: 1,
        Grade.REQUIRES_IMPROVEMENT: 1,
        Grade.INADEQUATE: 0,
    }
    area_one = summary.area_grades[0]
    assert (area_one.area_number, area_one.area_title) == (1, "Safeguarding and wellbeing")
    assert area_one.counts[2] == area_one.counts[3] > 0
    assert (summary.actions_raised, summary.actions_open, summary.actions_open_past_due) == (
        1,
        1,
        1,
    )
    rows = {row.provider.name: row for row in summary.providers}
    assert rows[px.name].visits_in_period == 2
    assert rows[px.name].last_overall == Grade.GOOD
    assert rows[px.name].open_actions == 1
    assert rows["Other provider"].last_visit_date is None
    assert [due.provider for due in summary.audits_due] == [other]


def test_a_running_period_is_reported_as_it_stands_on_the_day(world, px, dorset):
    visit = make_visit(px, world.qa_lead_a, visit_date=dt.date(2025, 10, 1), completed=True)
    visits_services.add_action(
        actor=world.qa_lead_a,
        at=AT,
        visit=visit,
        text="SCR",
        owner_name="P",
        due_date=ON + 10 * DAY,
    )
    make_compliant(px, world.officer_a, on=ON, days_left=20)
    period = summary_selectors.Period.academic_year(ON)
    today = summary_selectors.qa_summary(la_id=dorset, period=period, as_at=ON)
    year_end = summary_selectors.qa_summary(la_id=dorset, period=period)
    assert (today.as_at, today.compliant_count, today.actions_open_past_due) == (ON, 1, 0)
    assert (year_end.as_at, year_end.compliant_count, year_end.actions_open_past_due) == (
        period.end,
        0,
        1,
    )
