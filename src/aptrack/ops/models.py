from django.db import models


class WorkerHeartbeat(models.Model):
    """A task worker's last sign of life: `aptrack db_worker` writes it every few seconds, and
    `/readyz` is ready only while one is recent (django-tasks-db records nothing for an idle
    worker)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} on {self.host} (pid {self.pid})"
