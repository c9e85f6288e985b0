import datetime as dt

import pytest

from aptrack.organisations.tests.factories import EstablishmentFactory, la
from aptrack.providers import services
from aptrack.providers.models import Provider
from aptrack.providers.states import ApprovalStatus
from aptrack.providers.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)


def _data(**overrides):
    data = {
        "name": "Wessex Tuition",
        "kind": "TUITION",
        "home_la": la("838"),
        "offers_tier_2": True,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "identity",
    [{}, {"ukprn": "10012345", "setting_type": "OOT"}, {"urn": "123456", "ukprn": "10012345"}],
)
def test_identity_must_be_exactly_one_of_urn_ukprn_setting_type(world, identity):
    with pytest.raises(services.ProviderInvalid) as error:
        services.create_provider(actor=world.officer_a, at=NOW, data=_data(**identity))
    assert error.value.errors == {None: [services.IDENTITY_NEEDS_EXACTLY_ONE]}
    assert not Provider.objects.filter(name="Wessex Tuition").exists()


# Full-width, Arabic-Indic and superscript digits pass str.isdigit but are not a UKPRN.
@pytest.mark.parametrize("ukprn", ["20012345", "１００１２３４５", "1٠٠12345", "1001234²"])
def test_ukprn_must_be_eight_ascii_digits_starting_with_1(world, ukprn):
    with pytest.raises(services.ProviderInvalid) as error:
        services.create_provider(actor=world.officer_a, at=NOW, data=_data(ukprn=ukprn))
    assert error.value.errors == {"ukprn": [services.UKPRN_INVALID]}


def test_unknown_urn_is_refused(world):
    with pytest.raises(services.ProviderInvalid) as error:
        services.create_provider(
            actor=world.officer_a, at=NOW, data=_data(urn="654321", kind="INDEPENDENT")
        )
    assert error.value.errors == {"urn": [services.URN_UNKNOWN.format(urn="654321")]}


def test_pru_needs_a_urn(world):
    with pytest.raises(services.ProviderInvalid) as error:
        services.create_provider(
            actor=world.officer_a, at=NOW, data=_data(kind="PRU", setting_type="OTH")
        )
    assert error.value.errors == {"urn": [services.REGISTERED_NEEDS_URN]}


def test_create_with_setting_type_makes_organisation_too(world):
    provider = services.create_provider(
        actor=world.officer_a, at=NOW, data=_data(setting_type="OOT")
    )
    assert provider.organisation.kind == "PROVIDER"
    assert provider.identity == "One-on-one tuition"  # a label, not the census code


def test_create_with_urn(world):
    school = EstablishmentFactory(urn="140001", type_code="37")
    provider = services.create_provider(
        actor=world.officer_a, at=NOW, data=_data(urn="140001", kind="INDEPENDENT")
    )
    assert provider.establishment == school
    with pytest.raises(services.ProviderInvalid) as error:
        services.create_provider(
            actor=world.officer_a, at=NOW, data=_data(urn="140001", kind="INDEPENDENT", name="Dup")
        )
    assert error.value.errors == {"urn": [services.URN_TAKEN.format(urn="140001")]}


def test_stale_update_is_refused(world):
    provider = ProviderFactory()
    services.update_provider(
        actor=world.qa_lead_a,
        at=NOW,
        provider=provider,
        data=_data(setting_type="OOT", name="A"),
        expected_version=1,
    )
    with pytest.raises(services.ProviderChangedElsewhere):
        services.update_provider(
            actor=world.qa_lead_a,
            at=NOW,
            provider=provider,
            data=_data(setting_type="OOT", name="B"),
            expected_version=1,
        )
    provider.refresh_from_db()
    assert provider.name == "A"
    assert provider.organisation.name == "A"


def test_approval_moves_leave_history_and_refuse_illegal_moves(world):
    provider = ProviderFactory()
    dorset = la("838")
    services.change_approval(
        actor=world.manager_a,
        at=NOW,
        provider=provider,
        local_authority=dorset,
        target=ApprovalStatus.APPROVED,
        effective_date=dt.date(2026, 9, 1),
        reason="Audit passed",
    )
    with pytest.raises(services.ApprovalMoveNotAllowed):
        services.change_approval(
            actor=world.manager_a,
            at=NOW,
            provider=provider,
            local_authority=dorset,
            target=ApprovalStatus.APPROVED,
            effective_date=dt.date(2026, 9, 2),
            reason="Again",
        )
    with pytest.raises(services.ProviderInvalid):
        services.change_approval(
            actor=world.manager_a,
            at=NOW,
            provider=provider,
            local_authority=dorset,
            target=ApprovalStatus.REFERRALS_PAUSED,
            effective_date=dt.date(2026, 9, 2),
            reason=" ",
        )
    approval = services.change_approval(
        actor=world.manager_a,
        at=NOW,
        provider=provider,
        local_authority=dorset,
        target=ApprovalStatus.REFERRALS_PAUSED,
        effective_date=dt.date(2026, 10, 1),
        reason="Safeguarding concern",
    )
    assert approval.status == "REFERRALS_PAUSED"
    assert [(e.from_status, e.to_status) for e in approval.events.order_by("pk")] == [
        ("NOT_ASSESSED", "APPROVED"),
        ("APPROVED", "REFERRALS_PAUSED"),
    ]


def test_standing_is_per_la(world):
    provider = ProviderFactory()
    services.change_approval(
        actor=world.manager_a,
        at=NOW,
        provider=provider,
        local_authority=la("838"),
        target=ApprovalStatus.NOT_APPROVED,
        effective_date=dt.date(2026, 9, 1),
        reason="No DSL",
    )
    services.change_approval(
        actor=world.officer_b,
        at=NOW,
        provider=provider,
        local_authority=la("204"),
        target=ApprovalStatus.APPROVED,
        effective_date=dt.date(2026, 9, 1),
        reason="Audit passed",
    )
    assert {a.local_authority.code: a.status for a in provider.approvals.all()} == {
        "838": "NOT_APPROVED",
        "204": "APPROVED",
    }
