"""`aptrack run-attendance-checks` and the background task run the same checks; the task
keeps itself scheduled on the database backend."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from aptrack.alerts import policy, tasks
from aptrack.alerts.models import Alert
from aptrack.alerts.tests.conftest import LONDON, MONDAY, at

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("run-attendance-checks", *args, stdout=out)
    return out.getvalue()


def test_the_command_checks_the_moment_given(world):
    output = run("--at", "2026-11-23 10:00")
    assert "Attendance checks at 2026-11-23 10:00 (GMT): sessions due AM" in output
    assert "Raised 2 alerts: 2 whereabouts unknown, 0 consecutive absent sessions" in output
    assert "Escalated 0 alerts" in output
    assert Alert.objects.filter(child=world.child_a, session_date=MONDAY).exists()
    assert "Raised 0 alerts" in run("--at", "2026-11-23 10:00")


def test_the_command_defaults_to_now_in_london(world):
    with time_machine.travel(at(MONDAY, "10:05"), tick=False):
        output = run()
    assert "2026-11-23 10:05 (GMT)" in output
    assert Alert.objects.count() == 2


@pytest.mark.parametrize("bad", ["tomorrow", "2026-13-01 10:00", "23/11/2026 10:00", ""])
def test_a_bad_moment_is_refused_clearly(world, bad):
    with pytest.raises(CommandError, match="--at must be a date and time like"):
        run("--at", bad)
    assert not Alert.objects.exists()


def test_the_task_runs_the_same_checks(world):
    result = tasks.run_attendance_checks.enqueue(at=at(MONDAY, "10:00").isoformat())
    assert result.return_value["raised"]["WHEREABOUTS_UNKNOWN"] == 2
    assert Alert.objects.filter(child=world.child_a, session="AM").exists()
    again = tasks.run_attendance_checks.enqueue(at=at(MONDAY, "10:00").isoformat())
    assert again.return_value["raised"]["WHEREABOUTS_UNKNOWN"] == 0


def test_scheduling_needs_a_backend_that_can_wait(world):
    with pytest.raises(CommandError, match="TASKS_BACKEND"):
        run("--schedule")


def test_check_moments_are_the_cut_offs_and_the_escalations(settings):
    assert [f"{m:%H:%M}" for m in policy.check_times_on(MONDAY, LONDON)] == [
        "10:00",
        "11:00",
        "14:00",
        "15:00",
    ]
    assert policy.next_check_at(at(MONDAY, "10:00"), LONDON) == at(MONDAY, "11:00")
    assert policy.next_check_at(at(MONDAY, "15:00"), LONDON) == at(
        MONDAY + dt.timedelta(days=1), "10:00"
    )
    settings.APTRACK_ALERT_CUTOFFS = {"AM": "09:30"}
    assert policy.next_check_at(at(MONDAY, "08:00"), LONDON) == at(MONDAY, "09:30")


@override_settings(TASKS=DATABASE_TASKS)
def test_schedule_enqueues_one_chain_that_keeps_itself_going(world):
    with time_machine.travel(at(MONDAY, "09:00"), tick=False):
        output = run("--schedule")
        assert "first run 2026-11-23 10:00 GMT" in output
        assert "already scheduled: next run 2026-11-23 10:00 GMT" in run("--schedule")
    waiting = DBTaskResult.objects.get()
    assert waiting.run_after == at(MONDAY, "10:00")
    assert waiting.task_path == "aptrack.alerts.tasks.run_attendance_checks"

    # What the worker does at 10:00: run the task, which checks and enqueues the next run.
    with time_machine.travel(at(MONDAY, "10:00:02"), tick=False):
        DBTaskResult.objects.filter(pk=waiting.pk).update(status="SUCCESSFUL")
        result = tasks.run_attendance_checks.call(**waiting.args_kwargs["kwargs"])
    assert result["raised"]["WHEREABOUTS_UNKNOWN"] == 2
    assert result["next_run"] == at(MONDAY, "11:00").isoformat()
    assert DBTaskResult.objects.filter(status="READY").get().run_after == at(MONDAY, "11:00")
    assert Alert.objects.get(child=world.child_a).raised_at == at(MONDAY, "10:00")


def test_the_last_school_days_checks_run_each_at_its_time_once(world):
    """The demo's register is kept up to yesterday: the checks of the last school day catch up."""
    with time_machine.travel(at(MONDAY + dt.timedelta(days=1), "07:00"), tick=False):
        output = run("--last-school-day")
        assert "Attendance checks at 2026-11-23 15:00 (GMT): sessions due AM and PM" in output
        raised = Alert.objects.filter(session_date=MONDAY)
        assert set(raised.values_list("session", flat=True)) == {"AM", "PM"}
        assert f"Raised {raised.count()} alerts" in output
        assert {a.raised_at for a in raised} == {at(MONDAY, "10:00"), at(MONDAY, "14:00")}
        assert "Raised 0 alerts" in run("--last-school-day")
    assert Alert.objects.count() == raised.count()


def test_the_last_school_day_before_a_monday_is_the_friday(world):
    with time_machine.travel(at(MONDAY, "07:00"), tick=False):
        assert "Attendance checks at 2026-11-20 15:00 (GMT)" in run("--last-school-day")


def test_the_last_school_day_takes_no_other_moment(world):
    with pytest.raises(CommandError, match="without --at or --schedule"):
        run("--last-school-day", "--at", "2026-11-23 10:00")
