from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from aptrack.ops.readiness import problems


@require_GET
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when ready for traffic; 503 with the reasons when not (see readiness.py)."""
    found = problems()
    if found:
        return JsonResponse({"status": "unavailable", "reasons": found}, status=503)
    return JsonResponse({"status": "ok"})
