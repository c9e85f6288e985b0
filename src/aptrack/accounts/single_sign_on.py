"""Single sign-on for LA staff through their council's OpenID Connect provider (Microsoft Entra ID
or any other), by mozilla-django-oidc.

Switched on by setting OIDC_RP_CLIENT_ID (see settings). The provider vouches for an email
address; aptrack signs in the one active LA user with that address and never creates a user or
gives a role: an unknown, ambiguous or non-LA address is refused and the person is sent back to
the sign-in page. The council's provider does its own second factor, so a single sign-on
session is not asked for aptrack's TOTP code (`two_factor.TwoFactorMiddleware`).
"""

from typing import Any

import jwt
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from aptrack.accounts.models import User

BACKEND = "aptrack.accounts.single_sign_on.LocalAuthorityStaffBackend"


TOKEN_REFUSED = "The sign-in token is not for aptrack, has expired or is not signed by the provider"


class LocalAuthorityStaffBackend(OIDCAuthenticationBackend):
    def get_payload_data(self, token: str, key: Any) -> dict[str, Any]:
        """The ID token's claims, checked for the provider's signature, its expiry and that it was
        issued to aptrack (mozilla-django-oidc leaves the audience unchecked)."""
        try:
            return jwt.decode(
                token, key, algorithms=[self.OIDC_RP_SIGN_ALGO], audience=self.OIDC_RP_CLIENT_ID
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(TOKEN_REFUSED) from error

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        email = (claims.get("email") or "").strip()
        if not email or claims.get("email_verified") is False:
            return User.objects.none()
        return User.objects.filter(
            email__iexact=email, is_active=True, organisation__kind="LOCAL_AUTHORITY"
        ).select_related("organisation__local_authority")

    def create_user(self, claims: dict[str, Any]) -> None:
        return None  # never: an LA's users and roles are made in aptrack

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        return user  # the provider does not change a name, email or role here
