"""Stateless web and worker processes: two gunicorn instances and two task workers
(`aptrack db_worker`) against one PostgreSQL database. A session made on one instance is valid
on the other; tasks enqueued once run once, whichever worker claims them (the database backend
claims with SELECT ... FOR UPDATE SKIP LOCKED); attendance checks run at the same moment by
both workers raise each alert once (the alerts' unique constraints). What this measured is in
deploy/README.md, "Scaling"."""

import datetime as dt
import re
import subprocess
import sys
import time
from collections import Counter
from contextlib import ExitStack

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus

from aptrack.accounts.tests.factories import PASSWORD
from aptrack.alerts import tasks as alert_tasks
from aptrack.alerts.models import Alert
from aptrack.alerts.states import AlertKind
from aptrack.ops.production_server import (
    HOST,
    PROJECT_DIR,
    Browser,
    free_port,
    gunicorn,
    production_env,
)
from aptrack.ops.tests import scale_tasks
from aptrack.ops.tests.test_production_server import static_root  # noqa: F401

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="production runs on PostgreSQL"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TASKS = 40
CHECK_COPIES = 6  # the same scheduled check, enqueued as if by several schedulers
MONDAY_10AM = "2026-11-23T10:00:00+00:00"  # a school day's check: the world's children unmarked
FINISH_WITHIN = 45  # seconds


@pytest.fixture
def database_tasks(settings):
    """Tasks enqueued here go to the database queue the workers read."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def _env(tmp_path, *, port: int) -> dict[str, str]:
    """Production settings on the test's database, one gunicorn worker an instance."""
    db = connection.settings_dict
    return production_env(
        database_url=f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or HOST}:{db['PORT'] or 5432}/{db['NAME']}",
        static_root=tmp_path / "static",
        port=port,
        workers=1,
    )


def _worker(env: dict[str, str], name: str, log) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aptrack.manage",
            "db_worker",
            "--no-startup-delay",
            "--interval",
            "0.1",
            "--worker-id",
            name,
        ],
        cwd=PROJECT_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _sign_in(browser: Browser, user) -> None:
    response, page = browser.request("GET", "/accounts/sign-in/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    response, _ = browser.request(
        "POST",
        "/accounts/sign-in/",
        {"csrfmiddlewaretoken": token, "username": user.username, "password": PASSWORD},
    )
    assert response.status == 302, "signed in"


def test_two_web_instances_and_two_workers_share_one_database(
    tmp_path,
    static_root,  # noqa: F811
    world,
    database_tasks,
):
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django_tasks_db.models import DBTaskResult

    user = world.officer_a
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "productionsalt")
    user.save(update_fields=["password"])
    runs = tmp_path / "runs.txt"
    runs.touch()
    with ExitStack() as stack:
        ports = [free_port(), free_port()]
        web = [
            stack.enter_context(gunicorn(_env(tmp_path, port=port), port=port))[0] for port in ports
        ]
        # A session made on instance 1 is valid on instance 2.
        _sign_in(web[0], user)
        web[1].cookies = dict(web[0].cookies)
        response, page = web[1].request("GET", "/children/")
        assert response.status == 200 and world.child_a.legal_last_name.encode() in page

        # Work enqueued before the workers start, so both find a full queue.
        results = [scale_tasks.note_run.enqueue(n, str(runs)) for n in range(TASKS)]
        when = timezone.now() + dt.timedelta(seconds=2)
        results += [
            alert_tasks.run_attendance_checks.using(run_after=when).enqueue(at=MONDAY_10AM)
            for _ in range(CHECK_COPIES)
        ]
        log = stack.enter_context(open(tmp_path / "workers.log", "w+b"))
        env = _env(tmp_path, port=0)
        workers = [_worker(env, f"worker-{n}", log) for n in (1, 2)]
        try:
            deadline = time.monotonic() + FINISH_WITHIN
            ids = [result.id for result in results]
            finished = {TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED}
            while DBTaskResult.objects.filter(pk__in=ids).exclude(status__in=finished).exists():
                assert time.monotonic() < deadline, "the workers did not finish in time"
                time.sleep(0.2)
        finally:
            for process in workers:
                process.terminate()
            for process in workers:
                process.wait(timeout=30)
        log.seek(0)
        output = log.read().decode(errors="replace")

    rows = DBTaskResult.objects.filter(pk__in=ids)
    assert Counter(row.status for row in rows) == {TaskResultStatus.SUCCESSFUL: len(ids)}, output
    assert all(len(row.worker_ids) == 1 for row in rows), "each task was claimed once"
    assert {row.worker_ids[0] for row in rows} == {"worker-1", "worker-2"}, "both workers worked"
    numbers = Counter(int(line.split()[0]) for line in runs.read_text().splitlines())
    assert numbers == Counter(range(TASKS)), "each task ran once"

    alerts = Alert.objects.filter(kind=AlertKind.WHEREABOUTS_UNKNOWN)
    keys = Counter(alerts.values_list("placement_id", "session_date", "session"))
    assert keys and max(keys.values()) == 1, "no alert raised twice"
    assert {a.child_id for a in alerts} == {world.child_a.pk, world.child_b.pk}
