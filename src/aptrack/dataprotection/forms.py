from django import forms

from aptrack.core.govuk.forms import GovukDateField

MAX_DAYS = 3660
RANGE_BACKWARDS = "The end date must be the same as or after the start date"
RANGE_TOO_LONG = "Choose at most 10 years at a time"


class AuditLogRangeForm(forms.Form):
    start = GovukDateField(label="From", help_text="For example, 1 9 2026")
    end = GovukDateField(label="To (inclusive)", help_text="For example, 30 11 2026")

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", RANGE_BACKWARDS)
            elif (end - start).days > MAX_DAYS:
                self.add_error("end", RANGE_TOO_LONG)
        return data
