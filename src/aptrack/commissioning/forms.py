"""Plain forms: input validation only."""

import datetime as dt
from typing import Any

from django import forms

from aptrack.commissioning.spend import FinancialYear
from aptrack.commissioning.states import Decision
from aptrack.core.govuk.forms import choice_field

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class InvoiceUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload an invoice file",
        help_text="A CSV file, up to 10 MB",
        error_messages={
            "required": "Select a CSV file of invoice lines",
            "empty": "The selected file is empty",
        },
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 10 MB")
        return upload


class DecisionForm(forms.Form):
    lines = forms.TypedMultipleChoiceField(
        label="Lines",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the lines to decide"},
    )
    decision = forms.ChoiceField(
        label="Decision",
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose approve, query or reject"},
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Needed to query or reject a line, and to approve a queried one",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, lines: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "lines").choices = lines


class ExportForm(forms.Form):
    start_date = forms.DateField(
        label="Approved from", help_text="For example, 2026-04-01", required=False
    )
    end_date = forms.DateField(
        label="Approved to", help_text="For example, 2027-03-31", required=False
    )

    def period(self, today: dt.date) -> tuple[dt.date, dt.date]:
        """The financial year so far unless given (1 April to today)."""
        start = self.cleaned_data.get("start_date") or FinancialYear.of(today).start
        end = self.cleaned_data.get("end_date") or today
        return start, end


SPEND_YEARS = 4  # this financial year and the three before it
DOWNLOADS = ("csv", "xlsx")


class SpendForm(forms.Form):
    """The financial year of the spend page, and a download."""

    year = forms.TypedChoiceField(label="Financial year", coerce=int, required=False)
    download = forms.ChoiceField(choices=[(d, d) for d in DOWNLOADS], required=False)

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = FinancialYear.of(today).year
        self.today = today
        choice_field(self, "year").choices = [
            (year, FinancialYear(year).label) for year in range(current, current - SPEND_YEARS, -1)
        ]

    def financial_year(self) -> FinancialYear:
        """The year chosen; this one when none is (or the form is not valid)."""
        chosen = self.cleaned_data.get("year") if self.is_valid() else None
        return FinancialYear(chosen) if chosen else FinancialYear.of(self.today)


class BudgetForm(forms.Form):
    """The LA's high-needs budget for AP in a financial year (next year's, this year's or one of
    the years the spend page shows)."""

    financial_year = forms.TypedChoiceField(
        label="Financial year",
        coerce=int,
        error_messages={
            "required": "Select the financial year",
            "invalid_choice": "Select the financial year",
        },
    )
    amount = forms.DecimalField(
        label="High-needs budget for alternative provision, in pounds",
        help_text="The part of the high-needs block set aside for AP for the whole year, like 1250000",
        min_value=0,
        max_digits=12,
        decimal_places=2,
        error_messages={
            "required": "Enter the high-needs budget for alternative provision",
            "invalid": "High-needs budget must be a number of pounds, like 1250000",
            "min_value": "High-needs budget must be £0 or more",
            "max_digits": "High-needs budget must be less than £10,000,000,000",
            "max_decimal_places": "High-needs budget must be in pounds and pence, like 1250000.50",
            "max_whole_digits": "High-needs budget must be less than £10,000,000,000",
        },
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = FinancialYear.of(today).year
        choice_field(self, "financial_year").choices = [
            (year, FinancialYear(year).label)
            for year in range(current + 1, current - SPEND_YEARS, -1)
        ]
