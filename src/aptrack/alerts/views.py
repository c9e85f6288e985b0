"""Alert pages: the inbox, one alert, acknowledge and resolve. Load through the scoped
selectors, one service call, render. Out-of-scope alerts are 404, like missing ones."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from aptrack.accounts.requests import AuthenticatedHttpRequest
from aptrack.alerts import permissions, selectors, services
from aptrack.alerts.forms import AcknowledgeForm, AlertFilterForm, ResolveForm
from aptrack.alerts.models import Alert
from aptrack.alerts.states import UNRESOLVED_STATUSES, AlertStatus
from aptrack.audit import reads
from aptrack.audit import services as audit
from aptrack.audit.models import Channel
from aptrack.core.govuk.pagination import pagination_params

PAGE_SIZE = 25
BULK_NONE_SELECTED = "Select at least one open alert to acknowledge"


def _load(request: AuthenticatedHttpRequest, alert_id: int) -> Alert:
    alert = selectors.get_alert(user=request.user, alert_id=alert_id)
    if alert is None:
        raise Http404("No alert found")
    return alert


@login_required
def alert_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_use_alerts(request.user):
        raise PermissionDenied
    data = request.GET.copy()
    data.setdefault("status", selectors.UNRESOLVED)
    form = AlertFilterForm(data)
    filters = selectors.AlertFilters()
    if form.is_valid():
        filters = selectors.AlertFilters(
            status=form.cleaned_data["status"], kind=form.cleaned_data["kind"]
        )
    alerts = selectors.list_alerts(user=request.user, filters=filters)
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    reads.record_reads(request, children=[alert.child_id for alert in page.object_list])
    return TemplateResponse(
        request,
        "alerts/list.html",
        {
            "filter_form": form,
            "page": page,
            "pagination": pagination_params(page, request.GET),
            "urgency_groups": selectors.URGENCY_GROUPS,
            # Every alert listed is in the user's scope: the open ones can be acknowledged here.
            "can_acknowledge": any(alert.status == AlertStatus.OPEN for alert in page.object_list),
            "next": "?" + request.GET.urlencode() if request.GET else "",
        },
    )


@login_required
@require_POST
def alert_bulk_acknowledge(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Acknowledge the alerts ticked in the inbox, then back to the inbox as it was. Ticked ids
    that are not open alerts in the user's scope are ignored (one resolved meanwhile, say)."""
    if not permissions.can_use_alerts(request.user):
        raise PermissionDenied
    wanted = [int(pk) for pk in request.POST.getlist("alert") if pk.isascii() and pk.isdigit()]
    alerts = list(
        selectors.list_alerts(
            user=request.user, filters=selectors.AlertFilters(status=AlertStatus.OPEN)
        ).filter(pk__in=wanted)
    )
    back = request.POST.get("next", "")
    back = back if back.startswith("?") else ""
    if not alerts:
        messages.error(request, BULK_NONE_SELECTED)
        return redirect(reverse("alerts:list") + back)
    try:
        done = services.acknowledge_alerts(
            alerts=alerts,
            actor=request.user,
            at=timezone.now(),
            channel=Channel.WEB,
            where=request.path,
        )
    except (services.AlertMoveNotAllowed, services.AlertNotAllowed) as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"{len(done)} {'alert' if len(done) == 1 else 'alerts'} acknowledged"
        )
    return redirect(reverse("alerts:list") + back)


def _detail(
    request: AuthenticatedHttpRequest,
    alert: Alert,
    *,
    acknowledge_form: Form | None = None,
    resolve_form: Form | None = None,
) -> HttpResponse:
    """The alert page. Showing it shows the child, so it counts as a view of the child."""
    audit.record_view(
        actor=request.user,
        at=timezone.now(),
        channel=Channel.WEB,
        child=alert.child,
        where=request.path,
    )
    acknowledge_form = acknowledge_form or AcknowledgeForm()
    resolve_form = resolve_form or ResolveForm()
    failed = next((f for f in (acknowledge_form, resolve_form) if f.errors), None)
    return TemplateResponse(
        request,
        "alerts/detail.html",
        {
            "alert": alert,
            "child": alert.child,
            "events": selectors.list_events(alert=alert),
            # The layout's error summary reads `form`.
            "form": failed,
            "acknowledge_form": acknowledge_form,
            "resolve_form": resolve_form,
            "can_acknowledge": alert.status == AlertStatus.OPEN,
            "can_resolve": alert.status in UNRESOLVED_STATUSES,
        },
    )


@login_required
def alert_detail(request: AuthenticatedHttpRequest, alert_id: int) -> HttpResponse:
    return _detail(request, _load(request, alert_id))


@login_required
@require_POST
def alert_acknowledge(request: AuthenticatedHttpRequest, alert_id: int) -> HttpResponse:
    alert = _load(request, alert_id)
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            services.acknowledge_alert(
                alert=alert,
                actor=request.user,
                at=timezone.now(),
                channel=Channel.WEB,
                note=form.cleaned_data["acknowledgement_note"],
                where=request.path,
            )
        except (services.AlertMoveNotAllowed, services.AlertNotAllowed) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Alert acknowledged")
            return redirect("alerts:detail", alert_id=alert.pk)
    return _detail(request, alert, acknowledge_form=form)


@login_required
@require_POST
def alert_resolve(request: AuthenticatedHttpRequest, alert_id: int) -> HttpResponse:
    alert = _load(request, alert_id)
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.resolve_alert(
                alert=alert,
                actor=request.user,
                at=timezone.now(),
                channel=Channel.WEB,
                note=form.cleaned_data["resolution_note"],
                where=request.path,
            )
        except services.AlertNoteMissing as error:
            form.add_error("resolution_note", str(error))
        except (services.AlertMoveNotAllowed, services.AlertNotAllowed) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Alert resolved")
            return redirect("alerts:detail", alert_id=alert.pk)
    return _detail(request, alert, resolve_form=form)
