"""Forms for improvement plans: input shape only; the rules live in services."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from aptrack.accounts.models import User
from aptrack.core.govuk.forms import GovukDateField, choice_field, form_field
from aptrack.improvement import measures
from aptrack.improvement.states import ALLOWED_TRANSITIONS, RagStatus

MEASURES_HELP = (
    "The dashboard figures this aims to move. The plan shows each one's value for this term."
)


def _measure_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="Dashboard measures",
        help_text=MEASURES_HELP,
        required=False,
        choices=measures.catalogue,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select measures from the list"},
    )


class PlanForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the plan's title"}
    )
    board = forms.CharField(
        label="Oversight board",
        max_length=200,
        help_text="The board that owns the plan and reviews its progress",
        error_messages={"required": "Enter the name of the oversight board"},
    )
    period_start = GovukDateField(label="Start of the plan", help_text="For example, 1 9 2026")
    period_end = GovukDateField(label="End of the plan", help_text="For example, 31 8 2028")


class PriorityForm(forms.Form):
    title = forms.CharField(
        label="Priority", max_length=200, error_messages={"required": "Enter the priority"}
    )
    description = forms.CharField(
        label="What it means and why", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    measure_keys = _measure_field()


class _OwnerField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.get_role_display()})"


class ActionForm(forms.Form):
    title = forms.CharField(
        label="Action", max_length=300, error_messages={"required": "Enter what will be done"}
    )
    description = forms.CharField(
        label="Detail", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner_user = _OwnerField(
        label="Owner on aptrack",
        queryset=User.objects.none(),
        required=False,
        empty_label="Not on aptrack",
        help_text="Choose a person, or give the owner's name below",
    )
    owner_name = forms.CharField(label="Owner's name", max_length=120, required=False)
    owner_role = forms.CharField(
        label="Owner's role",
        max_length=120,
        required=False,
        help_text="For example, Head of Inclusion",
    )
    due_date = GovukDateField(label="Due date", help_text="For example, 31 3 2027")
    measure_keys = _measure_field()

    def __init__(self, *args: Any, owners: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "owner_user", _OwnerField).queryset = owners


class UpdateForm(forms.Form):
    """A progress note, optionally moving the RAG status."""

    status = forms.ChoiceField(
        label="RAG status",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the action's status"},
    )
    note = forms.CharField(
        label="Update",
        help_text="What has happened since the last update, and why the status is what it is",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Write a note: what has happened, and why the status is what it is"
        },
    )

    def __init__(self, *args: Any, current: RagStatus, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"status": current.value})
        super().__init__(*args, **kwargs)
        allowed = [current, *sorted(ALLOWED_TRANSITIONS[current], key=list(RagStatus).index)]
        choice_field(self, "status").choices = [
            (status.value, f"{status.label} (no change)" if status == current else status.label)
            for status in allowed
        ]
