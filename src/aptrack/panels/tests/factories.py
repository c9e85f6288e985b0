import datetime as dt

import factory

from aptrack.organisations.tests.factories import la
from aptrack.panels.models import Agency, Attendance, Meeting, Panel, PanelMember

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
