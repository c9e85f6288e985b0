"""Forms for the children register: input shape only; the rules live in services."""

from typing import Any

from django import forms

from aptrack.children.models import Child, Ethnicity, SenStatus, Sex, SocialCareStatus
from aptrack.core.govuk.forms import GovukDateField, choice_field
from aptrack.organisations.models import Establishment, LocalAuthority


def _la_choices() -> list[tuple[str, str]]:
    return [("", "Select a local authority")] + [
        (str(pk), f"{name} ({code})")
        for pk, name, code in LocalAuthority.objects.order_by("name").values_list(
            "pk", "name", "code"
        )
    ]


class ChildForm(forms.Form):
    legal_first_name = forms.CharField(
        label="Legal first name",
        max_length=100,
        error_messages={"required": "Enter the child's legal first name"},
    )
    legal_last_name = forms.CharField(
        label="Legal last name",
        max_length=100,
        error_messages={"required": "Enter the child's legal last name"},
    )
    preferred_name = forms.CharField(label="Preferred first name", max_length=100, required=False)
    date_of_birth = GovukDateField(label="Date of birth")
    sex = forms.ChoiceField(
        label="Sex",
        choices=Sex.choices,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
        error_messages={"required": "Select the child's sex"},
    )
    upn = forms.CharField(
        label="UPN",
        max_length=20,
        required=False,
        help_text="Unique pupil number: 13 characters, for example B801200005001. A temporary UPN ends in a letter.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": False}),
    )
    uln = forms.CharField(
        label="ULN",
        max_length=20,
        required=False,
        help_text="Unique learner number: 10 numbers, for learners aged 14 and over",
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "inputmode": "numeric", "spellcheck": False}
        ),
    )
    ethnicity = forms.ChoiceField(
        label="Ethnicity", choices=Ethnicity.choices, initial=Ethnicity.NOBT
    )
    home_la = forms.ChoiceField(
        label="Home local authority",
        error_messages={"required": "Select the child's home local authority"},
    )
    home_school_urn = forms.CharField(
        label="Home school URN",
        max_length=6,
        required=False,
        help_text="The 6-digit URN of the school the child is on roll at",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
    )
    sen_status = forms.ChoiceField(
        label="Special educational needs",
        choices=SenStatus.choices,
        widget=forms.RadioSelect,
        initial=SenStatus.NONE,
    )
    looked_after = forms.BooleanField(label="Looked after (child in care)", required=False)
    responsible_la = forms.ChoiceField(
        label="Local authority that looks after the child",
        required=False,
        help_text="Only for a looked-after child",
    )
    social_care_status = forms.ChoiceField(
        label="Social care",
        choices=SocialCareStatus.choices,
        widget=forms.RadioSelect,
        initial=SocialCareStatus.NONE,
    )
    youth_justice = forms.BooleanField(label="Involved with youth justice services", required=False)
    fsm = forms.BooleanField(label="Eligible for free school meals", required=False)
    address_line_1 = forms.CharField(
        label="Address",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    town = forms.CharField(
        label="Town or city",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-!-width-two-thirds"}),
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = _la_choices()
        choice_field(self, "home_la").choices = choices
        choice_field(self, "responsible_la").choices = choices

    def clean_home_la(self) -> LocalAuthority:
        try:
            return LocalAuthority.objects.get(pk=self.cleaned_data["home_la"])
        except (LocalAuthority.DoesNotExist, ValueError):
            raise forms.ValidationError("Select the child's home local authority") from None

    def clean_responsible_la(self) -> LocalAuthority | None:
        value = self.cleaned_data.get("responsible_la")
        if not value:
            return None
        try:
            return LocalAuthority.objects.get(pk=value)
        except (LocalAuthority.DoesNotExist, ValueError):
            raise forms.ValidationError("Select a local authority from the list") from None

    def clean_home_school_urn(self) -> Establishment | None:
        urn = self.cleaned_data.get("home_school_urn", "").strip()
        if not urn:
            return None
        if not (urn.isascii() and urn.isdigit() and len(urn) == 6):
            raise forms.ValidationError("Home school URN must be 6 numbers")
        school = Establishment.objects.filter(urn=urn).first()
        if school is None:
            raise forms.ValidationError(
                f"No establishment has URN {urn}: check it on Get Information About Schools"
            )
        return school

    def to_service_data(self) -> dict[str, object]:
        data = dict(self.cleaned_data)
        data["home_school"] = data.pop("home_school_urn", None)
        data.pop("confirm_not_duplicate", None)
        data.pop("version", None)
        return data


class NewChildForm(ChildForm):
    confirm_not_duplicate = forms.BooleanField(
        label="I have checked: this is a different child",
        required=False,
    )


class ChildSearchForm(forms.Form):
    q = forms.CharField(label="Name, UPN or ULN", required=False)
    sen_status = forms.ChoiceField(
        label="Special educational needs",
        required=False,
        choices=[("", "Any")] + list(SenStatus.choices),
    )
    looked_after = forms.ChoiceField(
        label="Looked after",
        required=False,
        choices=[("", "Any"), ("yes", "Looked after"), ("no", "Not looked after")],
    )
    year_group = forms.TypedChoiceField(
        label="Year group",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any")]
        + [(str(n), "Reception" if n == 0 else f"Year {n}") for n in range(0, 14)],
    )


def initial_from_child(child: Child) -> dict[str, object]:
    return {
        "legal_first_name": child.legal_first_name,
        "legal_last_name": child.legal_last_name,
        "preferred_name": child.preferred_name,
        "date_of_birth": child.date_of_birth,
        "sex": child.sex,
        "upn": child.upn,
        "uln": child.uln,
        "ethnicity": child.ethnicity,
        "home_la": str(child.home_la_id),
        "home_school_urn": child.home_school.urn if child.home_school else "",
        "sen_status": child.sen_status,
        "looked_after": child.looked_after,
        "responsible_la": str(child.responsible_la_id or ""),
        "social_care_status": child.social_care_status,
        "youth_justice": child.youth_justice,
        "fsm": child.fsm,
        "address_line_1": child.address_line_1,
        "town": child.town,
        "postcode": child.postcode,
    }


CTF_MAX_BYTES = 2 * 1024 * 1024


class CtfUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a Common Transfer File",
        help_text="The CTF XML file from a school's management information system, up to 2 MB",
        error_messages={
            "required": "Select a CTF file",
            "empty": "The selected file is empty",
        },
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > CTF_MAX_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 2 MB")
        return upload
