import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from aptrack.audit.models import AuditEvent
from aptrack.commissioning import contracts, services
from aptrack.commissioning.models import Contract, Lot, PlacementTerms, Rate
from aptrack.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _provider(world, name="Harbour Learning"):
    return OrganisationFactory(name=name, kind="PROVIDER", local_authority=world.child_a.home_la)


def _block(world, provider, *, reference="BLK-1", la=None, places=3):
    return Contract.objects.create(
        local_authority=la or world.child_a.home_la,
        provider=provider,
        reference=reference,
        kind="BLOCK",
        start_date=dt.date(2020, 9, 1),
        end_date=dt.date(2099, 7, 31),
        places=places,
        block_price=Decimal("30000"),
        created_at=timezone.now(),
    )


def test_list_filters_by_provider_and_kind_and_hides_other_las(client, world):
    harbour, other = _provider(world), _provider(world, "Moorland AP")
    _block(world, harbour, reference="BLK-HARBOUR")
    Contract.objects.create(
        local_authority=world.child_a.home_la,
        provider=other,
        reference="SPOT-MOOR",
        kind="SPOT",
        start_date=dt.date(2026, 9, 1),
        created_at=timezone.now(),
    )
    _block(world, harbour, reference="BLK-HACKNEY", la=world.child_b.home_la)
    client.force_login(world.officer_a)
    page = client.get(reverse("commissioning:contracts")).content.decode()
    assert "BLK-HARBOUR" in page and "SPOT-MOOR" in page and "BLK-HACKNEY" not in page
    page = client.get(reverse("commissioning:contracts"), {"kind": "SPOT"}).content.decode()
    assert "SPOT-MOOR" in page and "BLK-HARBOUR" not in page
    page = client.get(reverse("commissioning:contracts"), {"provider": harbour.pk}).content.decode()
    assert "BLK-HARBOUR" in page and "SPOT-MOOR" not in page
    assert client.get(reverse("commissioning:contracts"), {"provider": "x"}).status_code == 200


def test_who_may_see_and_manage(client, world):
    contract = _block(world, _provider(world))
    hackney = _block(world, _provider(world), reference="H", la=world.child_b.home_la)
    url = reverse("commissioning:contract", args=[contract.pk])
    for persona, status in [("finance_a", 200), ("manager_a", 200), ("provider_x", 403)]:
        client.force_login(getattr(world, persona))
        assert client.get(url).status_code == status, persona
    client.force_login(world.finance_a)
    assert client.get(reverse("commissioning:contract_new")).status_code == 403
    assert client.get(reverse("commissioning:rate_new", args=[contract.pk])).status_code == 403
    client.force_login(world.officer_a)
    assert client.get(reverse("commissioning:contract", args=[hackney.pk])).status_code == 404
    assert client.get(reverse("commissioning:rate_new", args=[hackney.pk])).status_code == 404


def test_block_utilisation_counts_running_placements(world):
    from aptrack.children.tests.factories import PlacementFactory

    harbour = _provider(world)
    contract = _block(world, harbour)
    placement = PlacementFactory(
        provider=harbour,
        commissioning_la=world.child_a.home_la,
        status="ACTIVE",
        start_date=dt.date(2026, 9, 1),
        end_date=None,
    )
    PlacementTerms.objects.create(
        placement=placement, contract=contract, set_by=world.officer_a, set_at=timezone.now()
    )
    used = contracts.block_utilisation(contract, on=dt.date(2026, 10, 1))
    assert (used.bought, used.used, used.free) == (3, 1, 2)
    assert contracts.block_utilisation(contract, on=dt.date(2026, 8, 1)).used == 0


def test_rates_in_force_and_past(world):
    contract = _block(world, _provider(world))
    old = Rate.objects.create(
        contract=contract, unit="DAY", amount=100, effective_from=dt.date(2025, 4, 1)
    )
    new = Rate.objects.create(
        contract=contract, unit="DAY", amount=110, effective_from=dt.date(2026, 4, 1)
    )
    future = Rate.objects.create(
        contract=contract, unit="DAY", amount=120, effective_from=dt.date(2027, 4, 1)
    )
    rows = {
        row.rate.pk: row.in_force for row in contracts.list_rates(contract, on=dt.date(2026, 10, 1))
    }
    assert rows == {old.pk: False, new.pk: True, future.pk: False}


def _date(prefix, day):
    return {f"{prefix}-day": day.day, f"{prefix}-month": day.month, f"{prefix}-year": day.year}


def test_new_framework_contract_with_lots_and_a_rate(client, world):
    harbour = _provider(world)
    client.force_login(world.officer_a)
    response = client.post(
        reverse("commissioning:contract_new"),
        {
            "provider": harbour.pk,
            "reference": "FW-7",
            "kind": "FRAMEWORK",
            "funder": "HIGH_NEEDS",
            **_date("start_date", dt.date(2026, 9, 1)),
            "framework_name": "AP DPS",
            "lots": "Registered full-time\nTuition\n",
        },
    )
    contract = Contract.objects.get(reference="FW-7")
    assert response.status_code == 302
    assert sorted(contract.lots.values_list("name", flat=True)) == [
        "Registered full-time",
        "Tuition",
    ]
    assert AuditEvent.objects.filter(
        object_type="commissioning.Contract", object_id=str(contract.pk)
    ).exists()
    lot = Lot.objects.get(contract=contract, name="Tuition")
    response = client.post(
        reverse("commissioning:rate_new", args=[contract.pk]),
        {
            "lot": lot.pk,
            "unit": "HOUR",
            "amount": "45.50",
            **_date("effective_from", dt.date(2026, 9, 1)),
        },
    )
    assert response.status_code == 302
    rate = Rate.objects.get(contract=contract)
    assert (rate.lot, rate.amount) == (lot, Decimal("45.50"))
    page = client.get(reverse("commissioning:contract", args=[contract.pk])).content.decode()
    assert "Tuition" in page and "45.50" in page


def test_bad_input_is_a_clear_error_and_nothing_saved(client, world):
    harbour = _provider(world)
    client.force_login(world.manager_a)
    response = client.post(
        reverse("commissioning:contract_new"),
        {
            "provider": harbour.pk,
            "reference": "B",
            "kind": "BLOCK",
            "funder": "HIGH_NEEDS",
            **_date("start_date", dt.date(2026, 9, 1)),
        },
    )
    assert response.status_code == 400
    assert "Enter the places bought on a block contract" in response.content.decode()
    _block(world, harbour, reference="DUP")
    response = client.post(
        reverse("commissioning:contract_new"),
        {
            "provider": harbour.pk,
            "reference": "DUP",
            "kind": "SPOT",
            "funder": "HIGH_NEEDS",
            **_date("start_date", dt.date(2026, 9, 1)),
        },
    )
    assert response.status_code == 400
    assert "already has a contract with reference DUP" in response.content.decode()
    other_la_provider = OrganisationFactory(kind="PROVIDER", local_authority=world.child_b.home_la)
    response = client.post(
        reverse("commissioning:contract_new"),
        {
            "provider": other_la_provider.pk,
            "reference": "X",
            "kind": "SPOT",
            "funder": "HIGH_NEEDS",
            **_date("start_date", dt.date(2026, 9, 1)),
        },
    )
    assert response.status_code == 400
    assert Contract.objects.filter(reference__in=["B", "X"]).count() == 0
    contract = Contract.objects.get(reference="DUP")
    response = client.post(
        reverse("commissioning:rate_new", args=[contract.pk]),
        {"unit": "DAY", "amount": "-1", **_date("effective_from", dt.date(2026, 9, 1))},
    )
    assert response.status_code == 400 and not Rate.objects.exists()


def test_services_refuse_a_lot_of_another_contract(world):
    harbour = _provider(world)
    one, two = _block(world, harbour, reference="1"), _block(world, harbour, reference="2")
    lot = Lot.objects.create(contract=two, name="A")
    with pytest.raises(services.DecisionRefused):
        services.add_rate(
            contract=one,
            lot=lot,
            unit="DAY",
            amount=Decimal(1),
            effective_from=dt.date(2026, 1, 1),
            by=world.officer_a,
            at=timezone.now(),
        )
