"""Synthetic notices from schools: each school told its home LA of the exclusions of its pupils
(the referrals on the exclusion routes) and of the AP it commissioned itself (the placements a
school commissions), as heads must (DfE exclusion guidance; *Arranging alternative provision*,
2025, domain.md §1 and §5). Each sending school gets one member of staff, a colleague of the
demo users rather than a login (unusable password). Reason codes follow the national picture:
persistent disruptive behaviour is the commonest reason (domain.md §7). Invented names only."""

import datetime as dt
import random
from collections.abc import Mapping, Sequence

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

from aptrack.accounts.models import User
from aptrack.accounts.roles import Role
from aptrack.children.models import Child
from aptrack.notices.models import Notice, NoticeKind
from aptrack.organisations.models import Organisation
from aptrack.placements.models import Placement
from aptrack.providers.models import Provider
from aptrack.referrals.models import PrimaryReason, Referral, Route
from aptrack.synthetic import records

# fmt: off
REASON_CODES = {"LD": 22, "CB": 20, "DB": 8, "PA": 12, "VA": 10, "PP": 8, "VP": 6, "OW": 4,
                "DR": 4, "BU": 3, "DM": 2, "SM": 1}
# fmt: on
FIRST_NAMES = ("Alys", "Bartholomew", "Clemency", "Dorian", "Esmé", "Fergus", "Gwendolen", "Hal")
LAST_NAMES = ("Ashdown", "Brackley", "Cottingham", "Dunmore", "Everleigh", "Fairbairn")


def create_notices(
    draw: records.Draw,
    *,
    children: Sequence[Child],
    placements: Sequence[Placement],
    school_organisations: Mapping[int, Organisation],
) -> int:
    """Save the notices of the LA's schools; returns how many."""
    rng = random.Random(draw.rng.getrandbits(64))  # its own stream: shifts nothing after it
    by_id = {child.pk: child for child in children}
    senders: dict[int, User] = {}

    def sender(school: Organisation) -> User:
        if school.pk not in senders:
            urn = school.establishment.urn if school.establishment else str(school.pk)
            senders[school.pk] = User(
                username=f"inclusion.{urn}",
                password=f"{UNUSABLE_PASSWORD_PREFIX}synthetic",
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                email=f"inclusion.{urn}@example.org",
                organisation=school,
                role=Role.SCHOOL_STAFF,
                job_title="Head of inclusion",
                date_joined=dt.datetime.combine(
                    draw.today - dt.timedelta(days=900), dt.time(9, 0), tzinfo=draw.tz
                ),
            )
        return senders[school.pk]

    pending: list[tuple[Organisation, Notice]] = []
    exclusions = Referral.objects.filter(
        child_id__in=list(by_id),
        route__in=[Route.PERMANENT_EXCLUSION, Route.SUSPENSION],
        first_day_of_exclusion__isnull=False,
    ).order_by("pk")
    for referral in exclusions:
        child = by_id[referral.child_id]
        school = school_organisations.get(child.home_school_id)  # type: ignore[arg-type]
        if school is None:
            continue
        first_day = referral.first_day_of_exclusion
        assert first_day is not None  # noqa: S101 - filtered above
        is_pex = referral.route == Route.PERMANENT_EXCLUSION
        meeting = first_day + dt.timedelta(days=rng.randint(10, 20))
        pending.append(
            (
                school,
                Notice(
                    kind=NoticeKind.PERMANENT_EXCLUSION if is_pex else NoticeKind.SUSPENSION,
                    school=school,
                    child=child,
                    home_la_id=child.home_la_id,
                    notified_at=referral.created_at,
                    updated_at=referral.created_at,
                    first_day=first_day,
                    exclusion_reason=rng.choices(
                        list(REASON_CODES), weights=list(REASON_CODES.values())
                    )[0],
                    governors_meeting_date=meeting if is_pex and meeting <= draw.today else None,
                    suspension_days=None if is_pex else rng.randint(6, 15),
                    referral=referral,
                ),
            )
        )
    providers = {
        provider.organisation_id: provider
        for provider in Provider.objects.filter(
            organisation_id__in={p.provider_id for p in placements}
        )
    }
    for placement in placements:
        school = school_organisations.get(placement.child.home_school_id)  # type: ignore[arg-type]
        provider = providers.get(placement.provider_id)
        if placement.commissioning_school_id is None or school is None or provider is None:
            continue
        day = min(placement.start_date - dt.timedelta(days=rng.randint(1, 5)), draw.today)
        created = dt.datetime.combine(day, dt.time(rng.randint(8, 15), 0), tzinfo=draw.tz)
        pending.append(
            (
                school,
                Notice(
                    kind=NoticeKind.SCHOOL_AP,
                    school=school,
                    child=placement.child,
                    home_la_id=placement.child.home_la_id,
                    notified_at=created,
                    updated_at=created,
                    placement=placement,
                    provider=provider,
                    start_date=placement.start_date,
                    hours_per_week=placement.hours_per_week,
                    ap_reason=PrimaryReason.BEHAVIOUR,
                    review_date=placement.start_date + dt.timedelta(days=42),
                ),
            )
        )
    for school, notice in pending:
        notice.notified_by = sender(school)
    taken = set(
        User.objects.filter(username__in=[u.username for u in senders.values()]).values_list(
            "username", flat=True
        )
    )
    User.objects.bulk_create([u for u in senders.values() if u.username not in taken])
    if taken:
        existing = {u.username: u for u in User.objects.filter(username__in=taken)}
        for _, notice in pending:
            if notice.notified_by.username in existing:
                notice.notified_by = existing[notice.notified_by.username]
    Notice.objects.bulk_create([notice for _, notice in pending], batch_size=2_000)
    return len(pending)
