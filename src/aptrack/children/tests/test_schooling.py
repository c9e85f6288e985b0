import datetime as dt

import pytest

from aptrack.children import schooling


@pytest.mark.parametrize(
    ("born", "on", "year"),
    [
        (dt.date(2012, 10, 15), dt.date(2026, 11, 23), 9),
        (dt.date(2013, 8, 31), dt.date(2026, 11, 23), 9),  # youngest in the cohort
        (dt.date(2012, 9, 1), dt.date(2026, 11, 23), 9),  # oldest in the cohort
        (dt.date(2012, 8, 31), dt.date(2026, 11, 23), 10),
        (dt.date(2011, 1, 5), dt.date(2027, 7, 1), 11),
        (dt.date(2021, 12, 1), dt.date(2026, 9, 10), 0),
    ],
)
def test_year_group_uses_1_september_cut_off(born, on, year):
    assert schooling.year_group(born, on) == year


def test_compulsory_school_age_starts_the_term_after_fifth_birthday():
    csa = schooling.compulsory_school_age(dt.date(2020, 1, 10))
    assert csa.starts == dt.date(2025, 3, 31)


def test_compulsory_school_age_ends_last_friday_of_june_of_year_11():
    csa = schooling.compulsory_school_age(dt.date(2010, 10, 1))
    # Year 11 in 2026/27; the last Friday of June 2027 is the 25th.
    assert csa.ends == dt.date(2027, 6, 25)
    assert csa.includes(dt.date(2027, 6, 25))
    assert not csa.includes(dt.date(2027, 6, 26))


def test_leap_day_birthday():
    assert schooling.compulsory_school_age(dt.date(2016, 2, 29)).starts == dt.date(2021, 3, 31)
