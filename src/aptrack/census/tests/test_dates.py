import datetime as dt

import pytest

from aptrack.census.dates import age_window, default_census_date, third_thursday_of_january


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2024, dt.date(2024, 1, 18)),
        (2025, dt.date(2025, 1, 16)),
        (2026, dt.date(2026, 1, 15)),
        (2027, dt.date(2027, 1, 21)),
        (2032, dt.date(2032, 1, 15)),
    ],
)
def test_census_day_is_the_third_thursday_of_january(year, expected):
    assert third_thursday_of_january(year) == expected
    assert expected.weekday() == 3


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 11, 23), dt.date(2027, 1, 21)),  # autumn term: next January's
        (dt.date(2026, 9, 1), dt.date(2027, 1, 21)),
        (dt.date(2027, 2, 3), dt.date(2027, 1, 21)),  # spring: this January's, already past
        (dt.date(2026, 8, 31), dt.date(2026, 1, 15)),
    ],
)
def test_default_census_day_is_the_one_of_this_academic_year(today, expected):
    assert default_census_date(today) == expected


def test_age_window_matches_gov_uk_for_january_2025():
    # gov.uk: "born between September 2005 and 31 December 2022 (pupils aged 2 to 18)"
    assert age_window(dt.date(2025, 1, 16)) == (dt.date(2005, 9, 1), dt.date(2022, 12, 31))
