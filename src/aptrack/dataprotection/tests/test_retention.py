"""The retention schedule removes exactly what is due, records it, and a dry run writes nothing."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone

from aptrack.attendance.models import (
    AttendanceMark,
    AttendanceMarkVersion,
    MarkBatch,
    PlacementWeek,
)
from aptrack.audit.models import AuditAction, AuditEvent
from aptrack.children.models import Child
from aptrack.children.tests.factories import ChildFactory, PlacementFactory
from aptrack.dataprotection import backup, retention
from aptrack.documents.models import Document
from aptrack.documents.services import upload_document
from aptrack.documents.tests.conftest import upload
from aptrack.placements.models import Placement, Review, ServiceAgreement
from aptrack.placements.states import PlacementStatus
from aptrack.reports.tests.factories import IncidentFactory, ReportFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 25)
AFTER_25TH_BIRTHDAY = dt.date(2027, 4, 1)


def _placed(
    world, *, born: dt.date, spans: list[tuple[dt.date, dt.date | None]]
) -> SimpleNamespace:
    child = ChildFactory(date_of_birth=born, address_line_1="1 High Street", postcode="DT1 1AA")
    batch = MarkBatch.objects.create(
        provider=world.provider_x.organisation, channel="API", recorded_at=timezone.now()
    )
    placements = []
    for start, end in spans:
        placement = PlacementFactory(
            child=child,
            provider=world.provider_x.organisation,
            start_date=start,
            end_date=end,
            status=PlacementStatus.ACTIVE if end is None else PlacementStatus.ENDED,
            exit_plan="Back to school with a mentor",
            family_involvement="Mum attends reviews",
        )
        for session in ("AM", "PM"):
            mark = AttendanceMark.objects.create(
                placement=placement,
                session_date=start,
                session=session,
                code="/",
                batch=batch,
                version=2,
            )
        AttendanceMarkVersion.objects.create(
            mark=mark,
            session_date=mark.session_date,
            version=1,
            code="N",
            batch=batch,
            replaced_by_batch=batch,
        )
        PlacementWeek.objects.create(
            placement=placement,
            week_start_date=start - dt.timedelta(days=start.weekday()),
            child=child,
            local_authority=child.home_la,
            provider=placement.provider,
            present=2,
        )
        placements.append(placement)
    return SimpleNamespace(child=child, placements=placements)


@pytest.fixture
def children(world):
    return SimpleNamespace(
        # Left AP in July 2018: attendance due (6 years); case record due at 25, in March 2027.
        gone=_placed(
            world, born=dt.date(2002, 3, 14), spans=[(dt.date(2017, 9, 4), dt.date(2018, 7, 20))]
        ),
        # Left in July 2022: nothing due until 2028.
        recent=_placed(
            world, born=dt.date(2002, 5, 1), spans=[(dt.date(2021, 9, 6), dt.date(2022, 7, 20))]
        ),
        # An old placement, but placed again now: still in AP.
        returned=_placed(
            world,
            born=dt.date(2000, 1, 10),
            spans=[(dt.date(2014, 9, 1), dt.date(2015, 7, 17)), (dt.date(2026, 9, 7), None)],
        ),
    )


def test_a_dry_run_reports_what_is_due_and_writes_nothing(children, capsys):
    before = backup.table_checksums()
    call_command("apply-retention", "--dry-run", "--today", AFTER_25TH_BIRTHDAY.isoformat())
    assert backup.table_checksums() == before
    out = capsys.readouterr().out
    assert "dry run: nothing changed" in out
    assert "Due: 2 attendance marks deleted" in out
    assert "Due: 1 attendance mark versions deleted" in out
    assert "Due: 1 weekly attendance rollups deleted" in out
    assert "Due: 1 children anonymised" in out


def test_attendance_is_deleted_six_years_after_the_child_left_and_no_sooner(
    world, children, capsys
):
    kept_marks = set(
        AttendanceMark.objects.exclude(placement__child=children.gone.child).values_list(
            "pk", flat=True
        )
    )

    report = retention.apply_retention(today=TODAY, now=timezone.now(), dry_run=False)

    assert report.counts["attendance marks deleted"] == 2
    assert report.counts["children anonymised"] == 0  # not 25 until March 2027
    assert set(AttendanceMark.objects.values_list("pk", flat=True)) == kept_marks
    assert not AttendanceMarkVersion.objects.filter(
        mark__placement__child=children.gone.child
    ).exists()
    assert AttendanceMarkVersion.objects.count() == 3
    assert list(
        PlacementWeek.objects.values_list("child_id", flat=True).order_by("child_id")
    ) == sorted([children.recent.child.pk, children.returned.child.pk, children.returned.child.pk])
    gone = Child.objects.get(pk=children.gone.child.pk)
    assert gone.legal_last_name == children.gone.child.legal_last_name
    event = AuditEvent.objects.get(child_id=gone.pk)
    assert (event.action, event.changes, event.actor_label) == (
        AuditAction.DELETED,
        {"attendance_marks_deleted": 2},
        "system",
    )
    # Applied again, nothing more is due.
    assert not any(
        retention.apply_retention(today=TODAY, now=timezone.now(), dry_run=False).counts.values()
    )


def test_a_case_record_is_anonymised_once_due_and_the_others_are_untouched(world, children):
    others_before = {
        child.pk: (child.full_name, child.upn, child.date_of_birth)
        for child in Child.objects.exclude(pk=children.gone.child.pk)
    }
    placement = children.gone.placements[0]
    Review.objects.create(
        placement=placement,
        kind="REVIEW",
        held_date=dt.date(2018, 3, 1),
        child_views="I like the art room",
        decision="CONTINUE",
        next_review_date=dt.date(2018, 6, 1),
        recorded_by=world.officer_a,
        recorded_at=timezone.now(),
    )

    report = retention.apply_retention(today=AFTER_25TH_BIRTHDAY, now=timezone.now(), dry_run=False)

    assert report.counts["children anonymised"] == 1
    child = Child.objects.get(pk=children.gone.child.pk)
    assert (child.legal_first_name, child.legal_last_name) == ("Anonymised", f"child {child.pk}")
    assert (child.upn, child.address_line_1, child.postcode) == ("", "", "")
    assert child.date_of_birth == dt.date(2002, 3, 1)
    assert child.anonymised_on == AFTER_25TH_BIRTHDAY
    placement = Placement.objects.get(pk=placement.pk)
    assert (placement.exit_plan, placement.family_involvement) == ("", "")
    assert placement.end_date == dt.date(2018, 7, 20)  # the coded facts stay
    assert Review.objects.get(placement=placement).child_views == ""
    assert (
        Placement.objects.exclude(child=child)
        .filter(exit_plan="Back to school with a mentor")
        .count()
        == 3
    )
    assert {
        c.pk: (c.full_name, c.upn, c.date_of_birth) for c in Child.objects.exclude(pk=child.pk)
    } == others_before
    anonymised = AuditEvent.objects.get(child_id=child.pk, action=AuditAction.UPDATED)
    assert anonymised.changes == {"anonymised_on": {"old": None, "new": "2027-04-01"}}
    assert children.gone.child.legal_last_name not in anonymised.object_label
    again = retention.apply_retention(today=AFTER_25TH_BIRTHDAY, now=timezone.now(), dry_run=False)
    assert again.counts["children anonymised"] == 0


def test_the_schedule_is_read_from_settings(children, settings):
    settings.APTRACK_RETENTION = {**settings.APTRACK_RETENTION, "ATTENDANCE_YEARS_AFTER_LEAVING": 3}
    report = retention.apply_retention(today=TODAY, now=timezone.now(), dry_run=True)
    assert report.counts["attendance marks deleted"] == 4  # gone (2018) and recent (2022)


def test_anonymising_reaches_reports_incidents_panel_decisions_and_the_agreement(world, children):
    """Every model the subject-access export holds loses its free text about the child, not
    only the placement app's; the signed agreement keeps what was agreed, without the name."""
    placement = children.gone.placements[0]
    report_row = ReportFactory(placement=placement, submitted_by=world.provider_x)
    incident = IncidentFactory(placement=placement, recorded_by=world.provider_x)
    ServiceAgreement.objects.create(
        placement=placement,
        made_at=timezone.now(),
        snapshot={
            "child": {"name": children.gone.child.full_name, "upn": "A1", "date_of_birth": "x"},
            "hours": {"per_week": "25", "part_time_reason": "Anxiety"},
            "contacts": {"social_worker": "Ms Social", "passport_contacts": "Gran 0700"},
        },
    )
    kept = ReportFactory(placement=children.recent.placements[0], submitted_by=world.provider_x)

    retention.apply_retention(today=AFTER_25TH_BIRTHDAY, now=timezone.now(), dry_run=False)

    report_row.refresh_from_db()
    incident.refresh_from_db()
    assert (report_row.child_words, report_row.family_words) == ("", "")
    assert report_row.english == retention.REMOVED_TEXT
    assert incident.what_happened == retention.REMOVED_TEXT
    snapshot = ServiceAgreement.objects.get(placement=placement).snapshot
    assert snapshot["child"] == {
        "name": f"Anonymised child {children.gone.child.pk}",
        "upn": "",
        "date_of_birth": "",
    }
    assert snapshot["hours"] == {"per_week": "25", "part_time_reason": ""}
    assert snapshot["contacts"] == {"social_worker": "", "passport_contacts": ""}
    kept.refresh_from_db()
    assert kept.child_words == "I like coming here because nobody shouts"


def test_anonymising_deletes_the_child_s_documents_and_their_files_once_committed(
    world, children, settings, django_capture_on_commit_callbacks
):
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    gone = children.gone.placements[0]
    report = ReportFactory(placement=gone, submitted_by=world.provider_x)
    recent = children.recent.placements[0]

    def add(target, name):
        return upload_document(
            target=target,
            stream=upload(name),
            name=name,
            title=name,
            expiry_date=None,
            by=world.provider_x,
            at=timezone.now(),
        )

    due = [add(gone, "agreement.pdf"), add(report, "work.pdf")]
    kept = add(recent, "other.pdf")
    storage = Document._meta.get_field("file").storage

    dry = retention.apply_retention(today=AFTER_25TH_BIRTHDAY, now=timezone.now(), dry_run=True)
    assert dry.counts[retention.DOCUMENTS_KIND] == 2
    assert Document.objects.count() == 3
    with django_capture_on_commit_callbacks(execute=False) as pending:
        retention.apply_retention(today=AFTER_25TH_BIRTHDAY, now=timezone.now(), dry_run=False)
    assert list(Document.objects.all()) == [kept]
    # The files go only once the run has committed.
    assert all(storage.exists(document.file.name) for document in due)
    for callback in pending:
        callback()
    assert not any(storage.exists(document.file.name) for document in due)
    assert storage.exists(kept.file.name)
