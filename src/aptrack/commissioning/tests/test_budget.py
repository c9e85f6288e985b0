"""Setting an LA's high-needs budget for AP: its own managers and finance officers only, per
financial year, audited, through `services.set_high_needs_budget`; the spend page follows it."""

from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from aptrack.accounts.roles import Role
from aptrack.accounts.tests.factories import UserFactory
from aptrack.audit.models import AuditAction, AuditEvent
from aptrack.commissioning import services, spend
from aptrack.commissioning.models import HighNeedsBudget
from aptrack.commissioning.tests import spend_case
from aptrack.core.errors import DomainForbidden, DomainInvalid

pytestmark = pytest.mark.django_db
URL = reverse("commissioning:budget")
YEAR = spend.FinancialYear.of(spend_case.ON)  # 2026


@pytest.fixture
def case(world):
    with mock.patch("django.utils.timezone.localdate", return_value=spend_case.ON):
        yield spend_case.build(world)


def _budget(la_id: int, year: int = YEAR.year) -> Decimal | None:
    row = HighNeedsBudget.objects.filter(local_authority_id=la_id, financial_year=year).first()
    return row.amount if row else None


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("finance_a", 200),
        ("manager_a", 200),
        ("officer_a", 403),
        ("qa_lead_a", 403),
        ("provider_x", 403),
        ("school_y", 403),
        ("analyst", 403),
        ("social_worker", 403),
    ],
)
def test_only_the_las_managers_and_finance_officers_may_set_the_budget(
    client, world, persona, status
):
    client.force_login(world.personas()[persona])
    assert client.get(URL).status_code == status
    response = client.post(URL, {"financial_year": YEAR.year, "amount": "100"})
    assert response.status_code == (302 if status == 200 else 403)


def test_setting_the_budget_changes_the_spend_figures(client, world, case):
    dorset = world.finance_a.organisation.local_authority_id
    before = spend.get_spend(la_id=dorset, on=spend_case.ON, year=YEAR)
    assert before.budget == Decimal(20000)
    client.force_login(world.finance_a)
    with mock.patch("django.utils.timezone.localdate", return_value=spend_case.ON):
        form = client.get(URL, {"year": YEAR.year}).content.decode()
        assert 'value="20000.00"' in form  # the year's budget, to change
        response = client.post(URL, {"financial_year": YEAR.year, "amount": "25000"})
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('commissioning:spend')}?year={YEAR.year}"
        page = client.get(response["Location"]).content.decode()
    after = spend.get_spend(la_id=dorset, on=spend_case.ON, year=YEAR)
    assert after.budget == Decimal(25000)
    assert after.variance == before.variance - Decimal(5000)
    assert after.forecast_share < before.forecast_share
    assert "AP budget for April 2026 to March 2027 saved" in page
    assert "£25,000" in page and "Change the AP budget" in page
    event = AuditEvent.objects.get(
        object_type="commissioning.HighNeedsBudget", action=AuditAction.UPDATED
    )
    assert event.actor == world.finance_a
    assert event.changes["amount"] == {"from": "20000.00", "to": "25000"}


def test_a_budget_for_a_year_without_one_is_created_and_audited(client, world):
    client.force_login(world.manager_a)
    dorset = world.manager_a.organisation.local_authority_id
    year = spend.FinancialYear.of(timezone.localdate()).year + 1
    response = client.post(URL, {"financial_year": year, "amount": "1250000.50"})
    assert response.status_code == 302
    assert _budget(dorset, year) == Decimal("1250000.50")
    event = AuditEvent.objects.get(object_type="commissioning.HighNeedsBudget")
    assert (event.action, event.actor) == (AuditAction.CREATED, world.manager_a)


def test_another_la_cannot_set_it(client, world):
    dorset = world.manager_a.organisation.local_authority_id
    hackney = world.officer_b.organisation.local_authority_id
    hackney_manager = UserFactory(organisation=world.officer_b.organisation, role=Role.LA_MANAGER)
    with pytest.raises(DomainForbidden):
        services.set_high_needs_budget(
            la_id=hackney,
            financial_year=YEAR.year,
            amount=Decimal(1),
            by=world.manager_a,
            at=timezone.now(),
        )
    # The page always sets the user's own LA's budget.
    client.force_login(hackney_manager)
    client.post(URL, {"financial_year": YEAR.year, "amount": "900"})
    assert _budget(hackney) == Decimal(900)
    assert _budget(dorset) is None
    assert not AuditEvent.objects.filter(
        object_type="commissioning.HighNeedsBudget", actor=world.manager_a
    ).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"financial_year": YEAR.year}, "Enter the high-needs budget for alternative provision"),
        ({"financial_year": YEAR.year, "amount": "lots"}, "High-needs budget must be a number"),
        ({"financial_year": YEAR.year, "amount": "-5"}, "High-needs budget must be £0 or more"),
        ({"amount": "100"}, "Select the financial year"),
        ({"financial_year": "1066", "amount": "100"}, "Select the financial year"),
    ],
)
def test_errors_name_the_field(client, world, data, message):
    client.force_login(world.finance_a)
    response = client.post(URL, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert "govuk-error-summary" in page
    assert not HighNeedsBudget.objects.exists()


def test_the_service_refuses_what_the_form_would(world):
    la_id = world.finance_a.organisation.local_authority_id
    with pytest.raises(DomainInvalid) as refused:
        services.set_high_needs_budget(
            la_id=la_id, financial_year=1900, amount=Decimal(-1), by=world.finance_a,
            at=timezone.now(),
        )  # fmt: skip
    assert set(refused.value.errors) == {"financial_year", "amount"}


def test_the_spend_page_links_to_it(client, world):
    client.force_login(world.manager_a)
    page = client.get(reverse("commissioning:spend")).content.decode()
    assert f'href="{URL}?year=' in page and "Set the AP budget" in page
