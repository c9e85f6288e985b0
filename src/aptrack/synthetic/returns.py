"""Synthetic provider returns: each non-school provider's monthly account of who attended.

For the last three whole months before `today`, each non-school provider made a return: one
line per child placed with it at some point in the month (hours a week and site from the
placement), sometimes a pupil aptrack does not know (placed privately or by another
commissioner), submitted by its staff (now and then by an LA officer on its behalf) in the first
days of the next month. In each LA one provider's latest return is still a draft, as is any
return whose submission day has not come yet.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from aptrack.placements.models import Placement
from aptrack.placements.states import PlacementStatus
from aptrack.returns.models import ProviderReturn, ReturnEvent, ReturnEventKind, ReturnLine
from aptrack.returns.states import ReturnStatus
from aptrack.synthetic import records
from aptrack.synthetic.providers import ProviderRecord
from aptrack.synthetic.staff import LaStaff

BATCH_SIZE = 2_000
MONTHS = 3
MADE_BY_LA = 0.15
ANONYMOUS_PUPILS = 0.3


@dataclass
class _Rows:
    returns: list[ProviderReturn] = field(default_factory=list)
    lines: list[ReturnLine] = field(default_factory=list)
    line_sites: list[tuple[ReturnLine, int]] = field(default_factory=list)
    # (return, kind, from, to, actor, at, line or None)
    events: list[tuple] = field(default_factory=list)


def months_before(today: dt.date, count: int = MONTHS) -> list[tuple[dt.date, dt.date]]:
    """The `count` whole calendar months before the one `today` is in, oldest first."""
    periods = []
    end = today.replace(day=1) - dt.timedelta(days=1)
    for _ in range(count):
        start = end.replace(day=1)
        periods.append((start, end))
        end = start - dt.timedelta(days=1)
    return periods[::-1]


def _in_period(placement: Placement, start: dt.date, end: dt.date) -> bool:
    return (
        placement.status in (PlacementStatus.ACTIVE, PlacementStatus.ENDED)
        and placement.start_date <= end
        and (placement.end_date is None or placement.end_date >= start)
    )


def create_returns(
    draw: records.Draw,
    providers: list[ProviderRecord],
    staff: LaStaff,
    placements: list[Placement],
) -> int:
    """Returns for one LA's non-school providers from its (saved) placements; how many."""
    rng, today = draw.rng, draw.today
    non_school = [record for record in providers if not record.provider.is_registered]
    if not non_school:
        return 0
    by_provider: dict[int, list[Placement]] = {}
    for placement in placements:
        by_provider.setdefault(placement.provider_id, []).append(placement)
    periods = months_before(today)
    still_draft = rng.choice(non_school)
    rows = _Rows()
    for record in non_school:
        provider = record.provider
        own = by_provider.get(provider.organisation_id, [])
        for index, (start, end) in enumerate(periods):
            latest = index == len(periods) - 1
            by_la = draw.chance(MADE_BY_LA)
            maker = staff.officer(draw) if by_la else staff.provider_staff[provider.organisation_id]
            started = min(end + dt.timedelta(days=rng.randint(0, 3)), today)
            submitted = end + dt.timedelta(days=rng.randint(2, 10))
            submit = submitted <= today and not (latest and record is still_draft)
            created_at = draw.at(started)
            provider_return = ProviderReturn(
                provider=provider,
                period_start_date=start,
                period_end_date=end,
                status=ReturnStatus.SUBMITTED if submit else ReturnStatus.DRAFT,
                created_by=maker,
                created_at=created_at,
                submitted_by=maker if submit else None,
                submitted_at=max(created_at, draw.at(submitted)) if submit else None,
            )
            rows.returns.append(provider_return)
            rows.events.append(
                (
                    provider_return,
                    ReturnEventKind.STARTED,
                    "",
                    ReturnStatus.DRAFT,
                    maker,
                    created_at,
                    None,
                )
            )
            listed: set[int] = set()  # one line per child
            for placement in own:
                if _in_period(placement, start, end) and placement.child_id not in listed:
                    listed.add(placement.child_id)
                    line = ReturnLine(
                        provider_return=provider_return,
                        child=placement.child,
                        hours_per_week=placement.hours_per_week,
                        created_at=created_at,
                    )
                    rows.lines.append(line)
                    if placement.site_id:
                        rows.line_sites.append((line, placement.site_id))
                    rows.events.append(
                        (
                            provider_return,
                            ReturnEventKind.LINE_ADDED,
                            ReturnStatus.DRAFT,
                            ReturnStatus.DRAFT,
                            maker,
                            created_at,
                            line,
                        )
                    )
            if draw.chance(ANONYMOUS_PUPILS):
                for _ in range(rng.randint(1, 3)):
                    line = _anonymous(draw, provider_return, created_at)
                    rows.lines.append(line)
                    rows.line_sites.append((line, rng.choice(record.sites).pk))
                    rows.events.append(
                        (
                            provider_return,
                            ReturnEventKind.LINE_ADDED,
                            ReturnStatus.DRAFT,
                            ReturnStatus.DRAFT,
                            maker,
                            created_at,
                            line,
                        )
                    )
            if submit:
                rows.events.append(
                    (
                        provider_return,
                        ReturnEventKind.SUBMITTED,
                        ReturnStatus.DRAFT,
                        ReturnStatus.SUBMITTED,
                        maker,
                        provider_return.submitted_at,
                        None,
                    )
                )
    _save(rows)
    return len(rows.returns)


def _anonymous(draw: records.Draw, provider_return: ProviderReturn, at: dt.datetime) -> ReturnLine:
    """A pupil aptrack does not know: part-time, of compulsory school age."""
    return ReturnLine(
        provider_return=provider_return,
        age_years=draw.rng.randint(11, 15),
        compulsory_school_age=True,
        looked_after=draw.chance(0.05),
        has_ehcp=draw.chance(0.4),
        hours_per_week=Decimal(draw.rng.randint(6, 24)) / 2,
        created_at=at,
    )


def _save(rows: _Rows) -> None:
    ProviderReturn.objects.bulk_create(rows.returns, batch_size=BATCH_SIZE)
    ReturnLine.objects.bulk_create(rows.lines, batch_size=BATCH_SIZE)
    through = ReturnLine.sites.through
    through.objects.bulk_create(
        [
            through(returnline_id=line.pk, providersite_id=site_id)
            for line, site_id in rows.line_sites
        ],
        batch_size=BATCH_SIZE,
    )
    events = []
    for provider_return, kind, source, target, actor, at, line in rows.events:
        data = {}
        if line is not None:
            data = {
                "line_id": line.pk,
                "child_id": line.child_id,
                "hours_per_week": str(line.hours_per_week),
            }
        events.append(
            ReturnEvent(
                provider_return=provider_return,
                kind=kind,
                from_status=source,
                to_status=target,
                actor=actor,
                at=at,
                data=data,
            )
        )
    ReturnEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
