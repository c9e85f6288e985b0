from django.contrib import admin

from aptrack.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail cannot be changed through the app."""

    list_display = ("at", "actor_label", "action", "channel", "object_type", "object_id", "where")
    list_filter = ("action", "channel", "object_type")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
