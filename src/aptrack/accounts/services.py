"""Writes for people and their API tokens."""

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from aptrack.accounts.models import ApiToken, User
from aptrack.accounts.roles import ROLE_ORGANISATION_KINDS, Role
from aptrack.core.errors import DomainInvalid
from aptrack.organisations.models import Organisation

ROLE_WRONG_ORGANISATION = "A {role} must belong to one of: {kinds}"
PASSWORD_REFUSED = "Choose a different password: {reasons}"


class UserInvalid(DomainInvalid):
    """A user the rules refuse: a role their organisation cannot hold, or a weak password."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_api_token(*, user: User, name: str, at: dt.datetime) -> tuple[ApiToken, str]:
    """Make a token for an organisation's system. The plain token is returned once, never stored."""
    token = "apt_" + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(
        user=user, name=name, digest=_digest(token), prefix=token[:8], created_at=at
    )
    return record, token


def authenticate_api_token(*, token: str, at: dt.datetime) -> User | None:
    record = (
        ApiToken.objects.select_related("user", "user__organisation")
        .filter(digest=_digest(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if record is None:
        return None
    ApiToken.objects.filter(pk=record.pk).update(last_used_at=at)
    return record.user


def create_user(
    *,
    username: str,
    password: str,
    organisation: Organisation,
    role: Role,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    """A user in one organisation with one role the organisation's kind allows, whose password
    passes AUTH_PASSWORD_VALIDATORS (at least 12 characters, not common, not all digits, not like
    their name or email)."""
    allowed = ROLE_ORGANISATION_KINDS[Role(role)]
    if organisation.kind not in allowed:
        raise UserInvalid(
            ROLE_WRONG_ORGANISATION.format(role=Role(role).label, kinds=", ".join(sorted(allowed)))
        )
    user = User(
        username=username,
        organisation=organisation,
        role=role,
        first_name=first_name,
        last_name=last_name,
        email=email,
    )
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise UserInvalid(PASSWORD_REFUSED.format(reasons=" ".join(error.messages))) from error
    user.set_password(password)
    user.save()
    return user
