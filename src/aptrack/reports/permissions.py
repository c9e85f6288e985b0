"""Who writes and reads provider reports and incidents. Placements come only from
`placements.permissions.scope_placements(user)` (the child in the user's scope; provider staff
their own provider's placements); on top of that:

- reports: provider staff write and read those of their own placements; LA officers and managers
  read those of the placements their LA answers for (`la_placements_q`: what it commissions, and
  what schools commission for its children); school staff read those of a dual-registered
  child's placement they see;
- incidents are restricted further: the organisation that recorded one (the provider, or the
  dual-registered child's school) reads it, and so do the answering LA's officers and managers
  and, for a child in their scope, the social worker and virtual school head. Nobody else.
"""

from django.db.models import Q, QuerySet

from aptrack.accounts.models import User
from aptrack.accounts.roles import Role
from aptrack.children.models import Child
from aptrack.children.permissions import scope_children
from aptrack.placements import rules as placement_rules
from aptrack.placements.models import Placement
from aptrack.placements.permissions import scope_placements
from aptrack.reports.models import Incident, ProviderReport

LA_ROLES = frozenset({Role.LA_OFFICER, Role.LA_MANAGER})
REPORT_READER_ROLES = LA_ROLES | {Role.PROVIDER_STAFF, Role.SCHOOL_STAFF}
INCIDENT_RECORDER_ROLES = frozenset({Role.PROVIDER_STAFF, Role.SCHOOL_STAFF})
INCIDENT_READER_ROLES = (
    LA_ROLES | INCIDENT_RECORDER_ROLES | {Role.SOCIAL_WORKER, Role.VIRTUAL_SCHOOL_HEAD}
)


def _role(user: User) -> str | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "organisation_id", None):
        return None
    return getattr(user, "role", None)


def _la_id(user: User) -> int | None:
    return user.organisation.local_authority_id if user.organisation else None


def report_placements(user: User, *, child: Child | None = None) -> QuerySet[Placement]:
    """The placements whose reports `user` reads; with `child`, only that child's."""
    role = _role(user)
    if role not in REPORT_READER_ROLES:
        return Placement.objects.none()
    placements = scope_placements(user, child=child)
    if role in LA_ROLES:
        if child is not None:  # one child's placements: the rule with the child in hand
            return placements.filter(placement_rules.child_la_placements_q(_la_id(user), child))
        return placements.filter(placement_rules.la_placements_q(_la_id(user)))
    if role == Role.SCHOOL_STAFF:
        return placements.filter(dual_registered=True)
    return placements  # provider staff: their own provider's


def scope_reports(user: User) -> QuerySet[ProviderReport]:
    return ProviderReport.objects.filter(placement__in=report_placements(user))


def can_read_reports(user: User, placement: Placement) -> bool:
    return report_placements(user).filter(pk=placement.pk).exists()


def can_write_report(user: User, placement: Placement) -> bool:
    """Only the placement's provider writes its reports."""
    return (
        _role(user) == Role.PROVIDER_STAFF
        and placement.provider_id == user.organisation_id
        and scope_placements(user).filter(pk=placement.pk).exists()
    )


def can_see_overdue_reports(user: User) -> bool:
    return _role(user) in LA_ROLES


def overdue_reports_la_id(user: User) -> int | None:
    """The LA whose overdue provider reports the user sees (their own), or None for anyone
    else."""
    return _la_id(user) if can_see_overdue_reports(user) else None


def can_record_incident(user: User, placement: Placement) -> bool:
    """The placement's provider; or the school of a dual-registered child that sees it."""
    role = _role(user)
    if role == Role.PROVIDER_STAFF:
        return can_write_report(user, placement)
    if role == Role.SCHOOL_STAFF:
        return placement.dual_registered and scope_placements(user).filter(pk=placement.pk).exists()
    return False


def scope_incidents(user: User) -> QuerySet[Incident]:
    role = _role(user)
    if role not in INCIDENT_READER_ROLES:
        return Incident.objects.none()
    incidents = Incident.objects.filter(child__in=scope_children(user).values("pk"))
    if role in LA_ROLES:
        return incidents.filter(placement_rules.la_placements_q(_la_id(user), prefix="placement__"))
    if role in INCIDENT_RECORDER_ROLES:
        own = Q(recorded_by_organisation_id=user.organisation_id)
        if role == Role.PROVIDER_STAFF:
            own |= Q(placement__provider_id=user.organisation_id)
        return incidents.filter(own)
    return incidents  # social workers and virtual school heads: children in their scope


def can_read_incidents(user: User) -> bool:
    return _role(user) in INCIDENT_READER_ROLES
