"""Attendance forms: input shape only. The rules a mark must pass live in `rules` and are
applied by `services.record_marks`, whichever channel the mark came in by."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms

from aptrack.attendance import codes
from aptrack.attendance.loading import MarkRow
from aptrack.attendance.models import Session
from aptrack.attendance.rules import MAX_COMMENT_LENGTH, MAX_MINUTES_LATE
from aptrack.attendance.selectors import RegisterLine
from aptrack.core.govuk.forms import GovukDateField

# About 30 MB: a year of marks for a large provider is a few MB; a file this size is a mistake
# or an attack, and is refused before anything reads it.
MAX_UPLOAD_BYTES = 30 * 1024 * 1024
NOT_MARKED = ""


class RegisterDayForm(forms.Form):
    """Which register to show: a date and a session."""

    date = GovukDateField(label="Date")
    session = forms.ChoiceField(
        label="Session",
        choices=Session.choices,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
        error_messages={"required": "Select morning or afternoon"},
    )


def _code_choices() -> list[tuple[str, str]]:
    return [(NOT_MARKED, "Not marked"), *((code.code, code.label) for code in codes.CODES)]


class RegisterForm(forms.Form):
    """One code per child on the register, with optional minutes late and comment."""

    def __init__(self, *args: Any, lines: Sequence[RegisterLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            child = line.placement.child
            mark = line.mark
            key = line.placement.pk
            self.fields[f"code_{key}"] = forms.ChoiceField(
                label=child.known_as,
                choices=_code_choices(),
                required=False,
                initial=mark.code if mark else NOT_MARKED,
                help_text=f"UPN {child.upn}" if child.upn else None,
            )
            self.fields[f"minutes_{key}"] = forms.IntegerField(
                label="Minutes late",
                required=False,
                min_value=0,
                max_value=MAX_MINUTES_LATE,
                initial=mark.minutes_late if mark else None,
                widget=forms.TextInput(
                    attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}
                ),
                error_messages={"invalid": "Enter minutes late as a whole number"},
            )
            self.fields[f"comment_{key}"] = forms.CharField(
                label="Comment",
                required=False,
                max_length=MAX_COMMENT_LENGTH,
                initial=mark.comment if mark else "",
            )

    def rows(self, *, on: dt.date, session: Session) -> list[tuple[int, MarkRow]]:
        """(placement id, mark) for every child given a code on this register."""
        data = self.cleaned_data
        rows = []
        for line in self.lines:
            key = line.placement.pk
            code = data.get(f"code_{key}") or NOT_MARKED
            if code == NOT_MARKED:
                continue
            minutes = data.get(f"minutes_{key}")
            rows.append(
                (
                    key,
                    MarkRow(
                        child_id=line.placement.child_id,
                        date=on.isoformat(),
                        session=session.value,
                        code=code,
                        minutes_late="" if minutes is None else str(minutes),
                        comment=data.get(f"comment_{key}", ""),
                    ),
                )
            )
        return rows


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a marks file",
        help_text="A CSV file, up to 30 MB",
        error_messages={
            "required": "Select a CSV file of marks",
            "empty": "The selected file is empty",
        },
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 30 MB")
        return upload


def day_and_session(data: Any, *, now: dt.datetime) -> tuple[RegisterDayForm, dt.date, Session]:
    """The register the query string asks for, else today's, AM until half past twelve."""
    default_session = Session.AM if now.time() < dt.time(12, 30) else Session.PM
    form = RegisterDayForm(data or None, initial={"date": now.date(), "session": default_session})
    if data and form.is_valid():
        return form, form.cleaned_data["date"], Session(form.cleaned_data["session"])
    return form, now.date(), default_session
