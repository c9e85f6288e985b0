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

import functools
import hashlib
import os
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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


# --- Test databases across workers: migrated once, copied for each ----------------------------
#
# Each pytest-xdist worker has its own test database (pytest-django names PostgreSQL's
# test_<name>_gw0, test_<name>_gw1, ...; SQLite's is in memory). Migrating each would cost every
# worker the same CPU seconds, so, as Django's own parallel test runner does, one is migrated
# and the others are copies: on PostgreSQL a template database, test_<name>_template, that each
# worker's is made from (CREATE DATABASE ... TEMPLATE); on SQLite the first worker's migrated
# database, written to a file in the run's temporary directory, which the others load into
# memory (SQLite's backup API). A file lock there makes the others wait for the first.
# With --reuse-db a worker's kept PostgreSQL database is used as before (migrate brings it up to
# date), a missing one is copied from the template, itself kept and brought up to date; with
# --create-db the template is made afresh, and without --reuse-db it is dropped at the end.

TEMPLATE_SUFFIX = "_template"


@contextmanager
def copied_test_databases(shared_dir: Path) -> Iterator[None]:
    """While pytest-django sets up this worker's test databases (`django_db_setup`), each is a
    copy of one migrated once for the run; `shared_dir` is the run's, shared by its workers."""
    from django.db import connections

    patched = []
    for alias in connections:
        creation = connections[alias].creation
        creation.create_test_db = functools.partial(  # type: ignore[method-assign]
            _copied_test_db, creation.connection, creation.create_test_db, shared_dir
        )
        patched.append(creation)
    try:
        yield
    finally:
        for creation in patched:
            del creation.create_test_db  # the class's again


def _copied_test_db(
    connection: Any,
    create_test_db: Callable[..., str],
    shared_dir: Path,
    verbosity: int = 1,
    autoclobber: bool = False,
    serialize: bool = True,
    keepdb: bool = False,
) -> str:
    """`create_test_db` for one worker, Django's signature: the database made as a copy."""
    name = connection.creation._get_test_db_name()
    options = {"verbosity": verbosity, "autoclobber": autoclobber, "keepdb": keepdb}
    if connection.vendor == "postgresql" and not (keepdb and _postgresql_has(connection, name)):
        _copy_postgresql(connection, create_test_db, shared_dir, name, **options)
    elif connection.vendor == "sqlite" and connection.creation.is_in_memory_db(name):
        _copy_sqlite(connection, create_test_db, shared_dir, name, **options)
    else:
        return create_test_db(serialize=serialize, **options)
    if serialize:
        connection._test_serialized_contents = connection.creation.serialize_db_to_string()
    connection.ensure_connection()
    return name


def _locked(path: Path) -> Any:
    """An exclusive lock on `path` (made if missing) while the returned file is open."""
    import fcntl

    handle = open(path, "a")  # noqa: SIM115
    fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed
    return handle


def _point_at(connection: Any, name: str) -> None:
    from django.conf import settings

    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name


def template_name(settings_dict: dict[str, Any]) -> str:
    """The PostgreSQL template of a run's test databases (test_<name>_template)."""
    name = settings_dict["TEST"].get("NAME") or f"test_{settings_dict['NAME']}"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return (name.removesuffix(f"_{worker}") if worker else name) + TEMPLATE_SUFFIX


def _postgresql_has(connection: Any, name: str) -> bool:
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _copy_postgresql(
    connection: Any,
    create_test_db: Callable[..., str],
    shared_dir: Path,
    name: str,
    *,
    verbosity: int,
    autoclobber: bool,
    keepdb: bool,
) -> None:
    template = template_name(connection.settings_dict)
    quote = connection.ops.quote_name
    with _locked(shared_dir / f"{template}.lock"):
        made = shared_dir / f"{template}.made"  # by this run
        if not made.exists() or not _postgresql_has(connection, template):
            test_settings = connection.settings_dict["TEST"]
            original_name, original_test_name = (
                connection.settings_dict["NAME"],
                test_settings["NAME"],
            )
            test_settings["NAME"] = template
            try:
                create_test_db(
                    verbosity=verbosity, autoclobber=True, serialize=False, keepdb=keepdb
                )
            finally:
                test_settings["NAME"] = original_test_name
                _point_at(connection, original_name)  # no connection to a template it copies
            made.touch()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
            cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(template)}")
    _point_at(connection, name)


def _copy_sqlite(
    connection: Any,
    create_test_db: Callable[..., str],
    shared_dir: Path,
    name: str,
    *,
    verbosity: int,
    autoclobber: bool,
    keepdb: bool,
) -> None:
    """This worker's in-memory database: a copy of the first worker's, which it migrated."""
    import sqlite3

    migrated = shared_dir / f"test-{connection.alias}.sqlite3"
    with _locked(shared_dir / f"test-{connection.alias}.lock"):
        if not migrated.exists():
            create_test_db(
                verbosity=verbosity, autoclobber=autoclobber, serialize=False, keepdb=keepdb
            )
            partial = shared_dir / f"test-{connection.alias}.partial"
            target = sqlite3.connect(partial)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
            partial.replace(migrated)
            return
    _point_at(connection, name)
    connection.ensure_connection()
    source = sqlite3.connect(f"file:{migrated}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """Without --reuse-db, the controller of a run across workers drops the PostgreSQL template
    its workers copied, once they have all finished."""
    config = session.config
    if hasattr(config, "workerinput") or not config.pluginmanager.has_plugin("dsession"):
        return
    if config.getvalue("reuse_db") or not hasattr(config, "_tmp_path_factory"):
        return
    shared_dir = config._tmp_path_factory.getbasetemp()
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    with config.stash[blocking_manager_key].unblock():
        for alias in connections:
            connection = connections[alias]
            template = template_name(connection.settings_dict)
            if connection.vendor == "postgresql" and (shared_dir / f"{template}.made").exists():
                with connection._nodb_cursor() as cursor:
                    cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(template)}")
