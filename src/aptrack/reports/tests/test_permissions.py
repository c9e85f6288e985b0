"""Who writes and reads reports and incidents, persona by persona."""

import pytest

from aptrack.reports import permissions
from aptrack.reports.tests.factories import IncidentFactory, ReportFactory

pytestmark = pytest.mark.django_db

REPORT_READERS = {"officer_a", "manager_a", "provider_x"}
INCIDENT_READERS = {"officer_a", "manager_a", "provider_x", "social_worker"}


def test_only_the_provider_writes_and_the_commissioner_reads_reports(world, placement):
    report = ReportFactory(placement=placement, submitted_by=world.provider_x)
    for name, user in world.personas().items():
        assert (report in permissions.scope_reports(user)) == (name in REPORT_READERS), name
        assert permissions.can_write_report(user, placement) == (name == "provider_x"), name


def test_a_dual_registered_childs_school_reads_the_reports_and_records_incidents(world, placement):
    report = ReportFactory(placement=placement, submitted_by=world.provider_x)
    assert report not in permissions.scope_reports(world.school_y)
    assert not permissions.can_record_incident(world.school_y, placement)
    placement.dual_registered = True
    placement.save()
    assert report in permissions.scope_reports(world.school_y)
    assert permissions.can_record_incident(world.school_y, placement)
    assert not permissions.can_write_report(world.school_y, placement)


def test_incident_details_are_restricted(world, placement):
    incident = IncidentFactory(placement=placement, recorded_by=world.provider_x)
    for name, user in world.personas().items():
        assert (incident in permissions.scope_incidents(user)) == (name in INCIDENT_READERS), name


def test_the_school_reads_the_incidents_it_recorded(world, placement):
    placement.dual_registered = True
    placement.save()
    by_school = IncidentFactory(placement=placement, recorded_by=world.school_y)
    by_provider = IncidentFactory(placement=placement, recorded_by=world.provider_x)
    assert list(permissions.scope_incidents(world.school_y)) == [by_school]
    assert set(permissions.scope_incidents(world.provider_x)) == {by_school, by_provider}
