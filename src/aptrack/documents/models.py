"""Files attached to a record: evidence for a compliance check, papers from a QA visit, a
placement's agreement, the evidence a provider sends with a half-termly report (samples of
work, certificates, a pupil's own account). Each document belongs to exactly one record (one of the nullable keys),
so who may see it is who may see that record. The file itself sits in the `documents` storage
(a private folder, or an S3 bucket), under a generated name; only the download view serves it.
"""

import uuid
from typing import Any

from django.core.files.storage import Storage, storages
from django.db import models


class DocumentsStorage(Storage):
    """The `documents` storage of STORAGES, looked up on each use: the folder or the bucket
    is configuration, and a test's override of STORAGES is seen by the field."""

    def __getattribute__(self, name: str) -> Any:
        if name.startswith("__"):
            return object.__getattribute__(self, name)
        return getattr(storages["documents"], name)


def _documents_storage() -> Storage:
    return DocumentsStorage()


def _stored_name(instance: "Document", filename: str) -> str:
    # Never the uploader's name on disk or in the bucket: a random name with the checked type.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"documents/{uuid.uuid4().hex}.{extension}"


class AttachedTo(models.TextChoices):
    COMPLIANCE_CHECK = "COMPLIANCE", "Compliance evidence"
    QA_VISIT = "VISIT", "QA visit"
    PLACEMENT = "PLACEMENT", "Placement"
    PROVIDER_REPORT = "REPORT", "Provider report"


class Document(models.Model):
    attached_to = models.CharField(max_length=12, choices=AttachedTo.choices)
    compliance_check = models.ForeignKey(
        "quality.ComplianceCheck",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    qa_visit = models.ForeignKey(
        "quality.QAVisit", on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    provider_report = models.ForeignKey(
        "reports.ProviderReport",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    title = models.CharField(max_length=200)
    file = models.FileField(storage=_documents_storage, upload_to=_stored_name, max_length=200)
    # The uploader's file name, sanitised: the name the download is offered under.
    filename = models.CharField(max_length=120)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    # Compliance evidence must be renewed: the day the document stops counting.
    expiry_date = models.DateField(null=True, blank=True)
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        attached_to=AttachedTo.COMPLIANCE_CHECK,
                        compliance_check__isnull=False,
                        qa_visit__isnull=True,
                        placement__isnull=True,
                        provider_report__isnull=True,
                    )
                    | models.Q(
                        attached_to=AttachedTo.QA_VISIT,
                        compliance_check__isnull=True,
                        qa_visit__isnull=False,
                        placement__isnull=True,
                        provider_report__isnull=True,
                    )
                    | models.Q(
                        attached_to=AttachedTo.PLACEMENT,
                        compliance_check__isnull=True,
                        qa_visit__isnull=True,
                        placement__isnull=False,
                        provider_report__isnull=True,
                    )
                    | models.Q(
                        attached_to=AttachedTo.PROVIDER_REPORT,
                        compliance_check__isnull=True,
                        qa_visit__isnull=True,
                        placement__isnull=True,
                        provider_report__isnull=False,
                    )
                ),
                name="document_attached_to_one_record",
            ),
        ]
        indexes = [models.Index(fields=["expiry_date"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.filename})"

    @property
    def target(self) -> models.Model:
        found = self.compliance_check or self.qa_visit or self.placement or self.provider_report
        return found  # type: ignore[return-value]
