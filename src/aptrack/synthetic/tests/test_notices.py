"""Synthetic schools notify their LA of their pupils' exclusions and of the AP they commission."""

import datetime as dt

import pytest

from aptrack.accounts.roles import Role
from aptrack.notices.models import Notice, NoticeKind
from aptrack.placements.models import Placement
from aptrack.referrals.models import Referral, Route
from aptrack.synthetic import services
from aptrack.synthetic.services import Scale

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 1, 15)


def test_schools_notify_exclusions_and_the_ap_they_commission():
    summary = services.generate_synthetic_data(scale=Scale.LA, seed=5, today=TODAY, size_factor=0.3)
    notices = Notice.objects.select_related("notified_by", "referral", "placement", "child")
    assert summary.notices == notices.count() > 0
    for notice in notices:
        assert notice.notified_by.role == Role.SCHOOL_STAFF
        assert notice.notified_by.organisation_id == notice.school_id
        assert notice.school.establishment_id == notice.child.home_school_id
        assert notice.notified_at.date() <= TODAY
        if notice.kind == NoticeKind.SCHOOL_AP:
            assert notice.placement.commissioning_school_id == notice.school_id
            assert notice.review_date > notice.start_date
        else:
            assert notice.referral.first_day_of_exclusion == notice.first_day
            assert (notice.kind == NoticeKind.SUSPENSION) == (notice.suspension_days is not None)
    excluded = Referral.objects.filter(
        route=Route.PERMANENT_EXCLUSION, child__home_school__isnull=False
    )
    assert notices.filter(kind=NoticeKind.PERMANENT_EXCLUSION).count() == excluded.count()
    assert (
        notices.filter(kind=NoticeKind.SCHOOL_AP).count()
        == Placement.objects.filter(
            commissioning_school__isnull=False, child__home_school__isnull=False
        ).count()
    )
