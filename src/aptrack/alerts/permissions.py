"""Who sees which alert. Children come only from `scope_children(user)`; on top of that:

- LA officers and managers see the alerts raised to their own LA;
- social workers and virtual school heads see the alerts escalated to them, that is escalated
  alerts about children in their scope (their caseload; children in their LA's care).

Everyone else (provider and school staff, QA leads, panel members, analysts) sees none.
"""

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from aptrack.accounts.roles import Role
from aptrack.alerts.models import Alert
from aptrack.children.permissions import scope_children

if TYPE_CHECKING:
    from aptrack.accounts.models import User

LA_ALERT_ROLES = frozenset({Role.LA_OFFICER, Role.LA_MANAGER})
ESCALATION_ROLES = frozenset({Role.SOCIAL_WORKER, Role.VIRTUAL_SCHOOL_HEAD})
ALERT_ROLES = LA_ALERT_ROLES | ESCALATION_ROLES


def can_use_alerts(user: "User") -> bool:
    return getattr(user, "role", None) in ALERT_ROLES and bool(
        getattr(user, "organisation_id", None)
    )


def scope_alerts(user: "User") -> QuerySet[Alert]:
    """The alerts this user may see and act on."""
    if not getattr(user, "is_authenticated", False) or not can_use_alerts(user):
        return Alert.objects.none()
    alerts = Alert.objects.filter(child__in=scope_children(user).values("pk"))
    if user.role in LA_ALERT_ROLES:
        la_id = user.organisation.local_authority_id if user.organisation else None
        return alerts.filter(local_authority_id=la_id) if la_id else Alert.objects.none()
    return alerts.filter(escalated_at__isnull=False)


def can_act_on_alert(user: "User", alert: Alert) -> bool:
    return scope_alerts(user).filter(pk=alert.pk).exists()
