"""Contracts, charges and invoices: the kinds, units and statuses, and the allowed moves of an
invoice line. Pure Python: no database."""

from dataclasses import dataclass

from django.db import models


class ContractKind(models.TextChoices):
    SPOT = "SPOT", "Spot purchase"
    BLOCK = "BLOCK", "Block contract"
    FRAMEWORK = "FRAMEWORK", "Framework or DPS call-off"


class Funder(models.TextChoices):
    """Who pays: the LA's high-needs block, the commissioning school, or a partnership."""

    HIGH_NEEDS = "HIGH_NEEDS", "LA high-needs block"
    SCHOOL = "SCHOOL", "School"
    PARTNERSHIP = "PARTNERSHIP", "Partnership"


class RateUnit(models.TextChoices):
    HOUR = "HOUR", "Hour"
    SESSION = "SESSION", "Session"
    DAY = "DAY", "Day"
    WEEK = "WEEK", "Week"
    TERM = "TERM", "Term"


# The units an invoice line may charge in (the CSV's `unit` column, lower case).
INVOICE_UNITS: dict[str, RateUnit] = {
    "session": RateUnit.SESSION,
    "day": RateUnit.DAY,
    "hour": RateUnit.HOUR,
    "week": RateUnit.WEEK,
}


class ChargeMode(models.TextChoices):
    ATTENDED = "ATTENDED", "Attended sessions only"
    AGREED = "AGREED", "All agreed hours"
    BESPOKE = "BESPOKE", "Bespoke"


class InvoiceChannel(models.TextChoices):
    UPLOAD = "UPLOAD", "Uploaded on the provider's pages"
    API = "API", "API"
    COMMAND = "COMMAND", "Command line"


class LineStatus(models.TextChoices):
    MATCHED = "MATCHED", "Matched"
    QUERIED = "QUERIED", "Queried"
    APPROVED = "APPROVED", "Approved"
    REJECTED = "REJECTED", "Rejected"


class Decision(models.TextChoices):
    APPROVE = "APPROVE", "Approve"
    QUERY = "QUERY", "Query"
    REJECT = "REJECT", "Reject"


DECISION_STATUS: dict[Decision, LineStatus] = {
    Decision.APPROVE: LineStatus.APPROVED,
    Decision.QUERY: LineStatus.QUERIED,
    Decision.REJECT: LineStatus.REJECTED,
}

# A finance officer may approve, query or reject a line reconciliation left matched or
# queried; approved and rejected lines are settled.
ALLOWED_TRANSITIONS: dict[LineStatus, frozenset[LineStatus]] = {
    LineStatus.MATCHED: frozenset({LineStatus.APPROVED, LineStatus.QUERIED, LineStatus.REJECTED}),
    LineStatus.QUERIED: frozenset({LineStatus.APPROVED, LineStatus.QUERIED, LineStatus.REJECTED}),
    LineStatus.APPROVED: frozenset(),
    LineStatus.REJECTED: frozenset(),
}
OPEN_STATUSES = frozenset({LineStatus.MATCHED, LineStatus.QUERIED})


class QueryReason(models.TextChoices):
    """Why reconciliation queried a line. Each has a bit in `InvoiceLine.query_flags`."""

    NO_PLACEMENT = "NO_PLACEMENT", "No placement with this provider in the period"
    BEFORE_START = "BEFORE_START", "Service dates before the placement started"
    AFTER_END = "AFTER_END", "Service dates after the placement ended"
    NOT_ATTENDED = "NOT_ATTENDED", "Sessions charged but not attended"
    OVER_HOURS = "OVER_HOURS", "More hours than contracted"
    RATE_DIFFERS = "RATE_DIFFERS", "Rate differs from the contract"
    ALREADY_INVOICED = "ALREADY_INVOICED", "Already invoiced (same child and dates)"
    AMOUNTS_WRONG = "AMOUNTS_WRONG", "Amounts do not add up"


REASON_BITS: dict[QueryReason, int] = {reason: 1 << i for i, reason in enumerate(QueryReason)}


def reasons_of(flags: int) -> list[QueryReason]:
    return [reason for reason, bit in REASON_BITS.items() if flags & bit]


class EventKind(models.TextChoices):
    RECEIVED = "RECEIVED", "Invoice received and reconciled"
    APPROVED = "APPROVED", "Line approved"
    QUERIED = "QUERIED", "Line queried"
    REJECTED = "REJECTED", "Line rejected"


DECISION_EVENT: dict[Decision, EventKind] = {
    Decision.APPROVE: EventKind.APPROVED,
    Decision.QUERY: EventKind.QUERIED,
    Decision.REJECT: EventKind.REJECTED,
}


@dataclass(frozen=True)
class InvoiceQueried:
    """Lines of a provider's invoice the LA queried: announced through `core.alerting` so the
    notifications app tells the provider's staff (`notifications.sources`), naming no child."""

    invoice_id: int
    lines: int
