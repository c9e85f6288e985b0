"""Improvement plan pages. Each view: role check (403), load within the user's LA (404
otherwise), one service call, render. LA managers edit; officers and QA leads read."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from aptrack.core.concurrency import versioned
from aptrack.core.errors import add_service_errors
from aptrack.improvement import measures, permissions, selectors, services
from aptrack.improvement.forms import ActionForm, PlanForm, PriorityForm, UpdateForm
from aptrack.improvement.models import Action, ImprovementPlan, Priority
from aptrack.improvement.states import TAG_CLASSES, RagStatus
from aptrack.organisations.models import LocalAuthority


def _la_id(request: HttpRequest) -> int:
    la_id = permissions.user_la_id(request.user)
    if la_id is None:
        raise PermissionDenied
    return la_id


def _require_editor(request: HttpRequest) -> None:
    if not permissions.can_edit_plans(request.user):
        raise PermissionDenied


def _plan(request: HttpRequest, plan_id: int) -> ImprovementPlan:
    plan = selectors.get_plan(la_id=_la_id(request), plan_id=plan_id)
    if plan is None:
        # Another LA's plan looks the same as one that does not exist.
        raise Http404("No plan found")
    return plan


def _form_page(request: HttpRequest, form: Form, **context: Any) -> HttpResponse:
    return TemplateResponse(request, "improvement/form.html", {"form": form, **context})


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    la_id = _la_id(request)
    return TemplateResponse(
        request,
        "improvement/list.html",
        {
            "la": LocalAuthority.objects.get(pk=la_id),
            "plans": selectors.list_plans(la_id=la_id),
            "can_edit": permissions.can_edit_plans(request.user),
        },
    )


@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    la_id = _la_id(request)
    _require_editor(request)
    form = PlanForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(
                la=LocalAuthority.objects.get(pk=la_id),
                data=form.cleaned_data,
                actor=request.user,
                at=timezone.now(),
            )
        except services.ImprovementInvalid as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Plan created. Add its priorities")
            return redirect("improvement:plan", plan_id=plan.pk)
    return _form_page(
        request,
        form,
        title="New improvement plan",
        back=reverse("improvement:list"),
        submit="Create plan",
    )


@login_required
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    today = timezone.localdate()
    priorities = list(plan.priorities.all())
    return TemplateResponse(
        request,
        "improvement/plan.html",
        {
            "plan": plan,
            "priorities": priorities,
            "summary": selectors.summarise(plan, today),
            "measures": measures.current_values(
                la=plan.local_authority, keys=selectors.linked_measure_keys(plan), today=today
            ),
            "today": today,
            "is_overdue": lambda action: selectors.is_overdue(action, today),
            "tag_classes": TAG_CLASSES,
            "statuses": list(RagStatus),
            "can_edit": permissions.can_edit_plans(request.user),
        },
    )


@login_required
def plan_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    _require_editor(request)
    initial = {**{key: getattr(plan, key) for key in services.PLAN_FIELDS}, "version": plan.version}
    form = versioned(PlanForm)(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(
                plan=plan,
                data=form.cleaned_data,
                actor=request.user,
                at=timezone.now(),
                expected_version=form.cleaned_data["version"],
            )
        except services.ImprovementInvalid as error:
            add_service_errors(form, error)
        except services.ImprovementChangedElsewhere as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Plan updated")
            return redirect("improvement:plan", plan_id=plan.pk)
    return _form_page(
        request,
        form,
        title="Change the plan",
        caption=plan.title,
        back=reverse("improvement:plan", args=[plan.pk]),
        submit="Save changes",
    )


def _priority(plan: ImprovementPlan, priority_id: int) -> Priority:
    priority = selectors.get_priority(plan=plan, priority_id=priority_id)
    if priority is None:
        raise Http404("No priority found")
    return priority


@login_required
def priority_form(
    request: HttpRequest, plan_id: int, priority_id: int | None = None
) -> HttpResponse:
    """Add a priority, or change one."""
    plan = _plan(request, plan_id)
    _require_editor(request)
    priority = _priority(plan, priority_id) if priority_id else None
    initial = (
        {
            "title": priority.title,
            "description": priority.description,
            "measure_keys": priority.linked_measure_keys,
            "version": priority.version,
        }
        if priority
        else None
    )
    form_class = versioned(PriorityForm) if priority else PriorityForm
    form = form_class(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if priority:
                services.update_priority(
                    priority=priority,
                    data=form.cleaned_data,
                    actor=request.user,
                    at=timezone.now(),
                    expected_version=form.cleaned_data["version"],
                )
            else:
                priority = services.add_priority(
                    plan=plan, data=form.cleaned_data, actor=request.user, at=timezone.now()
                )
        except services.ImprovementInvalid as error:
            add_service_errors(form, error)
        except services.ImprovementChangedElsewhere as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Priority {priority.position} saved")
            return redirect(
                reverse("improvement:plan", args=[plan.pk]) + f"#priority-{priority.pk}"
            )
    return _form_page(
        request,
        form,
        title="Change the priority" if priority_id else "Add a priority",
        caption=plan.title,
        back=reverse("improvement:plan", args=[plan.pk]),
        submit="Save priority",
    )


def _action(plan: ImprovementPlan, action_id: int) -> Action:
    action = selectors.get_action(plan=plan, action_id=action_id)
    if action is None:
        raise Http404("No action found")
    return action


@login_required
def action_form(
    request: HttpRequest, plan_id: int, priority_id: int | None = None, action_id: int | None = None
) -> HttpResponse:
    """Add an action to a priority, or change one (not its status: that is an update)."""
    plan = _plan(request, plan_id)
    _require_editor(request)
    action = _action(plan, action_id) if action_id else None
    priority = action.priority if action else _priority(plan, priority_id)  # type: ignore[arg-type]
    initial = None
    if action:
        initial = {key: getattr(action, key) for key in services.ACTION_FIELDS}
        initial.update(measure_keys=action.linked_measure_keys, version=action.version)
    form = (versioned(ActionForm) if action else ActionForm)(
        request.POST if request.method == "POST" else None,
        initial=initial,
        owners=selectors.possible_owners(la_id=plan.local_authority_id),
    )
    if request.method == "POST" and form.is_valid():
        data, now = form.cleaned_data, timezone.now()
        try:
            if action:
                action = services.update_action(
                    action=action,
                    data=data,
                    actor=request.user,
                    at=now,
                    expected_version=data["version"],
                )
            else:
                action = services.add_action(
                    priority=priority, data=data, actor=request.user, at=now
                )
        except services.ImprovementInvalid as error:
            add_service_errors(form, error)
        except services.ImprovementChangedElsewhere as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Action saved")
            return redirect("improvement:action", plan_id=plan.pk, action_id=action.pk)
    return _form_page(
        request,
        form,
        title="Change the action" if action else "Add an action",
        caption=f"Priority {priority.position}: {priority.title}",
        back=reverse("improvement:plan", args=[plan.pk]),
        submit="Save action",
    )


@login_required
def action_detail(request: HttpRequest, plan_id: int, action_id: int) -> HttpResponse:
    """An action with its history; managers record progress and RAG changes here."""
    plan = _plan(request, plan_id)
    action = _action(plan, action_id)
    can_edit = permissions.can_edit_plans(request.user)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    form = UpdateForm(
        request.POST if request.method == "POST" else None, current=RagStatus(action.status)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_update(
                action=action,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                actor=request.user,
                at=timezone.now(),
            )
        except services.ImprovementInvalid as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Update recorded")
            return redirect("improvement:action", plan_id=plan.pk, action_id=action.pk)
    today = timezone.localdate()
    return TemplateResponse(
        request,
        "improvement/action.html",
        {
            "plan": plan,
            "action": action,
            "form": form if can_edit else None,
            "update_form": form,
            "can_edit": can_edit,
            "overdue": selectors.is_overdue(action, today),
            "today": today,
            "tag_classes": TAG_CLASSES,
            "status_labels": dict(RagStatus.choices),
            "measure_labels": dict(measures.catalogue()),
        },
    )
