"""Personas for access tests, as domain.md's "Who uses it" table has them.

Two LAs (Dorset 838 and Hackney 204), a provider and a school in Dorset, a virtual school,
a social worker and an analyst. Each persona is a signed-in-able user; `world` holds the
children each of them should and should not see. Everyone in it has a name set here, so tests
can find them by name; other factory-made names are drawn from a seed per test (below) and may
repeat, so tests find those records by id or UPN.
"""

import os
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import factory.random
import pytest

from aptrack.accounts.models import User
from aptrack.accounts.roles import Role
from aptrack.accounts.tests.factories import UserFactory
from aptrack.children.models import Child
from aptrack.children.tests.factories import ChildFactory, PlacementFactory
from aptrack.organisations.models import Organisation
from aptrack.organisations.tests.factories import EstablishmentFactory, OrganisationFactory, la
from aptrack.pytest_plugin import copied_test_databases, seed_for, test_id


@pytest.fixture(autouse=True)
def _seeded_fakes(request: pytest.FixtureRequest) -> None:
    """Faker, factory_boy and `random` draw from a seed made of the run's seed and this test's id.

    factory_boy's reseed also seeds Faker's shared random source, which every `Faker()` not
    seeded on its own draws from (the factories' `factory.Faker` instances and those tests make).
    """
    seed_fakes(seed_for(test_id(request.node)))


def seed_fakes(seed: int) -> None:
    factory.random.reseed_random(seed)
    random.seed(seed)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """pytest-django's (a worker's test database names end with its id), and across workers each
    worker's test database a copy of one migrated once (aptrack/pytest_plugin.py)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        yield
        return
    # A worker's temporary directory is in the run's, which all its workers share.
    with copied_test_databases(tmp_path_factory.getbasetemp().parent):
        yield


@pytest.fixture(scope="session", autouse=True)
def _kept_test_database_left_whole(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test database kept for the next run (`--reuse-db`) is left with the migrations' data.

    The next run serializes the kept database as it finds it, and serialized rollback restores
    that. A transactional test ends by emptying the database (pytest-django runs them last), so
    without this the next run would start from empty tables: no local authorities, no codes.
    Here the data serialized when this run began is put back, as Django puts it back before a
    `serialized_rollback` test.
    """
    if not request.config.getvalue("reuse_db"):
        yield  # the test database is dropped at the end
        return
    request.getfixturevalue("django_db_setup")
    django_db_blocker = request.getfixturevalue("django_db_blocker")
    yield
    from django.db import connections, transaction

    with django_db_blocker.unblock():
        for alias in connections:
            contents = getattr(connections[alias], "_test_serialized_contents", None)
            if contents:
                with transaction.atomic(using=alias):
                    connections[alias].creation.deserialize_db_from_string(contents)


@contextmanager
def built_once(request: pytest.FixtureRequest) -> Iterator[None]:
    """For a module- or class-scoped fixture whose data its tests read: what it makes inside this
    is made once, in a transaction rolled back after the module's (or class's) last test, and
    each test runs in a savepoint of its own inside that transaction (pytest-django's `db`), so
    what one test writes the next does not see. A test there that needs an empty database would
    see the data: such tests belong outside the class or module. Factories draw from a seed made
    of the module's (or class's) id."""
    from django.db import transaction

    request.getfixturevalue("django_db_setup")
    django_db_blocker = request.getfixturevalue("django_db_blocker")
    seed_fakes(seed_for(request.node.nodeid))
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@dataclass
class World:
    officer_a: User
    manager_a: User
    officer_b: User
    provider_x: User
    provider_z: User
    school_y: User
    social_worker: User
    virtual_school_head_a: User
    qa_lead_a: User
    panel_member: User
    analyst: User
    finance_a: User  # Dorset's LA finance officer
    child_a: Child  # Dorset child, placed with provider X, pupil of school Y, on social worker's caseload
    child_a2: Child  # Dorset child, looked after by Dorset, no placement
    child_b: Child  # Hackney child, placed with provider Z

    def personas(self) -> dict[str, User]:
        return {name: value for name, value in vars(self).items() if isinstance(value, User)}


@pytest.fixture(autouse=True)
def _caches_emptied():
    """Django's caches outlive a test's database transaction: start each test with them empty."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


# The personas' names: distinct, and not part of any word a page shows ("Ali" is in "Quality").
PERSONA_NAMES: dict[str, tuple[str, str]] = {
    "officer_a": ("Harriet", "Pemberton"),
    "manager_a": ("Desmond", "Achterberg"),
    "officer_b": ("Priya", "Raghunathan"),
    "provider_x": ("Callum", "Fairweather"),
    "provider_z": ("Bronwen", "Llewellyn"),
    "school_y": ("Nikhil", "Varadkar"),
    "social_worker": ("Folake", "Adeyemi"),
    "vsh_a": ("Margot", "Castellane"),
    "qa_lead_a": ("Tobias", "Wrenfield"),
    "panel_member": ("Saoirse", "Kavanagh"),
    "analyst": ("Eamon", "Birchall"),
    "finance_a": ("Perpetua", "Okonkwo-Hale"),
}


@pytest.fixture
def world(db: object) -> World:
    return build_world()


def build_world() -> World:
    """The personas and their children, made in the test database (for a fixture wider than
    one test: a module's data built once)."""
    dorset, hackney = la("838"), la("204")
    la_a = OrganisationFactory(
        name="Dorset Council", kind="LOCAL_AUTHORITY", local_authority=dorset
    )
    la_b = OrganisationFactory(
        name="Hackney Council", kind="LOCAL_AUTHORITY", local_authority=hackney
    )
    provider_x = OrganisationFactory(name="Provider X", kind="PROVIDER", local_authority=dorset)
    provider_z = OrganisationFactory(name="Provider Z", kind="PROVIDER", local_authority=hackney)
    school = EstablishmentFactory(name="School Y", local_authority=dorset)
    school_y = OrganisationFactory(
        name="School Y", kind="SCHOOL", establishment=school, local_authority=dorset
    )
    social_care = OrganisationFactory(
        name="Dorset Children's Services",
        kind="AGENCY",
        agency_type="SOCIAL_CARE",
        local_authority=dorset,
    )
    virtual_school = OrganisationFactory(
        name="Dorset Virtual School",
        kind="AGENCY",
        agency_type="VIRTUAL_SCHOOL",
        local_authority=dorset,
    )
    region = OrganisationFactory(name="DfE analysts", kind="REGIONAL", region="SOUTH_WEST")

    def user(username: str, org: Organisation, role: Role) -> User:
        first_name, last_name = PERSONA_NAMES[username]
        return UserFactory(
            username=username,
            organisation=org,
            role=role,
            first_name=first_name,
            last_name=last_name,
        )

    social_worker = user("social_worker", social_care, Role.SOCIAL_WORKER)
    child_a = ChildFactory(
        legal_first_name="Ottilie",
        legal_last_name="Marchbank",
        home_la=dorset,
        home_school=school,
        social_worker=social_worker,
    )
    child_a2 = ChildFactory(
        legal_first_name="Jasper",
        legal_last_name="Pendlebury",
        home_la=dorset,
        looked_after=True,
        responsible_la=dorset,
    )
    child_b = ChildFactory(
        legal_first_name="Imogen", legal_last_name="Thistlewood", home_la=hackney
    )
    PlacementFactory(child=child_a, provider=provider_x, commissioning_la=dorset)
    PlacementFactory(child=child_b, provider=provider_z, commissioning_la=hackney)
    return World(
        officer_a=user("officer_a", la_a, Role.LA_OFFICER),
        manager_a=user("manager_a", la_a, Role.LA_MANAGER),
        officer_b=user("officer_b", la_b, Role.LA_OFFICER),
        provider_x=user("provider_x", provider_x, Role.PROVIDER_STAFF),
        provider_z=user("provider_z", provider_z, Role.PROVIDER_STAFF),
        school_y=user("school_y", school_y, Role.SCHOOL_STAFF),
        social_worker=social_worker,
        virtual_school_head_a=user("vsh_a", virtual_school, Role.VIRTUAL_SCHOOL_HEAD),
        qa_lead_a=user("qa_lead_a", la_a, Role.QA_LEAD),
        panel_member=user("panel_member", social_care, Role.PANEL_MEMBER),
        analyst=user("analyst", region, Role.ANALYST),
        finance_a=user("finance_a", la_a, Role.LA_FINANCE),
        child_a=child_a,
        child_a2=child_a2,
        child_b=child_b,
    )


# Which of the world's children each persona may see: the access rules, as a table.
EXPECTED_VISIBLE: dict[str, set[str]] = {
    "officer_a": {"child_a", "child_a2"},
    "manager_a": {"child_a", "child_a2"},
    "officer_b": {"child_b"},
    "provider_x": {"child_a"},
    "provider_z": {"child_b"},
    "school_y": {"child_a"},
    "social_worker": {"child_a"},
    "virtual_school_head_a": {"child_a2"},
    "qa_lead_a": set(),
    "panel_member": set(),
    "analyst": set(),
    "finance_a": set(),
}
