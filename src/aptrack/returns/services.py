"""Every write to provider returns. Callers authorise, and pass the actor and the clock.

Each change re-reads the return under a row lock, checks it may still change, and leaves a
ReturnEvent row (and, for lines, an audit-trail entry).
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from aptrack.accounts.models import User
from aptrack.audit import services as audit
from aptrack.audit.models import AuditAction, Channel
from aptrack.children.models import Child
from aptrack.children.permissions import scope_children
from aptrack.core.errors import DomainConflict, DomainInvalid
from aptrack.core.govuk.formatting import uk_date
from aptrack.placements.models import Placement
from aptrack.placements.rules import ran_between_q
from aptrack.providers.models import REGISTERED_KINDS, Provider, ProviderSite
from aptrack.returns import states
from aptrack.returns.models import ProviderReturn, ReturnEvent, ReturnEventKind, ReturnLine
from aptrack.returns.states import ReturnStatus

# A return covers a month or a half-term; longer periods would blur the threshold check.
PERIOD_MAX_DAYS = 92

REGISTERED_PROVIDER = "Registered schools, colleges and PRUs do not make provider returns"
PERIOD_ENDS_BEFORE_START = "The end of the period must be the same as or after the start"
PERIOD_TOO_LONG = "A return covers at most 3 months: for example a month or a half-term"
PERIOD_TAKEN = "There is already a return for this provider starting on {start}"
PERIOD_OVERLAPS = "This period overlaps the return for {start} to {end}"
NOT_EDITABLE = "This return has been submitted: it can no longer be changed"
ALREADY_SUBMITTED = "This return has already been submitted"
MOVE_NOT_ALLOWED = "A return cannot move from {source} to {target}"
CHILD_NOT_PLACED = "Select a child placed with this provider during the period"
CHILD_ALREADY_ON_RETURN = "This child is already on the return"
HOURS_NOT_POSITIVE = "Hours a week must be more than 0"
SITE_NOT_THE_PROVIDERS = "Select sites of this provider only"
SITES_REQUIRED = "Select every site the pupil attended"


class ReturnInvalid(DomainInvalid):
    """Input the rules refuse, by form field (None for the whole form)."""


class ReturnNotEditable(DomainConflict):
    pass


class ReturnMoveNotAllowed(DomainConflict):
    pass


def _event(
    *,
    provider_return: ProviderReturn,
    kind: ReturnEventKind,
    actor: User,
    at: dt.datetime,
    from_status: str = "",
    data: dict[str, Any] | None = None,
) -> ReturnEvent:
    return ReturnEvent.objects.create(
        provider_return=provider_return,
        kind=kind,
        from_status=from_status,
        to_status=provider_return.status,
        actor=actor,
        at=at,
        data=data or {},
    )


def start_return(
    *,
    actor: User,
    at: dt.datetime,
    provider: Provider,
    period_start_date: dt.date,
    period_end_date: dt.date,
) -> ProviderReturn:
    """Open a draft return for a non-school provider for one period."""
    if provider.kind in REGISTERED_KINDS:
        raise ReturnInvalid({None: [REGISTERED_PROVIDER]})
    if period_end_date < period_start_date:
        raise ReturnInvalid({"period_end_date": [PERIOD_ENDS_BEFORE_START]})
    if (period_end_date - period_start_date).days + 1 > PERIOD_MAX_DAYS:
        raise ReturnInvalid({"period_end_date": [PERIOD_TOO_LONG]})
    with transaction.atomic():
        # Lock the provider so two people starting returns at once cannot both pass the checks.
        Provider.objects.select_for_update().filter(pk=provider.pk).first()
        taken = ProviderReturn.objects.filter(
            provider=provider, period_start_date=period_start_date
        )
        if taken.exists():
            raise ReturnInvalid(
                {"period_start_date": [PERIOD_TAKEN.format(start=uk_date(period_start_date))]}
            )
        overlapping = (
            ProviderReturn.objects.filter(
                provider=provider,
                period_start_date__lte=period_end_date,
                period_end_date__gte=period_start_date,
            )
            .order_by("period_start_date")
            .first()
        )
        if overlapping is not None:
            raise ReturnInvalid(
                {
                    "period_start_date": [
                        PERIOD_OVERLAPS.format(
                            start=uk_date(overlapping.period_start_date),
                            end=uk_date(overlapping.period_end_date),
                        )
                    ]
                }
            )
        try:
            with transaction.atomic():
                provider_return = ProviderReturn.objects.create(
                    provider=provider,
                    period_start_date=period_start_date,
                    period_end_date=period_end_date,
                    status=ReturnStatus.DRAFT,
                    created_by=actor,
                    created_at=at,
                )
        except IntegrityError:
            raise ReturnInvalid(
                {"period_start_date": [PERIOD_TAKEN.format(start=uk_date(period_start_date))]}
            ) from None
        _event(provider_return=provider_return, kind=ReturnEventKind.STARTED, actor=actor, at=at)
    return provider_return


def _lock_editable(provider_return: ProviderReturn) -> ProviderReturn:
    """Re-read the return under a lock; refuse if it may no longer change."""
    locked = (
        ProviderReturn.objects.select_for_update()
        .select_related("provider")
        .get(pk=provider_return.pk)
    )
    if not locked.is_editable:
        raise ReturnNotEditable(NOT_EDITABLE)
    return locked


def _check_line(
    *,
    provider_return: ProviderReturn,
    hours_per_week: Decimal,
    sites: Iterable[ProviderSite],
) -> list[ProviderSite]:
    errors: dict[str | None, list[str]] = {}
    if hours_per_week <= 0:
        errors["hours_per_week"] = [HOURS_NOT_POSITIVE]
    chosen = list(sites)
    if any(site.provider_id != provider_return.provider_id for site in chosen):
        errors["sites"] = [SITE_NOT_THE_PROVIDERS]
    elif not chosen and provider_return.provider.sites.filter(is_active=True).exists():
        # Commissioners must record every site a pupil may attend (2025 guidance).
        errors["sites"] = [SITES_REQUIRED]
    if errors:
        raise ReturnInvalid(errors)
    return chosen


def _record_line(
    *,
    line: ReturnLine,
    sites: list[ProviderSite],
    actor: User,
    at: dt.datetime,
    channel: Channel,
    where: str,
) -> ReturnLine:
    line.sites.set(sites)
    locked = line.provider_return
    _event(
        provider_return=locked,
        kind=ReturnEventKind.LINE_ADDED,
        actor=actor,
        at=at,
        from_status=locked.status,
        data={
            "line_id": line.pk,
            "child_id": line.child_id,
            "hours_per_week": str(line.hours_per_week),
        },
    )
    audit.record_event(
        actor=actor,
        at=at,
        action=AuditAction.CREATED,
        channel=channel,
        instance=line,
        child_id=line.child_id,
        where=where,
        changes=audit.diff({}, {**audit.snapshot(line), "sites": [s.pk for s in sites]}),
    )
    return line


def add_child_line(
    *,
    actor: User,
    at: dt.datetime,
    channel: Channel,
    provider_return: ProviderReturn,
    child: Child,
    hours_per_week: Decimal,
    sites: Iterable[ProviderSite],
    where: str = "",
) -> ReturnLine:
    """Add a child on aptrack to a draft return. The child must be placed with the provider at
    some time in the period, and within the actor's own scope."""
    with transaction.atomic():
        locked = _lock_editable(provider_return)
        chosen = _check_line(provider_return=locked, hours_per_week=hours_per_week, sites=sites)
        placed = Placement.objects.filter(
            ran_between_q(locked.period_start_date, locked.period_end_date),
            child=child,
            provider_id=locked.provider.organisation_id,
        )
        if not (placed.exists() and scope_children(actor).filter(pk=child.pk).exists()):
            raise ReturnInvalid({"child": [CHILD_NOT_PLACED]})
        if locked.lines.filter(child=child).exists():
            raise ReturnInvalid({"child": [CHILD_ALREADY_ON_RETURN]})
        line = ReturnLine.objects.create(
            provider_return=locked, child=child, hours_per_week=hours_per_week, created_at=at
        )
        return _record_line(
            line=line, sites=chosen, actor=actor, at=at, channel=channel, where=where
        )


def add_anonymous_line(
    *,
    actor: User,
    at: dt.datetime,
    channel: Channel,
    provider_return: ProviderReturn,
    compulsory_school_age: bool,
    looked_after: bool,
    has_ehcp: bool,
    hours_per_week: Decimal,
    sites: Iterable[ProviderSite],
    age_years: int | None = None,
    where: str = "",
) -> ReturnLine:
    """Add a pupil aptrack does not know to a draft return, with the facts the threshold rule
    needs: compulsory school age, looked after, EHCP."""
    with transaction.atomic():
        locked = _lock_editable(provider_return)
        chosen = _check_line(provider_return=locked, hours_per_week=hours_per_week, sites=sites)
        line = ReturnLine.objects.create(
            provider_return=locked,
            child=None,
            age_years=age_years,
            compulsory_school_age=compulsory_school_age,
            looked_after=looked_after,
            has_ehcp=has_ehcp,
            hours_per_week=hours_per_week,
            created_at=at,
        )
        return _record_line(
            line=line, sites=chosen, actor=actor, at=at, channel=channel, where=where
        )


def remove_line(
    *,
    actor: User,
    at: dt.datetime,
    channel: Channel,
    line: ReturnLine,
    where: str = "",
) -> None:
    with transaction.atomic():
        locked = _lock_editable(line.provider_return)
        before = {**audit.snapshot(line), "sites": list(line.sites.values_list("pk", flat=True))}
        line_id, child_id = line.pk, line.child_id
        _event(
            provider_return=locked,
            kind=ReturnEventKind.LINE_REMOVED,
            actor=actor,
            at=at,
            from_status=locked.status,
            data={
                "line_id": line_id,
                "child_id": child_id,
                "hours_per_week": str(line.hours_per_week),
            },
        )
        audit.record_event(
            actor=actor,
            at=at,
            action=AuditAction.DELETED,
            channel=channel,
            instance=line,
            child_id=child_id,
            where=where,
            changes={key: {"old": value, "new": None} for key, value in before.items()},
        )
        line.delete()


def _move(
    *,
    provider_return: ProviderReturn,
    target: ReturnStatus,
    actor: User,
    at: dt.datetime,
    kind: ReturnEventKind,
) -> ProviderReturn:
    locked = ProviderReturn.objects.select_for_update().get(pk=provider_return.pk)
    source = ReturnStatus(locked.status)
    if not states.can_move(source, target):
        if source == target == ReturnStatus.SUBMITTED:
            raise ReturnMoveNotAllowed(ALREADY_SUBMITTED)
        raise ReturnMoveNotAllowed(
            MOVE_NOT_ALLOWED.format(source=source.label.lower(), target=target.label.lower())
        )
    locked.status = target
    if target == ReturnStatus.SUBMITTED:
        locked.submitted_by = actor
        locked.submitted_at = at
    locked.save(update_fields=["status", "submitted_by", "submitted_at"])
    _event(provider_return=locked, kind=kind, actor=actor, at=at, from_status=source)
    return locked


def submit_return(
    *, actor: User, at: dt.datetime, provider_return: ProviderReturn
) -> ProviderReturn:
    """Submit a draft return. From then on it is read-only; a return with no lines is a nil
    return (no pupils attended in the period)."""
    with transaction.atomic():
        return _move(
            provider_return=provider_return,
            target=ReturnStatus.SUBMITTED,
            actor=actor,
            at=at,
            kind=ReturnEventKind.SUBMITTED,
        )
