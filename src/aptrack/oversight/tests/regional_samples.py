"""Children, placements, marks and exclusions in two LAs for the regional tests: enough in
Dorset for unsuppressed figures, a single child in Hackney (suppressed)."""

import datetime as dt

from aptrack.attendance.loading import MarkRow
from aptrack.attendance.tests.conftest import record_rows
from aptrack.children.models import SenStatus
from aptrack.children.tests.factories import ChildFactory, PlacementFactory
from aptrack.organisations.tests.factories import la
from aptrack.oversight.measures.periods import Period
from aptrack.placements.models import Destination, EndReason
from aptrack.placements.states import PlacementStatus
from aptrack.referrals.models import Route
from aptrack.referrals.states import ReferralStatus
from aptrack.referrals.tests.factories import ReferralFactory

TODAY = dt.date(2026, 11, 25)
AUTUMN = Period.term(2026, 0)
WEEK = [dt.date(2026, 11, 16) + dt.timedelta(days=n) for n in range(5)]


def populate(world) -> None:  # type: ignore[no-untyped-def]
    dorset = la("838")
    provider = world.provider_x.organisation
    # 6 more Dorset children in AP now (7 with child_a): 3 EHCP, 2 looked after, 4 FSM.
    for n in range(6):
        child = ChildFactory(
            home_la=dorset,
            sen_status=SenStatus.EHCP if n < 3 else SenStatus.NONE,
            looked_after=n in (0, 4),
            responsible_la=dorset if n in (0, 4) else None,
            fsm=n < 4,
        )
        PlacementFactory(child=child, provider=provider, commissioning_la=dorset)
        if n < 2:
            record_rows(
                world,
                *(
                    MarkRow(
                        upn=child.upn,
                        date=day.isoformat(),
                        session=session,
                        code="/" if n == 0 else "O",
                    )
                    for day in WEEK
                    for session in ("AM", "PM")
                ),
                today=TODAY,
            )
    record_rows(
        world,
        *(
            MarkRow(upn=world.child_a.upn, date=day.isoformat(), session=session, code="/")
            for day in WEEK
            for session in ("AM", "PM")
        ),
        today=TODAY,
    )
    # 6 children whose placement ended in October: 4 back to mainstream school.
    destinations = (
        [Destination.HOME_SCHOOL] * 2
        + [Destination.NEW_MAINSTREAM] * 2
        + [
            Destination.NEET,
            Destination.SPECIAL_SCHOOL,
        ]
    )
    for destination in destinations:
        PlacementFactory(
            child=ChildFactory(home_la=dorset),
            provider=provider,
            commissioning_la=dorset,
            start_date=dt.date(2026, 9, 7),
            end_date=dt.date(2026, 10, 16),
            status=PlacementStatus.ENDED,
            end_reason=EndReason.COMPLETED,
            destination=destination,
        )
    # Permanent exclusions: one with provision from the third day, one with none yet.
    for provided in (True, False):
        child = ChildFactory(home_la=dorset)
        ReferralFactory(
            child=child,
            route=Route.PERMANENT_EXCLUSION,
            first_day_of_exclusion=dt.date(2026, 11, 2),
            status=ReferralStatus.SUBMITTED,
            referrer=world.officer_a,
        )
        if provided:
            PlacementFactory(
                child=child,
                provider=provider,
                commissioning_la=dorset,
                start_date=dt.date(2026, 11, 4),
            )
