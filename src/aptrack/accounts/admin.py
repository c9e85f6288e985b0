from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from aptrack.accounts.models import ApiToken, User


@admin.register(User)
class AptrackUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "organisation", "role", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Organisation and role", {"fields": ("organisation", "role", "job_title")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "user", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("digest", "prefix", "created_at", "last_used_at")
