"""Forms for panels and meetings: input shape only; the rules live in services."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from aptrack.core.govuk.forms import GovukDateField, choice_field, form_field
from aptrack.panels.models import Agency, AgendaItem, DecisionOutcome, PanelKind, PanelMember
from aptrack.referrals.models import Referral, Tier


class _ModelChoiceByPk(forms.ChoiceField):
    """A select of objects from a queryset, given back as the object (or None when optional)."""

    def __init__(self, *, empty_label: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.empty_label = empty_label
        self.queryset: QuerySet[Any] | None = None

    def set_queryset(self, queryset: QuerySet[Any], label: Any = str) -> None:
        self.queryset = queryset
        self.choices = [("", self.empty_label)] + [(str(obj.pk), label(obj)) for obj in queryset]

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if not value:
            return None
        assert self.queryset is not None
        return self.queryset.get(pk=int(value))


class PanelForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=120, error_messages={"required": "Enter the panel's name"}
    )
    kind = forms.ChoiceField(
        label="Kind of panel",
        choices=PanelKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of panel"},
    )
    quorum = forms.IntegerField(
        label="Members needed for a decision",
        min_value=1,
        max_value=50,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many members must be present for a decision",
            "invalid": "Members needed must be a whole number, like 3",
            "min_value": "Quorum must be at least 1 member",
        },
    )
    quorum_agencies = forms.IntegerField(
        label="Different agencies needed for a decision",
        min_value=1,
        max_value=10,
        help_text="A decision needs members from at least this many different agencies",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many different agencies must be present for a decision",
            "invalid": "Agencies needed must be a whole number, like 2",
            "min_value": "At least 1 agency must be present for a decision",
        },
    )


class MemberForm(forms.Form):
    user = _ModelChoiceByPk(
        label="Their account",
        required=False,
        empty_label="No account: listed by name only",
        help_text="Link the member's own account so they can see the panel's agendas; a chair with "
        "an account records decisions",
    )
    name = forms.CharField(
        label="Name",
        max_length=120,
        required=False,
        help_text="Leave blank to use the name on their account",
    )
    agency = forms.ChoiceField(
        label="Agency",
        choices=[("", "Select an agency"), *Agency.choices],
        error_messages={"required": "Select the agency the member represents"},
    )
    is_chair = forms.BooleanField(label="Chair of the panel", required=False)

    def __init__(self, *args: Any, users: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "user", _ModelChoiceByPk).set_queryset(
            users, label=lambda u: f"{u.display_name} ({u.organisation.name})"
        )


class MeetingForm(forms.Form):
    date = GovukDateField(label="Date of the meeting")
    location = forms.CharField(
        label="Where", max_length=200, required=False, help_text="A room, or online"
    )


class AgendaForm(forms.Form):
    referral = _ModelChoiceByPk(
        label="Referral",
        empty_label="Select a referral",
        error_messages={"required": "Select the referral to add to the agenda"},
    )

    def __init__(self, *args: Any, referrals: QuerySet[Referral], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "referral", _ModelChoiceByPk).set_queryset(
            referrals,
            label=lambda r: (
                f"{r.child.full_name}: {r.get_route_display()} ({r.get_status_display().lower()})"
            ),
        )


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label="Members present",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the members who are present"},
        help_text="Quorum counts the members present and the different agencies they represent",
    )

    def __init__(self, *args: Any, members: list[PanelMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "present").choices = [
            (str(m.pk), f"{m.name}, {m.get_agency_display()}{' (chair)' if m.is_chair else ''}")
            for m in members
        ]

    def present_ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data["present"]]


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Decision",
        choices=DecisionOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the panel's decision"},
    )
    reasons = forms.CharField(
        label="Reasons",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the reasons for the decision"},
    )
    approved_tier = forms.TypedChoiceField(
        label="Tier approved",
        choices=Tier.choices,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text="Needed for an approval",
    )
    proposed_provider = _ModelChoiceByPk(
        label="Proposed provider", required=False, empty_label="None proposed yet"
    )
    proposed_weekly_cost = forms.DecimalField(
        label="Proposed weekly cost in pounds",
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        help_text="Needed for an approval",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}),
        error_messages={
            "invalid": "Proposed weekly cost must be an amount in pounds, like 450 or 450.50",
            "min_value": "Proposed weekly cost must be £0 or more",
            "max_decimal_places": "Proposed weekly cost must be in pounds and pence",
        },
    )
    value_for_money_note = forms.CharField(
        label="Value for money",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="The proposed cost against the alternatives considered. Needed for an approval",
    )

    def __init__(self, *args: Any, providers: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "proposed_provider", _ModelChoiceByPk).set_queryset(providers)


class ActionForm(forms.Form):
    description = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter what is to be done"},
    )
    owner = forms.CharField(
        label="Owner", max_length=120, error_messages={"required": "Enter who owns the action"}
    )
    due_date = GovukDateField(label="Due date")
    agenda_item = _ModelChoiceByPk(
        label="About", required=False, empty_label="The meeting as a whole"
    )

    def __init__(self, *args: Any, items: QuerySet[AgendaItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "agenda_item", _ModelChoiceByPk).set_queryset(
            items, label=lambda i: f"Item {i.position}: {i.referral.child.full_name}"
        )


class CarryForwardForm(forms.Form):
    reason = forms.CharField(
        label="Why is the item being carried forward?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the item is being carried forward"},
    )


class ConfirmForm(forms.Form):
    """A confirmation with no fields: it carries the refusal's messages to the error summary."""
