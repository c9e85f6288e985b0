"""`aptrack db_worker`: django-tasks-db's worker, with a heartbeat that `/readyz` reads."""

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from aptrack.ops import heartbeat


class Command(DatabaseWorkerCommand):
    help = "Run the background task worker (and record that it is alive for /readyz)"

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("batch"):
            return super().handle(*args, **options)
        worker_id = options["worker_id"]
        stopped = heartbeat.start(worker_id=worker_id)
        try:
            return super().handle(*args, **options)
        finally:
            stopped.set()
            heartbeat.stop(worker_id=worker_id)
