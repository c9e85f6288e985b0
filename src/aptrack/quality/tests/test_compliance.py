import datetime as dt

import pytest

from aptrack.audit.models import AuditAction, AuditEvent
from aptrack.organisations.tests.factories import la
from aptrack.providers.models import ProviderApproval
from aptrack.quality.models import CheckType, ComplianceCheck, ComplianceOverride
from aptrack.quality.selectors import compliance as compliance_selectors
from aptrack.quality.services import compliance as compliance_services
from aptrack.quality.services import errors as errors_services
from aptrack.quality.tests.conftest import AT, ON
from aptrack.quality.tests.factories import ProviderFactory, add_check, make_compliant

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def _record(actor, provider, check_type=CheckType.INSURANCE, **overrides):
    data = {"evidence_date": ON - 10 * DAY, "expiry_date": ON + 300 * DAY}
    data.update(overrides)
    return compliance_services.record_compliance_check(
        actor=actor, at=AT, provider=provider, check_type=check_type, **data
    )


# --- the rules -----------------------------------------------------------------------------


def test_provider_with_no_evidence_is_not_compliant_with_every_check_missing(px):
    status = compliance_selectors.get_compliance(provider=px, on=ON)
    assert status.compliant is False
    assert status.missing == list(CheckType)
    assert status.expired == []


def test_provider_with_every_check_in_date_is_compliant(world, px):
    make_compliant(px, world.officer_a, on=ON)
    status = compliance_selectors.get_compliance(provider=px, on=ON)
    assert status.compliant is True
    assert status.missing == status.expired == status.expiring_soon == []
    assert compliance_selectors.is_provider_compliant(px, ON) is True


def test_one_missing_check_makes_the_provider_not_compliant(world, px):
    make_compliant(px, world.officer_a, on=ON)
    ComplianceCheck.objects.filter(provider=px, check_type=CheckType.FIRE_RISK).delete()
    status = compliance_selectors.get_compliance(provider=px, on=ON)
    assert status.compliant is False
    assert status.missing == [CheckType.FIRE_RISK]
    assert compliance_selectors.is_provider_compliant(px, ON) is False


def test_evidence_expired_before_the_date_makes_the_provider_not_compliant(world, px):
    make_compliant(px, world.officer_a, on=ON)
    ComplianceCheck.objects.filter(provider=px, check_type=CheckType.INSURANCE).update(
        expiry_date=ON - DAY
    )
    status = compliance_selectors.get_compliance(provider=px, on=ON)
    assert status.compliant is False
    assert [c.check_type for c in status.expired] == [CheckType.INSURANCE]
    assert "Insurance: expired 1 March 2026" in status.gaps


def test_evidence_expiring_on_the_date_itself_is_still_in_date(world, px):
    make_compliant(px, world.officer_a, on=ON)
    ComplianceCheck.objects.filter(provider=px, check_type=CheckType.INSURANCE).update(
        expiry_date=ON
    )
    status = compliance_selectors.get_compliance(provider=px, on=ON)
    assert status.compliant is True
    assert [c.check_type for c in status.expiring_soon] == [CheckType.INSURANCE]


def test_compliance_is_judged_on_the_date_asked_about(world, px):
    """A placement starting later needs the evidence still in date on its start date."""
    make_compliant(px, world.officer_a, on=ON, days_left=10)
    assert compliance_selectors.is_provider_compliant(px, ON) is True
    assert compliance_selectors.is_provider_compliant(px, ON + 11 * DAY) is False


def test_evidence_within_30_days_of_expiry_is_expiring_soon(world, px):
    make_compliant(px, world.officer_a, on=ON)
    ComplianceCheck.objects.filter(provider=px, check_type=CheckType.PREMISES).update(
        expiry_date=ON + 30 * DAY
    )
    ComplianceCheck.objects.filter(provider=px, check_type=CheckType.DSL).update(
        expiry_date=ON + 31 * DAY
    )
    rows = {
        row.check_type: row.state
        for row in compliance_selectors.get_compliance(provider=px, on=ON).rows
    }
    assert rows[CheckType.PREMISES] == compliance_selectors.CheckState.EXPIRING_SOON
    assert rows[CheckType.DSL] == compliance_selectors.CheckState.IN_DATE


# --- recording evidence --------------------------------------------------------------------


def test_new_evidence_supersedes_the_old_and_keeps_it_as_history(world, px):
    old = _record(world.officer_a, px, expiry_date=ON - DAY, evidence_date=ON - 400 * DAY)
    new = _record(world.officer_a, px)
    old.refresh_from_db()
    assert old.superseded_by == new
    assert old.superseded_at == AT
    assert new.is_current
    assert ComplianceCheck.objects.filter(provider=px, check_type=CheckType.INSURANCE).count() == 2
    assert [c.pk for c in compliance_selectors.list_check_history(provider=px)] == [new.pk, old.pk]
    row = next(
        r
        for r in compliance_selectors.get_compliance(provider=px, on=ON).rows
        if r.check_type == CheckType.INSURANCE
    )
    assert row.check == new
    assert row.state == compliance_selectors.CheckState.IN_DATE


def test_recording_evidence_is_audited_without_a_child(world, px):
    check = _record(world.officer_a, px)
    event = AuditEvent.objects.get(object_type="quality.ComplianceCheck", object_id=str(check.pk))
    assert event.action == AuditAction.CREATED
    assert event.child_id is None
    assert event.actor == world.officer_a


def test_designated_safeguarding_lead_needs_a_name(world, px):
    with pytest.raises(errors_services.QualityInvalid) as error:
        _record(world.officer_a, px, CheckType.DSL)
    assert error.value.errors == {"named_person": [compliance_services.NAMED_PERSON_NEEDED]}
    check = _record(world.officer_a, px, CheckType.DSL, named_person="  Sam Lead ")
    assert check.named_person == "Sam Lead"


def test_expiry_must_be_after_the_evidence_date_and_evidence_not_in_the_future(world, px):
    with pytest.raises(errors_services.QualityInvalid) as error:
        _record(world.officer_a, px, evidence_date=ON + DAY, expiry_date=ON + DAY)
    assert set(error.value.errors) == {"evidence_date", "expiry_date"}
    assert not ComplianceCheck.objects.exists()


def test_provider_staff_can_record_evidence_for_their_own_provider(world, px):
    check = _record(world.provider_x, px)
    assert check.recorded_by == world.provider_x


def test_provider_staff_cannot_record_evidence_for_another_provider(world, px, pz):
    with pytest.raises(errors_services.NotAllowed):
        _record(world.provider_x, pz)
    assert not ComplianceCheck.objects.exists()


def test_any_la_role_can_record_evidence_for_any_provider(world, px):
    _record(world.officer_b, px, CheckType.INSURANCE)
    _record(world.qa_lead_a, px, CheckType.PREMISES)
    assert ComplianceCheck.objects.filter(provider=px).count() == 2


@pytest.mark.parametrize("persona", ["analyst", "school_y", "social_worker", "panel_member"])
def test_other_roles_cannot_record_evidence(world, px, persona):
    with pytest.raises(errors_services.NotAllowed):
        _record(getattr(world, persona), px)


# --- across the providers an LA uses -------------------------------------------------------


def test_expiring_list_covers_the_next_30_days_of_the_las_providers(world, px, pz):
    officer = world.officer_a
    add_check(px, officer, CheckType.INSURANCE, evidence_date=ON - 300 * DAY, expiry_date=ON - DAY)
    today = add_check(px, officer, CheckType.PREMISES, evidence_date=ON - 300 * DAY, expiry_date=ON)
    last = add_check(
        px, officer, CheckType.FIRE_RISK, evidence_date=ON - 300 * DAY, expiry_date=ON + 30 * DAY
    )
    add_check(px, officer, CheckType.DSL, evidence_date=ON - 300 * DAY, expiry_date=ON + 31 * DAY)
    superseded = add_check(
        px,
        officer,
        CheckType.BEHAVIOUR_POLICY,
        evidence_date=ON - 300 * DAY,
        expiry_date=ON + 5 * DAY,
    )
    ComplianceCheck.objects.filter(pk=superseded.pk).update(superseded_at=AT)
    # Provider Z is in Hackney and has no standing with Dorset: not Dorset's concern...
    hackney = add_check(
        pz, officer, CheckType.INSURANCE, evidence_date=ON - 300 * DAY, expiry_date=ON + DAY
    )
    assert compliance_selectors.list_expiring(la_id=la("838").pk, on=ON) == [today, last]
    # ...until Dorset gives it a standing on its framework.
    ProviderApproval.objects.create(provider=pz, local_authority=la("838"))
    assert compliance_selectors.list_expiring(la_id=la("838").pk, on=ON) == [today, hackney, last]
    assert compliance_selectors.list_expiring(la_id=la("838").pk, on=ON, days=1) == [today, hackney]


def test_not_compliant_list_holds_only_the_las_providers_that_fail(world, px, pz):
    compliant = ProviderFactory(home_la=la("838"))
    make_compliant(compliant, world.officer_a, on=ON)
    rows = compliance_selectors.list_not_compliant(la_id=la("838").pk, on=ON)
    assert [row.provider for row in rows] == [px]


# --- overriding non-compliance -------------------------------------------------------------


def test_manager_can_override_non_compliance_with_a_reason(world, px):
    override = compliance_services.override_non_compliance(
        actor=world.manager_a,
        at=AT,
        provider=px,
        reason="Only provider with a place; DBS letter promised",
    )
    assert override.local_authority == la("838")
    assert override.by == world.manager_a
    assert CheckType.INSURANCE.value in override.gaps["missing"]
    assert AuditEvent.objects.filter(object_type="quality.ComplianceOverride").count() == 1
    assert compliance_selectors.list_overrides(provider=px, la_id=la("838").pk) == [override]


@pytest.mark.parametrize("persona", ["officer_a", "qa_lead_a", "provider_x", "analyst"])
def test_only_an_la_manager_can_override_non_compliance(world, px, persona):
    with pytest.raises(errors_services.NotAllowed):
        compliance_services.override_non_compliance(
            actor=getattr(world, persona), at=AT, provider=px, reason="Need"
        )
    assert not ComplianceOverride.objects.exists()


def test_override_needs_a_reason(world, px):
    with pytest.raises(errors_services.QualityInvalid) as error:
        compliance_services.override_non_compliance(
            actor=world.manager_a, at=AT, provider=px, reason="   "
        )
    assert error.value.errors == {"reason": [compliance_services.REASON_NEEDED]}


def test_compliant_provider_needs_no_override(world, px):
    make_compliant(px, world.officer_a, on=ON)
    with pytest.raises(compliance_services.OverrideNotNeeded):
        compliance_services.override_non_compliance(
            actor=world.manager_a, at=AT, provider=px, reason="Just in case"
        )
