"""Django's model backend, loading a signed-in user with their organisation and its LA in one
query: nearly every page reads all three (the navigation, and who may see what).

The query is written out once per process from the models' fields rather than built by the ORM
on every request: compiling ``select_related`` took longer than the database took to answer.
The instances are made the way the ORM makes them (``Model.from_db``), with the organisation and
its LA cached on them as ``select_related`` would, so nothing else can tell the difference.

The session store reads the user in the same statement as the session (accounts/sessions.py);
while Django's ``auth.get_user`` runs for that request (accounts/middleware.py), the backend is
handed that user rather than reading it again.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, models, router


@dataclass(frozen=True)
class _Part:
    model: type[models.Model]
    attnames: list[str]
    via: Any  # the foreign key on the previous part that this part is cached under (None: the user)
    converters: list[tuple[int, Any, list[Any]]]  # (position, column, converters) where any


@dataclass(frozen=True)
class UserColumns:
    """The user (table alias ``u``), their organisation and its LA, as SQL to SELECT and JOIN."""

    table: str
    pk: str
    columns: str
    joins: str
    parts: list[_Part]


@cache
def user_columns(alias: str) -> UserColumns:
    from aptrack.accounts.models import User

    organisation_fk = User._meta.get_field("organisation")
    organisation = organisation_fk.related_model
    la_fk = organisation._meta.get_field("local_authority")
    la = la_fk.related_model
    ops = connections[alias].ops
    quote = ops.quote_name
    chain = [(User, None, "u"), (organisation, organisation_fk, "o"), (la, la_fk, "l")]
    columns: list[str] = []
    parts: list[_Part] = []
    for model, fk, table in chain:
        fields = model._meta.concrete_fields
        columns += [f"{table}.{quote(f.column)}" for f in fields]
        converters = [  # as the ORM's compiler finds them: the backend's, then the field's
            (i, f.cached_col, found) for i, f in enumerate(fields)
            if (found := ops.get_db_converters(f.cached_col) + f.cached_col.get_db_converters(connections[alias]))
        ]
        parts.append(_Part(model, [f.attname for f in fields], fk, converters))
    joins = (
        f"LEFT JOIN {quote(organisation._meta.db_table)} o ON o.{quote(organisation._meta.pk.column)} = "
        f"u.{quote(organisation_fk.column)} "
        f"LEFT JOIN {quote(la._meta.db_table)} l ON l.{quote(la._meta.pk.column)} = o.{quote(la_fk.column)}"
    )
    return UserColumns(quote(User._meta.db_table), quote(User._meta.pk.column), ", ".join(columns), joins, parts)


def user_from_row(alias: str, values: Sequence[Any]) -> Any:
    """The user made from a row of `user_columns`, organisation and LA cached on it; None when
    the row has no user."""
    connection = connections[alias]
    instances: list[models.Model | None] = []
    start = 0
    for part in user_columns(alias).parts:
        chunk = list(values[start:start + len(part.attnames)])
        start += len(part.attnames)
        for i, column, converters in part.converters:
            for convert in converters:
                chunk[i] = convert(chunk[i], column, connection)
        parent = instances[-1] if instances else None
        instance = None if chunk[0] is None else part.model.from_db(alias, part.attnames, chunk)
        if part.via is not None and parent is not None:
            part.via.set_cached_value(parent, instance)
        instances.append(instance)
    return instances[0]


def load_user(user_id: Any) -> Any:
    """The user with this primary key, their organisation and its LA loaded with them; or None."""
    from aptrack.accounts.models import User

    try:
        pk = User._meta.pk.to_python(user_id)
    except ValidationError:  # a session naming a user id of the wrong kind: nobody is signed in
        return None
    alias = router.db_for_read(User)
    read = user_columns(alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SELECT {read.columns} FROM {read.table} u {read.joins} WHERE u.{read.pk} = %s", [pk])
        row = cursor.fetchone()
    return None if row is None else user_from_row(alias, row)


_read_with_session: ContextVar[Any] = ContextVar("user_read_with_session", default=None)


@contextmanager
def read_with_session(user: Any) -> Iterator[None]:
    """While this runs, the backend is handed ``user`` when asked for a user with its pk."""
    token = _read_with_session.set(user)
    try:
        yield
    finally:
        _read_with_session.reset(token)


class UserWithOrganisationBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        found = _read_with_session.get()
        user = found if found is not None and str(found.pk) == str(user_id) else load_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
