import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models, transaction

from aptrack.accounts.models import User
from aptrack.accounts.roles import Role
from aptrack.children import upn
from aptrack.children.models import Child, Ethnicity, SenStatus
from aptrack.children.permissions import scope_children
from aptrack.children.tests.factories import ChildFactory
from aptrack.organisations.models import Establishment, LocalAuthority, Organisation
from aptrack.placements.models import Placement
from aptrack.synthetic import records, services
from aptrack.synthetic.services import Scale

TODAY = dt.date(2026, 1, 15)
SMALL = 0.1  # 42 Dorset and 30 Hackney children: enough for structure, quick to build


def _generate(seed: int = 1, size_factor: float = SMALL) -> services.GenerationSummary:
    return services.generate_synthetic_data(
        scale=Scale.LA, seed=seed, today=TODAY, size_factor=size_factor
    )


def _children_then_roll_back(seed: int) -> list[tuple]:
    with transaction.atomic():
        _generate(seed)
        rows = list(
            Child.objects.order_by("pk").values_list(
                "legal_first_name", "legal_last_name", "upn", "date_of_birth", "home_la__code"
            )
        )
        transaction.set_rollback(True)
    return rows


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Child, Placement, Organisation, Establishment, User)
    }


@pytest.fixture
def la_scale(db: object) -> services.GenerationSummary:
    """The full la scale, as `make demo` builds it (Dorset 420, Hackney 300)."""
    return _generate(size_factor=1.0)


@pytest.mark.django_db
def test_same_seed_gives_same_children() -> None:
    assert _children_then_roll_back(7) == _children_then_roll_back(7)


@pytest.mark.django_db
def test_different_seed_gives_different_children() -> None:
    first, second = _children_then_roll_back(7), _children_then_roll_back(8)
    assert [row[:3] for row in first] != [row[:3] for row in second]


def test_la_scale_is_dorset_then_hackney(la_scale: services.GenerationSummary) -> None:
    assert la_scale.local_authorities == 2
    by_la = Counter(Child.objects.values_list("home_la__code", flat=True))
    assert by_la == {"838": 420, "204": 300}
    assert la_scale.children == 720


def test_every_upn_is_valid_and_starts_with_the_home_la(
    la_scale: services.GenerationSummary,
) -> None:
    known = frozenset(LocalAuthority.objects.values_list("code", flat=True))
    children = list(Child.objects.select_related("home_la"))
    for child in children:
        parsed = upn.parse(child.upn, known)
        assert parsed.la_code == child.home_la.code
        assert parsed.is_temporary == child.upn_is_temporary
    assert len({child.upn for child in children}) == len(children)
    assert 0 < sum(child.upn_is_temporary for child in children) < len(children) * 0.05


def test_ehcp_share_is_between_70_and_90_percent(la_scale: services.GenerationSummary) -> None:
    statuses = Counter(Child.objects.values_list("sen_status", flat=True))
    share = statuses[SenStatus.EHCP] / sum(statuses.values())
    assert 0.70 <= share <= 0.90


def test_year_groups_are_mostly_7_to_11(la_scale: services.GenerationSummary) -> None:
    years = Counter(child.year_group(TODAY) for child in Child.objects.all())
    total = sum(years.values())
    assert sum(years[year] for year in range(7, 12)) / total >= 0.75
    assert set(years) <= set(range(1, 14))


def test_characteristics_follow_the_national_shares(la_scale: services.GenerationSummary) -> None:
    children = list(Child.objects.all())
    total = len(children)

    def share(test: object) -> float:
        return sum(1 for child in children if test(child)) / total  # type: ignore[operator]

    assert 0.62 <= share(lambda c: c.sex == "M") <= 0.78
    assert 0.37 <= share(lambda c: c.fsm) <= 0.57
    assert 0.05 <= share(lambda c: c.looked_after) <= 0.15
    assert all(c.responsible_la_id for c in children if c.looked_after)
    assert {c.ethnicity for c in children} <= set(Ethnicity.values)
    assert all(c.uln == "" or (len(c.uln) == 10 and c.year_group(TODAY) >= 10) for c in children)


def test_ethnicity_weights_use_census_codes() -> None:
    for mix in records.ETHNICITY_WEIGHTS.values():
        assert set(mix) <= set(Ethnicity.values)


def test_placements_are_with_the_home_la_providers(la_scale: services.GenerationSummary) -> None:
    placements = list(Placement.objects.select_related("child", "provider"))
    active = [p for p in placements if p.end_date is None]
    assert {p.child_id for p in placements} == set(Child.objects.values_list("pk", flat=True))
    assert len(active) >= 0.85 * la_scale.children
    assert len({p.child_id for p in active}) == len(active)  # never two current placements
    for placement in placements:
        assert placement.provider.kind == "PROVIDER"
        assert placement.provider.local_authority_id == placement.child.home_la_id
        assert placement.commissioning_la_id == placement.child.home_la_id
        assert 10 <= placement.hours_per_week <= 25
        assert placement.start_date <= TODAY
        assert placement.end_date is None or placement.start_date <= placement.end_date <= TODAY
        assert placement.created_at.date() <= TODAY


def test_each_la_has_schools_a_pru_and_providers(la_scale: services.GenerationSummary) -> None:
    for code in ("838", "204"):
        orgs = Organisation.objects.filter(local_authority__code=code)
        assert orgs.filter(kind="LOCAL_AUTHORITY").count() == 1
        assert orgs.filter(kind="AGENCY", agency_type="VIRTUAL_SCHOOL").count() == 1
        assert orgs.filter(kind="AGENCY", agency_type="SOCIAL_CARE").count() == 1
        assert 15 <= orgs.filter(kind="SCHOOL").count() <= 30
        assert orgs.filter(kind="PROVIDER", establishment__type_code="14").count() == 1
        assert 4 <= orgs.filter(kind="PROVIDER", establishment__isnull=True).count() <= 8
    urns = list(Establishment.objects.values_list("urn", flat=True))
    assert len(set(urns)) == len(urns)
    assert all(len(urn) == 6 and urn >= "700000" for urn in urns)


def test_demo_users_exist_with_the_password_and_every_role(
    la_scale: services.GenerationSummary,
) -> None:
    users = {
        user.username: user for user in User.objects.filter(username__in=services.DEMO_USERNAMES)
    }
    assert set(users) == set(services.DEMO_USERNAMES)
    assert all(user.check_password(services.DEMO_PASSWORD) for user in users.values())
    assert {user.role for user in users.values()} == set(Role.values)
    assert users["officer"].organisation.local_authority.code == "838"
    assert users["officer-hackney"].organisation.local_authority.code == "204"
    assert users["provider"].organisation.establishment.type_code == "14"


def test_demo_users_each_see_their_own_children(la_scale: services.GenerationSummary) -> None:
    users = {
        user.username: user for user in User.objects.filter(username__in=services.DEMO_USERNAMES)
    }
    assert scope_children(users["social-worker"]).count() == services.SOCIAL_WORKER_CASELOAD
    for username in ("provider", "school", "vsh"):
        assert scope_children(users[username]).exists(), username
    dorset = set(scope_children(users["officer"]).values_list("pk", flat=True))
    hackney = set(scope_children(users["officer-hackney"]).values_list("pk", flat=True))
    assert dorset and hackney
    assert not dorset & hackney
    assert not scope_children(users["analyst"]).exists()


@pytest.mark.django_db
def test_generate_command_builds_la_scale_and_prints_a_summary() -> None:
    out = StringIO()
    call_command("generate", "--scale", "la", "--seed", "1", "--today", "2026-01-15", stdout=out)
    assert "Children" in out.getvalue() and "720" in out.getvalue()
    assert Child.objects.count() == 720


@pytest.mark.django_db
def test_if_empty_rerun_creates_nothing_new() -> None:
    _generate()
    before = _counts()
    out = StringIO()
    call_command("generate", "--scale", "la", "--seed", "1", "--if-empty", stdout=out)
    assert services.DATA_ALREADY_PRESENT in out.getvalue()
    assert _counts() == before


@pytest.mark.django_db
def test_if_empty_rerun_restores_a_missing_demo_user() -> None:
    _generate()
    User.objects.filter(username="officer").delete()
    call_command("generate", "--if-empty", stdout=StringIO())
    assert User.objects.get(username="officer").check_password(services.DEMO_PASSWORD)


@pytest.mark.django_db
def test_refuses_a_non_empty_database_without_if_empty() -> None:
    ChildFactory()
    before = _counts()
    with pytest.raises(CommandError, match="--if-empty"):
        call_command("generate", "--scale", "la", "--seed", "1", stdout=StringIO())
    assert _counts() == before


@pytest.mark.django_db
def test_service_refuses_when_children_exist() -> None:
    ChildFactory()
    with pytest.raises(services.DataAlreadyPresent):
        _generate()


@pytest.mark.django_db
def test_national_plan_shares_64000_children_over_153_las() -> None:
    plan = services.plan_local_authorities(scale=Scale.NATIONAL)
    assert len(plan) == 153
    assert sum(count for _, count in plan) == 64_000
    assert plan[0][0].code == "838"
    sizes = {la.code: count for la, count in plan}
    assert sizes["886"] > sizes["838"] > sizes["857"]  # Kent > Dorset > Rutland


@pytest.mark.django_db
def test_region_plan_is_the_south_west_led_by_dorset() -> None:
    plan = services.plan_local_authorities(scale=Scale.REGION)
    assert plan[0][0].code == "838"
    assert {la.region for la, _ in plan} == {"SOUTH_WEST"}
    assert len(plan) == LocalAuthority.objects.filter(region="SOUTH_WEST").count()


@pytest.mark.django_db
def test_demo_logins_lists_users_and_the_password() -> None:
    _generate()
    out = StringIO()
    call_command("demo-logins", stdout=out)
    text = out.getvalue()
    for username in services.DEMO_USERNAMES:
        assert username in text
    assert services.DEMO_PASSWORD in text
    assert "Open http://127.0.0.1:8000/" in text


@pytest.mark.django_db
def test_demo_logins_fails_without_demo_users() -> None:
    with pytest.raises(CommandError, match="no demo users"):
        call_command("demo-logins", stdout=StringIO())


@pytest.mark.django_db
def test_every_generated_provider_has_a_register_record_with_sites_and_standing():
    from aptrack.organisations.models import Organisation
    from aptrack.providers.models import Provider, ProviderApproval, ProviderSite

    call_command("generate", "--scale", "la", "--seed", "3", "--today", "2026-11-23", stdout=StringIO(), stderr=StringIO())
    organisations = Organisation.objects.filter(kind="PROVIDER").count()
    assert Provider.objects.count() == organisations > 0
    assert not Provider.objects.filter(sites__isnull=True).exists()
    assert ProviderApproval.objects.count() == organisations
    assert Provider.objects.filter(kind="PRU", establishment__isnull=False).exists()
    assert ProviderSite.objects.exclude(local_authority=models.F("provider__home_la")).exists()
