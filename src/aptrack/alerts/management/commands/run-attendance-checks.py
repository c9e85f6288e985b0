"""Run the same-day attendance checks now, or for a given moment, or keep them scheduled."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from aptrack.alerts import policy, services, tasks
from aptrack.audit.models import Channel

BAD_AT = (
    '--at must be a date and time like "2026-11-23 10:00" (Europe/London, or with an offset '
    'such as "2026-11-23T10:00+00:00"): {value!r} is not one'
)
ONE_MOMENT = "--last-school-day runs the checks of a past day: give it without --at or --schedule"


def parse_at(value: str) -> dt.datetime:
    """A moment from the command line; without an offset it is Europe/London wall time."""
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(BAD_AT.format(value=value)) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_current_timezone())
    return moment


class Command(BaseCommand):
    help = (
        "Raise attendance alerts due at a moment: whereabouts unknown for sessions past their "
        "cut-off (default 10:00 AM, 14:00 PM), consecutive absence, persistent and severe "
        "absence, and escalation of alerts about looked-after children or children on a child "
        "protection plan. Running it again for the same moment raises nothing new. With "
        "--schedule, enqueue the background task that keeps running the checks at each cut-off."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--at",
            help='The moment to check, e.g. "2026-11-23 10:00" (Europe/London; default now)',
        )
        parser.add_argument(
            "--last-school-day",
            action="store_true",
            help="Run every check due over the last school day before today, each at its time "
            "(for a register kept up to yesterday, as `generate` leaves the demo)",
        )
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Enqueue the scheduled checks (database task backend and `aptrack db_worker`) "
            "instead of running them here",
        )

    def handle(
        self, *args: Any, at: str | None, schedule: bool, last_school_day: bool, **options: Any
    ) -> None:
        if last_school_day and (at is not None or schedule):
            raise CommandError(ONE_MOMENT)
        moment = parse_at(at) if at is not None else timezone.now()
        if schedule:
            self._schedule(moment)
            return
        if last_school_day:
            report = services.run_last_school_days_checks(
                today=timezone.localdate(), channel=Channel.COMMAND
            )
        else:
            report = services.run_attendance_checks(at=moment, channel=Channel.COMMAND)
        for line in report.lines():
            self.stdout.write(line)

    def _schedule(self, after: dt.datetime) -> None:
        try:
            when = tasks.schedule_next_run(after=after)
        except tasks.SchedulingUnsupported as error:
            raise CommandError(str(error)) from None
        if when is None:
            waiting = tasks.scheduled_run()
            self.stdout.write(f"The checks are already scheduled: next run {_local(waiting)}")
            return
        times = ", ".join(
            f"{moment:%H:%M}"
            for moment in policy.check_times_on(
                timezone.localdate(), timezone.get_current_timezone()
            )
        )
        self.stdout.write(
            f"Scheduled the attendance checks: first run {_local(when)}, then daily at {times}"
        )


def _local(moment: dt.datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M %Z}" if moment else "not known"
