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
            help="With --digest: enqueue it for the task worker instead of running it here",
        )

    def handle(self, *args: Any, digest: bool, schedule: bool, **options: Any) -> None:
        now = timezone.now()
        if digest and schedule:
            tasks.run_digest.enqueue()
            self.stdout.write("Daily summaries enqueued for the task worker")
            return
        made = run_digest(now) if digest else 0
        tried = services.send_due(at=timezone.now())
        if digest:
            self.stdout.write(f"Daily summaries: {made}")
        self.stdout.write(f"Notifications sent or retried: {tried}")


def run_digest(now: Any) -> int:
    return digest.run_daily_digest(at=now)
