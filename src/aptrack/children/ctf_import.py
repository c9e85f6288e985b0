"""Importing a Common Transfer File into the register: one door for the upload page and
`aptrack import-ctf`. `plan_ctf_import` says what would change (the dry-run diff);
`apply_ctf_import` makes exactly those changes, all or nothing, through the register's own
services (so every change is validated and audited), and replaces each imported child's SEN,
FSM, attendance and school histories with the file's."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count

from aptrack.audit.models import Channel
from aptrack.children import services
from aptrack.children.ctf import CtfFile, CtfInvalid, CtfPupil
from aptrack.children.models import (
    AttendanceSummary,
    Child,
    Ethnicity,
    FsmPeriod,
    SchoolHistoryEntry,
    SenHistoryEntry,
)
from aptrack.children.permissions import children_of_la
from aptrack.organisations.models import LocalAuthority

HELD_ELSEWHERE = (
    "{file}: {pupil}: this UPN belongs to a child another local authority holds: "
    "nothing was imported"
)

FIELD_LABELS = {
    "legal_first_name": "First name",
    "legal_last_name": "Last name",
    "preferred_name": "Preferred name",
    "date_of_birth": "Date of birth",
    "sex": "Sex",
    "ethnicity": "Ethnicity",
    "sen_status": "SEN",
    "fsm": "Free school meals",
}
HISTORIES = (
    ("SEN history", "sen_history"),
    ("FSM history", "fsm_history"),
    ("Attendance", "attendance_history"),
    ("School history", "school_history"),
)


@dataclass
class PupilChange:
    """What importing one pupil would do: add them, update fields, or leave them as they are."""

    pupil: CtfPupil
    child: Child | None
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # name -> (old, new)
    histories: list[tuple[str, int, int]] = field(default_factory=list)  # label, old, new

    @property
    def action(self) -> str:
        if self.child is None:
            return "add"
        changed = any(old != new for _, old, new in self.histories)
        return "update" if self.fields or changed else "unchanged"

    def field_rows(self) -> list[tuple[str, Any, Any]]:
        return [(FIELD_LABELS[name], old, new) for name, (old, new) in self.fields.items()]


def _values(pupil: CtfPupil, *, today: dt.date) -> dict[str, Any]:
    """The register's fields as the file gives them (left out where the file is silent)."""
    values: dict[str, Any] = {
        "legal_first_name": pupil.forename[:100],
        "legal_last_name": pupil.surname[:100],
        "date_of_birth": pupil.date_of_birth,
        "sex": pupil.sex,
    }
    if pupil.preferred_forename:
        values["preferred_name"] = pupil.preferred_forename[:100]
    if pupil.ethnicity in Ethnicity.values:
        values["ethnicity"] = pupil.ethnicity
    if pupil.sen_history:
        values["sen_status"] = pupil.sen_history[-1].provision
    if pupil.fsm_history:
        values["fsm"] = any(
            row.start_date <= today and (row.end_date is None or row.end_date >= today)
            for row in pupil.fsm_history
        )
    return values


def _new_counts(pupil: CtfPupil) -> list[int]:
    return [
        len(pupil.sen_history),
        len(pupil.fsm_history),
        len(pupil.attendance),
        len(pupil.schools),
    ]


def plan_ctf_import(*, ctf: CtfFile, la: LocalAuthority, today: dt.date) -> list[PupilChange]:
    """The dry run: each pupil of the file, matched by UPN, with what would change. A UPN the
    register holds for a child outside this LA's children stops the whole file."""
    existing = {
        child.upn: child for child in Child.objects.filter(upn__in=[p.upn for p in ctf.pupils])
    }
    own = set(
        children_of_la(la.pk)
        .filter(pk__in=[c.pk for c in existing.values()])
        .values_list("pk", flat=True)
    )
    counts = _history_counts([c.pk for c in existing.values() if c.pk in own])
    changes = []
    for pupil in ctf.pupils:
        child = existing.get(pupil.upn)
        if child is not None and child.pk not in own:
            raise CtfInvalid(HELD_ELSEWHERE.format(file=ctf.name, pupil=pupil.label))
        values = _values(pupil, today=today)
        change = PupilChange(pupil=pupil, child=child)
        new_counts = _new_counts(pupil)
        if child is None:
            change.fields = {name: (None, value) for name, value in values.items()}
            change.histories = [
                (label, 0, n) for (label, _), n in zip(HISTORIES, new_counts, strict=True)
            ]
        else:
            change.fields = {
                name: (getattr(child, name), value)
                for name, value in values.items()
                if getattr(child, name) != value
            }
            change.histories = [
                (label, counts[related].get(child.pk, 0), n)
                for (label, related), n in zip(HISTORIES, new_counts, strict=True)
            ]
        changes.append(change)
    return changes


HISTORY_MODELS = {
    "sen_history": SenHistoryEntry,
    "fsm_history": FsmPeriod,
    "attendance_history": AttendanceSummary,
    "school_history": SchoolHistoryEntry,
}


def _history_counts(child_ids: list[int]) -> dict[str, dict[int, int]]:
    """How many rows each history holds for each of these children: one query per history."""
    return {
        related: dict(
            model._default_manager.filter(child_id__in=child_ids)
            .values_list("child_id")
            .annotate(n=Count("pk"))
            .values_list("child_id", "n")
        )
        for related, model in HISTORY_MODELS.items()
    }


def _replace_histories(imported: list[tuple[Child, CtfPupil]]) -> None:
    """Replace each imported child's four histories with the file's: one delete and one insert
    per history for the whole file; then mark which children have any (`has_transfer_history`)."""
    ids = [child.pk for child, _ in imported]
    for model in HISTORY_MODELS.values():
        model._default_manager.filter(child_id__in=ids).delete()
    SenHistoryEntry.objects.bulk_create(
        (
            SenHistoryEntry(
                child=child, start_date=r.start_date, provision=r.provision, needs=r.needs
            )
            for child, pupil in imported
            for r in pupil.sen_history
        ),
        batch_size=500,
    )
    FsmPeriod.objects.bulk_create(
        (
            FsmPeriod(
                child=child, start_date=r.start_date, end_date=r.end_date, uk_country=r.uk_country
            )
            for child, pupil in imported
            for r in pupil.fsm_history
        ),
        batch_size=500,
    )
    AttendanceSummary.objects.bulk_create(
        (
            AttendanceSummary(child=child, **vars(r))
            for child, pupil in imported
            for r in pupil.attendance
        ),
        batch_size=500,
    )
    SchoolHistoryEntry.objects.bulk_create(
        (
            SchoolHistoryEntry(child=child, **vars(r))
            for child, pupil in imported
            for r in pupil.schools
        ),
        batch_size=500,
    )
    with_history = [
        child.pk
        for child, pupil in imported
        if pupil.sen_history or pupil.fsm_history or pupil.attendance or pupil.schools
    ]
    Child.objects.filter(pk__in=ids).exclude(pk__in=with_history).update(has_transfer_history=False)
    Child.objects.filter(pk__in=with_history).update(has_transfer_history=True)


def apply_ctf_import(
    *,
    actor: Any,
    at: dt.datetime,
    channel: Channel,
    ctf: CtfFile,
    la: LocalAuthority,
    today: dt.date,
    where: str = "",
) -> list[PupilChange]:
    """Import the file: add or update every pupil, or (any refusal) nothing at all."""
    with transaction.atomic():
        changes = plan_ctf_import(ctf=ctf, la=la, today=today)
        rows = [
            (
                position,
                change.child,
                {name: new for name, (_, new) in change.fields.items()}
                | ({} if change.child else {"upn": change.pupil.upn, "home_la": la}),
            )
            for position, change in enumerate(changes)
        ]
        try:
            children = services.import_children(
                actor=actor, at=at, channel=channel, rows=rows, where=where
            )
        except services.ChildRowInvalid as error:
            pupil = changes[error.key].pupil
            raise CtfInvalid(f"{ctf.name}: {pupil.label}: {error.error}") from None
        _replace_histories([(children[i], change.pupil) for i, change in enumerate(changes)])
    return changes
