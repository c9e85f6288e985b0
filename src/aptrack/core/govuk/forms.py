"""The bridge between Django forms and GOV.UK Frontend macros.

One table (`_COMPONENTS`) maps a widget to its GOV.UK component; `render_field` builds the
macro's parameters (label, hint, error message, items) from a bound field, so a page writes
`{{ govuk_form_fields(form) }}` and gets compliant markup. `render_error_summary` writes the
error summary that links each message to its field.
"""

import datetime as dt
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

from django import forms
from django.forms.renderers import TemplatesSetting
from django.template import engines
from markupsafe import Markup

FieldT = TypeVar("FieldT", bound=forms.Field)


def form_field(form: forms.BaseForm, name: str, kind: type[FieldT]) -> FieldT:
    """The form's field `name`, which is a `kind`: for a form that sets its choices or queryset
    when it is made."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{name} is a {type(field).__name__}, not a {kind.__name__}")
    return field


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    return form_field(form, name, forms.ChoiceField)


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/form.html"


@cache
def _macro(component: str, name: str) -> Callable[..., str]:
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    module = env.get_template(f"govuk_frontend_jinja/components/{component}/macro.html").module
    return getattr(module, name)


def call_macro(component: str, name: str, params: dict[str, Any]) -> Markup:
    return Markup(_macro(component, name)(params))  # noqa: S704 - macro output is escaped Jinja


# --- dates: GOV.UK asks for day, month and year in three boxes -----------------------------


class GovukDateInput(forms.MultiWidget):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()], attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value.count("-") == 2:
            year, month, day = value.split("-")
            return [day, month, year]
        return [None, None, None]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return [str(data.get(f"{name}-{part}", "")).strip() for part in ("day", "month", "year")]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}-{part}" in data for part in ("day", "month", "year"))


class GovukDateField(forms.Field):
    """A date typed as day, month and year, with the GOV.UK error messages for each part."""

    widget = GovukDateInput

    def __init__(self, *, label: str = "", **kwargs: Any) -> None:
        super().__init__(label=label, **kwargs)
        self.noun = (label or "Date").strip()

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.date):
            return value
        if not value or not any(value):
            return None
        day, month, year = value
        missing = [
            part for part, text in (("day", day), ("month", month), ("year", year)) if not text
        ]
        if missing:
            raise forms.ValidationError(
                f"{self.noun} must include a {' and '.join(missing)}", code="incomplete"
            )
        try:
            number_day, number_month, number_year = int(day), int(month), int(year)
        except ValueError:
            raise forms.ValidationError(
                f"{self.noun} must be a real date, written in numbers", code="invalid"
            ) from None
        if len(str(year)) != 4:
            raise forms.ValidationError("Year must include 4 numbers", code="invalid_year")
        try:
            return dt.date(number_year, number_month, number_day)
        except ValueError:
            raise forms.ValidationError(
                f"{self.noun} must be a real date", code="invalid"
            ) from None

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            raise forms.ValidationError(f"Enter the {self.noun.lower()}", code="required")


# --- fields to components ------------------------------------------------------------------


def _error(field: forms.BoundField) -> dict[str, str] | None:
    return {"text": " ".join(str(e) for e in field.errors)} if field.errors else None


def _hint(field: forms.BoundField) -> dict[str, str] | None:
    return {"text": str(field.help_text)} if field.help_text else None


def _label_text(field: forms.BoundField) -> str:
    label = str(field.label)
    if not field.field.required and not isinstance(field.field.widget, forms.CheckboxInput):
        label += " (optional)"
    return label


def _value(field: forms.BoundField) -> Any:
    value = field.value()
    return "" if value is None else value


def _choices(field: forms.BoundField) -> list[tuple[str, str]]:
    return [(str(v), str(label)) for v, label in field.field.choices]  # type: ignore[attr-defined]


def _input(field: forms.BoundField, extra: dict[str, Any]) -> Markup:
    widget = field.field.widget
    params: dict[str, Any] = {
        "id": field.id_for_label,
        "name": field.html_name,
        "label": {"text": _label_text(field)},
        "hint": _hint(field),
        "errorMessage": _error(field),
        "value": _value(field),
        "type": getattr(widget, "input_type", "text"),
        "classes": widget.attrs.get("class", ""),
        "autocomplete": widget.attrs.get("autocomplete", "off"),
        "spellcheck": widget.attrs.get("spellcheck"),
        "inputmode": widget.attrs.get("inputmode"),
    }
    if isinstance(widget, forms.PasswordInput):
        params["value"] = ""
        params["autocomplete"] = widget.attrs.get("autocomplete", "current-password")
    params.update(extra)
    return call_macro("input", "govukInput", params)


def _file(field: forms.BoundField, extra: dict[str, Any]) -> Markup:
    params: dict[str, Any] = {
        "id": field.id_for_label,
        "name": field.html_name,
        "label": {"text": _label_text(field)},
        "hint": _hint(field),
        "errorMessage": _error(field),
        "attributes": {"accept": field.field.widget.attrs["accept"]}
        if "accept" in field.field.widget.attrs
        else {},
    }
    params.update(extra)
    return call_macro("file-upload", "govukFileUpload", params)


def _textarea(field: forms.BoundField, extra: dict[str, Any]) -> Markup:
    params = {
        "id": field.id_for_label,
        "name": field.html_name,
        "label": {"text": _label_text(field)},
        "hint": _hint(field),
        "errorMessage": _error(field),
        "value": _value(field),
        "rows": field.field.widget.attrs.get("rows", 5),
    }
    params.update(extra)
    return call_macro("textarea", "govukTextarea", params)


def _select(field: forms.BoundField, extra: dict[str, Any]) -> Markup:
    current = str(_value(field))
    params = {
        "id": field.id_for_label,
        "name": field.html_name,
        "label": {"text": _label_text(field)},
        "hint": _hint(field),
        "errorMessage": _error(field),
        "items": [
            {"value": value, "text": text, "selected": value == current}
            for value, text in _choices(field)
        ],
    }
    params.update(extra)
    return call_macro("select", "govukSelect", params)


def _radios(field: forms.BoundField, extra: dict[str, Any]) -> Markup:
    current = str(_value(field))
    params = {
        "idPrefix": field.auto_id,
        "name": field.html_name,
        "fieldset": {
            "legend": {"text": _label_text(field), "classes": "govuk-fieldset__legend--s"}
        },
        "hint": _hint(field),
        "errorMessage": _error(field),
        "classes": field.field.widget.attrs.get("class", ""),
        "items": [
            {"value": value, "text": text, "checked": value == current}
            for value, text in _choices(field)
            if value != ""
        ],
    }
    params.update(extra)
    return call_macro("radios", "govukRadios", params)


def _checkbox(field: forms.BoundField, extra: dict[str, Any]) -> Markup:
    params = {
        "idPrefix": field.id_for_label,
        "name": field.html_name,
        "errorMessage": _error(field),
        "classes": "govuk-checkboxes--small",
        "items": [
            {
                "value": "on",
                "text": str(field.label),
                "hint": _hint(field),
                "checked": bool(field.value()),
                "id": field.id_for_label,
            }
        ],
    }
    params.update(extra)
    return call_macro("checkboxes", "govukCheckboxes", params)


def _checkboxes(field: forms.BoundField, extra: dict[str, Any]) -> Markup:
    current = {str(v) for v in (field.value() or [])}
    params = {
        "idPrefix": field.auto_id,
        "name": field.html_name,
        "fieldset": {
            "legend": {"text": _label_text(field), "classes": "govuk-fieldset__legend--s"}
        },
        "hint": _hint(field),
        "errorMessage": _error(field),
        "classes": "govuk-checkboxes--small",
        "items": [
            {"value": value, "text": text, "checked": value in current}
            for value, text in _choices(field)
        ],
    }
    params.update(extra)
    return call_macro("checkboxes", "govukCheckboxes", params)


def _date(field: forms.BoundField, extra: dict[str, Any]) -> Markup:
    raw = field.value()
    parts = field.field.widget.decompress(raw) if not isinstance(raw, list) else raw
    day, month, year = (("" if p is None else str(p)) for p in parts)
    error_class = " govuk-input--error" if field.errors else ""
    params = {
        "id": field.auto_id,
        "namePrefix": field.html_name,
        "fieldset": {
            "legend": {"text": _label_text(field), "classes": "govuk-fieldset__legend--s"}
        },
        "hint": _hint(field) or {"text": "For example, 27 3 2012"},
        "errorMessage": _error(field),
        "items": [
            {
                "name": "day",
                "label": "Day",
                "value": day,
                "classes": "govuk-input--width-2" + error_class,
            },
            {
                "name": "month",
                "label": "Month",
                "value": month,
                "classes": "govuk-input--width-2" + error_class,
            },
            {
                "name": "year",
                "label": "Year",
                "value": year,
                "classes": "govuk-input--width-4" + error_class,
            },
        ],
    }
    params.update(extra)
    return call_macro("date-input", "govukDateInput", params)


_COMPONENTS: list[
    tuple[type[forms.Widget], Callable[[forms.BoundField, dict[str, Any]], Markup]]
] = [
    (GovukDateInput, _date),
    # CheckboxSelectMultiple subclasses RadioSelect, so it must come first.
    (forms.CheckboxSelectMultiple, _checkboxes),
    (forms.RadioSelect, _radios),
    (forms.CheckboxInput, _checkbox),
    (forms.Select, _select),
    (forms.Textarea, _textarea),
    (forms.FileInput, _file),
    (forms.widgets.Input, _input),
]


def field_anchor(field: forms.BoundField) -> str:
    """The id the error summary links to: the first input of the field."""
    widget = field.field.widget
    if isinstance(widget, GovukDateInput):
        return f"{field.auto_id}-day"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        # GOV.UK radios and checkboxes give the first item the id prefix itself.
        return field.auto_id or field.html_name
    return field.id_for_label or field.html_name


def render_field(field: forms.BoundField, **extra: Any) -> Markup:
    if isinstance(field.field.widget, forms.HiddenInput):
        return Markup(str(field))  # noqa: S704 - Django's own widget rendering
    for widget_type, render in _COMPONENTS:
        if isinstance(field.field.widget, widget_type):
            return render(field, extra)
    raise TypeError(f"No GOV.UK component for widget {type(field.field.widget).__name__}")


def render_fields(form: forms.BaseForm) -> Markup:
    return Markup("\n").join(render_field(field) for field in form)


def render_error_summary(form: forms.BaseForm) -> Markup:
    if not form.errors:
        return Markup("")
    items: list[dict[str, str]] = [{"text": str(error)} for error in form.non_field_errors()]
    for field in form:
        for error in field.errors:
            items.append({"text": str(error), "href": f"#{field_anchor(field)}"})
    return call_macro(
        "error-summary",
        "govukErrorSummary",
        {"titleText": "There is a problem", "errorList": items},
    )
