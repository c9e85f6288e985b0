"""Panel and meeting pages: load through the scoped selectors, authorise, one service call,
render. The meeting page holds several small forms; each posts to its own view, which on
a refusal shows the meeting page again with that form's errors in the error summary."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from aptrack.accounts.requests import AuthenticatedHttpRequest
from aptrack.audit import reads
from aptrack.audit import services as audit
from aptrack.audit.models import Channel
from aptrack.core.concurrency import versioned
from aptrack.core.errors import add_service_errors
from aptrack.panels import permissions, selectors, services
from aptrack.panels.forms import (
    ActionForm,
    AgendaForm,
    AttendanceForm,
    CarryForwardForm,
    ConfirmForm,
    DecisionForm,
    MeetingForm,
    MemberForm,
    PanelForm,
)
from aptrack.panels.models import AgendaItem, Meeting, MeetingStatus, Panel
from aptrack.referrals import services as referral_services

# The refusals a meeting's forms show as a message at the top of the error summary.
_REFUSALS = (
    services.PanelNotAllowed,
    services.MeetingClosed,
    services.ReferralFromAnotherLA,
    services.AlreadyOnAgenda,
    services.AgendaItemSettled,
    services.QuorumNotMet,
    services.MeetingHasUndecidedItems,
    services.MeetingNotYetHeld,
    referral_services.ReferralMoveNotAllowed,
)


def _load_panel(request: AuthenticatedHttpRequest, panel_id: int) -> Panel:
    if not permissions.can_use_panels(request.user):
        raise PermissionDenied
    panel = selectors.get_panel(user=request.user, panel_id=panel_id)
    if panel is None:
        raise Http404("No panel found")
    return panel


def _load_meeting(request: AuthenticatedHttpRequest, meeting_id: int) -> Meeting:
    if not permissions.can_use_panels(request.user):
        raise PermissionDenied
    meeting = selectors.get_meeting(user=request.user, meeting_id=meeting_id)
    if meeting is None:
        raise Http404("No meeting found")
    return meeting


def _load_item(meeting: Meeting, item_id: int) -> AgendaItem:
    item = meeting.agenda.select_related("referral", "referral__child").filter(pk=item_id).first()
    if item is None:
        raise Http404("No agenda item found")
    item.meeting = meeting
    return item


def _meeting_url(meeting: Meeting, anchor: str = "") -> str:
    return reverse("panels:meeting", args=[meeting.pk]) + (f"#{anchor}" if anchor else "")


# --- panels ------------------------------------------------------------------------------------


@login_required
def panel_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_use_panels(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    return TemplateResponse(
        request,
        "panels/list.html",
        {
            "panels": selectors.list_panels(user=request.user, on=today),
            "upcoming": selectors.list_upcoming_meetings(user=request.user, on=today),
            "to_close": selectors.list_meetings_to_close(user=request.user, on=today),
            "can_create": permissions.can_create_panels(request.user),
        },
    )


@login_required
def panel_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_create_panels(request.user):
        raise PermissionDenied
    form = PanelForm(
        request.POST or None, initial={"kind": "AP", "quorum": 3, "quorum_agencies": 2}
    )
    if request.method == "POST" and form.is_valid():
        try:
            panel = services.create_panel(
                actor=request.user, at=timezone.now(), data=form.cleaned_data, where=request.path
            )
        except services.PanelInvalid as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{panel.name} has been set up: now add its members")
            return redirect("panels:detail", panel_id=panel.pk)
    return TemplateResponse(request, "panels/form.html", {"form": form, "title": "Set up a panel"})


@login_required
def panel_detail(request: AuthenticatedHttpRequest, panel_id: int) -> HttpResponse:
    panel = _load_panel(request, panel_id)
    return TemplateResponse(
        request,
        "panels/detail.html",
        {
            "panel": panel,
            "members": selectors.list_members(panel=panel),
            "meetings": selectors.list_meetings(panel=panel),
            "can_manage": permissions.can_manage_panel(request.user, panel),
        },
    )


@login_required
def panel_edit(request: AuthenticatedHttpRequest, panel_id: int) -> HttpResponse:
    panel = _load_panel(request, panel_id)
    if not permissions.can_manage_panel(request.user, panel):
        raise PermissionDenied
    form = versioned(PanelForm)(
        request.POST or None,
        initial={
            "name": panel.name,
            "kind": panel.kind,
            "quorum": panel.quorum,
            "quorum_agencies": panel.quorum_agencies,
            "version": panel.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_panel(
                actor=request.user,
                at=timezone.now(),
                panel=panel,
                data=form.cleaned_data,
                expected_version=form.cleaned_data["version"],
                where=request.path,
            )
        except services.PanelInvalid as error:
            add_service_errors(form, error)
        except services.PanelChangedElsewhere as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The panel has been updated")
            return redirect("panels:detail", panel_id=panel.pk)
    return TemplateResponse(
        request, "panels/form.html", {"form": form, "title": f"Change {panel.name}", "panel": panel}
    )


@login_required
def member_new(request: AuthenticatedHttpRequest, panel_id: int) -> HttpResponse:
    panel = _load_panel(request, panel_id)
    if not permissions.can_manage_panel(request.user, panel):
        raise PermissionDenied
    form = MemberForm(request.POST or None, users=selectors.list_linkable_users(panel=panel))
    if request.method == "POST" and form.is_valid():
        try:
            member = services.add_member(
                actor=request.user,
                at=timezone.now(),
                panel=panel,
                data=form.cleaned_data,
                where=request.path,
            )
        except services.PanelInvalid as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{member.name} has been added to the panel")
            return redirect("panels:detail", panel_id=panel.pk)
    return TemplateResponse(
        request,
        "panels/form.html",
        {
            "form": form,
            "title": f"Add a member to {panel.name}",
            "panel": panel,
        },
    )


@login_required
@require_POST
def member_remove(request: AuthenticatedHttpRequest, panel_id: int, member_id: int) -> HttpResponse:
    panel = _load_panel(request, panel_id)
    if not permissions.can_manage_panel(request.user, panel):
        raise PermissionDenied
    member = panel.members.filter(pk=member_id, is_active=True).first()
    if member is None:
        raise Http404("No member found")
    services.remove_member(actor=request.user, at=timezone.now(), member=member, where=request.path)
    messages.success(request, f"{member.name} is no longer a member of the panel")
    return redirect("panels:detail", panel_id=panel.pk)


@login_required
def meeting_new(request: AuthenticatedHttpRequest, panel_id: int) -> HttpResponse:
    panel = _load_panel(request, panel_id)
    if not permissions.can_manage_panel(request.user, panel):
        raise PermissionDenied
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.schedule_meeting(
                actor=request.user,
                at=timezone.now(),
                panel=panel,
                data=form.cleaned_data,
                where=request.path,
            )
        except services.PanelInvalid as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, "The meeting has been arranged: now add referrals to its agenda"
            )
            return redirect("panels:meeting", meeting_id=meeting.pk)
    return TemplateResponse(
        request,
        "panels/form.html",
        {
            "form": form,
            "title": f"Arrange a meeting of {panel.name}",
            "panel": panel,
        },
    )


# --- the meeting -------------------------------------------------------------------------------


def _meeting_page(
    request: AuthenticatedHttpRequest, meeting: Meeting, failed: tuple[str, Any] | None = None
) -> HttpResponse:
    """The meeting page, with `failed` = (which form, the bound form) shown with its errors."""
    user = request.user
    sees_agenda = permissions.can_see_agenda(user, meeting)
    agenda = list(selectors.list_agenda(meeting=meeting)) if sees_agenda else []
    attendance = selectors.list_attendance(meeting=meeting)
    is_open = meeting.status != MeetingStatus.CLOSED
    can_manage = permissions.can_manage_panel(user, meeting.panel)
    can_run = permissions.can_run_meeting(user, meeting)
    can_decide = permissions.can_record_decision(user, meeting)
    decided = {item.pk for item in agenda if selectors.get_decision(item) is not None}
    undecided = [
        item for item in agenda if item.pk not in decided and item.carried_forward_at is None
    ]
    forms: dict[str, Any] = {}
    shown = [item.referral.child_id for item in agenda]
    if is_open and can_manage:
        ready = selectors.list_referrals_ready_for_agenda(meeting=meeting)
        shown += [referral.child_id for referral in ready]
        forms["agenda"] = AgendaForm(referrals=ready)
    if is_open and can_run and sees_agenda:
        forms["attendance"] = AttendanceForm(
            members=[row.member for row in attendance if row.member.is_active],
            initial={"present": [str(row.member.pk) for row in attendance if row.present]},
        )
        forms["action"] = ActionForm(
            items=meeting.agenda.select_related("referral__child").order_by("position")
        )
    today = timezone.localdate()
    is_held = meeting.date <= today
    if is_open and can_decide and is_held:
        providers = selectors.list_proposable_providers(panel=meeting.panel)
        for item in undecided:
            forms[f"decision-{item.pk}"] = DecisionForm(
                prefix=f"item-{item.pk}",
                providers=providers,
                initial={"approved_tier": item.referral.proposed_tier},
            )
    failed_form = None
    if failed is not None:
        forms[failed[0]] = failed_form = failed[1]
    context = {
        "meeting": meeting,
        "panel": meeting.panel,
        "agenda": agenda,
        "decisions": {item.pk: selectors.get_decision(item) for item in agenda},
        "attendance": attendance,
        "quorum": selectors.get_quorum(meeting=meeting),
        "actions": selectors.list_actions(meeting=meeting) if sees_agenda else [],
        "forms": forms,
        "failed_key": failed[0] if failed else None,
        "is_open": is_open,
        "is_held": is_held,
        "can_manage": can_manage,
        "can_run": can_run,
        "can_decide": can_decide,
        "can_see_pack": permissions.can_see_pack(user, meeting),
        "who_decides": selectors.describe_who_decides(meeting=meeting),
        "today": today,
        "sees_agenda": sees_agenda,
    }
    if failed_form is not None:
        context["form"] = failed_form  # the layout's error summary reads `form`
    reads.record_reads(request, children=shown)
    return TemplateResponse(request, "panels/meeting.html", context)


@login_required
def meeting_detail(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    return _meeting_page(request, _load_meeting(request, meeting_id))


@login_required
@require_POST
def agenda_add(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _load_meeting(request, meeting_id)
    if not permissions.can_manage_panel(request.user, meeting.panel):
        raise PermissionDenied
    form = AgendaForm(
        request.POST, referrals=selectors.list_referrals_ready_for_agenda(meeting=meeting)
    )
    if form.is_valid():
        try:
            item = services.add_to_agenda(
                actor=request.user,
                at=timezone.now(),
                channel=Channel.WEB,
                meeting=meeting,
                referral=form.cleaned_data["referral"],
                where=request.path,
            )
        except _REFUSALS as error:
            form.add_error("referral", str(error))
        else:
            messages.success(
                request,
                f"{item.referral.child.full_name} has been added to the agenda as item {item.position}",
            )
            return redirect(_meeting_url(meeting, "agenda"))
    return _meeting_page(request, meeting, ("agenda", form))


@login_required
@require_POST
def attendance(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _load_meeting(request, meeting_id)
    if not permissions.can_run_meeting(request.user, meeting):
        raise PermissionDenied
    members = [
        row.member for row in selectors.list_attendance(meeting=meeting) if row.member.is_active
    ]
    form = AttendanceForm(request.POST, members=members)
    if form.is_valid():
        try:
            services.record_attendance(
                actor=request.user,
                at=timezone.now(),
                meeting=meeting,
                present_member_ids=form.present_ids(),
                where=request.path,
            )
        except services.PanelInvalid as error:
            add_service_errors(form, error)
        except _REFUSALS as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Attendance has been recorded")
            return redirect(_meeting_url(meeting, "attendance"))
    return _meeting_page(request, meeting, ("attendance", form))


@login_required
@require_POST
def decision(request: AuthenticatedHttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting = _load_meeting(request, meeting_id)
    if not permissions.can_record_decision(request.user, meeting):
        raise PermissionDenied
    item = _load_item(meeting, item_id)
    form = DecisionForm(
        request.POST,
        prefix=f"item-{item.pk}",
        providers=selectors.list_proposable_providers(panel=meeting.panel),
    )
    if form.is_valid():
        try:
            services.record_decision(
                actor=request.user,
                at=timezone.now(),
                channel=Channel.WEB,
                agenda_item=item,
                data=form.cleaned_data,
                where=request.path,
            )
        except services.PanelInvalid as error:
            add_service_errors(form, error)
        except _REFUSALS as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"The decision on item {item.position} has been recorded")
            return redirect(_meeting_url(meeting, f"item-{item.position}"))
    return _meeting_page(request, meeting, (f"decision-{item.pk}", form))


@login_required
def carry_forward(request: AuthenticatedHttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting = _load_meeting(request, meeting_id)
    if not permissions.can_run_meeting(request.user, meeting):
        raise PermissionDenied
    item = _load_item(meeting, item_id)
    form = CarryForwardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.carry_forward_item(
                actor=request.user,
                at=timezone.now(),
                channel=Channel.WEB,
                agenda_item=item,
                reason=form.cleaned_data["reason"],
                where=request.path,
            )
        except services.PanelInvalid as error:
            add_service_errors(form, error)
        except _REFUSALS as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"Item {item.position} has been carried forward: the referral is deferred"
            )
            return redirect(_meeting_url(meeting, f"item-{item.position}"))
    audit.record_view(
        actor=request.user,
        at=timezone.now(),
        channel=Channel.WEB,
        child=item.referral.child,
        where=request.path,
    )
    return TemplateResponse(
        request, "panels/carry_forward.html", {"form": form, "meeting": meeting, "item": item}
    )


@login_required
@require_POST
def action_new(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _load_meeting(request, meeting_id)
    if not permissions.can_run_meeting(request.user, meeting):
        raise PermissionDenied
    form = ActionForm(
        request.POST, items=meeting.agenda.select_related("referral__child").order_by("position")
    )
    if form.is_valid():
        try:
            services.add_action(
                actor=request.user,
                at=timezone.now(),
                meeting=meeting,
                data=form.cleaned_data,
                where=request.path,
            )
        except services.PanelInvalid as error:
            add_service_errors(form, error)
        except _REFUSALS as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The action has been recorded")
            return redirect(_meeting_url(meeting, "actions"))
    return _meeting_page(request, meeting, ("action", form))


@login_required
@require_POST
def action_done(request: AuthenticatedHttpRequest, meeting_id: int, action_id: int) -> HttpResponse:
    meeting = _load_meeting(request, meeting_id)
    if not permissions.can_run_meeting(request.user, meeting):
        raise PermissionDenied
    action = meeting.actions.filter(pk=action_id).first()
    if action is None:
        raise Http404("No action found")
    action.meeting = meeting
    services.complete_action(
        actor=request.user,
        at=timezone.now(),
        action=action,
        done_date=timezone.localdate(),
        where=request.path,
    )
    messages.success(request, "The action has been marked as done")
    return redirect(_meeting_url(meeting, "actions"))


@login_required
def close(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _load_meeting(request, meeting_id)
    if not permissions.can_run_meeting(request.user, meeting):
        raise PermissionDenied
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.close_meeting(
                actor=request.user, at=timezone.now(), meeting=meeting, where=request.path
            )
        except _REFUSALS as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The meeting has been closed and its minutes are final")
            return redirect("panels:minutes", meeting_id=meeting.pk)
    minutes = selectors.get_minutes(meeting=meeting)
    return TemplateResponse(
        request,
        "panels/close.html",
        {
            "form": form,
            "meeting": meeting,
            "minutes": minutes,
            "is_held": meeting.date <= timezone.localdate(),
            "undecided": [i for i in minutes.items if i.outcome == "Not yet decided"],
        },
    )


@login_required
def pack(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _load_meeting(request, meeting_id)
    if not permissions.can_see_pack(request.user, meeting):
        raise PermissionDenied
    meeting_pack = selectors.get_meeting_pack(meeting=meeting, on=timezone.localdate())
    reads.record_reads(request, children=[entry.child for entry in meeting_pack.items])
    return TemplateResponse(request, "panels/pack.html", {"pack": meeting_pack, "meeting": meeting})


@login_required
def minutes(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _load_meeting(request, meeting_id)
    sees_agenda = permissions.can_see_agenda(request.user, meeting)
    return TemplateResponse(
        request,
        "panels/minutes.html",
        {
            "minutes": selectors.get_minutes(meeting=meeting, with_agenda=sees_agenda),
            "meeting": meeting,
            "can_open_referrals": sees_agenda,
            "sees_agenda": sees_agenda,
        },
    )
