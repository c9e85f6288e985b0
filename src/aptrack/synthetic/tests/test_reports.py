import pytest

from aptrack.alerts.models import Alert
from aptrack.alerts.states import AlertKind
from aptrack.organisations.models import LocalAuthority
from aptrack.reports import rules
from aptrack.reports.models import Incident, IncidentCategory, ProviderReport
from aptrack.synthetic.tests.test_generate import TODAY, _generate

pytestmark = pytest.mark.django_db


def test_generated_placements_have_reports_some_overdue_and_incidents():
    summary = _generate(size_factor=0.2)
    assert summary.provider_reports == ProviderReport.objects.count() > 0
    assert summary.incidents == Incident.objects.count() > 0
    dorset = LocalAuthority.objects.get(code="838")
    assert rules.list_overdue_reports(la_id=dorset.pk, on=TODAY)
    report = ProviderReport.objects.exclude(possible_sessions=0).first()
    assert report is not None and report.attendance_percent is not None
    assert report.child_words and report.period_end < TODAY
    for incident in Incident.objects.filter(category=IncidentCategory.SAFEGUARDING):
        assert Alert.objects.get(pk=incident.alert_id).kind == AlertKind.SAFEGUARDING_CONCERN
