"""Forms for outcomes pages: input shape only; the rules live in services."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from aptrack.core.govuk.forms import GovukDateField, form_field
from aptrack.organisations.models import Organisation
from aptrack.outcomes import grades
from aptrack.outcomes.models import (
    WELLBEING_MAX,
    WELLBEING_MIN,
    AssessmentPoint,
    AttendanceSource,
    QualificationKind,
    QualificationLevel,
    Subject,
)
from aptrack.outcomes.states import QualificationStatus
from aptrack.placements.models import Review

TEXTAREA = {"rows": 3}
NARROW = {"class": "govuk-input--width-4", "spellcheck": False}
GRADE_CHOICES = [
    ("", "Select a grade"),
    *(
        (str(grade), label)
        for grade, label in grades.WORKING_AT_CHOICES
        if grade != grades.GRADE_MIN
    ),
    (str(grades.GRADE_MIN), "Below Entry Level 1 (pre-entry), or U as a KS4 result"),
]
WELLBEING_CHOICES = [
    (
        str(score),
        {
            WELLBEING_MIN: f"{WELLBEING_MIN} – very low",
            WELLBEING_MAX: f"{WELLBEING_MAX} – very good",
        }.get(score, str(score)),
    )
    for score in range(WELLBEING_MIN, WELLBEING_MAX + 1)
]


def _text(
    label: str, *, required: bool = False, message: str = "", help_text: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"required": message or f"Enter {label.lower()}"},
    )


class _ReviewField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Review) -> str:
        return f"{obj.get_kind_display()} on {obj.held_date.day} {obj.held_date:%B %Y}"


def _review_field(help_text: str) -> _ReviewField:
    return _ReviewField(
        label="Review",
        queryset=Review.objects.none(),
        required=False,
        empty_label="Not at a review",
        help_text=help_text,
    )


class _ReviewChoice(forms.Form):
    """A form that may pin its record to one of the placement's reviews (commissioners only:
    provider staff do not see reviews, so they are not offered the choice)."""

    def __init__(self, *args: Any, reviews: QuerySet[Review] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if reviews is None:
            del self.fields["review"]
        else:
            form_field(self, "review", _ReviewField).queryset = reviews


class AttainmentForm(_ReviewChoice):
    subject = forms.ChoiceField(
        label="Subject",
        choices=Subject.choices,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
        error_messages={"required": "Select English or maths"},
    )
    point = forms.ChoiceField(
        label="When",
        choices=AssessmentPoint.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select when the grade was recorded"},
    )
    review = _review_field(
        "For a grade reported at a review: the date of the review is used if you leave the date blank"
    )
    grade = forms.ChoiceField(
        label="Grade",
        choices=GRADE_CHOICES,
        help_text="The working-at grade on the GCSE 9 to 1 scale, or the Entry Level band below it; for a KS4 result, "
        "the GCSE grade awarded",
        error_messages={"required": "Select the grade"},
    )
    assessed_date = GovukDateField(label="Date assessed", required=False)


class QualificationForm(forms.Form):
    title = forms.CharField(
        label="Name of the qualification",
        max_length=200,
        help_text="For example, Functional Skills English Level 1, or BTEC Introductory Certificate in Vocational Studies",
        error_messages={
            "required": "Enter the name of the qualification",
            "max_length": "The name of the qualification must be 200 characters or fewer",
        },
    )
    kind = forms.ChoiceField(
        label="Type",
        choices=[("", "Select a type"), *QualificationKind.choices],
        error_messages={"required": "Select the type of qualification"},
    )
    level = forms.ChoiceField(
        label="Level",
        choices=[("", "Select a level"), *QualificationLevel.choices],
        error_messages={"required": "Select the level"},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=QualificationStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the status"},
    )
    started_date = GovukDateField(label="Date the child started working towards it")
    result_date = GovukDateField(
        label="Date of the result",
        required=False,
        help_text="If achieved or not achieved. For example, 21 8 2026",
    )
    result = forms.CharField(
        label="Grade or result", required=False, max_length=40, widget=forms.TextInput(attrs=NARROW)
    )


class QualificationResultForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=QualificationStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the status"},
    )
    result_date = GovukDateField(
        label="Date of the result",
        required=False,
        help_text="If achieved or not achieved. For example, 21 8 2026",
    )
    result = forms.CharField(
        label="Grade or result", required=False, max_length=40, widget=forms.TextInput(attrs=NARROW)
    )


class WellbeingForm(_ReviewChoice):
    score = forms.ChoiceField(
        label="Wellbeing and engagement score",
        choices=WELLBEING_CHOICES,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
        help_text="How the child rates their wellbeing and engagement with learning, with staff, from 1 (very low) "
        "to 10 (very good)",
        error_messages={"required": "Select the score"},
    )
    review = _review_field("The date of the review is used if you leave the date blank")
    recorded_date = GovukDateField(label="Date", required=False)
    note = _text("Notes")


class PriorAttendanceForm(forms.Form):
    attendance_percent = forms.DecimalField(
        label="Attendance before the placement (%)",
        max_digits=4,
        decimal_places=1,
        widget=forms.TextInput(attrs={**NARROW, "inputmode": "decimal"}),
        error_messages={
            "required": "Enter the attendance percentage",
            "invalid": "Attendance must be a number, like 62 or 62.5",
            "max_digits": "Attendance must be a percentage from 0 to 100",
            "max_whole_digits": "Attendance must be a percentage from 0 to 100",
            "max_decimal_places": "Attendance can have one decimal place at most",
        },
    )
    period_start_date = GovukDateField(label="First day of the period")
    period_end_date = GovukDateField(
        label="Last day of the period", help_text="Before the placement started"
    )
    source = forms.ChoiceField(
        label="Where the figure comes from",
        choices=AttendanceSource.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the figure comes from"},
    )


class OutreachForm(forms.Form):
    school = forms.ModelChoiceField(
        label="School",
        queryset=Organisation.objects.none(),
        empty_label="Select a school",
        error_messages={"required": "Select the school"},
    )
    provider = forms.ModelChoiceField(
        label="Given by",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="The LA's own outreach team",
    )
    start_date = GovukDateField(label="Start date")
    end_date = GovukDateField(
        label="End date", required=False, help_text="Leave blank while the support continues"
    )
    pupils_supported = forms.IntegerField(
        label="Pupils supported",
        min_value=0,
        widget=forms.TextInput(attrs={**NARROW, "inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many pupils were supported",
            "invalid": "The number of pupils must be a whole number, 0 or more",
            "min_value": "The number of pupils must be a whole number, 0 or more",
        },
    )
    hours = forms.DecimalField(
        label="Hours of support",
        min_value=0,
        max_digits=7,
        decimal_places=1,
        widget=forms.TextInput(attrs={**NARROW, "inputmode": "decimal"}),
        error_messages={
            "required": "Enter the hours of support",
            "invalid": "Hours must be a number, 0 or more",
            "min_value": "Hours must be a number, 0 or more",
        },
    )
    purpose = _text(
        "Purpose",
        required=True,
        message="Describe the purpose of the support",
        help_text="For example, behaviour support for Year 9, or setting up an in-school unit",
    )
    outcome = _text("Outcome", help_text="What changed for the school and its pupils")

    def __init__(
        self,
        *args: Any,
        schools: QuerySet[Organisation],
        providers: QuerySet[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "school", forms.ModelChoiceField).queryset = schools
        form_field(self, "provider", forms.ModelChoiceField).queryset = providers
