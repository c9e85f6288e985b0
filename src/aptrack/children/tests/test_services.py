import datetime as dt

import pytest

from aptrack.audit.models import AuditAction, AuditEvent, Channel
from aptrack.children import services, upn
from aptrack.children.models import Child
from aptrack.organisations.tests.factories import la

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


def _data(**overrides):
    data = {
        "legal_first_name": "Amelia",
        "legal_last_name": "Synthetic",
        "date_of_birth": dt.date(2012, 5, 1),
        "sex": "F",
        "home_la": la("838"),
        "upn": upn.make("838", "4001", "23", "101"),
    }
    data.update(overrides)
    return data


def test_register_child_saves_and_audits_creation(world):
    child = services.register_child(
        actor=world.officer_a, at=NOW, channel=Channel.WEB, data=_data()
    )
    event = AuditEvent.objects.get(child_id=child.pk)
    assert event.action == AuditAction.CREATED
    assert event.actor == world.officer_a
    assert event.changes["legal_first_name"] == {"old": None, "new": "Amelia"}


def test_same_upn_is_refused(world):
    services.register_child(actor=world.officer_a, at=NOW, channel=Channel.WEB, data=_data())
    with pytest.raises(services.ChildInvalid) as error:
        services.register_child(
            actor=world.officer_a, at=NOW, channel=Channel.WEB, data=_data(legal_first_name="Other")
        )
    assert error.value.errors == {"upn": [services.UPN_IN_USE]}
    assert Child.objects.filter(legal_last_name="Synthetic").count() == 1


def test_invalid_upn_names_the_field_and_saves_nothing(world):
    with pytest.raises(services.ChildInvalid) as error:
        services.register_child(
            actor=world.officer_a, at=NOW, channel=Channel.WEB, data=_data(upn="A801200005001")
        )
    assert "upn" in error.value.errors
    assert "check letter" in error.value.errors["upn"][0]
    assert not Child.objects.filter(legal_last_name="Synthetic").exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CREATED).exists()


def test_temporary_upn_is_flagged(world):
    temporary = upn.make("838", "4001", "23", "102", temporary_letter="T")
    child = services.register_child(
        actor=world.officer_a, at=NOW, channel=Channel.WEB, data=_data(upn=temporary)
    )
    assert child.upn_is_temporary


def test_upn_with_unknown_la_is_refused(world):
    with pytest.raises(services.ChildInvalid) as error:
        services.register_child(
            actor=world.officer_a,
            at=NOW,
            channel=Channel.WEB,
            data=_data(upn=upn.make("999", "4001", "23", "101")),
        )
    assert "not a known local authority code" in error.value.errors["upn"][0]


def test_date_of_birth_in_future_is_refused(world):
    with pytest.raises(services.ChildInvalid) as error:
        services.register_child(
            actor=world.officer_a,
            at=NOW,
            channel=Channel.WEB,
            data=_data(date_of_birth=dt.date(2027, 1, 1)),
        )
    assert error.value.errors == {"date_of_birth": [services.DOB_IN_FUTURE]}


def test_looked_after_needs_responsible_la(world):
    with pytest.raises(services.ChildInvalid) as error:
        services.register_child(
            actor=world.officer_a, at=NOW, channel=Channel.WEB, data=_data(looked_after=True)
        )
    assert error.value.errors == {"responsible_la": [services.RESPONSIBLE_LA_NEEDED]}


def test_bad_uln_is_refused(world):
    with pytest.raises(services.ChildInvalid) as error:
        services.register_child(
            actor=world.officer_a, at=NOW, channel=Channel.WEB, data=_data(uln="12345")
        )
    assert error.value.errors == {"uln": [services.ULN_INVALID]}


def test_update_records_old_and_new_values(world):
    child = world.child_a
    old_name = child.legal_first_name
    services.update_child(
        actor=world.officer_a,
        at=NOW,
        channel=Channel.WEB,
        child=child,
        data={**_data(upn=child.upn), "legal_first_name": "Renamed"},
        expected_version=child.version,
    )
    event = AuditEvent.objects.filter(child_id=child.pk, action=AuditAction.UPDATED).get()
    assert event.changes["legal_first_name"] == {"old": old_name, "new": "Renamed"}
    child.refresh_from_db()
    assert child.version == 2


def test_stale_update_is_refused_not_silently_overwritten(world):
    child = world.child_a
    services.update_child(
        actor=world.officer_a,
        at=NOW,
        channel=Channel.WEB,
        child=child,
        data={**_data(upn=child.upn), "legal_first_name": "First"},
        expected_version=1,
    )
    with pytest.raises(services.ChildChangedElsewhere):
        services.update_child(
            actor=world.manager_a,
            at=NOW,
            channel=Channel.WEB,
            child=child,
            data={**_data(upn=child.upn), "legal_first_name": "Second"},
            expected_version=1,
        )
    child.refresh_from_db()
    assert child.legal_first_name == "First"


def test_delete_is_audited_and_refused_with_placements(world):
    with pytest.raises(services.ChildInvalid):
        services.delete_child(
            actor=world.manager_a, at=NOW, channel=Channel.WEB, child=world.child_a
        )
    child_id = world.child_a2.pk
    services.delete_child(actor=world.manager_a, at=NOW, channel=Channel.WEB, child=world.child_a2)
    assert not Child.objects.filter(pk=child_id).exists()
    assert AuditEvent.objects.filter(child_id=child_id, action=AuditAction.DELETED).exists()
