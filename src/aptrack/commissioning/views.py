"""Invoice pages: a provider's invoices (upload, status, remittance), an LA finance officer's
work queue (approve, query, reject) and the export for the council's finance system.

Each view: authorise (403), load through the scoped selectors (404 when out of scope), at most
one service call, render. Invoice lines name children: each child shown is recorded."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from aptrack.accounts.requests import AuthenticatedHttpRequest
from aptrack.audit import reads
from aptrack.commissioning import permissions, selectors, services
from aptrack.commissioning.forms import DecisionForm, ExportForm, InvoiceUploadForm
from aptrack.commissioning.invoice_file import COLUMNS, InvoiceFileRejected, read_csv
from aptrack.commissioning.models import Invoice
from aptrack.commissioning.states import Decision, InvoiceChannel
from aptrack.core import exports
from aptrack.core.govuk.forms import choice_field


def _require_invoice_user(request: AuthenticatedHttpRequest) -> None:
    if not (
        permissions.can_decide_lines(request.user) or permissions.can_send_invoices(request.user)
    ):
        raise PermissionDenied


@login_required
def invoice_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The finance officer's work queue (invoices with lines to decide), or all of them; a
    provider's own invoices with their status."""
    _require_invoice_user(request)
    show_all = request.GET.get("show") == "all"
    rows = selectors.list_invoices(
        invoices=permissions.scope_invoices(request.user),
        lines=permissions.scope_lines(request.user),
        open_only=permissions.can_decide_lines(request.user) and not show_all,
    )
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "commissioning/invoice_list.html",
        {
            "page": page,
            "show_all": show_all,
            "is_finance": permissions.can_decide_lines(request.user),
            "export_form": ExportForm(),
            "base": "?" + ("show=all&" if show_all else "") + "page=",
        },
    )


@login_required
def upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    provider = request.user.organisation
    if not permissions.can_send_invoices(request.user) or provider is None:
        raise PermissionDenied
    form = InvoiceUploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    problems = None
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            report = services.record_invoices(
                provider=provider,
                lines=read_csv(upload_file.read()),
                channel=InvoiceChannel.UPLOAD,
                by=request.user,
                at=timezone.now(),
                source=upload_file.name,
            )
        except InvoiceFileRejected as rejected:
            problems = rejected.problems
            form.add_error(
                "file", f"{upload_file.name} was not recorded: see the problems listed below"
            )
        else:
            messages.success(request, report.summary()[0])
            return redirect("commissioning:invoices")
    return TemplateResponse(
        request,
        "commissioning/upload.html",
        {"form": form, "problems": problems, "columns": COLUMNS},
    )


def _invoice_or_404(request: AuthenticatedHttpRequest, invoice_id: int) -> Invoice:
    _require_invoice_user(request)
    invoice = (
        permissions.scope_invoices(request.user)
        .select_related("provider")
        .filter(pk=invoice_id)
        .first()
    )
    if invoice is None:
        raise Http404
    return invoice


def _detail(
    request: AuthenticatedHttpRequest, invoice: Invoice, form: DecisionForm | None
) -> HttpResponse:
    lines = selectors.list_lines(invoice=invoice, lines=permissions.scope_lines(request.user))
    is_finance = permissions.can_decide_lines(request.user)
    # Providers see a child's name only on a line matched to a placement with them.
    named = [
        view.line.child_id
        for view in lines
        if view.line.child_id and (is_finance or view.line.placement_id)
    ]
    reads.record_reads(request, children=named)
    choices = [
        (view.line.pk, view.label(shown_name=view.line.child_id in set(named)))
        for view in lines
        if view.is_open
    ]
    if form is None:
        form = DecisionForm(lines=choices)
        status = 200
    else:
        choice_field(form, "lines").choices = choices  # labelled again for the page
        status = 400
    return TemplateResponse(
        request,
        "commissioning/invoice_detail.html",
        {
            "invoice": invoice,
            "lines": lines,
            "is_finance": is_finance,
            "named": set(named),
            "form": form,
            "remittance": selectors.get_remittance(invoice=invoice),
            "decisions": Decision,
        },
        status=status,
    )


@login_required
def invoice_detail(request: AuthenticatedHttpRequest, invoice_id: int) -> HttpResponse:
    return _detail(request, _invoice_or_404(request, invoice_id), None)


@login_required
@require_POST
def decide(request: AuthenticatedHttpRequest, invoice_id: int) -> HttpResponse:
    invoice = _invoice_or_404(request, invoice_id)
    if not permissions.can_decide_lines(request.user):
        raise PermissionDenied
    lines = permissions.scope_lines(request.user).filter(invoice=invoice)
    form = DecisionForm(
        request.POST, lines=[(pk, str(pk)) for pk in lines.values_list("pk", flat=True)]
    )
    if form.is_valid():
        try:
            count = services.decide_lines(
                lines=list(lines.filter(pk__in=form.cleaned_data["lines"])),
                decision=Decision(form.cleaned_data["decision"]),
                reason=form.cleaned_data["reason"],
                by=request.user,
                at=timezone.now(),
            )
        except services.DecisionRefused as refused:
            form.add_error("reason", refused.message)
        else:
            decision = Decision(form.cleaned_data["decision"]).label.lower()
            messages.success(request, f"{count} line(s): {decision} recorded")
            return redirect("commissioning:invoice", invoice.pk)
    return _detail(request, invoice, form)  # shown again with its labels and the errors


@login_required
def export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Approved lines of the officer's LA, one row per cost centre and provider, as CSV."""
    la_id = permissions.finance_la_of(request.user)
    if la_id is None:
        raise PermissionDenied
    form = ExportForm(request.GET)
    if not form.is_valid():
        return TemplateResponse(
            request, "commissioning/export.html", {"export_form": form}, status=400
        )
    start, end = form.period(timezone.localdate())
    tz = timezone.get_current_timezone()
    rows = selectors.list_approved_by_cost_centre(
        la_id=la_id,
        decided_from=dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        decided_to=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="approved-invoices-{start:%Y%m%d}-{end:%Y%m%d}.csv"'
    )
    writer = exports.csv_writer(response)
    writer.writerow(
        ["cost_centre", "provider", "provider_id", "invoices", "lines", "net", "vat", "gross"]
    )
    for row in rows:
        writer.writerow(
            [
                row["cost_centre"],
                row["provider_name"],
                row["provider_id"],
                row["invoices"],
                row["lines"],
                f"{row['net']:.2f}",
                f"{row['vat']:.2f}",
                f"{row['net'] + row['vat']:.2f}",
            ]
        )
    return response
