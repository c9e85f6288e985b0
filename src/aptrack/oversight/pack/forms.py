"""The committee pack request form: which period, and whether the copy is for publication."""

import datetime as dt
from typing import Any

from django import forms

from aptrack.core.govuk.forms import GovukDateField, choice_field
from aptrack.oversight.measures import periods
from aptrack.oversight.measures.periods import Period

PRESET_LABELS = {
    periods.PRESET_THIS_TERM: "This term",
    periods.PRESET_LAST_TERM: "Last term",
    periods.PRESET_THIS_YEAR: "This academic year",
    periods.PRESET_LAST_YEAR: "Last academic year",
}
ERROR_PERIOD = "Select the period the pack covers"


class PackRequestForm(forms.Form):
    period = forms.ChoiceField(
        label="Period", widget=forms.RadioSelect, error_messages={"required": ERROR_PERIOD}
    )
    start = GovukDateField(
        label="Start date",
        required=False,
        help_text="Only for another period. For example, 1 9 2026",
    )
    end = GovukDateField(
        label="End date",
        required=False,
        help_text="Only for another period. For example, 23 11 2026",
    )
    for_publication = forms.BooleanField(
        label="For publication: suppress figures for fewer than 5 children",
        required=False,
        help_text="Leave unticked for an internal copy marked OFFICIAL-SENSITIVE, with every number shown.",
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        choices = periods.period_choices(today)
        choice_field(self, "period").choices = [
            (key, f"{PRESET_LABELS[key]} ({period.label})") for key, period in choices[:-1]
        ] + [(periods.PRESET_CUSTOM, "Another period (enter the dates below)")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        preset = data.get("period")
        if not preset:
            return data
        if preset != periods.PRESET_CUSTOM:
            data["chosen"] = dict(periods.period_choices(self.today))[preset]
            return data
        start, end = data.get("start"), data.get("end")
        if "start" not in self.errors and start is None:
            self.add_error("start", periods.ERROR_START_MISSING)
        if "end" not in self.errors and end is None:
            self.add_error("end", periods.ERROR_END_MISSING)
        if start and end:
            if end < start:
                self.add_error("end", periods.ERROR_END_BEFORE_START)
            elif (end - start).days + 1 > periods.MAX_DAYS:
                self.add_error("end", periods.ERROR_TOO_LONG)
            else:
                data["chosen"] = Period.custom(start, end)
        return data
