"""Django's model backend, loading a signed-in user with their organisation and its LA in one
query: nearly every page reads both (the navigation, and who may see what).

The query is written out once per process from the models' fields rather than built by the ORM
on every request: compiling ``select_related`` took longer than the database took to answer.
The instances are made the way the ORM makes them (``Model.from_db``), with the organisation and
its LA cached on them as ``select_related`` would, so nothing else can tell the difference."""

from __future__ import annotations

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
    via: str | None  # the foreign key on the previous part that this part is cached under
    converters: list[tuple[int, Any, list[Any]]]  # (position, column, converters) where any


@dataclass(frozen=True)
class _Statement:
    sql: str
    parts: list[_Part]


@cache
def _statement(alias: str) -> _Statement:
    """SELECT the user, their organisation and its LA, joined left (both may be missing)."""
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
    for model, _fk, table in chain:
        fields = model._meta.concrete_fields
        columns += [f"{table}.{quote(f.column)}" for f in fields]
        converters = [  # as the ORM's compiler finds them: the backend's, then the field's
            (i, f.cached_col, found) for i, f in enumerate(fields)
            if (found := ops.get_db_converters(f.cached_col) + f.cached_col.get_db_converters(connections[alias]))
        ]
        parts.append(_Part(model, [f.attname for f in fields], _fk.name if _fk is not None else None, converters))
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(User._meta.db_table)} u "
        f"LEFT JOIN {quote(organisation._meta.db_table)} o ON o.{quote(organisation._meta.pk.column)} = "
        f"u.{quote(organisation_fk.column)} "
        f"LEFT JOIN {quote(la._meta.db_table)} l ON l.{quote(la._meta.pk.column)} = o.{quote(la_fk.column)} "
        f"WHERE u.{quote(User._meta.pk.column)} = %s"
    )
    return _Statement(sql, parts)


def load_user(user_id: Any) -> Any:
    """The user with this primary key, their organisation and its LA loaded with them; or None."""
    from aptrack.accounts.models import User

    try:
        pk = User._meta.pk.to_python(user_id)
    except ValidationError:  # a session naming a user id of the wrong kind: nobody is signed in
        return None
    alias = router.db_for_read(User)
    connection = connections[alias]
    statement = _statement(alias)
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    instances: list[models.Model | None] = []
    start = 0
    for part in statement.parts:
        values = list(row[start:start + len(part.attnames)])
        start += len(part.attnames)
        for i, column, converters in part.converters:
            for convert in converters:
                values[i] = convert(values[i], column, connection)
        parent = instances[-1] if instances else None
        instance = None if values[0] is None else part.model.from_db(alias, part.attnames, values)
        if part.via is not None and parent is not None:
            parent._meta.get_field(part.via).set_cached_value(parent, instance)
        instances.append(instance)
    return instances[0]


class UserWithOrganisationBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        user = load_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
