"""Quality assurance pages: authorise (403 for a role that may not use the page, 404 for an
object out of reach), load through selectors, one service call, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from aptrack.accounts.requests import AuthenticatedHttpRequest
from aptrack.core.concurrency import VersionMissing, posted_version, versioned
from aptrack.core.errors import add_service_errors
from aptrack.core.pdf import render_pdf
from aptrack.organisations.models import LocalAuthority
from aptrack.providers.models import Provider
from aptrack.quality import permissions
from aptrack.quality.forms import (
    ActionForm,
    CopyFrameworkForm,
    EvidenceForm,
    FrameworkForm,
    PeriodForm,
    StandardForm,
    VisitRecordForm,
    VisitStartForm,
)
from aptrack.quality.models import CheckType, Framework, QAVisit, Standard
from aptrack.quality.selectors import compliance as compliance_selectors
from aptrack.quality.selectors import frameworks as frameworks_selectors
from aptrack.quality.selectors import providers as providers_selectors
from aptrack.quality.selectors import summary as summary_selectors
from aptrack.quality.selectors import visits as visits_selectors
from aptrack.quality.services import compliance as compliance_services
from aptrack.quality.services import errors as errors_services
from aptrack.quality.services import frameworks as frameworks_services
from aptrack.quality.services import visits as visits_services
from aptrack.quality.states import ActionStatus

SOON_DAYS = compliance_selectors.EXPIRING_SOON_DAYS


def _la_id(request: AuthenticatedHttpRequest) -> int:
    la_id = permissions.user_la_id(request.user)
    if la_id is None:
        raise PermissionDenied
    return la_id


def _la(request: AuthenticatedHttpRequest) -> LocalAuthority:
    organisation = request.user.organisation
    if organisation is None or organisation.local_authority is None:
        raise PermissionDenied
    return organisation.local_authority


def _load_provider(
    request: AuthenticatedHttpRequest, provider_id: int, *, may_use: Any, can_view: Any
) -> Provider:
    if not may_use(request.user):
        raise PermissionDenied
    provider = providers_selectors.get_provider(provider_id=provider_id)
    if provider is None or not can_view(request.user, provider):
        # Another provider's records look the same as missing ones.
        raise Http404("No provider found")
    return provider


def _load_visit(request: AuthenticatedHttpRequest, visit_id: int) -> QAVisit:
    if not permissions.may_use_visits(request.user):
        raise PermissionDenied
    visit = visits_selectors.get_visit(visit_id=visit_id)
    if visit is None or not permissions.can_view_visit(request.user, visit):
        raise Http404("No visit found")
    return visit


def _load_framework(request: AuthenticatedHttpRequest, framework_id: int) -> Framework:
    if not permissions.may_use_frameworks(request.user):
        raise PermissionDenied
    framework = frameworks_selectors.get_framework(framework_id=framework_id)
    if framework is None or not permissions.can_view_framework(request.user, framework):
        raise Http404("No framework found")
    return framework


def _load_editable_framework(request: AuthenticatedHttpRequest, framework_id: int) -> Framework:
    framework = _load_framework(request, framework_id)
    if not permissions.can_edit_framework(request.user, framework):
        raise PermissionDenied
    return framework


def _load_standard(
    request: AuthenticatedHttpRequest, framework_id: int, standard_id: int
) -> Standard:
    framework = _load_editable_framework(request, framework_id)
    standard = frameworks_selectors.get_standard(framework=framework, standard_id=standard_id)
    if standard is None:
        raise Http404("No standard found")
    return standard


# --- dashboard -----------------------------------------------------------------------------


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    if permissions.is_provider_staff(request.user):
        own = providers_selectors.get_own_provider(user=request.user)
        if own is not None:
            return redirect("quality:compliance", provider_id=own.pk)
    if not permissions.can_see_dashboard(request.user):
        raise PermissionDenied
    la_id = _la_id(request)
    today = timezone.localdate()
    providers = compliance_selectors.list_provider_compliance(la_id=la_id, on=today)
    return TemplateResponse(
        request,
        "quality/dashboard.html",
        {
            "today": today,
            "providers": providers,
            "not_compliant": [row for row in providers if not row.status.compliant],
            "expiring": compliance_selectors.list_expiring(la_id=la_id, on=today, days=SOON_DAYS),
            "audits_due": visits_selectors.list_audits_due(
                la_id=la_id, on=today, within_days=SOON_DAYS
            ),
            "actions_past_due": visits_selectors.list_open_actions_past_due(la_id=la_id, on=today),
            "soon_days": SOON_DAYS,
        },
    )


# --- compliance ----------------------------------------------------------------------------


@login_required
def compliance(request: AuthenticatedHttpRequest, provider_id: int) -> HttpResponse:
    provider = _load_provider(
        request,
        provider_id,
        may_use=permissions.may_use_compliance,
        can_view=permissions.can_view_compliance,
    )
    can_record = permissions.can_record_evidence(request.user, provider)
    initial = {}
    if request.GET.get("check_type") in CheckType.values:
        initial["check_type"] = request.GET["check_type"]
    form = EvidenceForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                check = compliance_services.record_compliance_check(
                    actor=request.user,
                    at=timezone.now(),
                    provider=provider,
                    check_type=CheckType(data["check_type"]),
                    evidence_date=data["evidence_date"],
                    expiry_date=data["expiry_date"],
                    named_person=data["named_person"],
                    evidence_reference=data["evidence_reference"],
                    notes=data["notes"],
                    where=request.path,
                )
            except errors_services.QualityInvalid as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Evidence recorded: {check.get_check_type_display()}")
                return redirect("quality:compliance", provider_id=provider.pk)
    today = timezone.localdate()
    la_id = permissions.user_la_id(request.user)
    return TemplateResponse(
        request,
        "quality/compliance.html",
        {
            "provider": provider,
            "status": compliance_selectors.get_compliance(provider=provider, on=today),
            "history": [
                c
                for c in compliance_selectors.list_check_history(provider=provider)
                if not c.is_current
            ],
            "overrides": compliance_selectors.list_overrides(provider=provider, la_id=la_id),
            "form": form,
            "can_record": can_record,
            "is_la": la_id is not None,
            "today": today,
            "soon_days": SOON_DAYS,
        },
    )


# --- visits --------------------------------------------------------------------------------


@login_required
def visit_list(request: AuthenticatedHttpRequest, provider_id: int) -> HttpResponse:
    provider = _load_provider(
        request,
        provider_id,
        may_use=permissions.may_use_visits,
        can_view=permissions.can_view_compliance,
    )
    la_id = permissions.user_la_id(request.user)
    return TemplateResponse(
        request,
        "quality/visit_list.html",
        {
            "provider": provider,
            "visits": visits_selectors.list_visits_for_provider(provider=provider, la_id=la_id),
            "la_id": la_id,
            "can_record": permissions.can_record_qa(request.user),
        },
    )


@login_required
def visit_new(request: AuthenticatedHttpRequest, provider_id: int) -> HttpResponse:
    provider = _load_provider(
        request,
        provider_id,
        may_use=permissions.can_record_qa,
        can_view=permissions.can_view_compliance,
    )
    frameworks = frameworks_selectors.list_frameworks(la_id=_la_id(request))
    form = VisitStartForm(request.POST or None, frameworks=frameworks)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = visits_services.start_visit(
                actor=request.user,
                at=timezone.now(),
                provider=provider,
                framework=data["framework"],
                visit_type=data["visit_type"],
                visit_date=data["visit_date"],
                visitors=data["visitors"],
                where=request.path,
            )
        except errors_services.QualityInvalid as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Visit started. Record the judgements, then complete it.")
            return redirect("quality:visit", visit_id=visit.pk)
    return TemplateResponse(request, "quality/visit_new.html", {"provider": provider, "form": form})


def _visit_page(
    request: AuthenticatedHttpRequest,
    visit: QAVisit,
    *,
    record_form: VisitRecordForm | None = None,
    action_form: ActionForm | None = None,
    error_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    standards = visits_selectors.list_visit_standards(visit=visit)
    judgements = visits_selectors.list_judgements(visit=visit)
    can_edit = permissions.can_edit_visit(request.user, visit)
    if can_edit and record_form is None:
        record_form = VisitRecordForm(
            standards=standards, initial=VisitRecordForm.initial_from(visit, judgements)
        )
    can_manage = permissions.can_manage_actions(request.user, visit)
    if can_manage and action_form is None:
        action_form = ActionForm()
    return TemplateResponse(
        request,
        "quality/visit.html",
        {
            "visit": visit,
            "provider": visit.provider,
            "areas": frameworks_selectors.group_by_area(standards),
            "judgements": judgements,
            "actions": visits_selectors.list_actions(visit=visit),
            "record_form": record_form if can_edit else None,
            "action_form": action_form if can_manage else None,
            "form": error_form,
            "can_edit": can_edit,
            "can_manage": can_manage,
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
def visit_detail(request: AuthenticatedHttpRequest, visit_id: int) -> HttpResponse:
    visit = _load_visit(request, visit_id)
    if request.method != "POST":
        return _visit_page(request, visit)
    if not permissions.can_edit_visit(request.user, visit):
        raise PermissionDenied
    standards = visits_selectors.list_visit_standards(visit=visit)
    form = versioned(VisitRecordForm)(request.POST, standards=standards)
    if form.is_valid():
        try:
            visits_services.record_visit(
                actor=request.user,
                at=timezone.now(),
                visit=visit,
                details=form.details(),
                judgements=form.judgements(),
                expected_version=form.cleaned_data["version"],
                where=request.path,
            )
        except errors_services.QualityInvalid as error:
            add_service_errors(form, error)
            for standard_id, errors in error.standard_errors.items():
                for message in errors:
                    form.add_error(f"grade_{standard_id}", message)
        except (errors_services.ChangedElsewhere, visits_services.VisitNotEditable) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The visit has been saved")
            return redirect("quality:visit", visit_id=visit.pk)
    return _visit_page(request, visit, record_form=form, error_form=form)


@login_required
@require_POST
def visit_complete(request: AuthenticatedHttpRequest, visit_id: int) -> HttpResponse:
    visit = _load_visit(request, visit_id)
    if not permissions.can_edit_visit(request.user, visit):
        raise PermissionDenied
    try:
        visits_services.complete_visit(
            actor=request.user,
            at=timezone.now(),
            visit=visit,
            expected_version=posted_version(request.POST),
            where=request.path,
        )
    except visits_services.VisitNotCompletable as error:
        standards = visits_selectors.list_visit_standards(visit=visit)
        initial = VisitRecordForm.initial_from(visit, visits_selectors.list_judgements(visit=visit))
        form = VisitRecordForm(VisitRecordForm.data_from(initial), standards=standards)
        form.is_valid()
        for message in error.other:
            form.add_error("visit_date", message)
        if error.needs_overall:
            form.add_error("overall_judgement", visits_services.OVERALL_NEEDED)
        for standard in error.unjudged:
            form.add_error(
                f"grade_{standard.pk}",
                visits_services.STANDARD_NOT_JUDGED.format(code=standard.code),
            )
        return _visit_page(request, visit, record_form=form, error_form=form)
    except (
        errors_services.ChangedElsewhere,
        errors_services.MoveNotAllowed,
        VersionMissing,
    ) as error:
        messages.error(request, str(error))
        return redirect("quality:visit", visit_id=visit.pk)
    messages.success(request, "The visit has been completed")
    return redirect("quality:visit", visit_id=visit.pk)


@login_required
@require_POST
def action_new(request: AuthenticatedHttpRequest, visit_id: int) -> HttpResponse:
    visit = _load_visit(request, visit_id)
    if not permissions.can_manage_actions(request.user, visit):
        raise PermissionDenied
    form = ActionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            visits_services.add_action(
                actor=request.user,
                at=timezone.now(),
                visit=visit,
                text=data["text"],
                owner_name=data["owner_name"],
                due_date=data["due_date"],
                where=request.path,
            )
        except errors_services.QualityInvalid as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The action has been added")
            return redirect("quality:visit", visit_id=visit.pk)
    return _visit_page(request, visit, action_form=form, error_form=form)


@login_required
@require_POST
def action_status(request: AuthenticatedHttpRequest, visit_id: int, action_id: int) -> HttpResponse:
    visit = _load_visit(request, visit_id)
    if not permissions.can_manage_actions(request.user, visit):
        raise PermissionDenied
    action = visits_selectors.get_action(visit=visit, action_id=action_id)
    if action is None:
        raise Http404("No action found")
    target = request.POST.get("status", "")
    if target not in ActionStatus.values:
        messages.error(request, "Choose whether the action is open or done")
        return redirect("quality:visit", visit_id=visit.pk)
    try:
        visits_services.set_action_status(
            actor=request.user,
            at=timezone.now(),
            action=action,
            target=ActionStatus(target),
            where=request.path,
        )
    except errors_services.MoveNotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, "Action marked as done" if target == ActionStatus.DONE else "Action reopened"
        )
    return redirect("quality:visit", visit_id=visit.pk)


# --- frameworks ----------------------------------------------------------------------------


@login_required
def framework_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.may_use_frameworks(request.user):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "quality/framework_list.html",
        {
            "frameworks": frameworks_selectors.list_frameworks(la_id=_la_id(request)),
            "can_copy": permissions.can_copy_framework(request.user),
        },
    )


@login_required
def framework_detail(request: AuthenticatedHttpRequest, framework_id: int) -> HttpResponse:
    framework = _load_framework(request, framework_id)
    return TemplateResponse(
        request,
        "quality/framework_detail.html",
        {
            "framework": framework,
            "areas": frameworks_selectors.group_by_area(
                frameworks_selectors.list_standards(framework=framework)
            ),
            "can_edit": permissions.can_edit_framework(request.user, framework),
            "can_copy": permissions.can_copy_framework(request.user),
        },
    )


@login_required
def framework_copy(request: AuthenticatedHttpRequest, framework_id: int) -> HttpResponse:
    source = _load_framework(request, framework_id)
    if not permissions.can_copy_framework(request.user):
        raise PermissionDenied
    form = CopyFrameworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        la = _la(request)
        try:
            copy = frameworks_services.copy_framework(
                actor=request.user,
                at=timezone.now(),
                la=la,
                source=source,
                name=form.cleaned_data["name"],
                where=request.path,
            )
        except errors_services.QualityInvalid as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{copy.name} is your local authority's to edit")
            return redirect("quality:framework", framework_id=copy.pk)
    return TemplateResponse(
        request, "quality/framework_copy.html", {"source": source, "form": form}
    )


@login_required
def framework_edit(request: AuthenticatedHttpRequest, framework_id: int) -> HttpResponse:
    framework = _load_editable_framework(request, framework_id)
    form = versioned(FrameworkForm)(
        request.POST or None,
        initial={
            "name": framework.name,
            "description": framework.description,
            "version": framework.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            frameworks_services.update_framework(
                actor=request.user,
                at=timezone.now(),
                framework=framework,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                expected_version=form.cleaned_data["version"],
                where=request.path,
            )
        except errors_services.QualityInvalid as error:
            add_service_errors(form, error)
        except errors_services.ChangedElsewhere as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The framework has been updated")
            return redirect("quality:framework", framework_id=framework.pk)
    return TemplateResponse(
        request,
        "quality/form.html",
        {
            "form": form,
            "title": f"Change {framework.name}",
            "back": ("quality:framework", framework.pk),
        },
    )


@login_required
def standard_new(request: AuthenticatedHttpRequest, framework_id: int) -> HttpResponse:
    framework = _load_editable_framework(request, framework_id)
    form = StandardForm(request.POST or None, initial={"area_number": request.GET.get("area", "1")})
    if request.method == "POST" and form.is_valid():
        try:
            frameworks_services.add_standard(
                actor=request.user,
                at=timezone.now(),
                framework=framework,
                where=request.path,
                **form.cleaned_data,
            )
        except errors_services.QualityInvalid as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The standard has been added")
            return redirect("quality:framework", framework_id=framework.pk)
    return TemplateResponse(
        request,
        "quality/form.html",
        {
            "form": form,
            "title": "Add a standard",
            "caption": framework.name,
            "back": ("quality:framework", framework.pk),
        },
    )


@login_required
def standard_edit(
    request: AuthenticatedHttpRequest, framework_id: int, standard_id: int
) -> HttpResponse:
    standard = _load_standard(request, framework_id, standard_id)
    form = versioned(StandardForm)(
        request.POST or None,
        initial={
            "area_number": standard.area_number,
            "area_title": standard.area_title,
            "code": standard.code,
            "text": standard.text,
            "version": standard.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            frameworks_services.update_standard(
                actor=request.user,
                at=timezone.now(),
                standard=standard,
                expected_version=data.pop("version"),
                where=request.path,
                **data,
            )
        except errors_services.QualityInvalid as error:
            add_service_errors(form, error)
        except errors_services.ChangedElsewhere as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Standard {form.cleaned_data['code']} has been updated")
            return redirect("quality:framework", framework_id=framework_id)
    return TemplateResponse(
        request,
        "quality/form.html",
        {
            "form": form,
            "title": f"Change standard {standard.code}",
            "caption": standard.framework.name,
            "back": ("quality:framework", framework_id),
        },
    )


@login_required
def standard_remove(
    request: AuthenticatedHttpRequest, framework_id: int, standard_id: int
) -> HttpResponse:
    standard = _load_standard(request, framework_id, standard_id)
    if request.method == "POST":
        frameworks_services.remove_standard(
            actor=request.user, at=timezone.now(), standard=standard, where=request.path
        )
        messages.success(request, f"Standard {standard.code} has been removed")
        return redirect("quality:framework", framework_id=framework_id)
    return TemplateResponse(request, "quality/standard_remove.html", {"standard": standard})


# --- report --------------------------------------------------------------------------------


@login_required
def report(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_see_dashboard(request.user):
        raise PermissionDenied
    la_id = _la_id(request)
    today = timezone.localdate()
    year = summary_selectors.Period.academic_year(today)
    period: summary_selectors.Period | None = year
    params = request.GET.copy()
    params.pop("format", None)
    form = PeriodForm(params or None, initial={"start": year.start, "end": year.end})
    if params:
        period = summary_selectors.Period(**form.cleaned_data) if form.is_valid() else None
    summary = None
    if period is not None:
        # A period still running is reported as it stands today.
        summary = summary_selectors.qa_summary(
            la_id=la_id, period=period, as_at=min(period.end, today)
        )
    response = TemplateResponse(
        request,
        "quality/report.html",
        {
            "form": form,
            "summary": summary,
            "la": _la(request),
            "generated_at": timezone.now(),
            "pdf_query": _pdf_query(request),
        },
    )
    if request.GET.get("format") == "pdf" and summary is not None:
        response.render()
        pdf = render_pdf(response.content.decode(), base_url=request.build_absolute_uri("/"))
        download = HttpResponse(pdf, content_type="application/pdf")
        download["Content-Disposition"] = 'attachment; filename="quality-assurance-report.pdf"'
        return download
    return response


def _pdf_query(request: AuthenticatedHttpRequest) -> str:
    query = request.GET.copy()
    query["format"] = "pdf"
    return query.urlencode()
