"""Forms for referrals: input shape only; the rules live in services."""

from django import forms

from aptrack.core.govuk.forms import GovukDateField
from aptrack.referrals.models import PrimaryReason, Referral, Route, Tier
from aptrack.referrals.services import EDITABLE_FIELDS
from aptrack.referrals.states import ReferralStatus


class ReferralForm(forms.Form):
    route = forms.ChoiceField(
        label="Route into alternative provision",
        choices=Route.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the route into alternative provision"},
    )
    first_day_of_exclusion = GovukDateField(
        label="First day of the exclusion",
        required=False,
        help_text="For a permanent exclusion or a suspension only. The sixth school day is counted "
        "from it. For example, 27 3 2026",
    )
    primary_reason = forms.ChoiceField(
        label="Primary reason for the placement",
        choices=[("", "Select a reason"), *PrimaryReason.choices],
        help_text="Why the placement is commissioned, as the AP census asks: not the child's need. "
        "Permanent exclusion takes precedence.",
        error_messages={"required": "Select the primary reason for the placement"},
    )
    needs_summary = forms.CharField(
        label="Summary of the child's needs",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Education, health and care needs; what has been tried; what the child needs next",
        error_messages={"required": "Enter a summary of the child's needs"},
    )
    family_views = forms.CharField(
        label="The family's views", widget=forms.Textarea, required=False
    )
    child_views = forms.CharField(
        label="The child's own views",
        widget=forms.Textarea,
        required=False,
        help_text="In the child's own words where possible",
    )
    views_not_obtained_reason = forms.CharField(
        label="If a view is missing, why it could not be obtained",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    consent_given = forms.BooleanField(
        label="The parent or carer consents to this referral and to its details being shared with the panel",
        required=False,
    )
    proposed_tier = forms.TypedChoiceField(
        label="Proposed tier",
        choices=Tier.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the proposed tier"},
    )
    estimated_weekly_cost = forms.DecimalField(
        label="Estimated weekly cost in pounds",
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        help_text="Of the provision proposed, if known",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}),
        error_messages={
            "invalid": "Estimated weekly cost must be an amount in pounds, like 450 or 450.50",
            "min_value": "Estimated weekly cost must be £0 or more",
            "max_decimal_places": "Estimated weekly cost must be in pounds and pence",
        },
    )


def initial_from_referral(referral: Referral) -> dict[str, object]:
    return {key: getattr(referral, key) for key in EDITABLE_FIELDS}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why is the referral being withdrawn?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why the referral is being withdrawn"},
    )


class ReferralSearchForm(forms.Form):
    q = forms.CharField(label="Child's name or UPN", required=False)
    status = forms.MultipleChoiceField(
        label="Status",
        required=False,
        choices=ReferralStatus.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    route = forms.ChoiceField(label="Route", required=False, choices=[("", "Any"), *Route.choices])


class ChildSearchForm(forms.Form):
    q = forms.CharField(
        label="Child's name, UPN or ULN",
        error_messages={"required": "Enter the child's name, UPN or ULN"},
    )


class ConfirmForm(forms.Form):
    """A confirmation with no fields: it carries the refusal's messages to the error summary."""
