"""The life of a committee pack export, as data: a status enum and the moves it may make."""

from django.db import models


class PackStatus(models.TextChoices):
    QUEUED = "QUEUED", "Waiting to start"
    RUNNING = "RUNNING", "Being produced"
    DONE = "DONE", "Ready to download"
    FAILED = "FAILED", "Failed"


ALLOWED_TRANSITIONS: dict[PackStatus, frozenset[PackStatus]] = {
    PackStatus.QUEUED: frozenset({PackStatus.RUNNING, PackStatus.FAILED}),
    PackStatus.RUNNING: frozenset({PackStatus.DONE, PackStatus.FAILED}),
    PackStatus.DONE: frozenset(),
    PackStatus.FAILED: frozenset(),
}

FINISHED = frozenset({PackStatus.DONE, PackStatus.FAILED})


def can_move(from_status: str, to_status: str) -> bool:
    return PackStatus(to_status) in ALLOWED_TRANSITIONS[PackStatus(from_status)]
