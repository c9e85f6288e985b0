"""The numbers a placement plan is judged by. Each is an LA policy choice rather than law
(domain.md marks them as practice or [unverified]), so each reads a Django setting and falls
back to the default documented here. Pure functions: no database, no clock."""

import datetime as dt
from decimal import Decimal

from django.conf import settings

# A school week: no child is placed for more than this across all their provision.
MAX_WEEKLY_HOURS = Decimal(40)

# Full-time is not defined in law; the LGSCO expects about 21 hours at KS1 rising to 25 at
# KS4 (domain.md §1). The issue sets 25 for every key stage by default.
DEFAULT_FULL_TIME_HOURS: dict[str, int] = {"KS1": 25, "KS2": 25, "KS3": 25, "KS4": 25, "KS5": 25}

# Reviews at least half-termly (2025 guide). A half term runs six to eight weeks, so six
# weeks after the last review is always inside the next half term: the simplest compliant
# rule, counted in calendar days so it needs no term dates.
DEFAULT_REVIEW_CADENCE_DAYS: dict[int, int] = {1: 42, 2: 42, 3: 42}

# Short-term non-school placements: up to 12 weeks (DfE consultation 2024, Q23, domain.md
# §2). No national limit for registered settings: None means no maximum.
DEFAULT_TIER_2_MAXIMUM_WEEKS = {"NON_SCHOOL": 12, "REGISTERED": None}

# Days in a school week, to turn a daily rate into a weekly cost from hours.
SCHOOL_DAYS_A_WEEK = 5

DEFAULT_ENDING_SOON_DAYS = 20


def key_stage(year_group: int) -> str:
    """Reception and nursery age count with KS1; Years 12 and 13 are post-16 (KS5)."""
    if year_group <= 2:
        return "KS1"
    if year_group <= 6:
        return "KS2"
    if year_group <= 9:
        return "KS3"
    if year_group <= 11:
        return "KS4"
    return "KS5"


def full_time_hours(stage: str) -> Decimal:
    """APTRACK_FULL_TIME_HOURS: {"KS1": 21, ...}; stages not given keep the default."""
    table = {**DEFAULT_FULL_TIME_HOURS, **getattr(settings, "APTRACK_FULL_TIME_HOURS", {})}
    return Decimal(str(table.get(stage, 25)))


def review_cadence_days(tier: int | None) -> int:
    """APTRACK_REVIEW_CADENCE_DAYS: {tier: days}. A placement without a tier (made before
    tiers were recorded) is reviewed on the tightest cadence."""
    table = {**DEFAULT_REVIEW_CADENCE_DAYS, **getattr(settings, "APTRACK_REVIEW_CADENCE_DAYS", {})}
    if tier is None:
        return min(table.values())
    return int(table.get(tier, min(table.values())))


def review_due_date(last_review: dt.date | None, start_date: dt.date, tier: int | None) -> dt.date:
    return (last_review or start_date) + dt.timedelta(days=review_cadence_days(tier))


def all_review_cadences() -> dict[int | None, int]:
    tiers: list[int | None] = [1, 2, 3, None]
    return {tier: review_cadence_days(tier) for tier in tiers}


def tier_2_maximum_weeks(*, registered: bool) -> int | None:
    """APTRACK_TIER_2_MAXIMUM_WEEKS: {"NON_SCHOOL": 12, "REGISTERED": None}."""
    table = {
        **DEFAULT_TIER_2_MAXIMUM_WEEKS,
        **getattr(settings, "APTRACK_TIER_2_MAXIMUM_WEEKS", {}),
    }
    weeks = table["REGISTERED" if registered else "NON_SCHOOL"]
    return None if weeks is None else int(weeks)


def maximum_end_date(*, tier: int | None, registered: bool, start: dt.date) -> dt.date | None:
    """The latest a tier 2 placement may run to; other tiers have no maximum."""
    if tier != 2:
        return None
    weeks = tier_2_maximum_weeks(registered=registered)
    return None if weeks is None else start + dt.timedelta(weeks=weeks)


def ending_soon_days() -> int:
    return int(getattr(settings, "APTRACK_ENDING_SOON_DAYS", DEFAULT_ENDING_SOON_DAYS))
