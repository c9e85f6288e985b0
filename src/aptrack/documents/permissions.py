"""Who may see and add documents: exactly who may see (or change) the record a document is
attached to, asked of the owning app's own permission functions."""

from typing import Any

from aptrack.documents.models import AttachedTo, Document
from aptrack.placements import permissions as placement_permissions
from aptrack.placements.models import Placement
from aptrack.quality import permissions as quality_permissions
from aptrack.quality.models import ComplianceCheck, QAVisit
from aptrack.reports import permissions as report_permissions
from aptrack.reports.models import ProviderReport

Target = ComplianceCheck | QAVisit | Placement | ProviderReport


def kind_of(target: Target) -> AttachedTo:
    if isinstance(target, ComplianceCheck):
        return AttachedTo.COMPLIANCE_CHECK
    if isinstance(target, QAVisit):
        return AttachedTo.QA_VISIT
    if isinstance(target, ProviderReport):
        return AttachedTo.PROVIDER_REPORT
    return AttachedTo.PLACEMENT


def can_view_target(user: Any, target: Target) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if isinstance(target, ComplianceCheck):
        return quality_permissions.can_view_compliance(user, target.provider)
    if isinstance(target, QAVisit):
        return quality_permissions.can_view_visit(user, target)
    if isinstance(target, ProviderReport):
        return report_permissions.scope_reports(user).filter(pk=target.pk).exists()
    return placement_permissions.scope_placements(user).filter(pk=target.pk).exists()


def can_add_to(user: Any, target: Target) -> bool:
    """Compliance evidence: whoever may record it; a QA visit: the visiting LA; a placement:
    its commissioner, or the provider's staff (who hold the signed agreement); a provider's
    report: the provider that writes it (its evidence: work, certificates, the child's words)."""
    if not can_view_target(user, target):
        return False
    if isinstance(target, ComplianceCheck):
        return target.superseded_at is None and quality_permissions.can_record_evidence(
            user, target.provider
        )
    if isinstance(target, QAVisit):
        return quality_permissions.can_manage_actions(user, target)
    if isinstance(target, ProviderReport):
        return report_permissions.can_write_report(user, target.placement)
    return placement_permissions.can_change_placement(user, target) or (
        quality_permissions.is_provider_staff(user) and target.provider_id == user.organisation_id
    )


def can_view_document(user: Any, document: Document) -> bool:
    return can_view_target(user, document.target)  # type: ignore[arg-type]
