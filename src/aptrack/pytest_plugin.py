"""The test run's own switches, loaded before Django's settings (`-p aptrack.pytest_plugin` in
pyproject.toml's pytest addopts).

- APTRACK_TESTING=1 is settings.py's explicit switch for a test run: a development SECRET_KEY,
  a fast password hasher, tasks run as they are enqueued, static files served by name, no
  dashboard snapshots.
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
