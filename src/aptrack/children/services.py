"""Every write to the children register goes through here, and every write is audited."""

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

from aptrack.audit import services as audit
from aptrack.audit.models import AuditAction, AuditEvent, Channel
from aptrack.children import upn as upn_rules
from aptrack.children.models import Child
from aptrack.core import changes as data_changes
from aptrack.core.concurrency import RecordChangedElsewhere
from aptrack.core.errors import DomainInvalid
from aptrack.organisations.models import LocalAuthority

if TYPE_CHECKING:
    from aptrack.accounts.models import User

UPN_IN_USE = "A child with this UPN is already on the register"
ULN_INVALID = "ULN must be 10 numbers"
DOB_IN_FUTURE = "Date of birth must be in the past"
RESPONSIBLE_LA_NEEDED = "Select the local authority that looks after the child"
RECORD_CHANGED = (
    "Someone else changed this record while you were editing it. "
    "Your changes have not been saved: reload the page to see theirs."
)

EDITABLE_FIELDS = (
    "upn",
    "uln",
    "legal_first_name",
    "legal_last_name",
    "preferred_name",
    "date_of_birth",
    "sex",
    "ethnicity",
    "sen_status",
    "looked_after",
    "responsible_la",
    "social_care_status",
    "youth_justice",
    "fsm",
    "home_school",
    "home_la",
    "address_line_1",
    "town",
    "postcode",
    "uprn",
)


class ChildInvalid(DomainInvalid):
    """Input the register cannot take; `errors` maps a field name (or None) to messages."""


class ChildChangedElsewhere(RecordChangedElsewhere):
    pass


def _known_la_codes() -> frozenset[str]:
    return frozenset(LocalAuthority.objects.values_list("code", flat=True))


def _validated(
    data: dict[str, Any],
    *,
    today: dt.date,
    exclude_id: int | None,
    known: "_Known | None" = None,
) -> dict[str, Any]:
    errors: dict[str | None, list[str]] = {}
    clean = {key: data[key] for key in EDITABLE_FIELDS if key in data}
    for key in ("upn", "uln", "legal_first_name", "legal_last_name", "preferred_name", "postcode"):
        if isinstance(clean.get(key), str):
            clean[key] = clean[key].strip()
    raw_upn = clean.get("upn") or ""
    clean["upn_is_temporary"] = False
    if raw_upn:
        try:
            la_codes = known.la_codes if known is not None else _known_la_codes()
            parsed = upn_rules.parse(raw_upn, la_codes)
        except upn_rules.InvalidUPN as error:
            errors.setdefault("upn", []).append(str(error))
        else:
            clean["upn"] = parsed.upn
            clean["upn_is_temporary"] = parsed.is_temporary
            if known is not None:
                holder = known.holders.get(parsed.upn)
                taken = holder is not None and holder != exclude_id
            else:
                in_use = Child.objects.filter(upn=parsed.upn)
                if exclude_id is not None:
                    in_use = in_use.exclude(pk=exclude_id)
                taken = in_use.exists()
            if taken:
                errors.setdefault("upn", []).append(UPN_IN_USE)
    uln = clean.get("uln") or ""
    if uln and not (uln.isascii() and uln.isdigit() and len(uln) == 10):
        errors.setdefault("uln", []).append(ULN_INVALID)
    dob = clean.get("date_of_birth")
    if dob is not None and dob >= today:
        errors.setdefault("date_of_birth", []).append(DOB_IN_FUTURE)
    if clean.get("looked_after") and not clean.get("responsible_la"):
        errors.setdefault("responsible_la", []).append(RESPONSIBLE_LA_NEEDED)
    if not clean.get("looked_after"):
        clean["responsible_la"] = None
    if clean.get("postcode"):
        clean["postcode"] = clean["postcode"].upper()
    if errors:
        raise ChildInvalid(errors)
    return clean


@dataclass
class _Known:
    """What validating many rows at once needs, read once: the LA codes and who holds each UPN."""

    la_codes: frozenset[str]
    holders: dict[str, int | None]  # UPN -> child id (None: a row of this batch)


class ChildRowInvalid(ChildInvalid):
    """One row of `import_children` the register cannot take; `key` says which."""

    def __init__(self, key: Any, error: ChildInvalid) -> None:
        super().__init__(error.errors)
        self.key = key
        self.error = error


def import_children(
    *,
    actor: "User",
    at: dt.datetime,
    channel: Channel,
    rows: list[tuple[Any, Child | None, dict[str, Any]]],
    where: str = "",
) -> dict[Any, Child]:
    """Add (child None) and update many children in a few writes, each validated and audited
    exactly as `register_child` and `update_child` would (an update's data is merged over the
    child's current values). The first refusal, in the rows' order, raises `ChildRowInvalid`
    naming its key, and nothing is written. Returns each key's child."""
    with transaction.atomic():
        ids = [child.pk for _, child, _ in rows if child is not None]
        locked = {
            child.pk: child
            for child in Child.objects.select_for_update(of=("self",))
            .select_related("responsible_la", "home_school", "home_la")
            .filter(pk__in=ids)
        }
        if any(
            child is not None and locked[child.pk].version != child.version for _, child, _ in rows
        ):
            raise ChildChangedElsewhere(RECORD_CHANGED)
        moved_from = {row.home_la_id for row in locked.values()}
        candidates = {str(data.get("upn") or "").strip().upper() for _, _, data in rows}
        known = _Known(
            la_codes=_known_la_codes(),
            holders=dict(
                Child.objects.filter(
                    upn__in=[*candidates - {""}, *(c.upn for c in locked.values())]
                ).values_list("upn", "pk")
            ),
        )
        result: dict[Any, Child] = {}
        events: list[AuditEvent] = []
        changed: list[Child] = []
        new: list[tuple[Any, Child]] = []
        for key, child, data in rows:
            row = locked[child.pk] if child is not None else None
            if row is not None:
                data = {**{name: getattr(row, name) for name in EDITABLE_FIELDS}, **data}
            try:
                clean = _validated(
                    data, today=at.date(), exclude_id=row.pk if row else None, known=known
                )
            except ChildInvalid as error:
                raise ChildRowInvalid(key, error) from None
            if row is None:
                known.holders[clean["upn"]] = None
                new.append((key, Child(**clean, created_at=at, updated_at=at)))
                continue
            result[key] = row
            before = audit.snapshot(row)
            for name, value in clean.items():
                setattr(row, name, value)
            row_changes = audit.diff(before, audit.snapshot(row))
            if not row_changes:
                continue
            row.updated_at = at
            row.version = row.version + 1
            changed.append(row)
            events.append(
                audit.audit_event(
                    actor=actor,
                    at=at,
                    action=AuditAction.UPDATED,
                    channel=channel,
                    instance=row,
                    child_id=row.pk,
                    where=where,
                    changes=row_changes,
                )
            )
        if changed:
            fields = sorted(
                {Child._meta.get_field(name).name for event in events for name in event.changes}
                | {"updated_at", "version"}
            )
            Child.objects.bulk_update(changed, fields, batch_size=100)
        try:
            Child.objects.bulk_create([child for _, child in new], batch_size=500)
        except IntegrityError as error:  # a concurrent registration of the same UPN
            if "upn" in str(error).lower():
                raise ChildInvalid({"upn": [UPN_IN_USE]}) from error
            raise
        for key, added in new:
            result[key] = added
            events.append(
                audit.audit_event(
                    actor=actor,
                    at=at,
                    action=AuditAction.CREATED,
                    channel=channel,
                    instance=added,
                    child_id=added.pk,
                    where=where,
                    changes={
                        k: {"old": None, "new": v}
                        for k, v in audit.snapshot(added).items()
                        if k not in {"id", "created_at", "updated_at", "version"}
                    },
                )
            )
        audit.record_events(events)
        written = [row.pk for row in changed] + [added.pk for _, added in new]
        placing = Child.objects.filter(pk__in=written).values_list(
            "placements__commissioning_la_id", flat=True
        )
        la_ids = {*moved_from, *(c.home_la_id for c in changed), *(c.home_la_id for _, c in new)}
        data_changes.announce(la_ids={*la_ids, *placing} - {None})
    return result


def register_child(
    *, actor: "User", at: dt.datetime, channel: Channel, data: dict[str, Any], where: str = ""
) -> Child:
    """Add a child to the register (same UPN refused; same name and birth date is only warned
    about, by the caller, through selectors.list_possible_duplicates)."""
    clean = _validated(data, today=at.date(), exclude_id=None)
    try:
        with transaction.atomic():
            child = Child.objects.create(**clean, created_at=at, updated_at=at)
            audit.record_event(
                actor=actor,
                at=at,
                action=AuditAction.CREATED,
                channel=channel,
                instance=child,
                child_id=child.pk,
                where=where,
                changes={
                    k: {"old": None, "new": v}
                    for k, v in audit.snapshot(child).items()
                    if k not in {"id", "created_at", "updated_at", "version"}
                },
            )
    except IntegrityError as error:  # a concurrent registration of the same UPN
        if "upn" in str(error).lower():
            raise ChildInvalid({"upn": [UPN_IN_USE]}) from error
        raise
    return child


def update_child(
    *,
    actor: "User",
    at: dt.datetime,
    channel: Channel,
    child: Child,
    data: dict[str, Any],
    expected_version: int,
    where: str = "",
) -> Child:
    """Change a child's record. Refuses if the record changed since the editor loaded it, so two
    officers never silently overwrite each other."""
    with transaction.atomic():
        locked = Child.objects.select_for_update().get(pk=child.pk)
        if locked.version != expected_version:
            raise ChildChangedElsewhere(RECORD_CHANGED)
        clean = _validated(data, today=at.date(), exclude_id=locked.pk)
        before = audit.snapshot(locked)
        for key, value in clean.items():
            setattr(locked, key, value)
        changes = audit.diff(before, audit.snapshot(locked))
        if not changes:
            return locked
        locked.updated_at = at
        locked.version = locked.version + 1
        locked.save()
        audit.record_event(
            actor=actor,
            at=at,
            action=AuditAction.UPDATED,
            channel=channel,
            instance=locked,
            child_id=locked.pk,
            where=where,
            changes=changes,
        )
    return locked


def delete_child(
    *, actor: "User", at: dt.datetime, channel: Channel, child: Child, where: str = ""
) -> None:
    """Remove a record entered in error. A child with placements cannot be deleted."""
    with transaction.atomic():
        locked = Child.objects.select_for_update().get(pk=child.pk)
        if locked.placements.exists():
            raise ChildInvalid({None: ["A child with placements cannot be deleted"]})
        before = audit.snapshot(locked)
        audit.record_event(
            actor=actor,
            at=at,
            action=AuditAction.DELETED,
            channel=channel,
            instance=locked,
            child_id=locked.pk,
            where=where,
            changes={k: {"old": v, "new": None} for k, v in before.items()},
        )
        locked.delete()
