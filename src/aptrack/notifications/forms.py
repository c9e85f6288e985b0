"""The notification choices form: shape only."""

from typing import Any

from django import forms

from aptrack.notifications.models import Frequency

MOBILE_NEEDED = "Enter a mobile number to receive text messages"


class PreferenceForm(forms.Form):
    urgent = forms.ChoiceField(
        label="Urgent alerts (whereabouts unknown, escalations)",
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select when to hear about urgent alerts"},
    )
    routine = forms.ChoiceField(
        label="Other alerts",
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select when to hear about other alerts"},
    )
    sms = forms.BooleanField(label="Also send me a text message for urgent alerts", required=False)
    mobile_number = forms.RegexField(
        label="Mobile number",
        regex=r"^\+?[0-9 ]{10,16}$",
        required=False,
        max_length=20,
        help_text="For example, 07700 900 982. Texts never name a child",
        error_messages={"invalid": "Enter a mobile number, like 07700 900 982"},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "class": "govuk-input--width-20"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("sms") and not data.get("mobile_number"):
            self.add_error("mobile_number", MOBILE_NEEDED)
        return data
