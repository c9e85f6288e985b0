import dataclasses
import datetime as dt

import pytest

from aptrack.alerts.models import Alert
from aptrack.alerts.permissions import scope_alerts
from aptrack.alerts.states import AlertKind
from aptrack.attendance import services as attendance_services
from aptrack.attendance.loading import MarkRow
from aptrack.attendance.models import MarkChannel
from aptrack.audit.models import AuditAction, AuditEvent, Channel
from aptrack.children.tests.factories import PlacementFactory
from aptrack.placements.models import Placement
from aptrack.reports import rules, services
from aptrack.reports.models import IncidentCategory, ProviderReport
from aptrack.reports.tests.conftest import AT, AUTUMN_1

pytestmark = pytest.mark.django_db


def _data(outcome=None, **changes) -> services.ReportData:
    data = services.ReportData(
        half_term_start=AUTUMN_1,
        english="Reads a chapter a week",
        maths="Fractions secure",
        wellbeing="Settled",
        next_steps="Start GCSE English",
        progress={outcome.pk: (3, "Most mornings")} if outcome else {},
        child_words="I like it here",
        child_words_with_staff=True,
        family_words="She gets up now",
    )
    return dataclasses.replace(data, **changes)


def _submit(world, placement, data, at=AT) -> ProviderReport:
    return services.submit_report(
        placement=placement, data=data, by=world.provider_x, at=at, channel=Channel.WEB, where="/t"
    )


def test_attendance_is_filled_from_the_marks_of_the_half_term(world, placement, outcome):
    attendance_services.record_marks(
        provider=world.provider_x.organisation,
        marks=[
            MarkRow(child_id=world.child_a.pk, date="2026-09-07", session="AM", code="/"),
            MarkRow(child_id=world.child_a.pk, date="2026-09-07", session="PM", code="N"),
            # Autumn 2: not this report's half term.
            MarkRow(child_id=world.child_a.pk, date="2026-11-03", session="AM", code="N"),
        ],
        actor=world.provider_x,
        channel=MarkChannel.API,
        at=AT,
        today=AT.date(),
    )
    report = _submit(world, placement, _data(outcome))
    assert (report.possible_sessions, report.attended_sessions) == (2, 1)
    assert report.attendance_percent == 50
    assert (report.half_term_name, report.version) == ("Autumn 1", 1)
    assert report.progress.get().score == 3
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATED, child_id=world.child_a.pk, where="/t"
    ).exists()


def test_a_correction_is_a_new_version_saying_what_it_corrects(world, placement, outcome):
    first = _submit(world, placement, _data(outcome))
    with pytest.raises(services.ReportInvalid) as refused:
        _submit(world, placement, _data(outcome, maths="Long division"))
    assert refused.value.errors == {"correction_reason": [services.CORRECTION_REASON_MISSING]}
    second = _submit(
        world, placement, _data(outcome, maths="Long division", correction_reason="Wrong topic")
    )
    first.refresh_from_db()
    assert (first.version, first.maths, second.version) == (1, "Fractions secure", 2)


def test_every_intended_outcome_is_scored(world, placement, outcome):
    with pytest.raises(services.ReportInvalid) as refused:
        _submit(world, placement, _data())
    assert refused.value.errors == {None: [services.OUTCOMES_MISSING]}


@pytest.mark.parametrize(
    "start",
    [
        dt.date(2027, 1, 4),  # Spring 1: not started on 5 November
        dt.date(2026, 6, 1),  # Summer 2 2026: before the placement
        dt.date(2026, 9, 3),  # not the first day of a half term
    ],
)
def test_only_a_half_term_the_placement_ran_in_and_that_has_started(world, placement, start):
    with pytest.raises(services.ReportInvalid) as refused:
        _submit(world, placement, _data(half_term_start=start))
    assert refused.value.errors == {"half_term": [services.HALF_TERM_UNKNOWN]}
    assert not ProviderReport.objects.exists()


def test_a_report_is_overdue_from_the_day_after_it_is_due(world, placement):
    dorset = world.child_a.home_la_id
    due = dt.date(2026, 11, 2)
    assert rules.due_date(dt.date(2026, 10, 23)) == due
    assert rules.list_overdue_reports(la_id=dorset, on=due) == []
    overdue = rules.list_overdue_reports(la_id=dorset, on=due + dt.timedelta(days=1))
    assert [(d.placement.pk, d.half_term.name) for d in overdue] == [(placement.pk, "Autumn 1")]
    # Hackney's placement is Hackney's.
    assert all(d.placement.child_id != world.child_b.pk for d in overdue)
    _submit(world, placement, _data())
    assert rules.list_overdue_reports(la_id=dorset, on=due + dt.timedelta(days=1)) == []


def test_a_school_commissioned_placement_is_on_the_home_las_overdue_list(world):
    school = world.school_y.organisation
    placement = PlacementFactory(
        child=world.child_a2,
        provider=world.provider_x.organisation,
        commissioning_la=None,
        commissioning_school=school,
    )
    overdue = rules.list_overdue_reports(la_id=world.child_a.home_la_id, on=dt.date(2026, 11, 3))
    assert placement.pk in {d.placement.pk for d in overdue}


def _incident(world, placement, category, at=AT) -> services.IncidentData:
    return services.record_incident(
        placement=placement,
        data=services.IncidentData(
            category=category,
            occurred_at=at - dt.timedelta(hours=2),
            what_happened="Disclosed an injury at home",
            actions_taken="DSL informed; referral to children's social care",
        ),
        by=world.provider_x,
        at=at,
        channel=Channel.WEB,
        where="/t",
    )


def test_a_safeguarding_concern_alerts_the_commissioning_la_the_same_day(world, placement):
    incident = _incident(world, placement, IncidentCategory.SAFEGUARDING)
    alert = Alert.objects.get(pk=incident.alert_id)
    assert (alert.kind, alert.local_authority_id) == (
        AlertKind.SAFEGUARDING_CONCERN,
        world.child_a.home_la_id,
    )
    assert alert.raised_at == AT and alert.session_date == AT.date()
    assert alert in scope_alerts(world.officer_a)
    # Not looked after nor on a plan: the social worker is not alerted.
    assert alert.escalated_at is None
    assert alert not in scope_alerts(world.social_worker)
    assert alert not in scope_alerts(world.officer_b)


def test_a_concern_about_a_child_on_a_protection_plan_reaches_the_social_worker_at_once(
    world, placement
):
    world.child_a.social_care_status = "CP"
    world.child_a.save()
    placement.child.refresh_from_db()
    incident = _incident(world, placement, IncidentCategory.SAFEGUARDING)
    alert = Alert.objects.get(pk=incident.alert_id)
    assert alert.escalated_at == AT
    assert alert.escalated_to_social_worker_id == world.social_worker.pk
    assert alert in scope_alerts(world.social_worker)


def test_a_concern_about_a_looked_after_child_reaches_the_virtual_school_head(world):
    placement = PlacementFactory(child=world.child_a2, provider=world.provider_x.organisation)
    placement = Placement.objects.select_related("child").get(pk=placement.pk)
    incident = _incident(world, placement, IncidentCategory.SAFEGUARDING)
    alert = Alert.objects.get(pk=incident.alert_id)
    assert alert.escalated_to_virtual_school_id == world.child_a2.responsible_la_id
    assert alert in scope_alerts(world.virtual_school_head_a)


def test_other_incidents_raise_no_alert(world, placement):
    incident = _incident(world, placement, IncidentCategory.BEHAVIOUR)
    assert incident.alert_id is None
    assert not Alert.objects.exists()


def test_an_incident_happened_during_the_placement(world, placement):
    with pytest.raises(services.ReportInvalid) as refused:
        _incident(world, placement, IncidentCategory.BEHAVIOUR, at=AT - dt.timedelta(days=100))
    assert refused.value.errors == {"occurred_at": [services.OCCURRED_OUTSIDE_PLACEMENT]}
