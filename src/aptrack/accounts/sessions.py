"""Django's database session store, on a session model that names its user (accounts.Session),
read with one written-out statement that brings the user, their organisation and its LA with it.

Every signed-in page reads its session and then its user first; the ORM's compiling of those two
lookups, and the second trip to the database, took longer than the database took to answer.
Writing, expiry and clearing are Django's own.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from aptrack.accounts.backends import user_columns, user_from_row


class SessionStore(db.SessionStore):
    user_read_with_it: Any = None  # the user the session belonged to when it was read, if any

    @classmethod
    def get_model_class(cls) -> Any:
        from aptrack.accounts.models import Session

        return Session

    def create_model_instance(self, data: dict[str, Any]) -> Any:
        session = super().create_model_instance(data)
        user_id = data.get(SESSION_KEY)
        session.user_id = int(user_id) if user_id is not None and str(user_id).isdigit() else None
        return session

    def _get_session_from_db(self) -> Any:
        model = self.model
        alias = router.db_for_read(model)
        connection = connections[alias]
        quote = connection.ops.quote_name
        read = user_columns(alias)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT s.{quote('session_data')}, {read.columns} FROM {quote(model._meta.db_table)} s "
                f"LEFT JOIN {read.table} u ON u.{read.pk} = s.{quote('user_id')} {read.joins} "
                f"WHERE s.{quote('session_key')} = %s AND s.{quote('expire_date')} > %s",
                [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
        self.user_read_with_it = None
        if row is None:
            self._session_key = None
            return None
        self.user_read_with_it = user_from_row(alias, row[1:])
        return model(session_key=self.session_key, session_data=row[0])
