"""Documents sent with a provider's half-termly report: the provider that writes the report adds
them; whoever reads the report (the answering LA, a dual-registered child's school) sees and
downloads them on the report's page; each upload, page and download is on the child's trail."""

import pytest
from django.urls import reverse
from django.utils import timezone

from aptrack.audit.models import AuditAction, AuditEvent
from aptrack.documents import services
from aptrack.documents.models import AttachedTo, Document
from aptrack.documents.tests.conftest import PDF_BYTES, upload
from aptrack.placements.models import Placement
from aptrack.reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(world):
    placement = Placement.objects.get(child=world.child_a)
    return ReportFactory(placement=placement, submitted_by=world.provider_x)


def _add(report, by):
    return services.upload_document(
        target=report,
        stream=upload("work.pdf"),
        name="work.pdf",
        title="Sample of English work",
        expiry_date=None,
        by=by,
        at=timezone.now(),
    )


def test_the_provider_adds_work_to_its_report_and_the_la_reads_and_downloads_it(
    world, client, report
):
    url = reverse("documents:report", args=[report.pk])
    client.force_login(world.provider_x)
    # The report's page offers to add documents to the provider that wrote it.
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Documents sent with this report" in page and f'href="{url}"' in page
    response = client.post(url, {"title": "Sample of English work", "file": upload("work.pdf")})
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.attached_to == AttachedTo.PROVIDER_REPORT
    assert document.provider_report == report and document.placement is None
    created = AuditEvent.objects.get(action=AuditAction.CREATED, object_id=str(document.pk))
    assert created.child_id == world.child_a.pk

    client.force_login(world.officer_a)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    download = reverse("documents:download", args=[document.pk])
    assert "Sample of English work" in page and f'href="{download}"' in page
    assert f'href="{url}"' not in page  # the LA reads the report; it does not add to it
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEWED,
        actor=world.officer_a,
        child_id=world.child_a.pk,
        where=download,
    ).exists()


def test_the_documents_page_of_a_report_is_a_read_of_the_child(world, client, report):
    _add(report, world.provider_x)
    url = reverse("documents:report", args=[report.pk])
    client.force_login(world.officer_a)
    page = client.get(url)
    assert page.status_code == 200
    assert "Documents: Report for Autumn 1 2026" in page.content.decode()
    assert f'href="{reverse("reports:detail", args=[report.pk])}"' in page.content.decode()
    assert list(
        AuditEvent.objects.filter(action=AuditAction.VIEWED, actor=world.officer_a).values_list(
            "child_id", "where"
        )
    ) == [(world.child_a.pk, url)]


def test_only_the_reports_provider_adds_documents(world, client, report):
    url = reverse("documents:report", args=[report.pk])
    client.force_login(world.officer_a)
    assert client.post(url, {"file": upload()}).status_code == 403
    with pytest.raises(services.DocumentNotAllowed):
        _add(report, world.officer_a)
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    "persona", ["officer_b", "provider_z", "qa_lead_a", "analyst", "finance_a", "social_worker"]
)
def test_no_one_else_sees_or_adds_to_a_reports_documents(world, client, report, persona):
    document = _add(report, world.provider_x)
    client.force_login(getattr(world, persona))
    url = reverse("documents:report", args=[report.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"file": upload()}).status_code == 404
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 404
    assert Document.objects.count() == 1


def test_the_school_of_a_dual_registered_child_reads_the_documents(world, client, report):
    document = _add(report, world.provider_x)
    placement = report.placement
    client.force_login(world.school_y)
    url = reverse("documents:download", args=[document.pk])
    assert client.get(url).status_code == 404  # not dual registered: not the school's report
    placement.dual_registered = True
    placement.save(update_fields=["dual_registered"])
    assert client.get(url).status_code == 200
