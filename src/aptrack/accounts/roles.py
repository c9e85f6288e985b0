"""The roles of domain.md's "Who uses it" table, and which organisation kinds may hold each."""

from django.db import models


class Role(models.TextChoices):
    LA_OFFICER = "LA_OFFICER", "LA AP officer"
    LA_MANAGER = "LA_MANAGER", "LA manager"
    PANEL_MEMBER = "PANEL_MEMBER", "Panel member"
    PROVIDER_STAFF = "PROVIDER_STAFF", "Provider staff"
    SCHOOL_STAFF = "SCHOOL_STAFF", "School staff"
    SOCIAL_WORKER = "SOCIAL_WORKER", "Social worker"
    VIRTUAL_SCHOOL_HEAD = "VIRTUAL_SCHOOL_HEAD", "Virtual school head"
    QA_LEAD = "QA_LEAD", "QA lead"
    ANALYST = "ANALYST", "Regional or DfE analyst"
    LA_FINANCE = "LA_FINANCE", "LA finance officer"


ROLE_ORGANISATION_KINDS: dict[Role, frozenset[str]] = {
    Role.LA_OFFICER: frozenset({"LOCAL_AUTHORITY"}),
    Role.LA_MANAGER: frozenset({"LOCAL_AUTHORITY"}),
    Role.QA_LEAD: frozenset({"LOCAL_AUTHORITY"}),
    Role.PANEL_MEMBER: frozenset({"LOCAL_AUTHORITY", "AGENCY", "SCHOOL", "PROVIDER"}),
    Role.PROVIDER_STAFF: frozenset({"PROVIDER"}),
    Role.SCHOOL_STAFF: frozenset({"SCHOOL"}),
    Role.SOCIAL_WORKER: frozenset({"AGENCY", "LOCAL_AUTHORITY"}),
    Role.VIRTUAL_SCHOOL_HEAD: frozenset({"AGENCY", "LOCAL_AUTHORITY"}),
    Role.ANALYST: frozenset({"REGIONAL"}),
    Role.LA_FINANCE: frozenset({"LOCAL_AUTHORITY"}),
}

LA_ROLES = frozenset({Role.LA_OFFICER, Role.LA_MANAGER, Role.QA_LEAD})
CHILD_EDITOR_ROLES = frozenset({Role.LA_OFFICER, Role.LA_MANAGER})

# Roles that see the most children, or money: their local sign-in needs a second factor (TOTP)
# wherever APTRACK_REQUIRE_2FA is on (production's default). Anyone else may set one up.
TWO_FACTOR_ROLES = frozenset({Role.LA_MANAGER, Role.QA_LEAD, Role.ANALYST, Role.LA_FINANCE})
