"""Attendance measures as arithmetic on session counts: no database, no clock.

- possible sessions = present + approved educational activity + authorised + unauthorised
  (D, X, Q, Y1–Y7, Z and # are not possible sessions);
- attendance rate = (present + AEA) ÷ possible; absence rates = absent ÷ possible;
- persistent absence: absence ≥ 10% of possible sessions; severe absence: ≥ 50%.
(domain.md §3 "Absence measures" and requirement 8.) Flags compare whole numbers, so a child on
exactly 10% is persistently absent, never lost to rounding.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

PERSISTENT_ABSENCE = Fraction(1, 10)
SEVERE_ABSENCE = Fraction(1, 2)


@dataclass(frozen=True)
class SessionCounts:
    """Sessions by class, as the weekly rollups hold them."""

    present: int = 0
    aea: int = 0
    authorised: int = 0
    unauthorised: int = 0
    not_possible: int = 0
    administrative: int = 0
    q_sessions: int = 0  # Q, inside not_possible, reported separately
    part_time_sessions: int = 0  # C2, inside authorised

    def __add__(self, other: "SessionCounts") -> "SessionCounts":
        # Written out: measures add a few thousand of these per page, and a loop over
        # dataclasses.fields() was most of the time they took.
        return SessionCounts(
            self.present + other.present,
            self.aea + other.aea,
            self.authorised + other.authorised,
            self.unauthorised + other.unauthorised,
            self.not_possible + other.not_possible,
            self.administrative + other.administrative,
            self.q_sessions + other.q_sessions,
            self.part_time_sessions + other.part_time_sessions,
        )

    @property
    def attended(self) -> int:
        return self.present + self.aea

    @property
    def absent(self) -> int:
        return self.authorised + self.unauthorised

    @property
    def possible(self) -> int:
        return self.attended + self.absent

    @property
    def recorded(self) -> int:
        return self.possible + self.not_possible + self.administrative


def rate(part: int, whole: int) -> Decimal | None:
    """A percentage to one decimal place, or None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def is_persistently_absent(counts: SessionCounts) -> bool:
    return _at_least(counts, PERSISTENT_ABSENCE)


def is_severely_absent(counts: SessionCounts) -> bool:
    return _at_least(counts, SEVERE_ABSENCE)


def _at_least(counts: SessionCounts, share: Fraction) -> bool:
    """absent ÷ possible ≥ share, cross-multiplied: whole numbers, exact, and quick."""
    possible = counts.possible
    return possible > 0 and counts.absent * share.denominator >= possible * share.numerator


@dataclass(frozen=True)
class Rates:
    attendance: Decimal | None
    absence: Decimal | None
    authorised_absence: Decimal | None
    unauthorised_absence: Decimal | None

    @classmethod
    def of(cls, counts: SessionCounts) -> "Rates":
        return cls(
            attendance=rate(counts.attended, counts.possible),
            absence=rate(counts.absent, counts.possible),
            authorised_absence=rate(counts.authorised, counts.possible),
            unauthorised_absence=rate(counts.unauthorised, counts.possible),
        )


def planned_hours(hours_per_week: Decimal, school_days: int) -> Decimal:
    """Hours a placement planned over `school_days` (a school week has 5 days)."""
    return (hours_per_week * school_days / 5).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def delivered_hours(planned: Decimal, counts: SessionCounts) -> Decimal | None:
    """Planned hours scaled by the share of timetabled sessions attended.

    Timetabled sessions are the possible ones less C2 (sessions a part-time timetable leaves
    out), so a part-time placement that delivers all its timetabled sessions delivers its
    planned hours. None when no timetabled session is recorded.
    """
    timetabled = counts.possible - counts.part_time_sessions
    if timetabled <= 0:
        return None
    share = Decimal(counts.attended) / Decimal(timetabled)
    return (planned * min(share, Decimal(1))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
