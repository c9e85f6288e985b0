"""The audit trail: every change to personal data and every view of a child, append-only.

The app never updates or deletes a row here: the queryset refuses it, the model refuses it,
and on PostgreSQL a trigger refuses it too (migration 0002).
"""

from typing import Any

from django.db import models


class AuditAction(models.TextChoices):
    CREATED = "CREATED", "Created"
    UPDATED = "UPDATED", "Updated"
    DELETED = "DELETED", "Deleted"
    VIEWED = "VIEWED", "Viewed"
    EXPORTED = "EXPORTED", "Exported"
    LOCKED_OUT = "LOCKED_OUT", "Sign-in refused: locked out"


class Channel(models.TextChoices):
    WEB = "WEB", "Web page"
    API = "API", "API"
    COMMAND = "COMMAND", "Command line"


class AuditTrailIsAppendOnly(Exception):
    pass


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: object) -> int:
        raise AuditTrailIsAppendOnly("The audit trail cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditTrailIsAppendOnly("The audit trail cannot be deleted")


class AuditEvent(models.Model):
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, db_constraint=False
    )
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=40)
    object_label = models.CharField(max_length=200, blank=True)
    # The child this event concerns, kept as a bare id so the trail outlives the record.
    child_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    where = models.CharField(max_length=300, blank=True, help_text="Page or endpoint")
    # Nullable so that SQLite adds the column in place: a non-null column would rebuild the
    # table and drop its append-only triggers (migration 0002).
    search_term = models.CharField(  # noqa: DJ001
        max_length=200, null=True, blank=True, help_text="Search that listed the child"
    )
    changes = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["child_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditTrailIsAppendOnly("The audit trail cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AuditTrailIsAppendOnly("The audit trail cannot be deleted")
