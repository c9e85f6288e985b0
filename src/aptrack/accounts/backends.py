"""Django's model backend, loading a signed-in user with their organisation and its LA in one
query: nearly every page reads both (the navigation, and who may see what)."""

from typing import Any

from django.contrib.auth.backends import ModelBackend


class UserWithOrganisationBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        from aptrack.accounts.models import User

        user = (
            User._default_manager.select_related("organisation__local_authority")
            .filter(pk=user_id).first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
