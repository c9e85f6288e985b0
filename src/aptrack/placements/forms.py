"""Forms for placement pages: input shape only; the rules live in services."""

from typing import Any

from django import forms

from aptrack.core.govuk.forms import GovukDateField, choice_field
from aptrack.organisations.models import Organisation, OrganisationKind
from aptrack.placements.models import (
    Destination,
    EndReason,
    IntendedOutcome,
    ReviewDecision,
    ReviewKind,
)
from aptrack.placements.states import PlacementStatus
from aptrack.providers.models import ProviderSite
from aptrack.referrals.models import Tier

TEXTAREA = {"rows": 3}
SCORE_CHOICES = [
    ("1", "1 – no progress"),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", "5 – achieved"),
]
YES_NO = [("yes", "Yes"), ("no", "No")]


def _hours_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        help_text=help_text,
        max_digits=4,
        decimal_places=1,
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-3", "inputmode": "decimal", "spellcheck": False}
        ),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"{label} must be a number, like 25 or 22.5",
            "max_digits": f"{label} must be 40 or fewer",
            "max_decimal_places": f"{label} can have one decimal place at most",
            "max_whole_digits": f"{label} must be 40 or fewer",
        },
    )


def _text(
    label: str, *, required: bool = False, help_text: str = "", message: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"required": message or f"Enter {label.lower()}"},
    )


def _yes_no(label: str, message: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        empty_value=None,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
        error_messages={"required": message},
    )


class PlacementForm(forms.Form):
    """The plan. A new placement chooses its provider through the site; a change keeps the
    provider and may move between its sites."""

    site = forms.ChoiceField(
        label="Provider and site", error_messages={"required": "Select the provider and site"}
    )
    tier = forms.TypedChoiceField(
        label="Tier",
        choices=Tier.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the tier"},
    )
    start_date = GovukDateField(label="Start date")
    planned_end_date = GovukDateField(
        label="Planned end date",
        required=False,
        help_text="For example, 27 3 2027. Leave it blank only for an open-ended placement, which a manager must justify",
    )
    open_ended_justification = _text(
        "Why the placement has no end date",
        help_text="Only an LA manager can approve an open-ended placement. Open-ended placements are reported.",
    )
    hours_per_week = _hours_field("Hours a week at this provider")
    home_school_hours_per_week = _hours_field(
        "Hours a week still at the home school",
        required=False,
        help_text="Concurrent provision adds up: the child's week is at most 40 hours",
    )
    part_time_reason = _text(
        "Reason for a part-time timetable",
        help_text="Needed when the child's hours are under full-time. Part-time timetables are exceptional, "
        "in the child's interests, and never used to manage behaviour",
    )
    part_time_parent_agreed = forms.BooleanField(
        label="The parents agree to the part-time timetable", required=False
    )
    part_time_review_date = GovukDateField(
        label="Date the part-time timetable will be reviewed", required=False
    )
    part_time_plan_to_full_time = _text("Plan back to full-time education")
    exit_plan = _text(
        "Exit or reintegration plan",
        required=True,
        help_text="How and when the child will move on, and to where",
        message="Describe the exit or reintegration plan: how and when the child will move on",
    )
    readiness_criteria = _text(
        "Readiness criteria", help_text="How everyone will know the child is ready to move on"
    )
    weekly_cost = forms.DecimalField(
        label="Weekly cost in pounds",
        required=False,
        max_digits=9,
        decimal_places=2,
        min_value=0,
        help_text="Only for a provider with no rate on the register: otherwise it is worked out from the rate",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "decimal"}),
        error_messages={
            "invalid": "Weekly cost must be an amount of money, like 450 or 450.50",
            "min_value": "Weekly cost must be 0 or more",
        },
    )
    cost_difference_reason = _text(
        "Reason the weekly cost differs from the panel's",
        help_text="Only when the weekly cost is not the cost the panel approved. The difference is flagged on the plan",
    )
    dual_registered = forms.BooleanField(
        label="Dual registered with the home school", required=False
    )
    family_involvement = _text("How the family is involved")
    commissioning_school_urn = forms.CharField(
        label="URN of the commissioning school",
        required=False,
        max_length=6,
        help_text="Without an approved referral, only a school may commission, and only tier 1 work",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
    )
    compliance_override_reason = _text(
        "Reason to place despite missing compliance evidence",
        help_text="Only an LA manager can override a provider's compliance. Leave blank otherwise",
    )

    def __init__(
        self,
        *args: Any,
        sites: list[ProviderSite],
        editing: bool = False,
        ask_for_school: bool = False,
        priced_by_rate: bool = False,
        approved_cost: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sites = {str(site.pk): site for site in sites}
        choice_field(self, "site").choices = [("", "Select a provider and site")] + [
            (
                key,
                f"{site.provider.name} – {site.name}, {site.postcode}{'' if site.is_active else ' (closed)'}",
            )
            for key, site in self.sites.items()
        ]
        if editing:
            self.fields["site"].label = "Site"
            del self.fields["commissioning_school_urn"]
            del self.fields["compliance_override_reason"]
        elif not ask_for_school:
            del self.fields["commissioning_school_urn"]
        if priced_by_rate:
            del self.fields["weekly_cost"]
        if approved_cost is None:
            del self.fields["cost_difference_reason"]
        else:
            self.fields["cost_difference_reason"].help_text = (
                f"Only when the weekly cost is not the £{approved_cost:,.2f} the panel approved. "
                "The difference is flagged on the plan"
            ).replace(".00 ", " ")

    def clean_site(self) -> ProviderSite:
        site = self.sites.get(self.cleaned_data["site"])
        if site is None:
            raise forms.ValidationError("Select a provider and site from the list")
        return site

    def clean_commissioning_school_urn(self) -> Organisation | None:
        urn = self.cleaned_data.get("commissioning_school_urn", "").strip()
        if not urn:
            return None
        school = Organisation.objects.filter(
            kind=OrganisationKind.SCHOOL, establishment__urn=urn
        ).first()
        if school is None:
            raise forms.ValidationError(f"No school with URN {urn} uses aptrack: check the URN")
        return school

    def to_service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["provider"] = data["site"].provider
        if "commissioning_school_urn" in data:
            data["commissioning_school"] = data.pop("commissioning_school_urn")
        return data


PLAN_INITIAL_FIELDS = (
    "tier",
    "start_date",
    "planned_end_date",
    "open_ended_justification",
    "hours_per_week",
    "home_school_hours_per_week",
    "part_time_reason",
    "part_time_parent_agreed",
    "part_time_review_date",
    "part_time_plan_to_full_time",
    "exit_plan",
    "readiness_criteria",
    "weekly_cost",
    "cost_difference_reason",
    "dual_registered",
    "family_involvement",
)


def initial_from_placement(placement: Any) -> dict[str, Any]:
    initial = {key: getattr(placement, key) for key in PLAN_INITIAL_FIELDS}
    initial["site"] = str(placement.site_id or "")
    return initial


class CancelForm(forms.Form):
    reason = _text(
        "Why is the placement cancelled?", required=True, message="Give the reason for cancelling"
    )


class OutcomeForm(forms.Form):
    description = forms.CharField(
        label="Intended outcome",
        max_length=300,
        help_text="What will be different for the child",
        error_messages={"required": "Describe the intended outcome"},
    )
    measure = forms.CharField(
        label="How progress is measured",
        max_length=200,
        error_messages={"required": "Say how progress will be measured"},
    )
    baseline = forms.CharField(
        label="Baseline",
        max_length=100,
        help_text="Where the child is now",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
        error_messages={"required": "Enter the baseline: where the child is now"},
    )
    target = forms.CharField(
        label="Target",
        max_length=100,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
        error_messages={"required": "Enter the target"},
    )


def initial_from_outcome(outcome: IntendedOutcome) -> dict[str, str]:
    return {key: getattr(outcome, key) for key in ("description", "measure", "baseline", "target")}


class PassportForm(forms.Form):
    about_me = _text(
        "About me",
        help_text="What people like and admire about the child; in their words where possible",
    )
    needs = _text("Needs")
    what_helps = _text("What helps")
    what_to_avoid = _text("What to avoid")
    contacts = _text("Contacts", help_text="Who to call, and when")


class ReviewForm(forms.Form):
    held_date = GovukDateField(label="Date the review was held")
    kind = forms.ChoiceField(
        label="Kind of review",
        choices=ReviewKind.choices,
        widget=forms.RadioSelect,
        initial=ReviewKind.PLACEMENT_REVIEW,
        error_messages={"required": "Select the kind of review"},
    )
    attendance_percent = forms.DecimalField(
        label="Attendance since the last review, in per cent",
        required=False,
        max_digits=5,
        decimal_places=1,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "decimal"}),
        error_messages={"invalid": "Attendance must be a number from 0 to 100"},
    )
    child_views = _text("The child's views")
    family_views = _text("The family's views")
    views_not_obtained_reason = _text(
        "Why the child's or the family's views are not recorded",
        help_text="Only when a view could not be given: every review hears the child and the family",
    )
    decision = forms.ChoiceField(
        label="Decision",
        choices=ReviewDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the decision"},
    )
    decision_reason = _text("Reason for the decision", help_text="Needed to extend the placement")
    new_planned_end_date = GovukDateField(
        label="New planned end date", required=False, help_text="Only to extend"
    )
    new_tier = forms.TypedChoiceField(
        label="New tier",
        choices=Tier.choices,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text="Only to change tier",
    )

    def __init__(self, *args: Any, outcomes: list[IntendedOutcome], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outcomes = outcomes
        order = [
            "held_date",
            "kind",
            "attendance_percent",
            "child_views",
            "family_views",
            "views_not_obtained_reason",
        ]
        for outcome in outcomes:
            score, value = f"score_{outcome.pk}", f"value_{outcome.pk}"
            self.fields[score] = forms.TypedChoiceField(
                label=f"Progress: {outcome.description}",
                choices=SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
                error_messages={"required": f"Score progress against {outcome.description}"},
                help_text=f"Measured by {outcome.measure}. Baseline {outcome.baseline}; target {outcome.target}",
            )
            self.fields[value] = forms.CharField(
                label=f"Where the child is now: {outcome.description}",
                required=False,
                max_length=100,
                widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
            )
            order += [score, value]
        self.order_fields(
            [*order, "decision", "decision_reason", "new_planned_end_date", "new_tier"]
        )

    def to_service_data(self) -> dict[str, Any]:
        data = {
            key: value
            for key, value in self.cleaned_data.items()
            if not key.startswith(("score_", "value_"))
        }
        data["scores"] = {o.pk: self.cleaned_data.get(f"score_{o.pk}") for o in self.outcomes}
        data["current_values"] = {
            o.pk: self.cleaned_data.get(f"value_{o.pk}", "") for o in self.outcomes
        }
        return data


class EndForm(forms.Form):
    end_date = GovukDateField(
        label="Date the placement ended", help_text="A school day, today or earlier"
    )
    reason = forms.ChoiceField(
        label="Why did the placement end?",
        choices=EndReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the placement ended"},
    )
    destination = forms.ChoiceField(
        label="Where did the child go?",
        choices=Destination.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the child went"},
    )
    transition_plan = _text(
        "Transition plan", required=True, message="Describe the transition plan"
    )


class FollowUpForm(forms.Form):
    done_date = GovukDateField(label="Date of the check")
    still_attending = _yes_no(
        "Is the child still attending?", "Say whether the child is still attending"
    )
    destination_sustained = _yes_no(
        "Has the destination been sustained?", "Say whether the destination has been sustained"
    )
    note = _text("Notes")


class PlacementFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any")] + list(PlacementStatus.choices)
    )
    tier = forms.TypedChoiceField(
        label="Tier",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any"), ("1", "Tier 1"), ("2", "Tier 2"), ("3", "Tier 3")],
    )
    provider = forms.TypedChoiceField(
        label="Provider", required=False, coerce=int, empty_value=None
    )
    flags = forms.MultipleChoiceField(
        label="Needs attention",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (
                "drift",
                "Drifting: past the planned end or maximum length, or open-ended without a "
                "justification",
            ),
            ("overdue", "Review overdue"),
        ],
    )

    def __init__(self, *args: Any, providers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "provider").choices = [("", "Any")] + [
            (str(pk), name) for pk, name in providers
        ]
