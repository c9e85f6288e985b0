"""The hook every alert goes out through: an app that raises an alert (attendance alerts, and
any new kind, such as safeguarding concerns) calls ``announce_alert`` inside the transaction
that raised or escalated it; whatever tells people about alerts (the notifications app)
listens to ``alert_raised``. So no app that raises alerts imports the one that sends them.

The signal is sent when the transaction commits (with ``APTRACK_CHANGES_AT_COMMIT`` off, as in
tests whose transaction never commits, at once), with ``alert`` (the saved instance),
``escalated`` (True when the alert was escalated rather than raised) and ``at``.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal

alert_raised = Signal()


def announce_alert(alert: Any, *, at: dt.datetime, escalated: bool = False) -> None:
    def send() -> None:
        alert_raised.send(sender=type(alert), alert=alert, escalated=escalated, at=at)

    if getattr(settings, "APTRACK_CHANGES_AT_COMMIT", True):
        transaction.on_commit(send)
    else:
        send()
