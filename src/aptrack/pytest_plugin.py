"""The test run's own switches, loaded before Django's settings (`-p aptrack.pytest_plugin` in
pyproject.toml's pytest addopts).

- APTRACK_TESTING=1 is settings.py's explicit switch for a test run: a development SECRET_KEY,
  a fast password hasher, tasks run as they are enqueued, static files served by name, no
  dashboard snapshots.
- Across workers (pytest-xdist, `--dist loadgroup` as scripts/run-tests.sh runs it): tests are
  handed out one by one, except that the tests of a module sharing a fixture wider than one test
  and defined for it (the browser, the LA-scale authority, collected static files) go to one
  worker together, so it is built once. Handed out in collection order (pytest-xdist's
  reordering of groups by size is turned off below), each worker's transactional tests
  (pytest-django sorts them last) come after its other tests: they end by emptying the
  database, which serialized rollback refills only for the next such test.
- The run's seed, APTRACK_TEST_SEED (0 unless set), is printed in the header. Each test draws its
  Faker and factory_boy values from a seed made of the run's seed and the test's node id (the
  autouse fixture in aptrack/conftest.py), so a test gets the same names whether it runs alone
  or in the suite, and a failure reproduces with the same APTRACK_TEST_SEED.
"""

import hashlib
import os
from collections.abc import Generator

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


def pytest_configure(config: pytest.Config) -> None:
    if getattr(config.option, "dist", "no") == "loadgroup":
        # pytest-xdist would hand out the biggest groups first, a module of browser tests before
        # a worker's other tests; the flush ending the browser tests would leave those an empty
        # database (no local authorities).
        config.option.loadscopereorder = False


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


def _group(item: pytest.Item) -> str | None:
    """The item's loadgroup group, named as pytest-xdist names it."""
    names = {
        str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
        for mark in item.iter_markers("xdist_group")
    }
    return "_".join(sorted(names)) or None


# Around every other plugin's hook: the groups are marked before pytest-xdist reads them.
@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> Generator[None]:
    option = config.option
    if not (getattr(option, "loadgroup", False) or getattr(option, "dist", "no") == "loadgroup"):
        return (yield)
    for item in items:
        if _shares_a_fixture(item) and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(name=item.nodeid.split("::")[0]))
    result = yield
    if getattr(option, "loadgroup", False):  # a worker: its ids tell the scheduler the groups
        _name_the_groups(items)
    return result


def _name_the_groups(items: list[pytest.Item]) -> None:
    """pytest-xdist's worker tells the scheduler a test's group by renaming it "<id>@<group>".
    From pytest 9.2 node ids are structured and that renaming no longer takes
    (pytest-dev/pytest-xdist#1386): every group was silently handed out test by test, so each
    worker built the module's browser, LA-scale authority and collected static files again.
    Here the renaming is done the structured way where pytest-xdist's did not take; with a
    pytest-xdist that does it, the ids already end with the group and nothing is done."""
    from _pytest.nodeid import NodeId

    for item in items:
        group = _group(item)
        if group is None or item.nodeid.endswith(f"@{group}"):
            continue
        item._id = NodeId.parse(f"{item.nodeid}@{group}")  # type: ignore[attr-defined]
        if not item.nodeid.endswith(f"@{group}"):
            raise pytest.UsageError(f"--dist loadgroup could not group {item.nodeid}")


def test_id(item: pytest.Item) -> str:
    """The test's node id as a run without workers has it (loadgroup appends "@<group>")."""
    if item.get_closest_marker("xdist_group") and "@" in item.nodeid:
        return item.nodeid.rsplit("@", 1)[0]
    return item.nodeid
