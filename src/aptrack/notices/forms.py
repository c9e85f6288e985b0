"""Forms for notices: input shape only; the rules live in services."""

from django import forms

from aptrack.children.models import Sex
from aptrack.core.govuk.forms import GovukDateField
from aptrack.notices.models import ExclusionReason, NoticeKind
from aptrack.referrals.models import PrimaryReason


class _ChildFields(forms.Form):
    upn = forms.CharField(
        label="Unique pupil number (UPN)",
        max_length=20,
        error_messages={"required": "Enter the child's UPN"},
    )
    legal_first_name = forms.CharField(
        label="Legal first name",
        max_length=100,
        required=False,
        help_text="Only needed if the local authority does not know the child yet",
    )
    legal_last_name = forms.CharField(label="Legal last name", max_length=100, required=False)
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, help_text="For example, 27 3 2012"
    )
    sex = forms.ChoiceField(label="Sex", choices=[("", "Select"), *Sex.choices], required=False)
    home_la_code = forms.CharField(
        label="Home local authority code",
        max_length=3,
        required=False,
        help_text="The DfE 3-digit code of the LA where the child lives, if not your school's",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )


class ExclusionNoticeForm(_ChildFields):
    kind = forms.ChoiceField(
        label="What are you notifying?",
        choices=[
            (k.value, k.label) for k in (NoticeKind.PERMANENT_EXCLUSION, NoticeKind.SUSPENSION)
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select permanent exclusion or suspension"},
    )
    first_day = GovukDateField(
        label="First day of the exclusion",
        help_text="The sixth school day is counted from it. For example, 27 3 2026",
        error_messages={"required": "Enter the first day of the exclusion"},
    )
    exclusion_reason = forms.ChoiceField(
        label="Reason",
        choices=[("", "Select a reason"), *ExclusionReason.choices],
        help_text="The DfE reason code, as in the school census",
        error_messages={"required": "Select the reason for the exclusion"},
    )
    suspension_days = forms.IntegerField(
        label="Length of the suspension in school days",
        required=False,
        min_value=1,
        max_value=45,
        help_text="For a suspension only: more than 5",
    )
    governors_meeting_date = GovukDateField(
        label="Date of the governors' meeting",
        required=False,
        help_text="If it is arranged. For example, 10 4 2026",
    )


class SchoolApNoticeForm(_ChildFields):
    provider_urn = forms.CharField(
        label="Provider's URN",
        max_length=6,
        required=False,
        help_text="For a school, PRU or AP academy",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    provider_ukprn = forms.CharField(
        label="Provider's UKPRN",
        max_length=8,
        required=False,
        help_text="For a college or training provider",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    provider_name = forms.CharField(
        label="Provider's name",
        max_length=200,
        required=False,
        help_text="For an unregistered provider, with its address",
    )
    provider_address = forms.CharField(label="Address line 1", max_length=200, required=False)
    provider_town = forms.CharField(label="Town or city", max_length=100, required=False)
    provider_postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    start_date = GovukDateField(
        label="Start date",
        help_text="For example, 13 4 2026",
        error_messages={"required": "Enter the day the placement starts"},
    )
    hours_per_week = forms.DecimalField(
        label="Hours a week",
        max_digits=4,
        decimal_places=1,
        min_value=0.5,
        max_value=40,
        error_messages={"required": "Enter the hours a week, more than 0 and at most 40"},
    )
    ap_reason = forms.ChoiceField(
        label="Reason for the placement",
        choices=[("", "Select a reason"), *PrimaryReason.choices],
        error_messages={"required": "Select why the school commissions the placement"},
    )
    review_date = GovukDateField(
        label="First review date",
        help_text="Reviews are at least half-termly. For example, 22 5 2026",
        error_messages={"required": "Enter the date of the first review, after the start"},
    )
