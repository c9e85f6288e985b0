"""The census page's one input: which census day."""

from django import forms

from aptrack.core.govuk.forms import GovukDateField


class CensusDateForm(forms.Form):
    census_date = GovukDateField(
        label="Census day",
        help_text="The third Thursday of January. For example, 21 1 2027",
    )
