"""Forms for quality assurance: input shape only; the rules live in services."""

from typing import Any

from django import forms

from aptrack.core.govuk.forms import GovukDateField, choice_field
from aptrack.quality.models import CheckType, Framework, Grade, QAVisit, Standard, VisitType

GRADE_OFF_SCALE = "Select a judgement from 1 (outstanding or strong) to 4 (inadequate)"


def _text(
    label: str,
    *,
    required: bool = True,
    message: str = "",
    rows: int | None = None,
    max_length: int | None = None,
    help_text: str = "",
    classes: str = "",
) -> forms.CharField:
    widget: forms.Widget
    if rows:
        widget = forms.Textarea(attrs={"rows": rows})
    else:
        widget = forms.TextInput(attrs={"class": classes} if classes else None)
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=widget,
        error_messages={"required": message or f"Enter the {label.lower()}"},
    )


def _grade_field(
    label: str, *, required: bool = False, message: str = ""
) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        required=required,
        coerce=int,
        empty_value=None,
        choices=Grade.choices,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--small"}),
        error_messages={"invalid_choice": GRADE_OFF_SCALE, "required": message or GRADE_OFF_SCALE},
    )


class EvidenceForm(forms.Form):
    check_type = forms.ChoiceField(
        label="Check",
        choices=[("", "Select a check"), *CheckType.choices],
        error_messages={
            "required": "Select the check this evidence is for",
            "invalid_choice": "Select the check this evidence is for",
        },
    )
    evidence_date = GovukDateField(
        label="Evidence date",
        help_text="The date on the evidence, for example 27 3 2026",
    )
    expiry_date = GovukDateField(
        label="Expiry date",
        help_text="When the evidence must be renewed: when the insurance ends, the policy or "
        "risk assessment is due for review, or the training must be refreshed",
    )
    named_person = _text(
        "Name of the designated safeguarding lead",
        required=False,
        max_length=200,
        help_text="Only for the designated safeguarding lead check",
    )
    evidence_reference = _text(
        "Where the evidence is kept",
        required=False,
        max_length=300,
        help_text="For example the document's name, or where it is filed",
    )
    notes = _text("Notes", required=False, rows=3)


class VisitStartForm(forms.Form):
    framework = forms.ChoiceField(
        label="Framework",
        error_messages={"required": "Select the framework for the visit"},
    )
    visit_type = forms.ChoiceField(
        label="Type of visit",
        choices=VisitType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of visit"},
    )
    visit_date = GovukDateField(label="Visit date")
    visitors = _text(
        "Visitors",
        rows=2,
        message="Enter who made the visit",
        help_text="Names and roles of everyone who visited",
    )

    def __init__(self, *args: Any, frameworks: list[Framework], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._frameworks = {str(f.pk): f for f in frameworks}
        choice_field(self, "framework").choices = [("", "Select a framework")] + [
            (str(f.pk), f.name) for f in frameworks
        ]

    def clean_framework(self) -> Framework:
        framework = self._frameworks.get(self.cleaned_data["framework"])
        if framework is None:
            raise forms.ValidationError("Select the framework for the visit")
        return framework


class VisitRecordForm(forms.Form):
    """A draft visit's details, a judgement and evidence notes per standard, feedback and the
    overall judgement. Standard fields are named grade_<id> and notes_<id>."""

    visit_type = forms.ChoiceField(
        label="Type of visit",
        choices=VisitType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of visit"},
    )
    visit_date = GovukDateField(label="Visit date")
    visitors = _text(
        "Visitors",
        rows=2,
        message="Enter who made the visit",
        help_text="Names and roles of everyone who visited",
    )

    def __init__(self, *args: Any, standards: list[Standard], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.standards = standards
        for standard in standards:
            self.fields[f"grade_{standard.pk}"] = _grade_field(
                f"Judgement for standard {standard.code}"
            )
            self.fields[f"notes_{standard.pk}"] = _text(
                f"Evidence for standard {standard.code}", required=False, rows=3
            )
        self.fields["child_feedback"] = _text(
            "What children told you",
            required=False,
            rows=4,
            help_text="The views of children placed with the provider",
        )
        self.fields["family_feedback"] = _text(
            "What parents and carers told you",
            required=False,
            rows=4,
        )
        self.fields["summary"] = _text("Summary of findings", required=False, rows=5)
        self.fields["overall_judgement"] = _grade_field("Overall judgement")
        self.fields["revisit_date"] = GovukDateField(label="Re-visit date", required=False)

    def standard_fields(self, standard: Standard) -> tuple[forms.BoundField, forms.BoundField]:
        return self[f"grade_{standard.pk}"], self[f"notes_{standard.pk}"]

    def details(self) -> dict[str, Any]:
        keys = (
            "visit_type",
            "visit_date",
            "visitors",
            "child_feedback",
            "family_feedback",
            "summary",
            "overall_judgement",
            "revisit_date",
        )
        return {key: self.cleaned_data[key] for key in keys}

    def judgements(self) -> dict[int, tuple[int | None, str]]:
        return {
            s.pk: (self.cleaned_data[f"grade_{s.pk}"], self.cleaned_data[f"notes_{s.pk}"])
            for s in self.standards
        }

    @staticmethod
    def initial_from(visit: QAVisit, judgements: dict[int, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "visit_type": visit.visit_type,
            "visit_date": visit.visit_date,
            "visitors": visit.visitors,
            "child_feedback": visit.child_feedback,
            "family_feedback": visit.family_feedback,
            "summary": visit.summary,
            "overall_judgement": visit.overall_judgement,
            "revisit_date": visit.revisit_date,
        }
        for standard_id, judgement in judgements.items():
            initial[f"grade_{standard_id}"] = judgement.grade
            initial[f"notes_{standard_id}"] = judgement.evidence_notes
        return initial

    @staticmethod
    def data_from(initial: dict[str, Any]) -> dict[str, str]:
        """The saved visit as posted data, so a page can show completion errors on its fields."""
        data: dict[str, str] = {}
        for key, value in initial.items():
            if value is None:
                continue
            if key in ("visit_date", "revisit_date"):
                data.update(
                    {
                        f"{key}-day": str(value.day),
                        f"{key}-month": str(value.month),
                        f"{key}-year": str(value.year),
                    }
                )
            else:
                data[key] = str(value)
        return data


class ActionForm(forms.Form):
    prefix = "action"

    text = _text("Action", rows=3, message="Enter the action")
    owner_name = _text(
        "Owner",
        max_length=200,
        message="Enter who owns the action",
        help_text="The person responsible, for example the provider's manager",
    )
    due_date = GovukDateField(label="Due date")


class FrameworkForm(forms.Form):
    name = _text("Name", max_length=200, message="Enter a name for the framework")
    description = _text("Description", required=False, rows=4)


class CopyFrameworkForm(forms.Form):
    name = _text(
        "Name for your copy",
        required=False,
        max_length=200,
        help_text="Leave blank to use the framework's name followed by your local authority's",
    )


class StandardForm(forms.Form):
    area_number = forms.TypedChoiceField(
        label="Area number",
        coerce=int,
        choices=[(str(n), str(n)) for n in range(1, 21)],
        error_messages={"required": "Select the area number"},
    )
    area_title = _text(
        "Area title",
        required=False,
        max_length=200,
        help_text="Leave blank to keep the area's title. A new title renames the whole area.",
    )
    code = _text(
        "Code",
        max_length=10,
        message="Enter the standard's code, for example 2.3",
        help_text="The area number, a full stop and a number, for example 2.3",
        classes="govuk-input--width-5",
    )
    text = _text("Standard", rows=4, message="Enter the standard")


class PeriodForm(forms.Form):
    start = GovukDateField(label="From")
    end = GovukDateField(label="To")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end of the period must be on or after its start")
        return data
