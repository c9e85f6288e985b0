"""The retention schedule (`settings.APTRACK_RETENTION`): what is removed, and when, once a
child has left AP.

- **Attendance** (`ATTENDANCE_YEARS_AFTER_LEAVING`, default 6): the child's attendance marks,
  the earlier versions of those marks and the weekly attendance rollups made from them are
  deleted.
- **Case records** (`CASE_RECORD_YEARS_AFTER_LEAVING`, default 6, and not before the child's
  `CASE_RECORD_MINIMUM_AGE`th birthday, default 25): the child record is anonymised (names,
  UPN, ULN, address and UPRN removed, the date of birth kept only to its month, the social
  worker unlinked) and every free-text field about the child is emptied, in every model the
  subject-access export holds (placement plans, Person Passport, reviews, referral notes and
  panel decisions, providers' reports and incidents, alert notes, follow-ups, wellbeing notes,
  invoice decisions); the service agreement keeps what was agreed with the child named only as
  anonymised. Coded facts stay (dates, tiers, providers, outcomes, destinations), so the LA's
  past figures still add up. The documents uploaded to the child's placements and providers'
  reports (the evidence a provider sends, an agreement's papers) are deleted, files and all.

"Left AP" is owned by the placements app (`placements.selectors.children_left_ap`).

The audit trail is append-only (a database trigger refuses UPDATE and DELETE), and retention
never reaches it: its rows about a child are kept, with the child's id. Once the child is
anonymised the exports for the data protection officer show such rows by the child id only
(`aptrack.audit.trail_export`). Each removal is itself recorded there, by the command, without
the values removed.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, TruncMonth

from aptrack.audit import services as audit
from aptrack.audit.models import AuditAction, Channel
from aptrack.children.models import Child
from aptrack.dataprotection.subject_access import SECTIONS, about_children
from aptrack.documents.models import Document
from aptrack.placements.agreement import anonymised_snapshot
from aptrack.placements.models import ServiceAgreement
from aptrack.placements.selectors import children_left_ap

ANONYMISED_FIRST_NAME = "Anonymised"
REMOVED_TEXT = "Removed under the retention schedule"
# Free text about a child is emptied from every model the subject-access export holds
# (`subject_access.SECTIONS`, which a test keeps complete): each text and JSON field, except
# those anonymised by their owner instead (a snapshot whose shape a page reads).
ANONYMISED_APART = {"placements.ServiceAgreement"}


def case_text() -> list[type[models.Model]]:
    """The models holding free text about a child."""
    models_of = (apps.get_model(label) for _, label, _ in SECTIONS if label not in ANONYMISED_APART)
    return [model for model in models_of if _text_updates(model)]


DELETE_CHUNK = 200  # children at a time, so a large run never holds every mark in memory
WHERE = "aptrack apply-retention"


@dataclass
class RetentionReport:
    today: dt.date
    dry_run: bool
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, count: int) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + count


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def _schedule() -> dict[str, int]:
    return settings.APTRACK_RETENTION


def attendance_due(*, today: dt.date) -> list[int]:
    """The children whose attendance is due for deletion, and still has some."""
    left = children_left_ap(
        on_or_before=years_before(today, _schedule()["ATTENDANCE_YEARS_AFTER_LEAVING"])
    )
    rollup = apps.get_model("attendance", "PlacementWeek")
    mark = apps.get_model("attendance", "AttendanceMark")
    chosen = left.values("child_id")
    with_marks = mark.objects.filter(placement__child_id__in=chosen).values_list(
        "placement__child_id", flat=True
    )
    with_rollups = rollup.objects.filter(child_id__in=chosen).values_list("child_id", flat=True)
    return sorted(set(with_marks) | set(with_rollups))


def case_records_due(*, today: dt.date) -> "models.QuerySet[Child]":
    """The children whose record is due to be anonymised (and is not yet)."""
    schedule = _schedule()
    left = children_left_ap(
        on_or_before=years_before(today, schedule["CASE_RECORD_YEARS_AFTER_LEAVING"])
    )
    return Child.objects.filter(
        pk__in=left.values("child_id"),
        date_of_birth__lte=years_before(today, schedule["CASE_RECORD_MINIMUM_AGE"]),
        anonymised_on__isnull=True,
    ).order_by("pk")


def _text_updates(model: type[models.Model]) -> dict[str, Any]:
    updates: dict[str, Any] = {}
    for model_field in model._meta.concrete_fields:
        if isinstance(model_field, models.TextField):
            updates[model_field.attname] = "" if model_field.blank else REMOVED_TEXT
        elif isinstance(model_field, models.JSONField):
            updates[model_field.attname] = {}
    return updates


AGREEMENTS_KIND = "service agreements with the child anonymised"
DOCUMENTS_KIND = "documents deleted (placements' and providers' reports' files)"


def _notes_kind(model: type[models.Model]) -> str:
    return f"{model._meta.verbose_name} records with case notes removed"


ATTENDANCE_KINDS = (
    "attendance marks deleted",
    "attendance mark versions deleted",
    "weekly attendance rollups deleted",
)


def _delete_attendance(child_ids: list[int], report: RetentionReport) -> dict[int, int]:
    mark = apps.get_model("attendance", "AttendanceMark")
    version = apps.get_model("attendance", "AttendanceMarkVersion")
    rollup = apps.get_model("attendance", "PlacementWeek")
    per_child: dict[int, int] = {}
    for start in range(0, len(child_ids), DELETE_CHUNK):
        chunk = child_ids[start : start + DELETE_CHUNK]
        marks = mark.objects.filter(placement__child_id__in=chunk)
        for row in marks.order_by().values("placement__child_id").annotate(n=models.Count("pk")):
            per_child[row["placement__child_id"]] = row["n"]
        versions = version.objects.filter(mark__placement__child_id__in=chunk)
        rollups = rollup.objects.filter(child_id__in=chunk)
        report.add("attendance mark versions deleted", versions.count())
        report.add("attendance marks deleted", marks.count())
        report.add("weekly attendance rollups deleted", rollups.count())
        if not report.dry_run:
            versions.delete()
            marks.delete()
            rollups.delete()
    return per_child


def _delete_documents(documents: "models.QuerySet[Document]") -> None:
    """Delete the documents' rows now and their files once the run commits, so that a run
    that fails leaves every file its rows still name."""
    names = list(documents.values_list("file", flat=True))
    documents.delete()
    storage = Document._meta.get_field("file").storage

    def delete_files() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete_files)


def _anonymise(children: list[Child], report: RetentionReport, now: dt.datetime) -> None:
    ids = [child.pk for child in children]
    report.add("children anonymised", len(ids))
    for model in case_text():
        rows = model._default_manager.filter(about_children(model._meta.label, ids))
        report.add(_notes_kind(model), rows.count())
        if not report.dry_run:
            rows.update(**_text_updates(model))
    agreements = ServiceAgreement.objects.filter(about_children("placements.ServiceAgreement", ids))
    report.add(AGREEMENTS_KIND, agreements.count())
    documents = Document.objects.filter(about_children("documents.Document", ids))
    report.add(DOCUMENTS_KIND, documents.count())
    if report.dry_run:
        return
    _delete_documents(documents)
    for agreement in agreements.select_related("placement"):
        agreement.snapshot = anonymised_snapshot(
            agreement.snapshot,
            name=f"{ANONYMISED_FIRST_NAME} child {agreement.placement.child_id}",
        )
        agreement.save(update_fields=["snapshot"])
    Child.objects.filter(pk__in=ids).update(
        legal_first_name=ANONYMISED_FIRST_NAME,
        legal_last_name=Concat(Value("child "), Cast("pk", output_field=CharField())),
        preferred_name="",
        upn="",
        upn_is_temporary=False,
        uln="",
        date_of_birth=TruncMonth("date_of_birth"),
        address_line_1="",
        town="",
        postcode="",
        uprn="",
        social_worker=None,
        anonymised_on=report.today,
        updated_at=now,
        version=models.F("version") + 1,
    )


@transaction.atomic
def apply_retention(*, today: dt.date, now: dt.datetime, dry_run: bool) -> RetentionReport:
    """Delete or anonymise what the schedule says is due on `today`, in one transaction, and
    record each child's removal in the audit trail. With `dry_run`, count it and write nothing."""
    report = RetentionReport(today=today, dry_run=dry_run)
    for kind in (
        *ATTENDANCE_KINDS,
        "children anonymised",
        *(_notes_kind(model) for model in case_text()),
        AGREEMENTS_KIND,
        DOCUMENTS_KIND,
    ):
        report.add(kind, 0)
    attendance_children = attendance_due(today=today)
    marks_per_child = _delete_attendance(attendance_children, report)
    to_anonymise = list(case_records_due(today=today))
    for start in range(0, len(to_anonymise), DELETE_CHUNK):
        _anonymise(to_anonymise[start : start + DELETE_CHUNK], report, now)
    if dry_run:
        return report
    by_id = Child.objects.in_bulk(set(attendance_children) | {child.pk for child in to_anonymise})
    for child_id in attendance_children:
        audit.record_event(
            actor=None,
            at=now,
            action=AuditAction.DELETED,
            channel=Channel.COMMAND,
            instance=by_id[child_id],
            child_id=child_id,
            where=WHERE,
            changes={"attendance_marks_deleted": marks_per_child.get(child_id, 0)},
        )
    for child in to_anonymise:
        audit.record_event(
            actor=None,
            at=now,
            action=AuditAction.UPDATED,
            channel=Channel.COMMAND,
            instance=by_id[child.pk],
            child_id=child.pk,
            where=WHERE,
            changes={"anonymised_on": {"old": None, "new": today.isoformat()}},
        )
    return report
