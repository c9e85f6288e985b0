"""Plain forms for the alert pages: they validate input, nothing more."""

from django import forms

from aptrack.alerts.selectors import UNRESOLVED
from aptrack.alerts.services import NOTE_REQUIRED
from aptrack.alerts.states import AlertKind, AlertStatus

STATUS_CHOICES = [
    (UNRESOLVED, "Not resolved"),
    *AlertStatus.choices,
    ("", "Any status"),
]


class AlertFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", required=False, choices=STATUS_CHOICES)
    kind = forms.ChoiceField(
        label="Alert", required=False, choices=[("", "Any alert"), *AlertKind.choices]
    )


class AcknowledgeForm(forms.Form):
    acknowledgement_note = forms.CharField(
        label="Note",
        required=False,
        help_text="For example, who you are contacting",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class ResolveForm(forms.Form):
    resolution_note = forms.CharField(
        label="What was done, and where is the child?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": NOTE_REQUIRED},
    )
