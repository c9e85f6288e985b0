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


def _terms(contract, **changes):
    data = {
        "reference": contract.reference,
        "funder": contract.funder,
        **_date("start_date", contract.start_date),
        **(
            _date("end_date", contract.end_date)
            if contract.end_date
            else {"end_date-day": "", "end_date-month": "", "end_date-year": ""}
        ),
        "places": contract.places or "",
        "block_price": contract.block_price if contract.block_price is not None else "",
        "framework_name": contract.framework_name,
        "cost_centre": contract.cost_centre,
        "version": contract.version,
    }
    data.update(changes)
    return data


def test_an_la_officer_changes_a_contracts_terms_audited_and_its_rates_stay(client, world):
    contract = _block(world, _provider(world), reference="BLK-OLD")
    rate = Rate.objects.create(
        contract=contract, unit="DAY", amount=100, effective_from=dt.date(2026, 9, 1)
    )
    client.force_login(world.officer_a)
    url = reverse("commissioning:contract_edit", args=[contract.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        _terms(contract, reference="BLK-NEW", places=5, cost_centre="AP200", block_price="45000"),
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert (contract.reference, contract.places, contract.cost_centre, contract.version) == (
        "BLK-NEW",
        5,
        "AP200",
        2,
    )
    assert contract.block_price == Decimal("45000")
    event = AuditEvent.objects.get(
        object_type="commissioning.Contract", object_id=str(contract.pk), action="UPDATED"
    )
    assert event.changes["reference"] == {"old": "BLK-OLD", "new": "BLK-NEW"}
    assert event.changes["places"] == {"old": 3, "new": 5}
    assert event.actor == world.officer_a
    assert list(Rate.objects.filter(contract=contract)) == [rate]
    rate.refresh_from_db()
    assert rate.amount == 100
    page = client.get(reverse("commissioning:contract", args=[contract.pk])).content.decode()
    assert "BLK-NEW" in page and "AP200" in page


def test_changing_terms_is_refused_clearly(client, world):
    harbour = _provider(world)
    contract = _block(world, harbour, reference="BLK-1")
    _block(world, harbour, reference="BLK-2")
    client.force_login(world.manager_a)
    url = reverse("commissioning:contract_edit", args=[contract.pk])
    response = client.post(url, _terms(contract, reference="BLK-2"))
    assert response.status_code == 400
    assert "already has a contract with reference BLK-2" in response.content.decode()
    response = client.post(url, _terms(contract, places=""))
    assert response.status_code == 400
    assert "Enter the places bought on a block contract" in response.content.decode()
    # Someone else saved the contract since this form was loaded.
    assert client.post(url, _terms(contract, cost_centre="X1")).status_code == 302
    response = client.post(url, _terms(contract, cost_centre="X2"))
    assert response.status_code == 400
    assert "Someone else changed this record" in response.content.decode()
    contract.refresh_from_db()
    assert (contract.reference, contract.places, contract.cost_centre) == ("BLK-1", 3, "X1")


def test_only_the_las_commissioners_change_its_contracts(client, world):
    contract = _block(world, _provider(world))
    url = reverse("commissioning:contract_edit", args=[contract.pk])
    for persona, status in [("finance_a", 403), ("provider_x", 403), ("officer_b", 404)]:
        client.force_login(getattr(world, persona))
        assert client.get(url).status_code == status, persona
        assert client.post(url, _terms(contract, reference="STOLEN")).status_code == status
    contract.refresh_from_db()
    assert contract.reference == "BLK-1" and contract.version == 1
    assert not AuditEvent.objects.filter(action="UPDATED").exists()


def test_a_spot_contract_has_no_places_to_change(client, world):
    contract = Contract.objects.create(
        local_authority=world.child_a.home_la,
        provider=_provider(world),
        reference="SPOT-1",
        kind="SPOT",
        start_date=dt.date(2026, 9, 1),
        created_at=timezone.now(),
    )
    client.force_login(world.officer_a)
    url = reverse("commissioning:contract_edit", args=[contract.pk])
    assert 'name="places"' not in client.get(url).content.decode()
    response = client.post(url, _terms(contract, places="9", cost_centre="S1"))
    assert response.status_code == 302
    contract.refresh_from_db()
    assert (contract.places, contract.cost_centre) == (None, "S1")


def test_a_rate_is_never_overwritten_a_change_is_a_new_rate_from_a_date(client, world):
    contract = _block(world, _provider(world))
    Rate.objects.create(
        contract=contract, unit="DAY", amount=100, effective_from=dt.date(2026, 9, 1)
    )
    client.force_login(world.officer_a)
    url = reverse("commissioning:rate_new", args=[contract.pk])
    same_day = {"unit": "DAY", "amount": "110", **_date("effective_from", dt.date(2026, 9, 1))}
    response = client.post(url, same_day)
    assert response.status_code == 400
    assert "Rates are never changed" in response.content.decode()
    later = {"unit": "DAY", "amount": "110", **_date("effective_from", dt.date(2027, 1, 4))}
    assert client.post(url, later).status_code == 302
    rows = contracts.list_rates(contract, on=dt.date(2026, 10, 1))
    assert [(r.rate.amount, r.in_force) for r in rows] == [(110, False), (100, True)]
