"""Django's model backend, loading the signed-in user with their organisation and its LA.

Nearly every page reads all three (the service navigation, and who may see what), so
``get_user`` fetches them in one query with ``select_related`` rather than three. Everything
else (passwords, permissions, refusing inactive users) is Django's ``ModelBackend``.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserWithOrganisationBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        users = get_user_model()._default_manager.select_related("organisation__local_authority")
        try:
            user = users.get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
