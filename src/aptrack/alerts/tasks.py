"""The attendance checks as a background task (Django's task framework through django-tasks;
`aptrack db_worker` runs the database queue).

`run_attendance_checks` runs the checks due at its moment. Enqueued with `keep_scheduled`, it
enqueues its own next run for the next moment the checks are due (each cut-off, and each
cut-off plus the escalation interval), so one `aptrack run-attendance-checks --schedule` keeps
them running. A run that starts late still checks at the moment it was due, then schedules the
next moment after now, so a stopped worker does not replay every missed moment.
"""

import datetime as dt
import logging
from typing import Any

from django.utils import timezone
from django_tasks import task

from aptrack.alerts import policy, services
from aptrack.audit.models import Channel

logger = logging.getLogger(__name__)


class SchedulingUnsupported(Exception):
    pass


SCHEDULING_UNSUPPORTED = (
    "The task backend runs tasks at once and cannot schedule them: set TASKS_BACKEND to "
    "django_tasks_db.DatabaseBackend and run `aptrack db_worker`"
)


@task()
def run_attendance_checks(at: str | None = None, keep_scheduled: bool = False) -> dict[str, Any]:
    """Run the checks due at `at` (ISO 8601; default now); with `keep_scheduled`, enqueue the
    next run. Returns the counts raised and escalated."""
    now = timezone.now()
    moment = dt.datetime.fromisoformat(at) if at else now
    report = services.run_attendance_checks(at=moment, channel=Channel.COMMAND)
    result = report.as_dict()
    if keep_scheduled:
        try:
            next_run = schedule_next_run(after=max(moment, now))
        except SchedulingUnsupported:
            logger.warning(SCHEDULING_UNSUPPORTED)
        else:
            result["next_run"] = next_run.isoformat() if next_run else None
    return result


def scheduled_run() -> dt.datetime | None:
    """When the next scheduled run waits to start, if one does (database backend only)."""
    backend = run_attendance_checks.get_backend()
    if not backend.supports_get_result:
        return None
    from django_tasks.base import TaskResultStatus  # noqa: PLC0415
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415 - only with this backend

    waiting = (
        DBTaskResult.objects.filter(
            task_path=run_attendance_checks.module_path,
            status=TaskResultStatus.READY,
            backend_name=backend.alias,
        )
        .order_by("run_after")
        .values_list("run_after", flat=True)
        .first()
    )
    return waiting


def schedule_next_run(*, after: dt.datetime) -> dt.datetime | None:
    """Enqueue the checks for the first moment they are due after `after`, unless a run is
    already waiting (one chain of runs, however often this is called). Returns the moment
    enqueued, or None when a run was already waiting."""
    backend = run_attendance_checks.get_backend()
    if not backend.supports_defer:
        raise SchedulingUnsupported(SCHEDULING_UNSUPPORTED)
    if scheduled_run() is not None:
        return None
    when = policy.next_check_at(after, timezone.get_current_timezone())
    run_attendance_checks.using(run_after=when).enqueue(at=when.isoformat(), keep_scheduled=True)
    return when
