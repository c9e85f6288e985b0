"""Who sees and decides which invoices. An LA finance officer sees the invoice lines of their
own LA (the LA that answers for the line's placement, else the child's home LA, else the
provider's: `reconcile`), and decides them; provider staff see their own provider's invoices,
and send them. No one else sees an invoice. Invoice lines name children: their pages record
each child shown (`audit.reads`)."""

from django.db.models import Exists, OuterRef, QuerySet

from aptrack.accounts.models import User
from aptrack.accounts.roles import Role
from aptrack.commissioning.models import Invoice, InvoiceLine


def finance_la_of(user: User) -> int | None:
    """The LA of an LA finance officer; None for anyone else."""
    if getattr(user, "role", None) != Role.LA_FINANCE:
        return None
    return user.organisation.local_authority_id if user.organisation else None


def provider_of(user: User) -> int | None:
    """The provider organisation of provider staff; None for anyone else."""
    if getattr(user, "role", None) != Role.PROVIDER_STAFF:
        return None
    return user.organisation_id


def scope_lines(user: User) -> QuerySet[InvoiceLine]:
    la_id = finance_la_of(user)
    if la_id is not None:
        return InvoiceLine.objects.filter(local_authority_id=la_id)
    provider_id = provider_of(user)
    if provider_id is not None:
        return InvoiceLine.objects.filter(provider_id=provider_id)
    return InvoiceLine.objects.none()


def scope_invoices(user: User) -> QuerySet[Invoice]:
    la_id = finance_la_of(user)
    if la_id is not None:
        return Invoice.objects.filter(
            Exists(InvoiceLine.objects.filter(invoice=OuterRef("pk"), local_authority_id=la_id))
        )
    provider_id = provider_of(user)
    if provider_id is not None:
        return Invoice.objects.filter(provider_id=provider_id)
    return Invoice.objects.none()


def can_decide_lines(user: User) -> bool:
    return finance_la_of(user) is not None


def can_send_invoices(user: User) -> bool:
    return provider_of(user) is not None


SPEND_ROLES = frozenset({Role.LA_MANAGER, Role.LA_FINANCE})


def spend_la_of(user: User) -> int | None:
    """The LA whose spend the user sees: its managers and finance officers; None for anyone
    else."""
    if getattr(user, "role", None) not in SPEND_ROLES:
        return None
    return user.organisation.local_authority_id if user.organisation else None


def can_view_spend(user: User) -> bool:
    return spend_la_of(user) is not None
