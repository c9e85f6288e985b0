"""The upload form: shape only; size, type and the expiry rule live in services."""

from django import forms

from aptrack.core.govuk.forms import GovukDateField
from aptrack.documents.filetypes import ACCEPTED_EXTENSIONS


class UploadForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        required=False,
        help_text="For example, signed placement agreement. Leave blank to use the file name",
    )
    file = forms.FileField(
        label="Upload a file",
        help_text="A PDF, PNG, JPEG, Word, Excel or PowerPoint file",
        error_messages={
            "required": "Select a file",
            "empty": "The selected file is empty",
        },
        widget=forms.FileInput(
            attrs={"accept": ",".join(f".{ext}" for ext in ACCEPTED_EXTENSIONS)}
        ),
    )

    def __init__(self, *args: object, with_expiry: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if with_expiry:
            self.fields["expiry_date"] = GovukDateField(
                label="Expiry date",
                help_text="When this evidence must be renewed, for example 31 3 2027",
                required=False,
            )
