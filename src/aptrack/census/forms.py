"""The census page's one input: which census day."""

from django import forms

from aptrack.core.govuk.forms import GovukDateField
from aptrack.referrals.models import PrimaryReason


class CensusDateForm(forms.Form):
    census_date = GovukDateField(
        label="Census day",
        help_text="The third Thursday of January. For example, 21 1 2027",
    )


class PrimaryReasonForm(forms.Form):
    primary_reason = forms.ChoiceField(
        label="Why was this placement commissioned?",
        help_text="The reason the placement was arranged, not the child's needs. If the child was "
        "permanently excluded, aptrack already reports permanent exclusion.",
        choices=PrimaryReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the placement was commissioned"},
    )
