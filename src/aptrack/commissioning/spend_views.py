"""The spend page for an LA's managers and finance officers: the high-needs forecast against the
AP budget, spend by funder, tier, route, type of provider and provider, and value for money,
for a financial year, with CSV and workbook downloads. Totals only: no child is named, so
nothing is recorded as a read of a child. Anyone else gets 403; the LA is always the user's own.
The same people set the LA's AP budget for a year (`budget_page`, through
`services.set_high_needs_budget`).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from aptrack.accounts.requests import AuthenticatedHttpRequest
from aptrack.commissioning import permissions, services, spend
from aptrack.commissioning.forms import BudgetForm, SpendForm
from aptrack.commissioning.models import HighNeedsBudget
from aptrack.commissioning.spend_chart import budget_chart
from aptrack.commissioning.spend_export import workbook, write_csv
from aptrack.core.errors import DomainInvalid, add_service_errors
from aptrack.organisations.models import LocalAuthority

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def spend_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    la_id = permissions.spend_la_of(request.user)
    if la_id is None:
        raise PermissionDenied
    today = timezone.localdate()
    form = SpendForm(request.GET or None, today=today)
    year = form.financial_year()
    on = min(today, year.end)
    result = spend.get_spend(la_id=la_id, on=on, year=year)
    la = LocalAuthority.objects.get(pk=la_id)
    download = form.cleaned_data.get("download") if form.is_valid() else ""
    name = f"ap-spend-{la.code}-{year.short}"
    if download == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        write_csv(result, response)
        return response
    if download == "xlsx":
        response = HttpResponse(workbook(result, la_name=la.name), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    return TemplateResponse(
        request,
        "commissioning/spend.html",
        {
            "form": form,
            "la": la,
            "result": result,
            "year": year,
            "dimensions": spend.DIMENSIONS,
            "value_dimensions": [
                d for d in spend.DIMENSIONS if d.key in (spend.PROVIDER, spend.TIER)
            ],
            "chart": budget_chart(result, chart_id="budget-chart", labelledby="budget-heading"),
            "sustained_weeks": spend.SUSTAINED_WEEKS,
        },
        status=200 if not form.is_bound or form.is_valid() else 400,
    )


@login_required
def budget_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Set the LA's high-needs budget for AP for a financial year (`?year=` chooses the year
    the form starts on, and shows its budget); back to the spend page for that year."""
    la_id = permissions.spend_la_of(request.user)
    if la_id is None:
        raise PermissionDenied
    today = timezone.localdate()
    la = LocalAuthority.objects.get(pk=la_id)
    chosen = SpendForm(request.GET or None, today=today).financial_year()
    budgets = dict(
        HighNeedsBudget.objects.filter(local_authority_id=la_id).values_list(
            "financial_year", "amount"
        )
    )
    initial = {"financial_year": chosen.year, "amount": budgets.get(chosen.year)}
    form = BudgetForm(
        request.POST if request.method == "POST" else None, initial=initial, today=today
    )
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["financial_year"]
        try:
            services.set_high_needs_budget(
                la_id=la_id,
                financial_year=year,
                amount=form.cleaned_data["amount"],
                by=request.user,
                at=timezone.now(),
            )
        except DomainInvalid as error:
            add_service_errors(form, error)
        else:
            label = spend.FinancialYear(year).label
            messages.success(request, f"AP budget for {label} saved")
            return redirect(f"{reverse('commissioning:spend')}?year={year}")
    return TemplateResponse(
        request,
        "commissioning/budget_form.html",
        {
            "form": form,
            "la": la,
            "year": chosen,
            "budgets": [
                (spend.FinancialYear(year), budgets[year]) for year in sorted(budgets, reverse=True)
            ],
        },
        status=400 if form.is_bound else 200,
    )
