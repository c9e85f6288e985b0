import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from aptrack.organisations.tests.factories import la
from aptrack.panels.models import (
    Agency,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    Panel,
    PanelMember,
)

MEETING_DATE = dt.date(2026, 12, 3)


class PanelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Panel

    local_authority = factory.LazyFunction(lambda: la("838"))
    name = factory.Sequence(lambda n: f"AP panel {n}")
    kind = "AP"
    quorum = 3
    quorum_agencies = 2


class PanelMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PanelMember

    panel = factory.SubFactory(PanelFactory)
    name = factory.Faker("name", locale="en_GB")
    agency = Agency.LOCAL_AUTHORITY
    joined_date = dt.date(2026, 1, 5)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    panel = factory.SubFactory(PanelFactory)
    date = MEETING_DATE
    location = "County Hall, room 2"


def quorate(meeting: Meeting) -> list[PanelMember]:
    """Three members from three agencies, all present: enough for the default quorum."""
    members = [
        PanelMemberFactory(panel=meeting.panel, agency=agency)
        for agency in (Agency.LOCAL_AUTHORITY, Agency.HEALTH, Agency.SOCIAL_CARE)
    ]
    for member in members:
        Attendance.objects.create(meeting=meeting, member=member, present=True)
    return members


def approve_at_fair_access_panel(
    referral, *, on: dt.date, decided_by, kind: str = "FAP", outcome: str = "APPROVED"
):
    """Put the referral before a Fair Access Panel of its LA meeting on `on`, and decide it."""
    meeting = MeetingFactory(
        panel=PanelFactory(local_authority=referral.commissioning_la, kind=kind), date=on
    )
    item = AgendaItem.objects.create(meeting=meeting, referral=referral, position=1)
    return Decision.objects.create(
        agenda_item=item,
        outcome=outcome,
        reasons="Hard to place: a school place is needed",
        approved_tier=2,
        proposed_weekly_cost=Decimal("400.00"),
        value_for_money_note="Nearest school",
        members_present=3,
        decided_by=decided_by,
        decided_at=timezone.now(),
    )
