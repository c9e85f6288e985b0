"""Forms for the report and incident pages: input shape only; the rules live in services."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from aptrack.core.govuk.forms import GovukDateField, choice_field
from aptrack.placements.models import IntendedOutcome
from aptrack.reports import services
from aptrack.reports.models import IncidentCategory

TEXTAREA = {"rows": 4}
SCORE_CHOICES = [
    ("1", "1 – no progress"),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", "5 – achieved"),
]


def _text(label: str, *, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=10_000,
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"required": f"Enter {label[0].lower() + label[1:]}"},
    )


def _with_staff(label: str) -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False)


class ReportForm(forms.Form):
    half_term = forms.ChoiceField(
        label="Half term",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the half term"},
    )
    english = _text("Progress in English")
    maths = _text("Progress in maths")
    wellbeing = _text("Wellbeing", help_text="How the child is, and any change since last time")
    incidents_summary = _text(
        "Incidents this half term", required=False, help_text="Record each incident on its own too"
    )
    child_words = _text(
        "The child's own words",
        required=False,
        help_text="What the child says about their time here, as they said it",
    )
    child_words_with_staff = _with_staff("The child gave their words with a member of staff")
    family_words = _text("The family's words", required=False)
    family_words_with_staff = _with_staff("The family gave their words with a member of staff")
    next_steps = _text("Next steps")
    correction_reason = _text(
        "What this version corrects",
        required=False,
        help_text="Only when correcting a report already sent for this half term",
    )

    def __init__(
        self,
        *args: Any,
        half_terms: list[tuple[str, str]],
        outcomes: list[IntendedOutcome],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.outcomes = outcomes
        choice_field(self, "half_term").choices = half_terms
        order = ["half_term"]
        for outcome in outcomes:
            score, note = f"score_{outcome.pk}", f"note_{outcome.pk}"
            self.fields[score] = forms.TypedChoiceField(
                label=f"Progress: {outcome.description}",
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
                error_messages={"required": f"Score progress against {outcome.description}"},
                help_text=f"Measured by {outcome.measure}. Baseline {outcome.baseline}; target {outcome.target}",
            )
            self.fields[note] = forms.CharField(
                label=f"Evidence: {outcome.description}",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            order += [score, note]
        self.order_fields(order)

    def to_data(self) -> services.ReportData:
        data = self.cleaned_data
        return services.ReportData(
            half_term_start=dt.date.fromisoformat(data["half_term"]),
            english=data["english"],
            maths=data["maths"],
            wellbeing=data["wellbeing"],
            next_steps=data["next_steps"],
            progress={
                o.pk: (data[f"score_{o.pk}"], data.get(f"note_{o.pk}", "")) for o in self.outcomes
            },
            incidents_summary=data["incidents_summary"],
            child_words=data["child_words"],
            child_words_with_staff=data["child_words_with_staff"],
            family_words=data["family_words"],
            family_words_with_staff=data["family_words_with_staff"],
            correction_reason=data["correction_reason"],
        )


class IncidentForm(forms.Form):
    category = forms.ChoiceField(
        label="Category",
        choices=IncidentCategory.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the category"},
        help_text="A safeguarding concern alerts the LA straight away, and the social worker and virtual school head of a looked-after child or one on a child protection plan",
    )
    occurred_on = GovukDateField(label="Date it happened")
    occurred_time = forms.TimeField(
        label="Time it happened",
        help_text="Use the 24-hour clock, for example 14:30",
        input_formats=["%H:%M", "%H.%M"],
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={
            "required": "Enter the time it happened",
            "invalid": "Enter the time like 14:30",
        },
    )
    what_happened = _text("What happened")
    actions_taken = _text("Actions taken")

    def to_data(self) -> services.IncidentData:
        data = self.cleaned_data
        occurred = timezone.make_aware(
            dt.datetime.combine(data["occurred_on"], data["occurred_time"])
        )
        return services.IncidentData(
            category=IncidentCategory(data["category"]),
            occurred_at=occurred,
            what_happened=data["what_happened"],
            actions_taken=data["actions_taken"],
        )
