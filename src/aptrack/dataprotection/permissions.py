"""Who may use the data protection pages."""

from aptrack.accounts.roles import Role


def can_export_audit_log(user: object) -> bool:
    """The LA manager (who sees children's audit trails) may download their LA's audit log."""
    organisation = getattr(user, "organisation", None)
    return (
        getattr(user, "role", None) == Role.LA_MANAGER
        and getattr(organisation, "local_authority_id", None) is not None
    )
