"""Reads of the children register. Every one takes the user and starts from their scope."""

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from aptrack.audit.models import AuditEvent
from aptrack.children import schooling
from aptrack.children.models import (
    AttendanceSummary,
    Child,
    FsmPeriod,
    SchoolHistoryEntry,
    SenHistoryEntry,
)
from aptrack.children.permissions import mark_read_through_scope, scope_children

if TYPE_CHECKING:
    from aptrack.accounts.models import User


@dataclass(frozen=True)
class ChildFilters:
    query: str = ""
    sen_status: str = ""
    looked_after: bool | None = None
    year_group: int | None = None


def _birth_window(year: int, on: dt.date) -> tuple[dt.date, dt.date]:
    """Dates of birth of the cohort in `year` during the academic year containing `on`."""
    cohort = schooling.academic_year_start(on) - year - 5
    return dt.date(cohort, 9, 1), dt.date(cohort + 1, 8, 31)


def list_children(*, user: "User", filters: ChildFilters, on: dt.date) -> QuerySet[Child]:
    children = scope_children(user).select_related("home_la", "home_school")
    query = filters.query.strip()
    if query:
        compact = "".join(query.split()).upper()
        name_match = Q()
        for word in query.split():
            name_match &= (
                Q(legal_first_name__icontains=word)
                | Q(legal_last_name__icontains=word)
                | Q(preferred_name__icontains=word)
            )
        children = children.filter(name_match | Q(upn=compact) | Q(uln=compact))
    if filters.sen_status:
        children = children.filter(sen_status=filters.sen_status)
    if filters.looked_after is not None:
        children = children.filter(looked_after=filters.looked_after)
    if filters.year_group is not None:
        born_from, born_to = _birth_window(filters.year_group, on)
        children = children.filter(date_of_birth__range=(born_from, born_to))
    return children.order_by("legal_last_name", "legal_first_name", "pk")


def get_child(*, user: "User", child_id: int) -> Child | None:
    """The child, if this user may see them (`scope_children`), else None."""
    return _first_in_scope(user, scope_children(user).filter(pk=child_id))


def _first_in_scope(user: "User", children: QuerySet[Child]) -> Child | None:
    child = children.select_related(
        "home_la", "home_school", "responsible_la", "social_worker"
    ).first()
    return None if child is None else mark_read_through_scope(user, child)


def list_possible_duplicates(
    *, first_name: str, last_name: str, date_of_birth: dt.date, exclude_id: int | None = None
) -> QuerySet[Child]:
    """Children anywhere with the same legal name and date of birth (a warning, not a refusal)."""
    matches = Child.objects.filter(
        legal_first_name__iexact=first_name.strip(),
        legal_last_name__iexact=last_name.strip(),
        date_of_birth=date_of_birth,
    )
    if exclude_id is not None:
        matches = matches.exclude(pk=exclude_id)
    return matches


def list_audit_trail(*, child: Child, limit: int = 200) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(child_id=child.pk).order_by("-at", "-pk")[:limit]


@dataclass(frozen=True)
class TransferHistory:
    """What Common Transfer Files brought for a child: SEN, FSM, attendance and schools."""

    sen: list[SenHistoryEntry]
    fsm: list[FsmPeriod]
    attendance: list[AttendanceSummary]
    schools: list[SchoolHistoryEntry]

    def __bool__(self) -> bool:
        return bool(self.sen or self.fsm or self.attendance or self.schools)


def get_transfer_history(*, child: Child) -> TransferHistory:
    """The child's four histories; none asked for when the import left none
    (`Child.has_transfer_history`)."""
    if not child.has_transfer_history:
        return TransferHistory(sen=[], fsm=[], attendance=[], schools=[])
    return TransferHistory(
        sen=list(SenHistoryEntry.objects.filter(child=child).order_by("start_date", "pk")),
        fsm=list(FsmPeriod.objects.filter(child=child).order_by("start_date", "pk")),
        attendance=list(AttendanceSummary.objects.filter(child=child).order_by("year", "pk")),
        schools=list(SchoolHistoryEntry.objects.filter(child=child).order_by("entry_date", "pk")),
    )
