"""Reporting periods: terms, academic years, custom dates from the GET form, and their errors."""

import datetime as dt

import pytest

from aptrack.oversight.dashboard.periods_form import PeriodForm, period_query
from aptrack.oversight.measures import periods
from aptrack.oversight.measures.periods import (
    Period,
    PeriodError,
    parse_period,
    period_choices,
    preset_for,
)

TODAY = dt.date(2026, 11, 23)


def test_terms_follow_the_documented_pattern():
    assert Period.term_containing(dt.date(2026, 11, 23)) == Period(
        dt.date(2026, 9, 1), dt.date(2026, 12, 31), "Autumn term 2026"
    )
    assert Period.term_containing(dt.date(2027, 2, 1)).label == "Spring term 2027"
    assert Period.term_containing(dt.date(2027, 3, 31)).end == dt.date(2027, 3, 31)
    assert Period.term_containing(dt.date(2027, 4, 1)) == Period(
        dt.date(2027, 4, 1), dt.date(2027, 8, 31), "Summer term 2027"
    )


def test_previous_term_and_previous_year():
    autumn = Period.term(2026, 0)
    assert autumn.previous_term().label == "Summer term 2026"
    assert Period.term(2026, 1).previous_term().label == "Autumn term 2026"
    assert autumn.previous_year().label == "Autumn term 2025"
    year = Period.academic_year(2026)
    assert year.label == "Academic year 2026/27"
    assert year.previous_year() == Period.academic_year(2025)
    custom = Period.custom(dt.date(2026, 9, 1), dt.date(2026, 11, 23))
    assert custom.previous_year() == Period.custom(dt.date(2025, 9, 1), dt.date(2025, 11, 23))
    assert Period.custom(
        dt.date(2028, 2, 29), dt.date(2028, 3, 1)
    ).previous_year().start == dt.date(2027, 2, 28)


def test_presets_on_a_day_in_the_autumn_term():
    choices = dict(period_choices(TODAY))
    assert choices["this-term"].label == "Autumn term 2026"
    assert choices["last-term"].label == "Summer term 2026"
    assert choices["this-year"].label == "Academic year 2026/27"
    assert choices["last-year"].label == "Academic year 2025/26"
    assert parse_period({}, TODAY) == choices[periods.DEFAULT_PRESET]
    assert parse_period({"period": "last-term"}, TODAY) == choices["last-term"]


def test_custom_dates_as_iso_or_as_govuk_date_parts():
    expected = Period.custom(dt.date(2026, 9, 1), dt.date(2026, 11, 23))
    assert expected.label == "1 Sep 2026 to 23 Nov 2026"
    assert (
        parse_period({"period": "custom", "start": "2026-09-01", "end": "2026-11-23"}, TODAY)
        == expected
    )
    parts = {
        "period": "custom",
        "start-day": "1",
        "start-month": "9",
        "start-year": "2026",
        "end-day": "23",
        "end-month": "11",
        "end-year": "2026",
    }
    assert parse_period(parts, TODAY) == expected


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ({"period": "next-decade"}, {"period": periods.ERROR_UNKNOWN_PERIOD}),
        (
            {"period": "custom"},
            {"start": periods.ERROR_START_MISSING, "end": periods.ERROR_END_MISSING},
        ),
        (
            {"period": "custom", "start": "2026-02-30", "end": "2026-03-01"},
            {"start": periods.ERROR_START_INVALID},
        ),
        (
            {
                "period": "custom",
                "start-day": "1",
                "start-month": "13",
                "start-year": "2026",
                "end": "2026-12-01",
            },
            {"start": periods.ERROR_START_INVALID},
        ),
        (
            {
                "period": "custom",
                "start": "2026-09-01",
                "end-day": "x",
                "end-month": "1",
                "end-year": "2027",
            },
            {"end": periods.ERROR_END_INVALID},
        ),
        (
            {"period": "custom", "start": "2026-11-23", "end": "2026-09-01"},
            {"end": periods.ERROR_END_BEFORE_START},
        ),
        (
            {"period": "custom", "start": "2016-09-01", "end": "2026-09-01"},
            {"end": periods.ERROR_TOO_LONG},
        ),
    ],
)
def test_period_errors_say_what_to_fix(query, errors):
    with pytest.raises(PeriodError) as caught:
        parse_period(query, TODAY)
    assert caught.value.errors == errors


def test_the_form_shows_errors_against_the_date_fields():
    form = PeriodForm(
        {"period": "custom", "start-day": "31", "start-month": "2", "start-year": "2026"},
        today=TODAY,
    )
    assert not form.is_valid()
    assert form.errors["start"] == ["Start date must be a real date"]
    form = PeriodForm(
        {"period": "custom", "start-day": "1", "start-month": "9", "start-year": "2026"},
        today=TODAY,
    )
    assert not form.is_valid()
    assert form.errors["end"] == [periods.ERROR_END_MISSING]
    form = PeriodForm({"period": "whenever"}, today=TODAY)
    assert not form.is_valid() and form.errors["period"] == [periods.ERROR_UNKNOWN_PERIOD]


def test_the_form_gives_the_period_and_cohort():
    form = PeriodForm({"period": "this-term", "cohort": "now"}, today=TODAY)
    assert form.is_valid()
    assert form.cleaned_data["period_obj"].label == "Autumn term 2026"
    assert form.cleaned_data["cohort"] == "now"


def test_a_period_chosen_again_from_its_query():
    custom = Period.custom(dt.date(2026, 9, 1), dt.date(2026, 10, 1))
    assert preset_for(custom, TODAY) == "custom"
    assert parse_period(period_query(custom, TODAY), TODAY) == custom
    term = Period.term(2026, 0)
    assert period_query(term, TODAY) == {"period": "this-term"}
    assert period_query(term, TODAY, "now") == {"period": "this-term", "cohort": "now"}
