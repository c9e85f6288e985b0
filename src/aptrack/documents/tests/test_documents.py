import datetime as dt

import pytest
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from aptrack.audit.models import AuditAction, AuditEvent
from aptrack.config import settings as settings_module
from aptrack.documents import services
from aptrack.documents.models import Document
from aptrack.documents.tests.conftest import PDF_BYTES, upload
from aptrack.placements.models import Placement
from aptrack.quality.models import CheckType
from aptrack.quality.tests.factories import ProviderFactory, add_check, make_visit

pytestmark = pytest.mark.django_db


def _placement(world) -> Placement:
    return Placement.objects.get(child=world.child_a)


def _post(client, url, **data):
    return client.post(url, data)


def test_the_provider_uploads_an_agreement_the_la_downloads_it_and_the_read_is_audited(
    world, client
):
    placement = _placement(world)
    client.force_login(world.provider_x)
    url = reverse("documents:placement", args=[placement.pk])
    response = client.post(url, {"title": "Signed agreement", "file": upload("Agrément 1.pdf")})
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.filename == "Agrement_1.pdf"
    assert not document.file.name.endswith("Agrement_1.pdf")  # stored under a random name
    assert storages["documents"].exists(document.file.name)

    client.force_login(world.officer_a)
    page = client.get(url)
    assert "Signed agreement" in page.content.decode()
    response = client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"] == 'attachment; filename="Agrement_1.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEWED,
        child_id=world.child_a.pk,
        actor=world.officer_a,
        where=reverse("documents:download", args=[document.pk]),
    ).exists()


@pytest.mark.parametrize("persona", ["officer_b", "provider_z", "qa_lead_a", "analyst"])
def test_others_cannot_see_or_add_to_a_childs_placement_documents(world, client, persona):
    placement = _placement(world)
    document = services.upload_document(
        target=placement,
        stream=upload(),
        name="a.pdf",
        title="",
        expiry_date=None,
        by=world.officer_a,
        at=timezone.now(),
    )
    client.force_login(getattr(world, persona))
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 404
    url = reverse("documents:placement", args=[placement.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"file": upload()}).status_code == 404
    assert Document.objects.count() == 1


def test_a_file_whose_content_is_not_its_name_is_refused_and_nothing_is_stored(world, client):
    placement = _placement(world)
    client.force_login(world.officer_a)
    response = client.post(
        reverse("documents:placement", args=[placement.pk]),
        {"file": upload("agreement.pdf", b"<html><script>alert(1)</script></html>")},
    )
    assert response.status_code == 200
    assert "must be a PDF, PNG, JPEG, Word, Excel or PowerPoint file" in response.content.decode()
    assert Document.objects.count() == 0
    assert not storages["documents"].exists("documents")


def test_a_file_over_the_size_limit_is_refused(world, client, settings):
    settings.APTRACK_DOCUMENT_MAX_MB = 0
    client.force_login(world.officer_a)
    response = client.post(
        reverse("documents:placement", args=[_placement(world).pk]), {"file": upload()}
    )
    assert "must be smaller than 0 MB" in response.content.decode()
    assert Document.objects.count() == 0


def test_compliance_evidence_needs_an_expiry_date_and_is_seen_by_la_and_its_own_provider(
    world, client
):
    provider = ProviderFactory(organisation=world.provider_x.organisation)
    today = timezone.localdate()
    check = add_check(
        provider,
        world.qa_lead_a,
        CheckType.DSL,
        evidence_date=today,
        expiry_date=today + dt.timedelta(days=365),
    )
    url = reverse("documents:compliance", args=[check.pk])
    client.force_login(world.provider_x)
    response = client.post(url, {"file": upload("dbs.pdf")})
    assert services.EXPIRY_NEEDED in response.content.decode()
    assert Document.objects.count() == 0
    response = client.post(
        url,
        {
            "file": upload("dbs.pdf"),
            "expiry_date-day": "1",
            "expiry_date-month": "9",
            "expiry_date-year": str(today.year + 1),
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.expiry_date == dt.date(today.year + 1, 9, 1)
    assert document.compliance_check == check
    for persona, expected in [("officer_b", 200), ("qa_lead_a", 200), ("provider_z", 404)]:
        client.force_login(getattr(world, persona))
        assert client.get(reverse("documents:download", args=[document.pk])).status_code == expected


def test_a_draft_visits_papers_are_for_the_visiting_la_only(world, client):
    provider = ProviderFactory(organisation=world.provider_x.organisation)
    visit = make_visit(provider, world.qa_lead_a, visit_date=timezone.localdate())
    url = reverse("documents:visit", args=[visit.pk])
    client.force_login(world.qa_lead_a)
    assert client.post(url, {"file": upload("notes.pdf")}).status_code == 302
    document = Document.objects.get()
    for persona, expected in [("officer_a", 200), ("officer_b", 404), ("provider_x", 404)]:
        client.force_login(getattr(world, persona))
        assert client.get(reverse("documents:download", args=[document.pk])).status_code == expected


def test_s3_storage_is_configuration_only(monkeypatch):
    monkeypatch.setenv("DOCUMENTS_S3_BUCKET", "aptrack-docs")
    monkeypatch.setenv("DOCUMENTS_S3_ENDPOINT_URL", "http://127.0.0.1:9000")
    config = settings_module.documents_storage()
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    assert config["OPTIONS"]["default_acl"] == "private"
    from storages.backends.s3 import S3Storage

    storage = S3Storage(**config["OPTIONS"])
    assert storage.bucket_name == "aptrack-docs"
    monkeypatch.delenv("DOCUMENTS_S3_BUCKET")
    assert settings_module.documents_storage()["BACKEND"].endswith("FileSystemStorage")
