"""Reads of providers' compliance evidence: each required check's state on a day, the
providers not compliant or expiring soon, the history of checks and overrides.

Other apps call `is_provider_compliant` and `get_compliance` (placements). Every date is passed in
by the caller: nothing here reads the clock."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from enum import Enum

from django.db.models import Q

from aptrack.providers.models import Provider, ProviderApproval
from aptrack.quality.models import (
    REQUIRED_CHECK_TYPES,
    CheckType,
    ComplianceCheck,
    ComplianceOverride,
)
from aptrack.quality.selectors.providers import list_providers_used

EXPIRING_SOON_DAYS = 30


class CheckState(Enum):
    MISSING = "Missing"
    EXPIRED = "Expired"
    EXPIRING_SOON = "Expiring soon"
    IN_DATE = "In date"

    @property
    def label(self) -> str:
        return self.value


@dataclass(frozen=True)
class CheckRow:
    check_type: CheckType
    state: CheckState
    check: ComplianceCheck | None


@dataclass(frozen=True)
class ComplianceStatus:
    """A provider's compliance on a date. Compliant means no required check is missing and
    none has expired (an expiry date before the date asked about)."""

    on: dt.date
    compliant: bool
    missing: list[CheckType]
    expired: list[ComplianceCheck]
    expiring_soon: list[ComplianceCheck]
    rows: list[CheckRow] = field(default_factory=list)

    @property
    def gaps(self) -> list[str]:
        """What stops the provider being compliant, in words."""
        return [f"{t.label}: missing" for t in self.missing] + [
            f"{CheckType(c.check_type).label}: expired {c.expiry_date.day} {c.expiry_date:%B %Y}"
            for c in self.expired
        ]


@dataclass(frozen=True)
class ProviderCompliance:
    provider: Provider
    status: ComplianceStatus


def _current_checks(provider_ids: list[int]) -> dict[int, dict[str, ComplianceCheck]]:
    by_provider: dict[int, dict[str, ComplianceCheck]] = defaultdict(dict)
    checks = ComplianceCheck.objects.filter(
        provider_id__in=provider_ids, superseded_at__isnull=True
    ).select_related("recorded_by")
    for check in checks:
        by_provider[check.provider_id][check.check_type] = check
    return by_provider


def _status(checks: dict[str, ComplianceCheck], on: dt.date, soon_days: int) -> ComplianceStatus:
    soon = on + dt.timedelta(days=soon_days)
    missing: list[CheckType] = []
    expired: list[ComplianceCheck] = []
    expiring: list[ComplianceCheck] = []
    rows: list[CheckRow] = []
    for check_type in REQUIRED_CHECK_TYPES:
        check = checks.get(check_type)
        if check is None:
            missing.append(check_type)
            state = CheckState.MISSING
        elif check.expiry_date < on:
            expired.append(check)
            state = CheckState.EXPIRED
        elif check.expiry_date <= soon:
            expiring.append(check)
            state = CheckState.EXPIRING_SOON
        else:
            state = CheckState.IN_DATE
        rows.append(CheckRow(check_type=check_type, state=state, check=check))
    return ComplianceStatus(
        on=on,
        compliant=not missing and not expired,
        missing=missing,
        expired=expired,
        expiring_soon=expiring,
        rows=rows,
    )


def get_compliance(
    *, provider: Provider, on: dt.date, soon_days: int = EXPIRING_SOON_DAYS
) -> ComplianceStatus:
    """The provider's current evidence, judged on `on`."""
    return _status(_current_checks([provider.pk]).get(provider.pk, {}), on, soon_days)


def is_provider_compliant(provider: Provider, on: dt.date) -> bool:
    """For the placements service: may a placement start on `on` without a manager's override?"""
    return get_compliance(provider=provider, on=on).compliant


def list_provider_compliance(*, la_id: int, on: dt.date) -> list[ProviderCompliance]:
    """Every provider the LA uses, with its compliance on `on` (two queries)."""
    providers = list(list_providers_used(la_id=la_id))
    checks = _current_checks([p.pk for p in providers])
    return [
        ProviderCompliance(provider=p, status=_status(checks.get(p.pk, {}), on, EXPIRING_SOON_DAYS))
        for p in providers
    ]


def list_not_compliant(*, la_id: int, on: dt.date) -> list[ProviderCompliance]:
    return [row for row in list_provider_compliance(la_id=la_id, on=on) if not row.status.compliant]


def list_expiring(
    *, la_id: int, on: dt.date, days: int = EXPIRING_SOON_DAYS
) -> list[ComplianceCheck]:
    """Current evidence that expires from `on` to `days` days later, across the LA's providers."""
    approved = ProviderApproval.objects.filter(local_authority_id=la_id).values("provider_id")
    return list(
        ComplianceCheck.objects.filter(
            superseded_at__isnull=True,
            expiry_date__gte=on,
            expiry_date__lte=on + dt.timedelta(days=days),
        )
        .filter(Q(provider__home_la_id=la_id) | Q(provider_id__in=approved))
        .select_related("provider")
        .order_by("expiry_date", "provider__name", "check_type", "pk")
    )


def list_check_history(*, provider: Provider) -> list[ComplianceCheck]:
    """Every piece of evidence ever recorded for the provider, newest first."""
    return list(
        ComplianceCheck.objects.filter(provider=provider)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-pk")
    )


def list_overrides(*, provider: Provider, la_id: int | None) -> list[ComplianceOverride]:
    if la_id is None:
        return []
    return list(
        ComplianceOverride.objects.filter(provider=provider, local_authority_id=la_id)
        .select_related("by")
        .order_by("-at", "-pk")
    )
