"""The JSON API at /api/v1/: token-authenticated, scoped exactly like the pages."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.security import HttpBearer

from aptrack.accounts import services as account_services
from aptrack.api import attendance, children, placements, referrals


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
