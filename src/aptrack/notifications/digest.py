"""The daily digest: each person's held notifications, and for LA staff the day's deadlines,
counted by the rules' owners (docs/rules.md), never recomputed here:

- reviews overdue: `placements.selectors.list_reviews_overdue` (officers and managers);
- sixth-day duties to act on: `placements.selectors.list_sixth_day_deadlines` (the same);
- Fair Access places due or missed: `referrals.selectors.list_fair_access_due` (the same);
- compliance evidence expiring within 30 days: `quality.selectors.compliance.list_expiring`
  (managers and QA leads).

Lines give counts and a link, never a child's name.
"""

import datetime as dt
from collections import defaultdict

from django.urls import reverse
from django.utils import timezone

from aptrack.accounts.models import User
from aptrack.accounts.roles import Role
from aptrack.notifications import services
from aptrack.notifications.sources import site_link
from aptrack.placements import selectors as placement_selectors
from aptrack.quality.selectors import compliance as compliance_selectors
from aptrack.referrals import selectors as referral_selectors

CASEWORK_ROLES = frozenset({Role.LA_OFFICER, Role.LA_MANAGER})
COMPLIANCE_ROLES = frozenset({Role.LA_MANAGER, Role.QA_LEAD})


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def la_lines(*, la_id: int, on: dt.date) -> dict[str, list[str]]:
    """The day's deadline lines for one LA, by audience ("casework", "compliance")."""
    home = site_link(reverse("placements:home"))
    casework = []
    reviews = len(placement_selectors.list_reviews_overdue(la_id=la_id, on=on))
    if reviews:
        casework.append(
            f"{_plural(reviews, 'placement review', 'placement reviews')} overdue: {home}"
        )
    sixth = len(placement_selectors.list_sixth_day_deadlines(la_id=la_id, on=on))
    if sixth:
        casework.append(
            f"{_plural(sixth, 'sixth-day duty', 'sixth-day duties')} due or missed: {home}"
        )
    fair = len(referral_selectors.list_fair_access_due(la_id=la_id, on=on))
    if fair:
        casework.append(
            f"{_plural(fair, 'Fair Access place', 'Fair Access places')} due or missed: {home}"
        )
    expiring = len(compliance_selectors.list_expiring(la_id=la_id, on=on))
    compliance = []
    if expiring:
        compliance.append(
            f"{_plural(expiring, 'piece', 'pieces')} of providers' compliance evidence expiring "
            f"within {compliance_selectors.EXPIRING_SOON_DAYS} days: "
            f"{site_link(reverse('quality:dashboard'))}"
        )
    return {"casework": casework, "compliance": compliance}


def deadline_lines(*, on: dt.date) -> dict[int, list[str]]:
    """Each LA user's deadline lines for the day, by user id."""
    users = (
        User.objects.filter(
            is_active=True,
            role__in=CASEWORK_ROLES | COMPLIANCE_ROLES,
            organisation__local_authority__isnull=False,
        )
        .select_related("organisation")
        .order_by("pk")
    )
    by_la: dict[int, dict[str, list[str]]] = {}
    lines: dict[int, list[str]] = defaultdict(list)
    for user in users:
        la_id = user.organisation.local_authority_id if user.organisation else None
        if la_id is None:  # never: the users are those of an organisation with an LA
            continue
        if la_id not in by_la:
            by_la[la_id] = la_lines(la_id=la_id, on=on)
        if user.role in CASEWORK_ROLES:
            lines[user.pk] += by_la[la_id]["casework"]
        if user.role in COMPLIANCE_ROLES:
            lines[user.pk] += by_la[la_id]["compliance"]
    return {user_id: found for user_id, found in lines.items() if found}


def run_daily_digest(*, at: dt.datetime) -> int:
    on = timezone.localtime(at).date()
    return services.send_digests(at=at, extra=deadline_lines(on=on))
