"""A request id for every request, on every log line it causes, and one log line per request."""

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from aptrack.ops.logs import request_id, request_id_from

logger = logging.getLogger("aptrack.requests")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = request_id_from(request.headers.get("X-Request-ID"))
        token = request_id.set(rid)
        request.request_id = rid  # type: ignore[attr-defined]  # Django's request takes attributes
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            user = getattr(request, "user", None)
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
            return response
        finally:
            request_id.reset(token)
