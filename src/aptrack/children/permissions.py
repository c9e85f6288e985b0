"""Who may see and change which child. Every list, page, search, export and API path that
shows child data starts from `scope_children(user)`: one scoping function per role."""

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db.models import Exists, Model, OuterRef, QuerySet

from aptrack.accounts.roles import CHILD_EDITOR_ROLES, Role
from aptrack.children.answering_la import la_placements_q
from aptrack.children.models import Child

if TYPE_CHECKING:
    from aptrack.accounts.models import User


def _placements() -> QuerySet[Model]:
    """Children's placements, reached through the reverse relation (`Child.placements`): the
    placements app builds on children, so children's scoping imports nothing of it."""
    placement = Child._meta.get_field("placements").related_model
    assert isinstance(placement, type) and issubclass(placement, Model)
    return placement._default_manager.all()


def _none(user: "User") -> QuerySet[Child]:
    return Child.objects.none()


def _local_authority(user: "User") -> QuerySet[Child]:
    """LA roles see the children and placements of their LA (domain.md, "Who uses it")."""
    la_id = user.organisation.local_authority_id if user.organisation else None
    if la_id is None:
        return Child.objects.none()
    return children_of_la(la_id)


def children_of_la(la_id: int) -> QuerySet[Child]:
    """The children an LA holds: children who live in the LA, whom it looks after, or with a
    placement it answers for (`children.answering_la.la_placements_q`: its own commissions
    wherever the child lives, and schools' commissions for children living in the LA, whose
    oversight it holds)."""
    # One id list made of three index lookups (UNION): written as one OR with an EXISTS, the
    # planner reads every child in the country to test each (13 ms a count at national scale,
    # against 2 ms).
    ids = (
        Child.objects.filter(home_la_id=la_id)
        .order_by()
        .values("pk")
        .union(
            Child.objects.filter(responsible_la_id=la_id).order_by().values("pk"),
            _placements().filter(la_placements_q(la_id)).order_by().values("child_id"),
        )
    )
    return Child.objects.filter(pk__in=ids)


def _provider(user: "User") -> QuerySet[Child]:
    """Provider staff: only children placed with their own provider."""
    placed_here = _placements().filter(
        child=OuterRef("pk"),
        provider_id=user.organisation_id,
    )
    return Child.objects.filter(Exists(placed_here))


def _school(user: "User") -> QuerySet[Child]:
    """School staff: only their own pupils (the school is the child's home school)."""
    establishment_id = user.organisation.establishment_id if user.organisation else None
    if establishment_id is None:
        return Child.objects.none()
    return Child.objects.filter(home_school_id=establishment_id)


def _social_worker(user: "User") -> QuerySet[Child]:
    """Social workers: the children on their own caseload."""
    return Child.objects.filter(social_worker=user)


def _virtual_school_head(user: "User") -> QuerySet[Child]:
    """Virtual school heads: children in the care of their LA."""
    la_id = user.organisation.local_authority_id if user.organisation else None
    if la_id is None:
        return Child.objects.none()
    return Child.objects.filter(looked_after=True, responsible_la_id=la_id)


CHILD_SCOPES: dict[str, Callable[["User"], QuerySet[Child]]] = {
    Role.LA_OFFICER: _local_authority,
    Role.LA_MANAGER: _local_authority,
    # QA leads judge providers, not children: they see children only through a provider's
    # aggregate figures.
    Role.QA_LEAD: _none,
    # Panel members get no register: they see a child only in the panel's papers, through the
    # agenda items `panels.permissions.scope_agenda_items` gives them ("What a panel member
    # sees", docs/rules.md), and the referrals on those items.
    Role.PANEL_MEMBER: _none,
    Role.PROVIDER_STAFF: _provider,
    Role.SCHOOL_STAFF: _school,
    Role.SOCIAL_WORKER: _social_worker,
    Role.VIRTUAL_SCHOOL_HEAD: _virtual_school_head,
    # Analysts see aggregates only, never a child.
    Role.ANALYST: _none,
    # Finance officers get no register: they see a child only on their LA's invoice lines
    # (`commissioning.permissions.scope_lines`).
    Role.LA_FINANCE: _none,
}


# The roles with a register of children; the others see none, or aggregates only.
REGISTER_ROLES = frozenset(role for role, scope in CHILD_SCOPES.items() if scope is not _none)


def can_use_register(user: "User") -> bool:
    return getattr(user, "role", None) in REGISTER_ROLES


def scope_children(user: "User") -> QuerySet[Child]:
    """The children this user may see. No role or no organisation means none."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "organisation_id", None):
        return Child.objects.none()
    return CHILD_SCOPES.get(user.role, _none)(user)


# Where a child instance was read through a user's scope (`read_through_scope`): the user's
# id, role and organisation at the time.
_SCOPE_MARK = "_read_through_scope_of"


def _scope_key(user: "User") -> tuple[object, ...]:
    return (user.pk, getattr(user, "role", None), getattr(user, "organisation_id", None))


def mark_read_through_scope(user: "User", child: Child) -> Child:
    """Note on this instance that it was read through `scope_children(user)`, so the checks
    below need not ask the database again in the same request (the child record asked whether
    the officer may see the child three times). Only selectors that read from
    `scope_children(user)` call this."""
    child.__dict__[_SCOPE_MARK] = _scope_key(user)
    return child


def read_through_scope(user: "User", child: Child) -> bool:
    """Whether this instance was read through this user's scope, as they are now."""
    return child.__dict__.get(_SCOPE_MARK) == _scope_key(user)


def can_view_child(user: "User", child: Child) -> bool:
    if read_through_scope(user, child):
        return True
    return scope_children(user).filter(pk=child.pk).exists()


def can_register_child(user: "User") -> bool:
    return getattr(user, "role", None) in CHILD_EDITOR_ROLES and bool(
        getattr(user, "organisation_id", None)
    )


def can_edit_child(user: "User", child: Child) -> bool:
    return can_register_child(user) and can_view_child(user, child)


def can_see_audit_trail(user: "User", child: Child) -> bool:
    return getattr(user, "role", None) == Role.LA_MANAGER and can_view_child(user, child)


def can_export_subject_access(user: "User", child: Child) -> bool:
    """The subject-access export goes to those who see the audit trail (the LA manager, who
    answers subject access requests with the data protection officer)."""
    return can_see_audit_trail(user, child)
