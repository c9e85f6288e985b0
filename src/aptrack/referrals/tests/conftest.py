import pytest

from aptrack.panels.models import Agency
from aptrack.panels.tests.factories import MeetingFactory, PanelFactory, PanelMemberFactory


@pytest.fixture
def dorset_meeting(world):
    """A Dorset AP panel whose chair is the world's panel member, and an open meeting of it."""
    panel = PanelFactory(local_authority=world.child_a.home_la, name="Dorset AP panel")
    PanelMemberFactory(
        panel=panel,
        user=world.panel_member,
        name="Pat Chair",
        agency=Agency.SOCIAL_CARE,
        is_chair=True,
    )
    return MeetingFactory(panel=panel)
