import datetime as dt
from decimal import Decimal

import pytest

from aptrack.audit.models import AuditAction, AuditEvent, Channel
from aptrack.children.tests.factories import PlacementFactory
from aptrack.providers.models import ProviderKind
from aptrack.returns import services
from aptrack.returns.models import ProviderReturn, ReturnEvent, ReturnEventKind, ReturnLine
from aptrack.returns.selectors import list_site_choices
from aptrack.returns.states import ReturnStatus
from aptrack.returns.tests.factories import (
    AT,
    ProviderFactory,
    ProviderReturnFactory,
    ProviderSiteFactory,
)

pytestmark = pytest.mark.django_db

SEPT = (dt.date(2026, 9, 1), dt.date(2026, 9, 30))


def _start(actor, provider, start=SEPT[0], end=SEPT[1]):
    return services.start_return(
        actor=actor, at=AT, provider=provider, period_start_date=start, period_end_date=end
    )


def _add_child(actor, provider_return, child, sites, hours="25"):
    return services.add_child_line(
        actor=actor,
        at=AT,
        channel=Channel.WEB,
        provider_return=provider_return,
        child=child,
        hours_per_week=Decimal(hours),
        sites=sites,
    )


def _add_anonymous(actor, provider_return, sites, **facts):
    values = {
        "compulsory_school_age": True,
        "looked_after": False,
        "has_ehcp": False,
        "hours_per_week": Decimal("20"),
    }
    values.update(facts)
    return services.add_anonymous_line(
        actor=actor,
        at=AT,
        channel=Channel.WEB,
        provider_return=provider_return,
        sites=sites,
        **values,
    )


def _error(excinfo) -> dict:
    return excinfo.value.errors


# --- starting a return ------------------------------------------------------------------


def test_starting_a_return_opens_a_draft_and_records_the_event(world, registered):
    provider_return = _start(world.provider_x, registered.x)
    assert provider_return.status == ReturnStatus.DRAFT
    [event] = provider_return.events.all()
    assert (event.kind, event.from_status, event.to_status, event.actor) == (
        ReturnEventKind.STARTED,
        "",
        ReturnStatus.DRAFT,
        world.provider_x,
    )


def test_one_return_per_provider_per_period_start(world, registered):
    _start(world.provider_x, registered.x)
    with pytest.raises(services.ReturnInvalid) as excinfo:
        _start(world.officer_a, registered.x, SEPT[0], dt.date(2026, 9, 15))
    assert _error(excinfo) == {
        "period_start_date": [
            "There is already a return for this provider starting on 1 September 2026"
        ]
    }
    # Another provider may use the same period.
    _start(world.provider_z, registered.z)
    assert ProviderReturn.objects.count() == 2


def test_overlapping_periods_are_refused(world, registered):
    _start(world.provider_x, registered.x)
    with pytest.raises(services.ReturnInvalid) as excinfo:
        _start(world.provider_x, registered.x, dt.date(2026, 9, 28), dt.date(2026, 10, 23))
    assert (
        "overlaps the return for 1 September 2026 to 30 September 2026"
        in _error(excinfo)["period_start_date"][0]
    )


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (dt.date(2026, 9, 30), dt.date(2026, 9, 1), services.PERIOD_ENDS_BEFORE_START),
        (dt.date(2026, 9, 1), dt.date(2026, 12, 31), services.PERIOD_TOO_LONG),
    ],
)
def test_a_period_must_be_a_real_short_period(world, registered, start, end, message):
    with pytest.raises(services.ReturnInvalid) as excinfo:
        _start(world.provider_x, registered.x, start, end)
    assert _error(excinfo) == {"period_end_date": [message]}


def test_registered_providers_make_no_returns(world):
    pru = ProviderFactory(kind=ProviderKind.PRU)
    with pytest.raises(services.ReturnInvalid) as excinfo:
        _start(world.officer_a, pru)
    assert _error(excinfo) == {None: [services.REGISTERED_PROVIDER]}


# --- lines ------------------------------------------------------------------------------


def test_adding_a_placed_child_records_an_event_and_an_audit_entry(world, registered):
    provider_return = _start(world.provider_x, registered.x)
    line = _add_child(world.provider_x, provider_return, world.child_a, [registered.x_site])
    assert list(line.sites.all()) == [registered.x_site]
    event = provider_return.events.get(kind=ReturnEventKind.LINE_ADDED)
    assert event.data == {"line_id": line.pk, "child_id": world.child_a.pk, "hours_per_week": "25"}
    audit = AuditEvent.objects.get(
        child_id=world.child_a.pk, action=AuditAction.CREATED, object_type="returns.ReturnLine"
    )
    assert audit.actor == world.provider_x
    assert world.child_a.legal_last_name not in event.data.values()


def test_provider_staff_cannot_add_a_child_not_placed_with_them(world, registered):
    provider_return = _start(world.provider_x, registered.x)
    with pytest.raises(services.ReturnInvalid) as excinfo:
        _add_child(world.provider_x, provider_return, world.child_b, [registered.x_site])
    assert _error(excinfo) == {"child": [services.CHILD_NOT_PLACED]}
    assert not ReturnLine.objects.exists()


def test_a_child_placed_only_outside_the_period_cannot_be_added(world, registered):
    provider_return = _start(
        world.provider_x, registered.x, dt.date(2026, 10, 1), dt.date(2026, 10, 23)
    )
    PlacementFactory(
        child=world.child_a2,
        provider=registered.x.organisation,
        start_date=dt.date(2026, 6, 1),
        end_date=dt.date(2026, 7, 17),
    )
    with pytest.raises(services.ReturnInvalid):
        _add_child(world.officer_a, provider_return, world.child_a2, [registered.x_site])


def test_a_child_can_be_on_a_return_once(world, registered):
    provider_return = _start(world.provider_x, registered.x)
    _add_child(world.provider_x, provider_return, world.child_a, [registered.x_site])
    with pytest.raises(services.ReturnInvalid) as excinfo:
        _add_child(world.provider_x, provider_return, world.child_a, [registered.x_site])
    assert _error(excinfo) == {"child": [services.CHILD_ALREADY_ON_RETURN]}


def test_sites_must_be_the_providers_own_and_given(world, registered):
    provider_return = _start(world.provider_x, registered.x)
    with pytest.raises(services.ReturnInvalid) as excinfo:
        _add_anonymous(world.provider_x, provider_return, [registered.z_site])
    assert _error(excinfo) == {"sites": [services.SITE_NOT_THE_PROVIDERS]}
    with pytest.raises(services.ReturnInvalid) as excinfo:
        _add_anonymous(world.provider_x, provider_return, [])
    assert _error(excinfo) == {"sites": [services.SITES_REQUIRED]}


def test_an_anonymous_pupil_keeps_the_facts_the_rule_needs(world, registered):
    provider_return = _start(world.provider_x, registered.x)
    line = _add_anonymous(
        world.provider_x, provider_return, [registered.x_site], age_years=15, has_ehcp=True
    )
    line.refresh_from_db()
    assert (
        line.child_id,
        line.age_years,
        line.compulsory_school_age,
        line.looked_after,
        line.has_ehcp,
    ) == (
        None,
        15,
        True,
        False,
        True,
    )


def test_removing_a_line_records_an_event(world, registered):
    provider_return = _start(world.provider_x, registered.x)
    line = _add_child(world.provider_x, provider_return, world.child_a, [registered.x_site])
    services.remove_line(actor=world.provider_x, at=AT, channel=Channel.WEB, line=line)
    assert not provider_return.lines.exists()
    assert provider_return.events.filter(kind=ReturnEventKind.LINE_REMOVED).count() == 1
    assert (
        AuditEvent.objects.filter(child_id=world.child_a.pk, action=AuditAction.DELETED).count()
        == 1
    )


# --- submitting -------------------------------------------------------------------------


def test_submitting_makes_the_return_read_only(world, registered):
    provider_return = _start(world.provider_x, registered.x)
    line = _add_child(world.provider_x, provider_return, world.child_a, [registered.x_site])
    submitted = services.submit_return(
        actor=world.provider_x, at=AT, provider_return=provider_return
    )
    assert (submitted.status, submitted.submitted_by, submitted.submitted_at) == (
        ReturnStatus.SUBMITTED,
        world.provider_x,
        AT,
    )
    event = provider_return.events.get(kind=ReturnEventKind.SUBMITTED)
    assert (event.from_status, event.to_status) == (ReturnStatus.DRAFT, ReturnStatus.SUBMITTED)

    with pytest.raises(services.ReturnNotEditable):
        _add_anonymous(world.provider_x, provider_return, [registered.x_site])
    with pytest.raises(services.ReturnNotEditable):
        services.remove_line(actor=world.provider_x, at=AT, channel=Channel.WEB, line=line)
    assert provider_return.lines.count() == 1


def test_submitting_twice_is_refused(world, registered):
    provider_return = _start(world.provider_x, registered.x)
    services.submit_return(actor=world.provider_x, at=AT, provider_return=provider_return)
    with pytest.raises(services.ReturnMoveNotAllowed, match="already been submitted"):
        services.submit_return(actor=world.officer_a, at=AT, provider_return=provider_return)
    assert ReturnEvent.objects.filter(kind=ReturnEventKind.SUBMITTED).count() == 1


def test_a_nil_return_can_be_submitted(world, registered):
    provider_return = ProviderReturnFactory(provider=registered.x)
    assert (
        services.submit_return(
            actor=world.provider_x, at=AT, provider_return=provider_return
        ).status
        == ReturnStatus.SUBMITTED
    )


def test_a_provider_with_no_sites_on_the_register_can_still_make_a_return(world):
    provider = ProviderFactory()
    provider_return = _start(world.officer_a, provider)
    line = _add_anonymous(world.officer_a, provider_return, [])
    assert list(line.sites.all()) == []


def test_only_this_providers_sites_are_offered_and_inactive_ones_are_not(world, registered):
    ProviderSiteFactory(provider=registered.x, name="Closed site", is_active=False)
    assert list(list_site_choices(provider=registered.x)) == [registered.x_site]
