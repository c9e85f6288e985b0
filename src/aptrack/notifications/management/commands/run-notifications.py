"""Send the notifications that are due (queued, or waiting to retry); with --digest, send each
person's daily summary; with --schedule, enqueue the digest for the task worker instead."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from aptrack.notifications import digest, services, tasks


class Command(BaseCommand):
    help = (
        "Send notifications that are due, and retry failed ones whose wait is over. With "
        "--digest, also send each person's daily summary: alerts they chose to receive daily, "
        "and for LA staff the reviews overdue, sixth-day and Fair Access deadlines and "
        "compliance evidence expiring. Run --digest once a day (for example from cron at 7:00)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--digest", action="store_true", help="Send the daily summaries")
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="With --digest: keep it scheduled daily at 7:00 in the task worker (database "
            "task backend and `aptrack db_worker`) instead of running it here",
        )

    def handle(self, *args: Any, digest: bool, schedule: bool, **options: Any) -> None:
        now = timezone.now()
        if digest and schedule:
            when = tasks.schedule_digest(after=now)
            if when is None:
                self.stdout.write("Daily summaries already scheduled (or the backend cannot defer)")
            else:
                self.stdout.write(
                    f"Daily summaries scheduled from {timezone.localtime(when):%Y-%m-%d %H:%M}"
                )
            return
        made = run_digest(now) if digest else 0
        tried = services.send_due(at=timezone.now())
        if digest:
            self.stdout.write(f"Daily summaries: {made}")
        self.stdout.write(f"Notifications sent or retried: {tried}")


def run_digest(now: Any) -> int:
    return digest.run_daily_digest(at=now)
