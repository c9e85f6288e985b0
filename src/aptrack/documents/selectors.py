"""Reads of documents, always through the record they are attached to."""

from typing import Any

from django.db.models import QuerySet

from aptrack.documents import permissions
from aptrack.documents.models import AttachedTo, Document
from aptrack.placements.models import Placement
from aptrack.quality.models import ComplianceCheck, QAVisit
from aptrack.reports.models import ProviderReport

MODELS = {
    AttachedTo.COMPLIANCE_CHECK: ComplianceCheck,
    AttachedTo.QA_VISIT: QAVisit,
    AttachedTo.PLACEMENT: Placement,
    AttachedTo.PROVIDER_REPORT: ProviderReport,
}
FIELDS = {
    AttachedTo.COMPLIANCE_CHECK: "compliance_check",
    AttachedTo.QA_VISIT: "qa_visit",
    AttachedTo.PLACEMENT: "placement",
    AttachedTo.PROVIDER_REPORT: "provider_report",
}


def get_target(*, user: Any, kind: AttachedTo, pk: int) -> permissions.Target | None:
    """The record of `kind` with id `pk` if `user` may see it (None: missing or out of reach)."""
    target = MODELS[kind].objects.filter(pk=pk).first()  # type: ignore[attr-defined]
    if target is None or not permissions.can_view_target(user, target):
        return None
    return target  # type: ignore[no-any-return]


def list_documents(*, target: permissions.Target) -> QuerySet[Document]:
    field = FIELDS[permissions.kind_of(target)]
    return (
        Document.objects.filter(**{field: target})
        .select_related("uploaded_by")
        .order_by("-uploaded_at", "-pk")
    )


def report_section(user: Any, report: Any) -> dict[str, Any] | None:
    """The documents sent with a provider's report, for the report's page (None: not the
    user's to see)."""
    if not permissions.can_view_target(user, report):
        return None
    return {
        "report": report,
        "documents": list(list_documents(target=report)),
        "can_add": permissions.can_add_to(user, report),
    }


def get_document(*, user: Any, document_id: int) -> Document | None:
    document = (
        Document.objects.select_related(
            "compliance_check__provider",
            "qa_visit__provider",
            "placement",
            "provider_report__placement",
        )
        .filter(pk=document_id)
        .first()
    )
    if document is None or not permissions.can_view_document(user, document):
        return None
    return document
