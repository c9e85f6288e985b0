"""Provider register forms: input shape only; the rules live in services."""

from collections.abc import Collection
from typing import Any

from django import forms

from aptrack.core.govuk.forms import GovukDateField, choice_field
from aptrack.organisations.models import LocalAuthority
from aptrack.providers.models import (
    KeyStage,
    OfstedJudgement,
    Provider,
    ProviderKind,
    SettingType,
)
from aptrack.providers.states import ApprovalStatus


def _la_choices(empty: str) -> list[tuple[str, str]]:
    return [("", empty)] + [
        (str(pk), name)
        for pk, name in LocalAuthority.objects.order_by("name").values_list("pk", "name")
    ]


def _la(value: str, message: str) -> LocalAuthority:
    try:
        return LocalAuthority.objects.get(pk=value)
    except (LocalAuthority.DoesNotExist, ValueError):
        raise forms.ValidationError(message) from None


class ProviderForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the provider's name"}
    )
    kind = forms.ChoiceField(
        label="Type of provider",
        choices=[("", "Select a type")] + list(ProviderKind.choices),
        error_messages={"required": "Select the type of provider"},
    )
    home_la = forms.ChoiceField(
        label="Local authority where the provider is based",
        error_messages={"required": "Select the local authority where the provider is based"},
    )
    urn = forms.CharField(
        label="URN",
        max_length=6,
        required=False,
        help_text="For schools, colleges and PRUs: the 6-digit URN from GIAS",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
    )
    ukprn = forms.CharField(
        label="UKPRN",
        max_length=8,
        required=False,
        help_text="For other providers on the UK Register of Learning Providers",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
    )
    setting_type = forms.ChoiceField(
        label="AP census setting type",
        required=False,
        choices=[("", "None")] + list(SettingType.choices),
        help_text="Only for providers with neither URN nor UKPRN",
    )
    offers_tier_1 = forms.BooleanField(
        label="Tier 1: targeted support in mainstream schools", required=False
    )
    offers_tier_2 = forms.BooleanField(
        label="Tier 2: time-limited placements with a planned return", required=False
    )
    offers_tier_3 = forms.BooleanField(label="Tier 3: transitional placements", required=False)
    key_stages = forms.MultipleChoiceField(
        label="Key stages taught",
        required=False,
        choices=KeyStage.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    teaches_english_and_maths = forms.BooleanField(
        label="Teaches English and maths", required=False
    )
    qualifications = forms.CharField(
        label="Qualifications offered", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    therapeutic_offer = forms.CharField(
        label="Therapeutic offer", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    hours_per_week = forms.DecimalField(
        label="Hours a week offered",
        required=False,
        min_value=0,
        max_value=40,
        max_digits=4,
        decimal_places=1,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "decimal"}),
    )
    capacity = forms.IntegerField(
        label="Capacity (pupils)",
        required=False,
        min_value=0,
        max_value=5000,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
    )
    daily_rate = forms.DecimalField(
        label="Published daily rate (£)",
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "decimal"}),
    )
    hourly_rate = forms.DecimalField(
        label="Published hourly rate (£)",
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "decimal"}),
    )
    ofsted_judgement = forms.ChoiceField(
        label="Latest Ofsted judgement",
        required=False,
        choices=[("", "None or not inspected")] + list(OfstedJudgement.choices),
    )
    ofsted_date = GovukDateField(label="Date of the Ofsted inspection", required=False)
    contact_email = forms.EmailField(
        label="Contact email",
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )
    contact_phone = forms.CharField(
        label="Contact phone",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "type": "tel"}),
    )

    def __init__(self, *args: Any, only: Collection[str] | None = None, **kwargs: Any) -> None:
        """`only`: the fields the user may change (permissions.changeable_provider_fields); the
        others are left out of the form, so they are neither shown nor accepted."""
        super().__init__(*args, **kwargs)
        if only is not None:
            for name in [name for name in self.fields if name not in only]:
                del self.fields[name]
        if "home_la" in self.fields:
            choice_field(self, "home_la").choices = _la_choices("Select a local authority")

    def clean_home_la(self) -> LocalAuthority:
        return _la(
            self.cleaned_data["home_la"], "Select the local authority where the provider is based"
        )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if (
            "ofsted_date" in self.fields
            and data.get("ofsted_judgement")
            and not data.get("ofsted_date")
        ):
            self.add_error("ofsted_date", "Enter the date of the Ofsted inspection")
        if "offers_tier_2" in self.fields and not any(
            data.get(f"offers_tier_{n}") for n in (1, 2, 3)
        ):
            self.add_error("offers_tier_2", "Select at least one tier the provider offers")
        return data


class SiteForm(forms.Form):
    name = forms.CharField(
        label="Site name", max_length=200, error_messages={"required": "Enter the site name"}
    )
    address_line_1 = forms.CharField(
        label="Address", max_length=200, error_messages={"required": "Enter the site's address"}
    )
    town = forms.CharField(label="Town or city", max_length=100, required=False)
    postcode = forms.RegexField(
        label="Postcode",
        max_length=10,
        regex=r"^\s*[A-Za-z]{1,2}[0-9][A-Za-z0-9]?\s*[0-9][A-Za-z]{2}\s*$",
        error_messages={
            "required": "Enter the site's postcode",
            "invalid": "Enter a real postcode, like DT1 1XJ",
        },
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "autocomplete": "postal-code"}
        ),
    )
    local_authority = forms.ChoiceField(
        label="Local authority the site is in",
        error_messages={"required": "Select the local authority the site is in"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "local_authority").choices = _la_choices("Select a local authority")

    def clean_local_authority(self) -> LocalAuthority:
        return _la(
            self.cleaned_data["local_authority"], "Select the local authority the site is in"
        )


class ApprovalForm(forms.Form):
    status = forms.ChoiceField(
        label="New standing on your framework",
        widget=forms.RadioSelect,
        choices=[(s.value, s.label) for s in ApprovalStatus if s != ApprovalStatus.NOT_ASSESSED],
        error_messages={"required": "Select the provider's new standing"},
    )
    effective_date = GovukDateField(label="From")
    review_date = GovukDateField(label="Review by", required=False)
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the reason for the change"},
    )


class RelationshipForm(forms.Form):
    """An LA's own notes and agreed rates for a provider (its relationship row)."""

    notes = forms.CharField(
        label="Your local authority's notes",
        required=False,
        help_text="Only staff of your local authority see these",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    agreed_daily_rate = forms.DecimalField(
        label="Daily rate agreed with your local authority (£)",
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "decimal"}),
    )
    agreed_hourly_rate = forms.DecimalField(
        label="Hourly rate agreed with your local authority (£)",
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "decimal"}),
    )


class ProviderSearchForm(forms.Form):
    q = forms.CharField(label="Name, URN or UKPRN", required=False)
    registered = forms.ChoiceField(
        label="Registration",
        required=False,
        choices=[("", "Any"), ("yes", "Registered"), ("no", "Non-school (unregistered)")],
    )
    kind = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Any")] + list(ProviderKind.choices)
    )
    approval_status = forms.ChoiceField(
        label="Standing with your LA",
        required=False,
        choices=[("", "Any")] + list(ApprovalStatus.choices),
    )
    tier = forms.TypedChoiceField(
        label="Tier offered",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any"), ("1", "Tier 1"), ("2", "Tier 2"), ("3", "Tier 3")],
    )
    area = forms.ChoiceField(label="Area (LA)", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "area").choices = _la_choices("Any")


def initial_from_provider(provider: Provider) -> dict[str, object]:
    p = provider
    return {
        "name": p.name,
        "kind": p.kind,
        "home_la": str(p.home_la_id),
        "urn": p.establishment.urn if p.establishment else "",
        "ukprn": p.ukprn,
        "setting_type": p.setting_type,
        "offers_tier_1": p.offers_tier_1,
        "offers_tier_2": p.offers_tier_2,
        "offers_tier_3": p.offers_tier_3,
        "key_stages": p.key_stages,
        "teaches_english_and_maths": p.teaches_english_and_maths,
        "qualifications": p.qualifications,
        "therapeutic_offer": p.therapeutic_offer,
        "hours_per_week": p.hours_per_week,
        "capacity": p.capacity,
        "daily_rate": p.daily_rate,
        "hourly_rate": p.hourly_rate,
        "ofsted_judgement": p.ofsted_judgement,
        "ofsted_date": p.ofsted_date,
        "contact_email": p.contact_email,
        "contact_phone": p.contact_phone,
    }
