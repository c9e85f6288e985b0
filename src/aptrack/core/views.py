"""Service-wide pages: the signed-in home, health check and error pages."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from aptrack.core.navigation import home_panels


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request,
        "core/home.html",
        {"home_panels": home_panels(request.user)},
    )


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with the database's status when it answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy
        return JsonResponse(
            {"status": "error", "database": "unavailable", "detail": type(error).__name__},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": {"status": "ok", "vendor": connection.vendor}})


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return TemplateResponse(request, "core/404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return TemplateResponse(request, "core/403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "core/500.html", status=500).render()
