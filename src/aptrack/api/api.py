"""The JSON API at /api/v1/: token-authenticated, scoped exactly like the pages."""

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.security import HttpBearer

from aptrack.accounts import services as account_services
from aptrack.api import (
    attendance,
    children,
    errors,
    invoices,
    notices,
    placements,
    referrals,
    reports,
)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = account_services.authenticate_api_token(token=token, at=timezone.now())
        if user is not None:
            request.user = user
        return user


_DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
# What every operation may answer besides what it declares: a missing or unknown token (401),
# input the declared types refuse (422, django-ninja's list of problems) and a body over the
# upload limit (413, `_body_too_big`).
COMMON_RESPONSES: dict[int, dict[str, Any]] = {
    401: {
        "description": "No token, or a token that is unknown, revoked or expired",
        "schema": _DETAIL,
    },
    413: {"description": "The request body is over the upload limit", "schema": _DETAIL},
    422: {
        "description": "A parameter or body field is not of the type the schema says",
        "schema": {
            "type": "object",
            "properties": {"detail": {"type": "array", "items": {"type": "object"}}},
            "required": ["detail"],
        },
    },
}


def _may_answer(status: int, operation: dict[str, Any]) -> bool:
    if status == 401:
        return bool(operation.get("security"))
    if status == 413:
        return "requestBody" in operation
    return bool(operation.get("parameters")) or "requestBody" in operation


class Api(NinjaAPI):
    """The API, whose OpenAPI schema documents the answers every operation may give."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, answer in COMMON_RESPONSES.items():
                    if not _may_answer(status, operation):
                        continue
                    responses.setdefault(
                        status,
                        {
                            "description": answer["description"],
                            "content": {"application/json": {"schema": answer["schema"]}},
                        },
                    )
        return schema


api = Api(
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
api.add_router("/notices", notices.router)
api.add_router("/invoices", invoices.router)
api.add_router("/reports", reports.reports_router)
api.add_router("/incidents", reports.incidents_router)
errors.register(api)


def _size(octets: int) -> str:
    if octets >= 1024 * 1024:
        return f"{octets / (1024 * 1024):.1f} MB"
    return f"{octets / 1024:.0f} KB"


def _body_too_big(
    request: HttpRequest, exc: RequestDataTooBig | type[RequestDataTooBig]
) -> HttpResponse:
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
