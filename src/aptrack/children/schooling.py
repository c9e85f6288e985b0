"""Year groups and compulsory school age, from a date of birth (1 September cut-off)."""

import datetime as dt
from dataclasses import dataclass


def academic_year_start(on: dt.date) -> int:
    """The calendar year in which the academic year containing `on` began (1 September)."""
    return on.year if on.month >= 9 else on.year - 1


def _cohort_year(date_of_birth: dt.date) -> int:
    # Children born 1 September Y to 31 August Y+1 share a cohort.
    return academic_year_start(date_of_birth)


def year_group(date_of_birth: dt.date, on: dt.date) -> int:
    """National curriculum year on `on`: 0 is Reception, negative is nursery age, 12–13 sixth form."""
    return academic_year_start(on) - _cohort_year(date_of_birth) - 5


def year_group_label(value: int) -> str:
    if value == 0:
        return "Reception"
    if value < 0:
        return "Nursery age"
    return f"Year {value}"


def _last_friday_of_june(year: int) -> dt.date:
    day = dt.date(year, 6, 30)
    return day - dt.timedelta(days=(day.weekday() - 4) % 7)


@dataclass(frozen=True)
class CompulsorySchoolAge:
    starts: dt.date
    ends: dt.date

    def includes(self, on: dt.date) -> bool:
        return self.starts <= on <= self.ends


def compulsory_school_age(date_of_birth: dt.date) -> CompulsorySchoolAge:
    """From the prescribed day (31 Dec, 31 Mar, 31 Aug) on or after the 5th birthday, to the last
    Friday in June of the school year in which the child turns 16 (Education Act 1996 s8)."""
    try:
        fifth = date_of_birth.replace(year=date_of_birth.year + 5)
    except ValueError:  # born 29 February
        fifth = dt.date(date_of_birth.year + 5, 3, 1)
    prescribed = [
        dt.date(fifth.year, 3, 31),
        dt.date(fifth.year, 8, 31),
        dt.date(fifth.year, 12, 31),
    ]
    starts = next(day for day in prescribed if day >= fifth)
    ends = _last_friday_of_june(_cohort_year(date_of_birth) + 17)
    return CompulsorySchoolAge(starts=starts, ends=ends)
