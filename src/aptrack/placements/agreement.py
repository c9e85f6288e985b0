"""The individual service agreement: one document, for the provider, of what was agreed when a
placement started (issue 17, item 2). `agreement_snapshot` gathers it as plain values (dates as
ISO text, money as text) so it is stored as it stood that day and the PDF is drawn the same way
every time (`render_agreement_pdf`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string

from aptrack.core.pdf import render_pdf
from aptrack.placements.models import PersonPassport, Placement, ServiceAgreement
from aptrack.quality.selectors.compliance import get_compliance

SNAPSHOT_VERSION = 1


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _name(user: Any) -> str:
    if user is None:
        return ""
    return (user.get_full_name() or user.get_username()).strip()


def agreement_snapshot(*, placement: Placement, on: dt.date, by: Any = None) -> dict[str, Any]:
    """What was agreed for `placement`, as it stands on `on`, by `by` (the person starting it)."""
    child = placement.child
    organisation = placement.provider
    provider = getattr(organisation, "provider", None)
    checks: list[dict[str, str]] = []
    if provider is not None:
        for row in get_compliance(provider=provider, on=max(on, placement.start_date)).rows:
            checks.append(
                {
                    "check": str(row.check_type.label),
                    "state": row.state.label,
                    "expires": _day(row.check.expiry_date) if row.check else "",
                    "named_person": row.check.named_person if row.check else "",
                }
            )
    passport = PersonPassport.objects.filter(placement=placement).first()
    commissioner = (
        placement.commissioning_school.name
        if placement.commissioning_school is not None
        else (placement.commissioning_la.name if placement.commissioning_la is not None else "")
    )
    weeks = (
        ((placement.planned_end_date - placement.start_date).days + 1 + 6) // 7
        if placement.planned_end_date
        else None
    )
    return {
        "version": SNAPSHOT_VERSION,
        "made_on": on.isoformat(),
        "made_by": _name(by),
        "made_by_email": getattr(by, "email", "") or "",
        "placement_id": placement.pk,
        "child": {
            "name": child.full_name,
            "upn": child.upn,
            "date_of_birth": _day(child.date_of_birth),
            "home_school": child.home_school.name if child.home_school is not None else "",
        },
        "provision": {
            "provider": provider.name if provider is not None else organisation.name,
            "provider_identity": provider.identity if provider is not None else "",
            "site": str(placement.site) if placement.site_id else "",
            "tier": placement.tier,
            "commissioner": commissioner,
            "dual_registered": placement.dual_registered,
        },
        "hours": {
            "per_week": _text(placement.hours_per_week),
            "home_school_per_week": _text(placement.home_school_hours_per_week),
            "part_time": bool(placement.part_time_reason),
            "part_time_reason": placement.part_time_reason,
            "part_time_review_date": _day(placement.part_time_review_date),
        },
        "length": {
            "start_date": _day(placement.start_date),
            "planned_end_date": _day(placement.planned_end_date),
            "maximum_end_date": _day(placement.maximum_end_date),
            "weeks": weeks,
        },
        "cost": {
            "weekly": _text(placement.weekly_cost),
            "total_planned": _text(placement.weekly_cost * weeks)
            if placement.weekly_cost is not None and weeks is not None
            else "",
        },
        "outcomes": [
            {
                "description": outcome.description,
                "measure": outcome.measure,
                "baseline": outcome.baseline,
                "target": outcome.target,
            }
            for outcome in placement.outcomes.order_by("position", "pk")
        ],
        "safeguarding": checks,
        "contacts": {
            "provider_email": provider.contact_email if provider is not None else "",
            "provider_phone": provider.contact_phone if provider is not None else "",
            "commissioner": commissioner,
            "social_worker": _name(child.social_worker) if child.social_worker_id else "",
            "passport_contacts": passport.contacts if passport is not None else "",
        },
    }


def anonymised_snapshot(snapshot: dict[str, Any], *, name: str) -> dict[str, Any]:
    """`snapshot` once the retention schedule has anonymised its child (aptrack.dataprotection.
    retention): the child known only by `name`, without UPN or date of birth, and without the
    free text and names the record itself no longer holds (the part-time reason, the Person
    Passport's contacts, the social worker). What was agreed (provision, hours, dates, cost,
    outcomes) stays, as the placement's coded facts do."""
    child = snapshot.get("child", {})
    hours = snapshot.get("hours", {})
    contacts = snapshot.get("contacts", {})
    return {
        **snapshot,
        "child": {**child, "name": name, "upn": "", "date_of_birth": ""},
        "hours": {**hours, "part_time_reason": ""} if hours else hours,
        "contacts": {**contacts, "social_worker": "", "passport_contacts": ""}
        if contacts
        else contacts,
    }


def get_agreement_snapshot(*, placement: Placement, on: dt.date) -> tuple[dict[str, Any], bool]:
    """The agreement kept with the placement, or (for a placement started before agreements
    were kept) one drawn from its record today; the flag says whether it was kept."""
    kept = ServiceAgreement.objects.filter(placement=placement).first()
    if kept is not None:
        return kept.snapshot, True
    return agreement_snapshot(placement=placement, on=on), False


def _uk_day(iso: str) -> str:
    if not iso:
        return ""
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def _money(text: str) -> str:
    return f"£{Decimal(text):,.2f}" if text else "Not recorded"


def render_agreement_html(snapshot: dict[str, Any], *, kept: bool) -> str:
    return render_to_string(
        "placements/agreement_pdf.html",
        {"a": snapshot, "kept": kept, "day": _uk_day, "money": _money},
    )


def render_agreement_pdf(snapshot: dict[str, Any], *, kept: bool, base_url: str) -> bytes:
    return render_pdf(render_agreement_html(snapshot, kept=kept), base_url=base_url)
