import pytest

from aptrack.audit.models import AuditEvent
from aptrack.organisations.tests.factories import la
from aptrack.quality.models import Framework, Grade, Standard
from aptrack.quality.selectors import frameworks as frameworks_selectors
from aptrack.quality.selectors import visits as visits_selectors
from aptrack.quality.services import errors as errors_services
from aptrack.quality.services import frameworks as frameworks_services
from aptrack.quality.tests.conftest import AT, ON
from aptrack.quality.tests.factories import DFE_FRAMEWORK, LOCAL_TEMPLATE, make_visit, national

pytestmark = pytest.mark.django_db


def _copy(world, source=None, **kwargs):
    return frameworks_services.copy_framework(
        actor=world.qa_lead_a,
        at=AT,
        la=la("838"),
        source=source or national(LOCAL_TEMPLATE),
        **kwargs,
    )


def _add(world, framework, **overrides):
    data = {"area_number": 2, "area_title": "", "code": "2.9", "text": "Staff know the fire plan"}
    data.update(overrides)
    return frameworks_services.add_standard(
        actor=world.qa_lead_a, at=AT, framework=framework, **data
    )


def test_the_dfe_framework_is_seeded_with_its_four_areas():
    areas = frameworks_selectors.group_by_area(
        frameworks_selectors.list_standards(framework=national(DFE_FRAMEWORK))
    )
    assert [(a.number, a.title) for a in areas] == [
        (1, "Safeguarding and wellbeing"),
        (2, "Health and safety"),
        (3, "Admissions, support and guidance"),
        (4, "Quality of education"),
    ]
    assert all(area.items for area in areas)
    assert "single central record" in areas[0].items[0].text


def test_the_local_template_is_seeded_as_a_national_framework():
    template = national(LOCAL_TEMPLATE)
    assert template.is_national
    assert template.standards.count() > 0


def test_copying_a_framework_gives_the_la_its_own_editable_copy(world):
    source = national(LOCAL_TEMPLATE)
    copy = _copy(world)
    assert copy.owner_la == la("838")
    assert copy.based_on == source
    assert copy.name == f"{LOCAL_TEMPLATE} (Dorset)"
    assert [(s.code, s.text) for s in frameworks_selectors.list_standards(framework=copy)] == [
        (s.code, s.text) for s in frameworks_selectors.list_standards(framework=source)
    ]
    assert AuditEvent.objects.filter(
        object_type="quality.Framework", object_id=str(copy.pk)
    ).exists()
    assert [f.pk for f in frameworks_selectors.list_frameworks(la_id=la("838").pk)][-1] == copy.pk
    assert copy.pk not in [f.pk for f in frameworks_selectors.list_frameworks(la_id=la("204").pk)]


def test_an_la_cannot_have_two_frameworks_of_the_same_name(world):
    _copy(world, name="Dorset QA")
    with pytest.raises(errors_services.QualityInvalid):
        _copy(world, name="Dorset QA")


@pytest.mark.parametrize("persona", ["officer_a", "provider_x", "analyst"])
def test_only_managers_and_qa_leads_copy_frameworks(world, persona):
    with pytest.raises(errors_services.NotAllowed):
        frameworks_services.copy_framework(
            actor=getattr(world, persona), at=AT, la=la("838"), source=national()
        )


def test_a_framework_cannot_be_copied_into_another_la(world):
    with pytest.raises(errors_services.NotAllowed):
        frameworks_services.copy_framework(
            actor=world.qa_lead_a, at=AT, la=la("204"), source=national()
        )


def test_adding_a_standard_puts_it_last_in_its_area(world):
    copy = _copy(world)
    standard = _add(world, copy)
    area_two = [
        a
        for a in frameworks_selectors.group_by_area(
            frameworks_selectors.list_standards(framework=copy)
        )
        if a.number == 2
    ][0]
    assert area_two.items[-1] == standard
    assert standard.area_title == "Safeguarding"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"code": "3.1"}, "code"),
        ({"code": "2-1"}, "code"),
        ({"code": "2.1"}, "code"),  # already in the framework
        ({"area_number": 9, "code": "9.1"}, "area_title"),
        ({"text": "  "}, "text"),
    ],
)
def test_a_bad_standard_is_refused(world, overrides, field):
    copy = _copy(world)
    with pytest.raises(errors_services.QualityInvalid) as error:
        _add(world, copy, **overrides)
    assert field in error.value.errors


def test_a_new_area_needs_a_title_and_then_takes_standards(world):
    copy = _copy(world)
    standard = _add(world, copy, area_number=7, area_title="Value for money", code="7.1")
    assert standard.area_title == "Value for money"


def test_changing_a_standard_and_renaming_its_area(world):
    copy = _copy(world)
    standard = copy.standards.get(code="2.1")
    changed = frameworks_services.update_standard(
        actor=world.qa_lead_a,
        at=AT,
        standard=standard,
        area_number=2,
        area_title="Safeguarding and welfare",
        code="2.1",
        text="Enhanced DBS checks on the single central record",
        expected_version=standard.version,
    )
    assert changed.text.startswith("Enhanced DBS")
    assert set(copy.standards.filter(area_number=2).values_list("area_title", flat=True)) == {
        "Safeguarding and welfare"
    }


def test_removing_an_unjudged_standard_deletes_it(world):
    copy = _copy(world)
    standard = copy.standards.get(code="2.1")
    frameworks_services.remove_standard(actor=world.qa_lead_a, at=AT, standard=standard)
    assert not Standard.objects.filter(pk=standard.pk).exists()


def test_removing_a_judged_standard_retires_it_and_the_visit_keeps_it(world):
    from aptrack.quality.tests.factories import ProviderFactory

    copy = _copy(world)
    visit = make_visit(
        ProviderFactory(), world.qa_lead_a, visit_date=ON, framework=copy, completed=True
    )
    standard = copy.standards.get(code="2.1")
    frameworks_services.remove_standard(actor=world.qa_lead_a, at=AT, standard=standard)
    standard.refresh_from_db()
    assert standard.retired_at == AT
    assert standard not in frameworks_selectors.list_standards(framework=copy)
    assert standard in visits_selectors.list_visit_standards(visit=visit)
    assert visits_selectors.list_judgements(visit=visit)[standard.pk].grade == Grade.GOOD
    # The code is free again for a new standard.
    _add(world, copy, code="2.1", area_title="")


def test_national_frameworks_and_other_las_frameworks_cannot_be_edited(world):
    with pytest.raises(errors_services.NotAllowed):
        _add(world, national())
    hackney_lead = world.officer_b
    hackney_lead.role = "QA_LEAD"
    hackney_lead.save()
    hackney = frameworks_services.copy_framework(
        actor=hackney_lead, at=AT, la=la("204"), source=national()
    )
    with pytest.raises(errors_services.NotAllowed):
        _add(world, hackney)
    with pytest.raises(errors_services.NotAllowed):
        frameworks_services.update_framework(
            actor=world.qa_lead_a,
            at=AT,
            framework=hackney,
            name="Mine",
            description="",
            expected_version=hackney.version,
        )


def test_renaming_a_framework_checks_the_version(world):
    copy = _copy(world)
    renamed = frameworks_services.update_framework(
        actor=world.manager_a,
        at=AT,
        framework=copy,
        name="Dorset QA",
        description="Ours",
        expected_version=copy.version,
    )
    assert (renamed.name, renamed.version) == ("Dorset QA", copy.version + 1)
    with pytest.raises(errors_services.ChangedElsewhere):
        frameworks_services.update_framework(
            actor=world.manager_a,
            at=AT,
            framework=copy,
            name="Again",
            description="",
            expected_version=copy.version,
        )
    assert Framework.objects.get(pk=copy.pk).name == "Dorset QA"
