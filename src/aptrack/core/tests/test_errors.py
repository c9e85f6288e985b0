"""One set of refusals: every app's input refusal is a `DomainInvalid`, and one helper puts a
refusal on the form that sent the input, where the GOV.UK error summary lists it."""

import ast
import importlib
from pathlib import Path

import pytest
from django import forms
from django.apps import apps

from aptrack.core.errors import DomainInvalid, add_service_errors
from aptrack.core.govuk.forms import render_error_summary

SRC = Path(__file__).resolve().parents[3]


class _Form(forms.Form):
    name = forms.CharField()
    start_date = forms.DateField()


def _bound() -> _Form:
    form = _Form({"name": "Ash", "start_date": "2026-09-01"})
    assert form.is_valid()
    return form


def test_a_refusal_names_its_fields_and_reads_as_one_message():
    error = DomainInvalid({"name": ["Enter a name"], None: ["The provider is paused"]})
    assert error.errors == {"name": ["Enter a name"], None: ["The provider is paused"]}
    assert str(error) == "name: Enter a name; The provider is paused"


def test_a_plain_message_is_about_the_whole_record():
    error = DomainInvalid("The provider is paused")
    assert error.errors == {None: ["The provider is paused"]}
    assert str(error) == "The provider is paused"


def test_field_errors_go_on_their_field_and_others_head_the_error_summary():
    form = _bound()
    add_service_errors(
        form,
        DomainInvalid(
            {
                "start_date": ["The start date must be a school day"],
                "provider": ["The provider is paused"],  # not a field of this form
                None: ["Someone else changed this record"],
            }
        ),
    )
    assert form.errors["start_date"] == ["The start date must be a school day"]
    assert form.non_field_errors() == [
        "The provider is paused",
        "Someone else changed this record",
    ]
    summary = str(render_error_summary(form))
    assert summary.index("The provider is paused") < summary.index("a school day")
    assert 'href="#id_start_date"' in summary


def test_the_service_s_names_for_fields_are_renamed_to_the_form_s():
    form = _bound()
    add_service_errors(
        form, DomainInvalid({"starts": ["Enter a start date"]}), fields={"starts": "start_date"}
    )
    assert form.errors == {"start_date": ["Enter a start date"]}


def _services_modules():
    for config in apps.get_app_configs():
        if not config.name.startswith("aptrack."):
            continue
        package = Path(config.path)
        for path in [package / "services.py", *sorted((package / "services").glob("*.py"))]:
            if path.exists():
                yield importlib.import_module(
                    ".".join(path.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")
                )


@pytest.mark.parametrize("module", list(_services_modules()), ids=lambda module: module.__name__)
def test_every_service_refusal_of_input_is_a_domain_invalid(module):
    """An app names its refusal (`ReferralInvalid`), so its call sites read as the domain does;
    the pages and the API handle it as the one shared kind."""
    invalid = [
        value
        for name, value in vars(module).items()
        if name.endswith("Invalid")
        and isinstance(value, type)
        and issubclass(value, Exception)
        and value.__module__ == module.__name__
    ]
    assert all(issubclass(cls, DomainInvalid) for cls in invalid), invalid


def test_no_views_module_keeps_its_own_copy_of_the_form_errors_helper():
    copies = []
    for path in SRC.glob("aptrack/**/*.py"):
        tree = ast.parse(path.read_text())
        copies += [
            f"{path.relative_to(SRC)}:{node.lineno}"
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef) and node.name == "_add_errors"
        ]
    assert copies == []
