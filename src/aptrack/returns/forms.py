"""Forms for provider returns: input shape only; the rules live in services."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms

from aptrack.children.models import Child
from aptrack.core.govuk.formatting import uk_date
from aptrack.core.govuk.forms import GovukDateField, choice_field
from aptrack.providers.models import Provider, ProviderSite
from aptrack.returns.states import ReturnStatus

HOURS_ERRORS = {
    "required": "Enter the hours a week the pupil attended",
    "invalid": "Hours a week must be a number, like 18 or 17.5",
    "min_value": "Hours a week must be more than 0",
    "max_value": "Hours a week must be 60 or fewer",
    "max_digits": "Hours a week must be 60 or fewer",
    "max_whole_digits": "Hours a week must be 60 or fewer",
    "max_decimal_places": "Hours a week can have at most 1 decimal place, like 17.5",
}


class StartReturnForm(forms.Form):
    provider = forms.ChoiceField(
        label="Provider",
        error_messages={
            "required": "Select the provider the return is for",
            "invalid_choice": "Select a provider from the list",
        },
    )
    period_start_date = GovukDateField(
        label="Start of the period", help_text="For example, 1 9 2026"
    )
    period_end_date = GovukDateField(
        label="End of the period", help_text="A month or a half-term. For example, 30 9 2026"
    )

    def __init__(
        self, *args: Any, providers: Iterable[Provider] | None = None, **kwargs: Any
    ) -> None:
        """Without `providers` (provider staff), the return is for the user's own provider."""
        super().__init__(*args, **kwargs)
        if providers is None:
            del self.fields["provider"]
        else:
            self._providers = {str(p.pk): p for p in providers}
            choice_field(self, "provider").choices = [("", "Select a provider")] + [
                (key, p.name) for key, p in self._providers.items()
            ]

    def clean_provider(self) -> Provider:
        provider = self._providers.get(self.cleaned_data["provider"])
        if provider is None:
            raise forms.ValidationError("Select a provider from the list")
        return provider


class _LineForm(forms.Form):
    hours_per_week = forms.DecimalField(
        label="Hours a week attended",
        min_value=Decimal("0.1"),
        max_value=60,
        max_digits=3,
        decimal_places=1,
        error_messages=HOURS_ERRORS,
        help_text="The average over the period. For example, 17.5",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "decimal"}),
    )
    sites = forms.MultipleChoiceField(
        label="Sites attended",
        widget=forms.CheckboxSelectMultiple,
        help_text="Select every site the pupil attended in the period",
        error_messages={"required": "Select every site the pupil attended"},
    )

    def __init__(self, *args: Any, sites: Iterable[ProviderSite] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sites = {str(site.pk): site for site in sites}
        field = choice_field(self, "sites")
        field.choices = [(key, str(site)) for key, site in self._sites.items()]
        if not self._sites:
            # A provider with no sites on the register cannot say which it used.
            del self.fields["sites"]

    def clean_sites(self) -> list[ProviderSite]:
        return [self._sites[key] for key in self.cleaned_data["sites"]]

    def chosen_sites(self) -> list[ProviderSite]:
        return list(self.cleaned_data.get("sites", []))


class ChildLineForm(_LineForm):
    child = forms.ChoiceField(
        label="Pupil",
        help_text="Children placed with the provider during the period",
        error_messages={
            "required": "Select the pupil",
            "invalid_choice": "Select a pupil from the list",
        },
    )
    field_order = ["child", "hours_per_week", "sites"]

    def __init__(self, *args: Any, children: Iterable[Child] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._children = {str(child.pk): child for child in children}
        choice_field(self, "child").choices = [("", "Select a pupil")] + [
            (
                key,
                f"{child.legal_last_name}, {child.legal_first_name} (born {uk_date(child.date_of_birth)})",
            )
            for key, child in self._children.items()
        ]

    def clean_child(self) -> Child:
        return self._children[self.cleaned_data["child"]]


YES_NO = [("yes", "Yes"), ("no", "No")]


class AnonymousLineForm(_LineForm):
    age_years = forms.IntegerField(
        label="Age in years",
        required=False,
        min_value=2,
        max_value=25,
        error_messages={
            "invalid": "Age must be a whole number, like 14",
            "min_value": "Age must be 2 or more",
            "max_value": "Age must be 25 or less",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-2", "inputmode": "numeric"}),
    )
    compulsory_school_age = forms.ChoiceField(
        label="Is the pupil of compulsory school age?",
        choices=YES_NO,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
        help_text="From the term after their 5th birthday to the last Friday in June of the school "
        "year in which they turn 16",
        error_messages={"required": "Select yes if the pupil is of compulsory school age"},
    )
    looked_after = forms.BooleanField(
        label="Looked after (in the care of a local authority)", required=False
    )
    has_ehcp = forms.BooleanField(
        label="Has an education, health and care plan (EHCP)", required=False
    )
    field_order = [
        "age_years",
        "compulsory_school_age",
        "looked_after",
        "has_ehcp",
        "hours_per_week",
        "sites",
    ]

    def clean_compulsory_school_age(self) -> bool:
        return bool(self.cleaned_data["compulsory_school_age"] == "yes")


class SubmitReturnForm(forms.Form):
    confirm = forms.BooleanField(
        label="I confirm this return lists every pupil who attended in the period, with their "
        "hours a week and the sites they attended",
        error_messages={"required": "Confirm the return is complete before you submit it"},
    )


class ReturnFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any")] + list(ReturnStatus.choices)
    )
    period = forms.ChoiceField(
        label="Period",
        required=False,
        error_messages={"invalid_choice": "Select a period from the list"},
    )

    def __init__(
        self, *args: Any, periods: Iterable[tuple[dt.date, dt.date]] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "period").choices = [("", "Any")] + [
            (f"{start.isoformat()}_{end.isoformat()}", f"{uk_date(start)} to {uk_date(end)}")
            for start, end in periods
        ]

    def clean_period(self) -> tuple[dt.date, dt.date] | None:
        value = self.cleaned_data["period"]
        if not value:
            return None
        start, end = value.split("_")
        return dt.date.fromisoformat(start), dt.date.fromisoformat(end)
