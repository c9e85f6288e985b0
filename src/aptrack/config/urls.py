from django.contrib import admin
from django.urls import include, path

from aptrack.api.api import api
from aptrack.core import views as core_views
from aptrack.ops import views as ops_views

urlpatterns = [
    path("", include("aptrack.core.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", ops_views.readyz, name="readyz"),
    path("accounts/", include("aptrack.accounts.urls")),
    path("children/", include("aptrack.children.urls")),
    path("attendance/", include("aptrack.attendance.urls")),
    path("providers/", include("aptrack.providers.urls")),
    path("referrals/", include("aptrack.referrals.urls")),
    path("panels/", include("aptrack.panels.urls")),
    path("placements/", include("aptrack.placements.urls")),
    path("returns/", include("aptrack.returns.urls")),
    path("invoices/", include("aptrack.commissioning.urls")),
    path("quality/", include("aptrack.quality.urls")),
    path("alerts/", include("aptrack.alerts.urls")),
    path("documents/", include("aptrack.documents.urls")),
    path("notifications/", include("aptrack.notifications.urls")),
    path("outcomes/", include("aptrack.outcomes.urls")),
    path("oversight/", include("aptrack.oversight.urls")),
    path("improvement/", include("aptrack.improvement.urls")),
    path("census/", include("aptrack.census.urls")),
    path("sufficiency/", include("aptrack.sufficiency.urls")),
    path("notices/", include("aptrack.notices.urls")),
    path("reports/", include("aptrack.reports.urls")),
    path("data-protection/", include("aptrack.dataprotection.urls")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]

handler404 = "aptrack.core.views.page_not_found"
handler403 = "aptrack.core.views.permission_denied"
handler500 = "aptrack.core.views.server_error"
