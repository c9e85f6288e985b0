"""Contract pages for an LA commissioner: the LA's contracts (by provider and kind), a
contract's lots, rates in force and past, and block utilisation, and the forms that add a
contract, change its terms and add a rate (a rate is never changed: a new price is a new rate
from a date). LA officers and managers manage them; the LA's finance officers see them.
Another LA's contract is a 404. No child is named: a block's places used are a count."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from aptrack.accounts.requests import AuthenticatedHttpRequest
from aptrack.commissioning import contracts, services
from aptrack.commissioning.contract_forms import ContractForm, ContractTermsForm, RateForm
from aptrack.commissioning.models import Contract
from aptrack.commissioning.states import ContractKind
from aptrack.core.concurrency import RecordChangedElsewhere, versioned
from aptrack.core.errors import add_service_errors
from aptrack.organisations.models import Organisation


def _require_viewer(request: AuthenticatedHttpRequest) -> None:
    if not contracts.can_view_contracts(request.user):
        raise PermissionDenied


def _require_manager(request: AuthenticatedHttpRequest) -> int:
    """The manager's LA (403 for anyone who may not manage its contracts)."""
    la_id = contracts.contracts_la_of(request.user)
    if la_id is None or not contracts.can_manage_contracts(request.user):
        raise PermissionDenied
    return la_id


def _providers(request: AuthenticatedHttpRequest) -> list[tuple[int, str]]:
    """Providers in the user's LA, and any the LA already contracts with."""
    la_id = contracts.contracts_la_of(request.user)
    rows = Organisation.objects.filter(kind="PROVIDER", local_authority_id=la_id).union(
        Organisation.objects.filter(kind="PROVIDER", contracts__local_authority_id=la_id)
    )
    return sorted(((o.pk, o.name) for o in rows), key=lambda pair: pair[1].lower())


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
def contract_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_viewer(request)
    rows = contracts.scope_contracts(request.user).select_related("provider")
    provider_id = _int_or_none(request.GET.get("provider"))
    kind = request.GET.get("kind") or ""
    if provider_id is not None:
        rows = rows.filter(provider_id=provider_id)
    if kind in ContractKind.values:
        rows = rows.filter(kind=kind)
    else:
        kind = ""
    page = Paginator(rows.order_by("-start_date", "reference"), 25).get_page(
        request.GET.get("page")
    )
    query = f"provider={provider_id or ''}&kind={kind}&page="
    return TemplateResponse(
        request,
        "commissioning/contract_list.html",
        {
            "page": page,
            "providers": _providers(request),
            "provider_id": provider_id,
            "kinds": ContractKind.choices,
            "kind": kind,
            "base": "?" + query,
            "can_manage": contracts.can_manage_contracts(request.user),
        },
    )


def _contract_or_404(request: AuthenticatedHttpRequest, contract_id: int) -> Contract:
    contract = (
        contracts.scope_contracts(request.user)
        .select_related("provider")
        .filter(pk=contract_id)
        .first()
    )
    if contract is None:
        raise Http404
    return contract


@login_required
def contract_detail(request: AuthenticatedHttpRequest, contract_id: int) -> HttpResponse:
    _require_viewer(request)
    contract = _contract_or_404(request, contract_id)
    today = timezone.localdate()
    return TemplateResponse(
        request,
        "commissioning/contract_detail.html",
        {
            "contract": contract,
            "lots": list(contract.lots.order_by("name")),
            "rates": contracts.list_rates(contract, on=today),
            "utilisation": contracts.block_utilisation(contract, on=today),
            "today": today,
            "can_manage": contracts.can_manage_contracts(request.user),
        },
    )


@login_required
def contract_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    la_id = _require_manager(request)
    providers = _providers(request)
    form = ContractForm(request.POST or None, providers=providers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        provider = Organisation.objects.filter(
            pk__in=[pk for pk, _ in providers], pk=data["provider"]
        ).first()
        if provider is None:
            form.add_error("provider", "Choose the provider")
        else:
            try:
                contract = services.create_contract(
                    local_authority_id=la_id,
                    provider=provider,
                    reference=data["reference"],
                    kind=data["kind"],
                    funder=data["funder"],
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                    places=data["places"] if data["kind"] == ContractKind.BLOCK else None,
                    block_price=data["block_price"] if data["kind"] == ContractKind.BLOCK else None,
                    framework_name=data["framework_name"],
                    cost_centre=data["cost_centre"],
                    lots=data["lots"],
                    by=request.user,
                    at=timezone.now(),
                )
            except services.DecisionRefused as refused:
                form.add_error("reference", str(refused))
            else:
                messages.success(request, f"Contract {contract.reference} added")
                return redirect("commissioning:contract", contract.pk)
    return TemplateResponse(
        request,
        "commissioning/contract_form.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
def contract_edit(request: AuthenticatedHttpRequest, contract_id: int) -> HttpResponse:
    """Change a contract's terms (its reference, funder, dates, block places and price,
    framework and cost centre). Its provider and kind stay; its rates change by adding one."""
    _require_viewer(request)
    contract = _contract_or_404(request, contract_id)
    _require_manager(request)
    form = versioned(ContractTermsForm)(
        request.POST or None,
        kind=contract.kind,
        initial={
            "reference": contract.reference,
            "funder": contract.funder,
            "start_date": contract.start_date,
            "end_date": contract.end_date,
            "places": contract.places,
            "block_price": contract.block_price,
            "framework_name": contract.framework_name,
            "cost_centre": contract.cost_centre,
            "version": contract.version,
        },
    )
    if contract.kind != ContractKind.BLOCK:
        del form.fields["places"], form.fields["block_price"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_contract(
                contract=contract,
                expected_version=data["version"],
                reference=data["reference"],
                funder=data["funder"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                places=data.get("places"),
                block_price=data.get("block_price"),
                framework_name=data["framework_name"],
                cost_centre=data["cost_centre"],
                by=request.user,
                at=timezone.now(),
                where=request.path,
            )
        except services.ContractInvalid as error:
            add_service_errors(form, error)
        except RecordChangedElsewhere as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Contract changed")
            return redirect("commissioning:contract", contract.pk)
    return TemplateResponse(
        request,
        "commissioning/contract_edit.html",
        {"form": form, "contract": contract},
        status=400 if form.is_bound else 200,
    )


@login_required
def rate_new(request: AuthenticatedHttpRequest, contract_id: int) -> HttpResponse:
    _require_viewer(request)
    contract = _contract_or_404(request, contract_id)
    _require_manager(request)
    lots = {lot.pk: lot for lot in contract.lots.order_by("name")}
    form = RateForm(request.POST or None, lots=[(pk, lot.name) for pk, lot in lots.items()])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_rate(
                contract=contract,
                lot=lots.get(data["lot"]) if data["lot"] else None,
                unit=data["unit"],
                amount=data["amount"],
                effective_from=data["effective_from"],
                effective_to=data["effective_to"],
                is_transport=data["is_transport"],
                by=request.user,
                at=timezone.now(),
            )
        except services.ContractInvalid as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Rate added")
            return redirect("commissioning:contract", contract.pk)
    return TemplateResponse(
        request,
        "commissioning/rate_form.html",
        {"form": form, "contract": contract},
        status=400 if form.is_bound else 200,
    )
