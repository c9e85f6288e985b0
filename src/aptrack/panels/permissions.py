"""Who may see and run which panel and meeting.

- LA officers and managers of the panel's LA manage it: members, meetings, agendas, attendance,
  actions, closing. LA managers may also record decisions.
- Panel members (role PANEL_MEMBER, linked through PanelMember.user) see the panels they sit
  on and their meetings; a chair runs the meeting and records its decisions. What they see of
  an agenda (the children, their referrals and the decisions) is `scope_agenda_items`: the rule
  "What a panel member sees" in docs/rules.md, which children and referral scoping also call.
- Every other role gets 403; users of another LA, or members of another panel, get 404.
"""

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, QuerySet

from aptrack.accounts.roles import Role
from aptrack.panels.models import AgendaItem, Meeting, MeetingStatus, Panel, PanelMember
from aptrack.referrals.models import Referral

if TYPE_CHECKING:
    from aptrack.accounts.models import User

MANAGER_ROLES = frozenset({Role.LA_OFFICER, Role.LA_MANAGER})
PANEL_ROLES = frozenset({Role.LA_OFFICER, Role.LA_MANAGER, Role.PANEL_MEMBER})


def _role(user: "User") -> str | None:
    return getattr(user, "role", None)


def _la_id(user: "User") -> int | None:
    return getattr(getattr(user, "organisation", None), "local_authority_id", None)


def can_use_panels(user: "User") -> bool:
    return bool(getattr(user, "is_authenticated", False)) and _role(user) in PANEL_ROLES


def scope_panels(user: "User") -> QuerySet[Panel]:
    if not can_use_panels(user) or not getattr(user, "organisation_id", None):
        return Panel.objects.none()
    if _role(user) in MANAGER_ROLES:
        la_id = _la_id(user)
        return Panel.objects.filter(local_authority_id=la_id) if la_id else Panel.objects.none()
    return Panel.objects.filter(
        pk__in=PanelMember.objects.filter(user=user, is_active=True).values("panel_id")
    )


def scope_meetings(user: "User") -> QuerySet[Meeting]:
    return Meeting.objects.filter(panel__in=scope_panels(user))


def can_create_panels(user: "User") -> bool:
    return _role(user) in MANAGER_ROLES and _la_id(user) is not None


def can_manage_panel(user: "User", panel: Panel) -> bool:
    return _role(user) in MANAGER_ROLES and _la_id(user) == panel.local_authority_id


def is_member(user: "User", panel: Panel) -> bool:
    if not getattr(user, "pk", None):
        return False
    return PanelMember.objects.filter(panel=panel, user=user, is_active=True).exists()


def is_chair(user: "User", panel: Panel, *, on: dt.date | None = None) -> bool:
    """The panel's active chair; with `on`, one who had joined the panel by that day."""
    if not can_use_panels(user) or not getattr(user, "pk", None):
        return False
    chairs = PanelMember.objects.filter(panel=panel, user=user, is_active=True, is_chair=True)
    if on is not None:
        chairs = chairs.filter(joined_date__lte=on)
    return chairs.exists()


def can_run_meeting(user: "User", meeting: Meeting) -> bool:
    """Attendance, actions, carrying items forward and closing: the LA's clerks or the chair."""
    return can_manage_panel(user, meeting.panel) or is_chair(user, meeting.panel)


def can_record_decision(user: "User", meeting: Meeting) -> bool:
    """An LA manager of the panel's LA, or its chair if they had joined by the meeting's date
    (as for what a member sees: `scope_agenda_items`)."""
    panel = meeting.panel
    manager = _role(user) == Role.LA_MANAGER and _la_id(user) == panel.local_authority_id
    return manager or is_chair(user, panel, on=meeting.date)


def scope_agenda_items(user: "User") -> QuerySet[AgendaItem]:
    """The agenda items (and so the children, referrals and decisions on them) this user sees.

    - LA officers and managers: every item of their LA's panels (they run them).
    - Panel members: an item of a meeting of a panel they belong to (active membership),
      held on or after the day they joined, and only while that meeting is not closed.
    - Everyone else: none.
    """
    if not can_use_panels(user) or not getattr(user, "organisation_id", None):
        return AgendaItem.objects.none()
    if _role(user) in MANAGER_ROLES:
        la_id = _la_id(user)
        if la_id is None:
            return AgendaItem.objects.none()
        return AgendaItem.objects.filter(meeting__panel__local_authority_id=la_id)
    member_when_held = PanelMember.objects.filter(
        user=user,
        is_active=True,
        panel=OuterRef("meeting__panel"),
        joined_date__lte=OuterRef("meeting__date"),
    )
    return AgendaItem.objects.filter(Exists(member_when_held)).exclude(
        meeting__status=MeetingStatus.CLOSED
    )


def can_see_agenda(user: "User", meeting: Meeting) -> bool:
    """The meeting's agenda items, pack and the children in its minutes: scope_agenda_items for
    one meeting (all of a meeting's items share the conditions)."""
    if can_manage_panel(user, meeting.panel):
        return True
    if (
        meeting.status == MeetingStatus.CLOSED
        or _role(user) != Role.PANEL_MEMBER
        or not getattr(user, "pk", None)
    ):
        return False
    return PanelMember.objects.filter(
        panel=meeting.panel,
        user=user,
        is_active=True,
        joined_date__lte=meeting.date,
    ).exists()


def can_see_pack(user: "User", meeting: Meeting) -> bool:
    return can_see_agenda(user, meeting)


def scope_referrals(user: "User") -> QuerySet[Referral]:
    """A panel member's referrals: those on an agenda item they see (`scope_agenda_items`);
    registered as the panel member's scope in `referrals.permissions.scope_referrals`."""
    return Referral.objects.filter(pk__in=scope_agenda_items(user).values("referral_id"))
