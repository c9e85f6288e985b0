"""The sufficiency page: where an LA is short of places and how long children wait. Aggregates
only: no child is named, so it records no read of a child."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from aptrack.sufficiency import charts, selectors
from aptrack.sufficiency.permissions import sufficiency_la


@login_required
def page(request: HttpRequest) -> HttpResponse:
    la = sufficiency_la(request.user)
    if la is None:
        raise PermissionDenied
    today = timezone.localdate()
    result = selectors.get_sufficiency(la_id=la.pk, on=today)
    context: dict[str, Any] = {
        "la": la,
        "today": today,
        "result": result,
        "dimensions": selectors.DIMENSIONS,
        "charts": charts.page_charts(result),
    }
    return TemplateResponse(request, "sufficiency/page.html", context)
