"""Who may see and change the provider register.

The register is shared by every LA, so a provider's record has parts with different owners:

- registration facts (name, type, where it is based, URN, UKPRN or setting type, Ofsted): from
  the GIAS import, or a QA lead of an LA that commissions from the provider or where it is based;
- what the provider says about itself (contact details, its offer and published rates, its
  sites): the provider's own staff, or such a QA lead;
- each LA's relationship with the provider (its standing on the LA's framework, its notes and
  the rates it has agreed): that LA's own staff, for their own LA's row only. Standing is moved
  by an LA manager or QA lead; notes and agreed rates by any LA officer, manager or QA lead.

No LA officer changes anything another LA sees. Every change is audited with the organisation
of the person who made it (services do that). Views offer only what these functions allow.
"""

from aptrack.accounts.models import User
from aptrack.accounts.roles import LA_ROLES, Role
from aptrack.providers import selectors
from aptrack.providers.models import Provider

APPROVAL_ROLES = frozenset({Role.LA_MANAGER, Role.QA_LEAD})

# Field groups of the provider form, by owner (form field names: `urn` stands for the establishment).
REGISTRATION_FIELDS = frozenset(
    {
        "name",
        "kind",
        "home_la",
        "urn",
        "ukprn",
        "setting_type",
        "ofsted_judgement",
        "ofsted_date",
    }
)
CONTACT_FIELDS = frozenset({"contact_email", "contact_phone"})
OFFER_FIELDS = frozenset(
    {
        "offers_tier_1",
        "offers_tier_2",
        "offers_tier_3",
        "key_stages",
        "teaches_english_and_maths",
        "qualifications",
        "therapeutic_offer",
        "hours_per_week",
        "capacity",
        "daily_rate",
        "hourly_rate",
    }
)


def _role(user: User) -> str | None:
    return getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None


def user_la_id(user: User) -> int | None:
    """The LA an LA officer, manager or QA lead works for; None for everyone else."""
    if _role(user) in LA_ROLES and user.organisation:
        return user.organisation.local_authority_id
    return None


def _is_own_staff(user: User, provider: Provider) -> bool:
    return _role(user) == Role.PROVIDER_STAFF and user.organisation_id == provider.organisation_id


def _is_qa_lead_for(user: User, provider: Provider) -> bool:
    if _role(user) != Role.QA_LEAD:
        return False
    la_id = user_la_id(user)
    return la_id is not None and la_id in selectors.list_interested_la_ids(provider=provider)


def can_view_register(user: User) -> bool:
    """The register holds no child data: every signed-in user with a role may read it."""
    return bool(_role(user))


def can_add_provider(user: User) -> bool:
    """Any LA officer, manager or QA lead may put a new provider on the register (it is nobody's
    yet); once it is there, its registration facts are changed only by GIAS or a QA lead."""
    return user_la_id(user) is not None


def can_change_registration(user: User, provider: Provider) -> bool:
    """Name, type, home LA, URN/UKPRN/setting type and Ofsted: a QA lead of an LA that commissions
    from the provider or where it is based (the GIAS import changes them without a user)."""
    return _is_qa_lead_for(user, provider)


def can_change_contact(user: User, provider: Provider) -> bool:
    """Contact email and phone: the provider's own staff, or a QA lead for the provider."""
    return _is_own_staff(user, provider) or _is_qa_lead_for(user, provider)


def can_change_offer(user: User, provider: Provider) -> bool:
    """Tiers, key stages, qualifications, hours, capacity and published rates: the provider's own
    staff, or a QA lead for the provider."""
    return _is_own_staff(user, provider) or _is_qa_lead_for(user, provider)


def can_add_site(user: User, provider: Provider) -> bool:
    """A delivery site: the provider's own staff, or a QA lead for the provider."""
    return _is_own_staff(user, provider) or _is_qa_lead_for(user, provider)


def changeable_provider_fields(user: User, provider: Provider) -> frozenset[str]:
    """The provider form's fields this user may change on this provider (empty: none)."""
    fields: frozenset[str] = frozenset()
    if can_change_registration(user, provider):
        fields |= REGISTRATION_FIELDS
    if can_change_contact(user, provider):
        fields |= CONTACT_FIELDS
    if can_change_offer(user, provider):
        fields |= OFFER_FIELDS
    return fields


def can_change_standing(user: User) -> bool:
    """An LA manager or QA lead moves the provider's standing on their own LA's framework only
    (the LA is always the user's own)."""
    return _role(user) in APPROVAL_ROLES and user_la_id(user) is not None


def can_change_relationship(user: User) -> bool:
    """Any LA officer, manager or QA lead keeps their own LA's notes and agreed rates for a
    provider (the LA is always the user's own)."""
    return user_la_id(user) is not None
