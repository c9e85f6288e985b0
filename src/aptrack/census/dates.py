"""Census day and the census age range. Pure functions: no database, no clock."""

import datetime as dt


def third_thursday_of_january(year: int) -> dt.date:
    """AP census day (domain.md §6): 18 January 2024, 15 January 2026, 21 January 2027."""
    first = dt.date(year, 1, 1)
    first_thursday = first + dt.timedelta(days=(3 - first.weekday()) % 7)
    return first_thursday + dt.timedelta(weeks=2)


def default_census_date(today: dt.date) -> dt.date:
    """The census day of the academic year `today` is in: from September, next January's."""
    return third_thursday_of_january(today.year + 1 if today.month >= 9 else today.year)


def age_window(census_date: dt.date) -> tuple[dt.date, dt.date]:
    """Earliest and latest dates of birth of a pupil aged 2 to 18 for this census: from
    1 September twenty years before the census year to 31 December three years before it
    (gov.uk, for January 2025: born September 2005 to 31 December 2022)."""
    year = census_date.year
    return dt.date(year - 20, 9, 1), dt.date(year - 3, 12, 31)
