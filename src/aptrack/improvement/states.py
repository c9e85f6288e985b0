"""An improvement action's RAG status and the moves between them. Every move, and every
progress note, leaves an ActionUpdate with who, when and why."""

from django.db import models


class RagStatus(models.TextChoices):
    NOT_STARTED = "NOT_STARTED", "Not started"
    GREEN = "GREEN", "Green: on track"
    AMBER = "AMBER", "Amber: at risk"
    RED = "RED", "Red: off track"
    COMPLETE = "COMPLETE", "Complete"


S = RagStatus
# Any open action can move to any RAG colour or be completed; a completed action can be
# reopened at a colour (the board decides it was not done after all). Nothing goes back to
# "not started".
ALLOWED_TRANSITIONS: dict[RagStatus, frozenset[RagStatus]] = {
    S.NOT_STARTED: frozenset({S.GREEN, S.AMBER, S.RED, S.COMPLETE}),
    S.GREEN: frozenset({S.AMBER, S.RED, S.COMPLETE}),
    S.AMBER: frozenset({S.GREEN, S.RED, S.COMPLETE}),
    S.RED: frozenset({S.GREEN, S.AMBER, S.COMPLETE}),
    S.COMPLETE: frozenset({S.GREEN, S.AMBER, S.RED}),
}
OPEN_STATUSES = frozenset({S.NOT_STARTED, S.GREEN, S.AMBER, S.RED})

# GOV.UK tag colours: the text always says the status too, so colour is never the only cue.
TAG_CLASSES: dict[str, str] = {
    S.NOT_STARTED: "govuk-tag--grey",
    S.GREEN: "govuk-tag--green",
    S.AMBER: "govuk-tag--orange",
    S.RED: "govuk-tag--red",
    S.COMPLETE: "govuk-tag--blue",
}


def can_move(source: RagStatus, target: RagStatus) -> bool:
    return target in ALLOWED_TRANSITIONS[source]
