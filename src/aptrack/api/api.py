"""The JSON API at /api/v1/: token-authenticated, scoped exactly like the pages."""

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.security import HttpBearer

from aptrack.accounts import services as account_services
from aptrack.api import attendance, children, placements, referrals, reports


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = account_services.authenticate_api_token(token=token, at=timezone.now())
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="aptrack API",
    version="1",
    description="Alternative provision: children, placements and attendance for LA, provider and school systems. "
    "Send `Authorization: Bearer <token>`; tokens are issued per organisation with `aptrack create-api-token`.",
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
)
api.add_router("/children", children.router)
api.add_router("/attendance", attendance.router)
api.add_router("/referrals", referrals.router)
api.add_router("/placements", placements.router)
api.add_router("/reports", reports.reports_router)
api.add_router("/incidents", reports.incidents_router)


def _size(octets: int) -> str:
    if octets >= 1024 * 1024:
        return f"{octets / (1024 * 1024):.1f} MB"
    return f"{octets / 1024:.0f} KB"


def _body_too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return api.create_response(
        request,
        {
            "detail": f"The request body is over the {_size(limit)} limit: send smaller batches, "
            "or upload a file"
        },
        status=413,
    )


api.add_exception_handler(RequestDataTooBig, _body_too_big)
