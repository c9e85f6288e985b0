"""A meeting's states and the moves between them."""

from aptrack.panels.models import MeetingStatus

M = MeetingStatus
MEETING_TRANSITIONS: dict[MeetingStatus, frozenset[MeetingStatus]] = {
    # A planned meeting starts when attendance or a decision is recorded. It may close without
    # starting (it did not take place) once every item is carried forward.
    M.PLANNED: frozenset({M.IN_PROGRESS, M.CLOSED}),
    M.IN_PROGRESS: frozenset({M.CLOSED}),
    M.CLOSED: frozenset(),
}


def can_move_meeting(source: MeetingStatus, target: MeetingStatus) -> bool:
    return target in MEETING_TRANSITIONS[source]
