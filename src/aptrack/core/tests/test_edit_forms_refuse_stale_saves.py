"""Every edit form carries the version its record was loaded at (core/concurrency.py): of two
saves from the same version the second is refused with a GOV.UK error and writes nothing, and a
form with no version, or a malformed one, saves nothing and is never a server error."""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django import forms
from django.urls import reverse
from markupsafe import escape

from aptrack.children.models import Child
from aptrack.core.concurrency import VERSION_MISSING, VersionMissing, posted_version, versioned
from aptrack.improvement.models import Action, ImprovementPlan, Priority
from aptrack.improvement.tests.factories import ActionFactory
from aptrack.organisations.tests.factories import la
from aptrack.outcomes.models import Qualification
from aptrack.outcomes.tests.factories import QualificationFactory
from aptrack.panels.models import Panel
from aptrack.panels.tests.factories import PanelFactory
from aptrack.placements.models import PersonPassport, Placement
from aptrack.quality.models import Framework, Standard
from aptrack.quality.services import frameworks as quality_frameworks
from aptrack.quality.tests.factories import LOCAL_TEMPLATE, national
from aptrack.referrals.models import Referral
from aptrack.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


@dataclass
class EditForm:
    user: Any
    url: str
    first: dict[str, str]  # a valid save
    second: dict[str, str]  # another, different valid save
    read: Callable[[], Any]  # what the saves change, as stored


def _panel(world: Any) -> EditForm:
    panel = PanelFactory(local_authority=la("838"))
    data = {"name": "Dorset AP panel", "kind": "AP", "quorum": "3", "quorum_agencies": "2"}
    return EditForm(
        world.manager_a,
        reverse("panels:edit", args=[panel.pk]),
        data,
        {**data, "name": "Renamed"},
        lambda: Panel.objects.get(pk=panel.pk).name,
    )


def _plan_data(title: str) -> dict[str, str]:
    return {
        "title": title,
        "board": "AP oversight board",
        "period_start-day": "1",
        "period_start-month": "9",
        "period_start-year": "2026",
        "period_end-day": "31",
        "period_end-month": "8",
        "period_end-year": "2028",
    }


def _improvement_plan(world: Any) -> EditForm:
    plan = ActionFactory(priority__plan__created_by=world.manager_a).priority.plan
    return EditForm(
        world.manager_a,
        reverse("improvement:plan_edit", args=[plan.pk]),
        _plan_data("One"),
        _plan_data("Two"),
        lambda: ImprovementPlan.objects.get(pk=plan.pk).title,
    )


def _priority(world: Any) -> EditForm:
    priority = ActionFactory(priority__plan__created_by=world.manager_a).priority
    url = reverse("improvement:priority_edit", args=[priority.plan_id, priority.pk])
    return EditForm(
        world.manager_a,
        url,
        {"title": "One"},
        {"title": "Two"},
        lambda: Priority.objects.get(pk=priority.pk).title,
    )


def _action(world: Any) -> EditForm:
    action = ActionFactory(priority__plan__created_by=world.manager_a)
    data = {
        "title": "One",
        "owner_name": "Jo Smith",
        "due_date-day": "31",
        "due_date-month": "3",
        "due_date-year": "2027",
    }
    url = reverse("improvement:action_edit", args=[action.priority.plan_id, action.pk])
    return EditForm(
        world.manager_a,
        url,
        data,
        {**data, "title": "Two"},
        lambda: Action.objects.get(pk=action.pk).title,
    )


def _child(world: Any) -> EditForm:
    child = world.child_a
    data = {
        "legal_first_name": "One",
        "legal_last_name": child.legal_last_name,
        "upn": child.upn,
        "home_la": str(child.home_la_id),
        "date_of_birth-day": "1",
        "date_of_birth-month": "5",
        "date_of_birth-year": "2012",
        "sex": "F",
        "ethnicity": "NOBT",
        "sen_status": "E",
        "social_care_status": "NONE",
    }
    return EditForm(
        world.officer_a,
        reverse("children:edit", args=[child.pk]),
        data,
        {**data, "legal_first_name": "Two"},
        lambda: Child.objects.get(pk=child.pk).legal_first_name,
    )


def _referral(world: Any) -> EditForm:
    referral = ReferralFactory(child=world.child_a, referrer=world.officer_a)
    data = {
        "route": "EHCP_AWAITING",
        "primary_reason": "AWAITING",
        "needs_summary": "One",
        "family_views": "Dad agrees",
        "child_views": "I want to learn",
        "consent_given": "on",
        "proposed_tier": "2",
        "estimated_weekly_cost": "450.00",
    }
    return EditForm(
        world.officer_a,
        reverse("referrals:edit", args=[referral.pk]),
        data,
        {**data, "needs_summary": "Two"},
        lambda: Referral.objects.get(pk=referral.pk).needs_summary,
    )


def _framework(world: Any) -> EditForm:
    copy = quality_frameworks.copy_framework(
        actor=world.qa_lead_a, at=AT, la=la("838"), source=national(LOCAL_TEMPLATE)
    )
    return EditForm(
        world.qa_lead_a,
        reverse("quality:framework_edit", args=[copy.pk]),
        {"name": "One", "description": ""},
        {"name": "Two", "description": ""},
        lambda: Framework.objects.get(pk=copy.pk).name,
    )


def _standard(world: Any) -> EditForm:
    copy = quality_frameworks.copy_framework(
        actor=world.qa_lead_a, at=AT, la=la("838"), source=national(LOCAL_TEMPLATE)
    )
    standard = copy.standards.order_by("pk").first()
    data = {
        "area_number": str(standard.area_number),
        "area_title": standard.area_title,
        "code": standard.code,
        "text": "One",
    }
    return EditForm(
        world.qa_lead_a,
        reverse("quality:standard_edit", args=[copy.pk, standard.pk]),
        data,
        {**data, "text": "Two"},
        lambda: Standard.objects.get(pk=standard.pk).text,
    )


def _passport(world: Any) -> EditForm:
    placement = Placement.objects.get(child=world.child_a)
    data = {"about_me": "One", "needs": "", "what_helps": "", "what_to_avoid": "", "contacts": ""}

    def read() -> str | None:
        passport = PersonPassport.objects.filter(placement=placement).first()
        return passport.about_me if passport else None

    return EditForm(
        world.officer_a,
        reverse("placements:passport", args=[placement.pk]),
        data,
        {**data, "about_me": "Two"},
        read,
    )


def _qualification(world: Any) -> EditForm:
    placement = Placement.objects.get(child=world.child_a)
    qualification = QualificationFactory(placement=placement)
    data = {
        "status": "ACHIEVED",
        "result_date-day": "20",
        "result_date-month": "11",
        "result_date-year": "2026",
        "result": "Pass",
    }
    url = reverse("outcomes:qualification_result", args=[placement.pk, qualification.pk])
    return EditForm(
        world.provider_x,
        url,
        data,
        {**data, "status": "NOT_ACHIEVED", "result": ""},
        lambda: Qualification.objects.get(pk=qualification.pk).status,
    )


EDIT_FORMS = {
    "panel": _panel,
    "improvement plan": _improvement_plan,
    "priority": _priority,
    "action": _action,
    "child": _child,
    "referral": _referral,
    "QA framework": _framework,
    "QA standard": _standard,
    "Person Passport": _passport,
    "qualification result": _qualification,
}


def _loaded_version(html: str) -> str:
    match = re.search(r'<input type="hidden" name="version" value="(\d+)"', html)
    assert match, "the edit form carries no version"
    return match.group(1)


@pytest.mark.parametrize("name", EDIT_FORMS)
def test_the_second_of_two_saves_from_the_same_version_is_refused(client, world, name):
    form = EDIT_FORMS[name](world)
    client.force_login(form.user)
    page = client.get(form.url)
    assert page.status_code == 200
    version = _loaded_version(page.content.decode())

    assert client.post(form.url, {**form.first, "version": version}).status_code == 302
    saved = form.read()
    response = client.post(form.url, {**form.second, "version": version})

    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "Someone else changed this" in html
    assert form.read() == saved  # the first save stands


@pytest.mark.parametrize("name", EDIT_FORMS)
def test_a_missing_or_malformed_version_saves_nothing(client, world, name):
    form = EDIT_FORMS[name](world)
    client.force_login(form.user)
    before = form.read()
    for version in (None, "", "abc", "0", "-1", "1.5", "99999999999999999999"):
        data = dict(form.second) if version is None else {**form.second, "version": version}

        response = client.post(form.url, data)

        assert response.status_code == 200, version
        html = response.content.decode()
        assert "govuk-error-summary" in html and str(escape(VERSION_MISSING)) in html, version
        assert form.read() == before, version


# --- the mechanism itself ---------------------------------------------------------------------


def test_a_versioned_form_reports_a_bad_version_as_the_forms_own_error():
    class Plain(forms.Form):
        name = forms.CharField()

    form = versioned(Plain)({"name": "x", "version": "abc"})
    assert not form.is_valid()
    assert form.non_field_errors() == [VERSION_MISSING] and "version" not in form.errors
    good = versioned(Plain)({"name": "x", "version": "3"})
    assert good.is_valid() and good.cleaned_data == {"name": "x", "version": 3}
    assert versioned(Plain) is versioned(Plain)


@pytest.mark.parametrize("value", [None, "", "x", "0", "2147483648"])
def test_a_buttons_post_without_a_good_version_is_refused(value):
    with pytest.raises(VersionMissing):
        posted_version({} if value is None else {"version": value})
    assert posted_version({"version": "7"}) == 7
