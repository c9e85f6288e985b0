"""The forms check the shape of what is posted (fields present, judgements on the four-point
scale); the services check the rules. These are the shape checks the services leave to the
forms."""

from aptrack.quality.forms import (
    GRADE_OFF_SCALE,
    ActionForm,
    FrameworkForm,
    StandardForm,
    VisitRecordForm,
    VisitStartForm,
)
from aptrack.quality.models import Standard


def _errors(form):
    assert not form.is_valid()
    return form.errors


def test_an_action_needs_text_and_an_owner():
    errors = _errors(ActionForm({"action-text": " ", "action-owner_name": ""}))
    assert {"text", "owner_name"} <= set(errors)


def test_a_framework_needs_a_name():
    assert "name" in _errors(FrameworkForm({"name": "  "}))


def test_a_standard_needs_its_text():
    assert "text" in _errors(StandardForm({"area_number": "2", "code": "2.1", "text": " "}))


def test_a_visit_needs_its_visitors():
    assert "visitors" in _errors(VisitStartForm({"visitors": " "}, frameworks=[]))
    assert "visitors" in _errors(VisitRecordForm({"visitors": ""}, standards=[]))


def test_judgements_must_be_on_the_four_point_scale():
    standard = Standard(pk=3, code="1.1")
    for grade in ("0", "5", "-1", "12"):
        errors = _errors(
            VisitRecordForm({"grade_3": grade, "overall_judgement": grade}, standards=[standard])
        )
        assert errors["grade_3"] == [GRADE_OFF_SCALE]
        assert errors["overall_judgement"] == [GRADE_OFF_SCALE]
