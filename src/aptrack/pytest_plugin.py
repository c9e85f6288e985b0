"""The test run's own switches, loaded before Django's settings (`-p aptrack.pytest_plugin` in
pyproject.toml's pytest addopts).

- APTRACK_TESTING=1 is settings.py's explicit switch for a test run: a development SECRET_KEY,
  a fast password hasher, tasks run as they are enqueued, static files served by name, no
  dashboard snapshots.
- Across workers (pytest-xdist, `--dist loadgroup` as scripts/run-tests.sh runs it): tests are
  handed out one by one, except that the tests of a module sharing a fixture wider than one test
  and defined for it (the browser, the LA-scale authority, collected static files) go to one
  worker together, so it is built once. Handed out in collection order, each worker's
  transactional tests (pytest-django sorts them last) come after its other tests: they end by
  emptying the database, which serialized rollback refills only for the next such test.
- The run's seed, APTRACK_TEST_SEED (0 unless set), is printed in the header. Each test draws its
  Faker and factory_boy values from a seed made of the run's seed and the test's node id (the
  autouse fixture in aptrack/conftest.py), so a test gets the same names whether it runs alone
  or in the suite, and a failure reproduces with the same APTRACK_TEST_SEED.
"""

import hashlib
import os

import pytest

SEED_VARIABLE = "APTRACK_TEST_SEED"


def run_seed() -> int:
    value = os.environ.get(SEED_VARIABLE, "").strip() or "0"
    try:
        return int(value)
    except ValueError:
        raise pytest.UsageError(f"{SEED_VARIABLE} must be a whole number, not {value!r}") from None


def seed_for(nodeid: str) -> int:
    """The seed for one test: the same for the same run seed and node id, on every machine."""
    digest = hashlib.sha256(f"{run_seed()}:{nodeid}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests() -> None:
    # Before pytest-django imports the settings.
    os.environ["APTRACK_TESTING"] = "1"
    run_seed()


def pytest_report_header() -> str:
    return f"aptrack test seed: {run_seed()} (vary it with {SEED_VARIABLE}=<number>)"


def _shares_a_fixture(item: pytest.Item) -> bool:
    """Whether the test uses a fixture that outlives it and belongs to its module: one with a
    module or class scope, or any wider one defined in the test file itself."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    for definitions in info.name2fixturedefs.values():
        for definition in definitions:
            if not definition.baseid:
                continue  # a plugin's (pytest-django's class-scoped set-up is on every test)
            if definition.scope in {"module", "class", "package"}:
                return True
            if definition.scope == "session" and definition.baseid.endswith(".py"):
                return True
    return False


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    option = config.option
    if not (getattr(option, "loadgroup", False) or getattr(option, "dist", "no") == "loadgroup"):
        return
    for item in items:
        if _shares_a_fixture(item) and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(name=item.nodeid.split("::")[0]))


def test_id(item: pytest.Item) -> str:
    """The test's node id as a run without workers has it (loadgroup appends "@<group>")."""
    if item.get_closest_marker("xdist_group") and "@" in item.nodeid:
        return item.nodeid.rsplit("@", 1)[0]
    return item.nodeid
