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


# The codes most registers use, offered first for each session; any code in force may be typed.
COMMON_CODES = ("L", "U", "N", "O", "I", "M", "C", "E", "G", "B", "K", "C2")


def session_codes(session: Session, *, with_x: bool = True) -> list[codes.AttendanceCode]:
    """The codes offered on a session's register: its own present sign ("/" in the morning,
    "\\" in the afternoon, never the other's), the common codes, then the rest; X (not of
    compulsory school age) only `with_x`."""
    own = codes.BY_CODE[codes.PRESENT_SIGN[session.value]]
    common = [codes.BY_CODE[code] for code in COMMON_CODES]
    rest = [
        code
        for code in codes.CODES
        if code not in common
        and code.code not in codes.PRESENT_SIGNS
        and (with_x or code.code != codes.NON_COMPULSORY_AGE_CODE)
    ]
    return [own, *common, *rest]


class RegisterForm(forms.Form):
    """One code per child on the register, typed (the page offers the session's codes), with
    optional minutes late and comment. "Mark everyone else present" gives every child left
    blank the session's present sign, so a register is taken by marking the exceptions only.
    Whether a code is in force is `services.record_marks`'s rule, as for every channel."""

    all_present = forms.BooleanField(
        label="Mark every child without a code present",
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        lines: Sequence[RegisterLine],
        one_page_of_many: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        if one_page_of_many:
            self.fields[
                "all_present"
            ].label = "Mark every child on this page without a code present"
        for line in lines:
            child = line.placement.child
            mark = line.mark
            key = line.placement.pk
            self.fields[f"code_{key}"] = forms.CharField(
                label=f"Code for {child.known_as}",
                required=False,
                max_length=codes.MAX_CODE_LENGTH,
                initial=mark.code if mark else NOT_MARKED,
                error_messages={"max_length": "Enter one attendance code, like / or N"},
            )
            self.fields[f"minutes_{key}"] = forms.IntegerField(
                label=f"Minutes late for {child.known_as}",
                required=False,
                min_value=0,
                max_value=MAX_MINUTES_LATE,
                initial=mark.minutes_late if mark else None,
                error_messages={"invalid": "Enter minutes late as a whole number"},
            )
            self.fields[f"comment_{key}"] = forms.CharField(
                label=f"Comment for {child.known_as}",
                required=False,
                max_length=MAX_COMMENT_LENGTH,
                initial=mark.comment if mark else "",
            )

    def rows(self, *, on: dt.date, session: Session) -> list[tuple[int, MarkRow]]:
        """(placement id, mark) for every child given a code on this register (with "mark
        everyone else present", every child)."""
        data = self.cleaned_data
        present = codes.PRESENT_SIGN[session.value] if data.get("all_present") else NOT_MARKED
        rows = []
        for line in self.lines:
            key = line.placement.pk
            code = (data.get(f"code_{key}") or "").strip()
            code = code.upper() if code not in codes.PRESENT_SIGNS else code
            code = code or present
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


def day_and_session(
    data: Any, *, now: dt.datetime, school_day: dt.date
) -> tuple[RegisterDayForm, dt.date, Session]:
    """The register the query string asks for, else the last school day's (`school_day`):
    today's, AM until half past twelve, or when today is not a school day, the morning of the
    school day before it."""
    if school_day == now.date():
        default_session = Session.AM if now.time() < dt.time(12, 30) else Session.PM
    else:
        default_session = Session.AM
    form = RegisterDayForm(data or None, initial={"date": school_day, "session": default_session})
    if data and form.is_valid():
        return form, form.cleaned_data["date"], Session(form.cleaned_data["session"])
    return form, school_day, default_session
