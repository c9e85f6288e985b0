"""The period filter as a GET form: a preset (radios) or a custom start and end date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from aptrack.core.govuk.forms import GovukDateField, choice_field
from aptrack.oversight.measures.base import COHORT_NOW, COHORT_PERIOD
from aptrack.oversight.measures.periods import (
    DEFAULT_PRESET,
    ERROR_UNKNOWN_PERIOD,
    PRESET_CUSTOM,
    Period,
    PeriodError,
    parse_period,
    period_choices,
    preset_for,
)

PRESET_NAMES = {
    "this-term": "This term",
    "last-term": "Last term",
    "this-year": "This academic year",
    "last-year": "Last academic year",
    "custom": "Choose dates",
}


def _fmt(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label="Period",
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": ERROR_UNKNOWN_PERIOD},
    )
    start = GovukDateField(
        label="Start date",
        required=False,
        help_text="Only when you choose dates. For example, 1 9 2026",
    )
    end = GovukDateField(
        label="End date",
        required=False,
        help_text="Only when you choose dates. For example, 23 11 2026",
    )
    cohort = forms.ChoiceField(
        label="Show who is in AP",
        widget=forms.RadioSelect,
        required=False,
        choices=[(COHORT_PERIOD, "At any time in the period"), (COHORT_NOW, "Today")],
    )

    def __init__(self, data: Any, *, today: dt.date, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.today = today
        choice_field(self, "period").choices = [
            (
                key,
                PRESET_NAMES[key]
                if key == PRESET_CUSTOM
                else f"{PRESET_NAMES[key]}: {p.label}, {_fmt(p.start)} to {_fmt(p.end)}",
            )
            for key, p in period_choices(today)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["cohort"] = data.get("cohort") or COHORT_PERIOD
        if "period" in self.errors:
            return data
        query = {"period": data.get("period") or DEFAULT_PRESET}
        for name in ("start", "end"):
            if data.get(name):
                query[name] = data[name].isoformat()
        try:
            data["period_obj"] = parse_period(query, self.today)
        except PeriodError as error:
            for field, message in error.errors.items():
                if field not in self.errors:  # a date that is not a real date says so already
                    self.add_error(field, message)
        return data


def period_query(period: Period, today: dt.date, cohort: str = COHORT_PERIOD) -> dict[str, str]:
    """GET parameters that choose the period again: the preset's name, else the dates."""
    preset = preset_for(period, today)
    query = {"period": preset}
    if preset == PRESET_CUSTOM:
        for name, day in (("start", period.start), ("end", period.end)):
            query.update(
                {
                    f"{name}-day": str(day.day),
                    f"{name}-month": str(day.month),
                    f"{name}-year": str(day.year),
                }
            )
    if cohort == COHORT_NOW:
        query["cohort"] = cohort
    return query
