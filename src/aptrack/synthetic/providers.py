"""Synthetic provider records: the register's view of the providers a synthetic LA uses.

Each PROVIDER organisation gets a provider record (kind, exactly one census identity, offer,
capacity, rates), one or two delivery sites (some out of area), and the LA's standing on its
framework. Synthetic only: invented UKPRNs, addresses and rates.
"""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from aptrack.organisations.models import Establishment, LocalAuthority, Organisation
from aptrack.providers.models import (
    KeyStage,
    OfstedJudgement,
    Provider,
    ProviderApproval,
    ProviderKind,
    ProviderSite,
    SettingType,
)
from aptrack.providers.selectors import count_occupancy
from aptrack.providers.states import ApprovalStatus
from aptrack.synthetic import naming

# A provider's sites are over the LA border this often (never the LA's own PRU). domain.md gives
# no national out-of-area figure; this planning assumption puts roughly one placement in ten out
# of area, not the 44% a PRU sited in the next county gave.
OUT_OF_AREA_SITE_SHARE = 0.15
# How full a provider is on the day the data is generated for: its capacity is set once its
# placements are known so that the children placed there now fill 70% to 95% of it.
OCCUPANCY_SHARE = (0.70, 0.95)

KIND_BY_TYPE = {
    "tuition": ProviderKind.TUITION,
    "vocational": ProviderKind.VOCATIONAL,
    "therapeutic": ProviderKind.THERAPEUTIC,
    "outreach": ProviderKind.MENTORING,
    "farm": ProviderKind.OTHER,
    "sport": ProviderKind.SPORT_OUTDOOR,
    "arts": ProviderKind.OTHER,
}
SETTING_BY_TYPE = {"tuition": SettingType.OOT, "vocational": SettingType.WBP}
STANDINGS = [
    (ApprovalStatus.APPROVED, 70, "Due diligence and safeguarding checks passed"),
    (ApprovalStatus.CONDITIONAL, 18, "Approved on condition the fire risk assessment is renewed"),
    (
        ApprovalStatus.REFERRALS_PAUSED,
        7,
        "Referrals paused while a safeguarding concern is investigated",
    ),
    (ApprovalStatus.NOT_ASSESSED, 5, ""),
]


@dataclass
class ProviderRecord:
    """A saved provider record with its sites and its standing with its home LA."""

    provider: Provider
    sites: list[ProviderSite]
    standing: ApprovalStatus


def _standing(rng: random.Random) -> tuple[ApprovalStatus, str]:
    status, _, reason = rng.choices(STANDINGS, weights=[w for _, w, _ in STANDINGS])[0]
    return status, reason


def create_provider_records(
    *,
    rng: random.Random,
    la: LocalAuthority,
    pru_organisation: Organisation,
    pru: Establishment,
    others: list[tuple[Organisation, str]],
    neighbours: list[LocalAuthority],
    postcode_areas: tuple[str, ...],
    towns: list[str],
    at: dt.datetime,
    used_ukprns: set[str],
) -> list[ProviderRecord]:
    """Save the records; return them (the PRU first, then `others` in order)."""
    providers = [
        Provider(
            organisation=pru_organisation,
            name=pru_organisation.name,
            kind=ProviderKind.PRU,
            establishment=pru,
            home_la=la,
            offers_tier_1=True,
            offers_tier_2=True,
            offers_tier_3=True,
            key_stages=[KeyStage.KS3, KeyStage.KS4],
            teaches_english_and_maths=True,
            qualifications="GCSEs in English, maths and science; Functional Skills; BTEC Level 1",
            therapeutic_offer="Educational psychology and counselling on site",
            hours_per_week=Decimal(25),
            capacity=rng.randint(40, 90),
            daily_rate=Decimal(rng.randint(90, 140)),
            hourly_rate=None,
            ofsted_judgement=rng.choices(
                [
                    OfstedJudgement.GOOD,
                    OfstedJudgement.REQUIRES_IMPROVEMENT,
                    OfstedJudgement.OUTSTANDING,
                    OfstedJudgement.INADEQUATE,
                ],
                weights=[60, 25, 10, 5],
            )[0],
            ofsted_date=at.date() - dt.timedelta(days=rng.randint(120, 1400)),
            created_at=at,
            updated_at=at,
        )
    ]
    for organisation, type_key in others:
        identity: dict[str, object] = {}
        if rng.random() < 0.4:
            ukprn = f"1{rng.randint(0, 9_999_999):07d}"
            while ukprn in used_ukprns:
                ukprn = f"1{rng.randint(0, 9_999_999):07d}"
            used_ukprns.add(ukprn)
            identity["ukprn"] = ukprn
        else:
            identity["setting_type"] = SETTING_BY_TYPE.get(type_key, SettingType.OTH)
        hours = rng.choice([10, 12.5, 15, 18, 20, 25])
        providers.append(
            Provider(
                organisation=organisation,
                name=organisation.name,
                kind=KIND_BY_TYPE.get(type_key, ProviderKind.OTHER),
                home_la=la,
                offers_tier_1=rng.random() < 0.3,
                offers_tier_2=True,
                offers_tier_3=rng.random() < 0.3,
                key_stages=rng.choice(
                    [[KeyStage.KS3, KeyStage.KS4], [KeyStage.KS4], [KeyStage.KS2, KeyStage.KS3]]
                ),
                teaches_english_and_maths=rng.random() < 0.6,
                qualifications=rng.choice(
                    [
                        "Functional Skills English and maths",
                        "AQA Unit Awards",
                        "Level 1 vocational certificate",
                        "",
                    ]
                ),
                therapeutic_offer="Mentoring and wellbeing sessions"
                if type_key in {"therapeutic", "outreach", "farm"}
                else "",
                hours_per_week=Decimal(str(hours)),
                capacity=rng.randint(6, 30),
                daily_rate=None,
                hourly_rate=Decimal(rng.randint(35, 75)),
                created_at=at,
                updated_at=at,
                **identity,
            )
        )
    Provider.objects.bulk_create(providers)
    sites: list[ProviderSite] = []
    approvals: list[ProviderApproval] = []
    for provider in providers:
        for index in range(1 + (rng.random() < 0.3)):
            # The LA's own PRU is in the LA; some other providers have a site over the border.
            out_of_area = (
                neighbours
                and rng.random() < OUT_OF_AREA_SITE_SHARE
                and provider.kind != ProviderKind.PRU
            )
            site_la = rng.choice(neighbours) if out_of_area else la
            sites.append(
                ProviderSite(
                    provider=provider,
                    name="Main site" if index == 0 else f"{rng.choice(towns)} site",
                    address_line_1=f"{rng.randint(1, 120)} {rng.choice(['Station Road', 'Mill Lane', 'Church Street', 'Park Road', 'The Business Park', 'High Street'])}",
                    town=rng.choice(towns) if site_la == la else site_la.name,
                    postcode=naming.postcode(rng, postcode_areas),
                    local_authority=site_la,
                )
            )
        status, reason = (
            (ApprovalStatus.APPROVED, "Registered provider: approved")
            if provider.kind == ProviderKind.PRU
            else _standing(rng)
        )
        approvals.append(
            ProviderApproval(
                provider=provider,
                local_authority=la,
                status=status,
                reason=reason,
                since_date=None
                if status == ApprovalStatus.NOT_ASSESSED
                else at.date() - dt.timedelta(days=rng.randint(30, 500)),
                review_date=None
                if status == ApprovalStatus.NOT_ASSESSED
                else at.date() + dt.timedelta(days=rng.randint(10, 300)),
            )
        )
    ProviderSite.objects.bulk_create(sites)
    ProviderApproval.objects.bulk_create(approvals)
    sites_by_provider: dict[int, list[ProviderSite]] = {}
    for site in sites:
        sites_by_provider.setdefault(id(site.provider), []).append(site)
    return [
        ProviderRecord(provider, sites_by_provider[id(provider)], ApprovalStatus(approval.status))
        for provider, approval in zip(providers, approvals, strict=True)
    ]


def fit_capacity(rng: random.Random, records: list[ProviderRecord], *, today: dt.date) -> None:
    """Give each provider a capacity its children placed today fill to 70–95% (the providers
    register's own occupancy count), so no provider is "129 of 58"."""
    changed = []
    for record in records:
        placed = count_occupancy(provider=record.provider, on=today)
        wanted = max(record.provider.capacity or 0, round(placed / rng.uniform(*OCCUPANCY_SHARE)))
        if placed and wanted != record.provider.capacity:
            record.provider.capacity = wanted
            changed.append(record.provider)
    Provider.objects.bulk_update(changed, ["capacity"])
