"""Registration-threshold rule: when a non-school provider must register as an independent school.

Any setting not maintained by a local authority, and not a non-maintained special school, must
register as an independent school if it gives full-time education to:

- 5 or more pupils of compulsory school age, or
- 1 or more pupil of compulsory school age who is looked after or has an EHCP.

Running an unregistered school is a criminal offence. "Full-time" has no legal definition: a
setting is full-time if it gives all or "substantially all" of a pupil's education, in practice
about 18 hours a week or more (PQ HL5450). aptrack counts a pupil as full-time at
APTRACK_REGISTRATION_FULL_TIME_HOURS hours a week or more (default 18). "Max 15 hours" and "one EHCP pupil
full-time is allowed" are myths (domain.md §2, requirement 3).

aptrack applies the rule to every provider whose kind is not in REGISTERED_KINDS, from two
sources, and reports which of them triggered it:

- RETURN: the provider's latest submitted return (the one with the latest period starting on or
  before the date). Each line is one pupil at its hours a week. A named child's age, care and
  EHCP come from the child's record (of compulsory school age on any day of the period); an
  anonymous pupil's from what the provider stated.
- PLACEMENTS: the placements recorded in aptrack that are active on the date, whoever
  commissioned them. A child's hours are summed across all their active placements with the
  provider; compulsory school age, care and EHCP are taken on the date.

The test is dated (`registration_rule`). Until the commencement date in the setting
APTRACK_CWSA_S92_COMMENCEMENT, today's test above. From that date, section 43 of the Children's
Wellbeing and Schools Act 2026, which substitutes section 92 of the Education and Skills Act 2008:
an institution that provides full-time education for at least five children of compulsory school
age, or at least one who is looked after or has special educational needs (not only an EHCP),
must register; regulations under the new s92(3) say what "full-time" is, and aptrack takes it
from APTRACK_REGISTRATION_FULL_TIME_HOURS, to be set to what they prescribe.

Counts are aggregates over every pupil. Names are shown to a user only through
`aptrack.children.permissions.scope_children` (see `selectors.list_visible_children`).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import OuterRef, Subquery, Sum

from aptrack.children.models import SenStatus
from aptrack.children.schooling import compulsory_school_age
from aptrack.core.govuk.formatting import uk_date
from aptrack.placements.models import Placement
from aptrack.placements.rules import running_on_q
from aptrack.providers.models import REGISTERED_KINDS, Provider
from aptrack.returns.models import ProviderReturn, ReturnLine
from aptrack.returns.selectors import list_providers_used_by_la
from aptrack.returns.states import ReturnStatus

DEFAULT_FULL_TIME_HOURS = 18
PUPILS_THRESHOLD = 5
# Looked-after or EHCP pupils: one is enough.
PROTECTED_PUPILS_THRESHOLD = 1


@dataclass(frozen=True)
class RegistrationRule:
    """Who, alone, makes a full-time setting register, as the law stands on a date."""

    law: str
    pupils_threshold: int = PUPILS_THRESHOLD
    any_sen: bool = False  # any special educational needs counts, not only an EHCP

    def is_protected(self, pupil: "Pupil") -> bool:
        return pupil.looked_after or pupil.has_ehcp or (self.any_sen and pupil.has_sen)


TODAYS_RULE = RegistrationRule(
    law="Education Act 1996 s463; Education and Skills Act 2008 s92 (5+ pupils, or 1 looked after or with an EHCP)"
)
CWSA_2026_RULE = RegistrationRule(
    law=(
        "Education and Skills Act 2008 s92 as substituted by the Children's Wellbeing and Schools "
        "Act 2026 s43 (5+ pupils, or 1 looked after or with special educational needs)"
    ),
    any_sen=True,
)
COMMENCEMENT_INVALID = (
    "APTRACK_CWSA_S92_COMMENCEMENT must be a date written YYYY-MM-DD, or empty while section 43 "
    "of the Children's Wellbeing and Schools Act 2026 is not in force; it is {value!r}"
)


def cwsa_commencement() -> dt.date | None:
    """The day the amended registration test comes into force (APTRACK_CWSA_S92_COMMENCEMENT)."""
    value = getattr(settings, "APTRACK_CWSA_S92_COMMENCEMENT", "")
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ImproperlyConfigured(COMMENCEMENT_INVALID.format(value=value)) from None


def registration_rule(on: dt.date | None) -> RegistrationRule:
    """The registration test in force on `on` (today's test when no date is known)."""
    commenced = cwsa_commencement()
    if on is not None and commenced is not None and on >= commenced:
        return CWSA_2026_RULE
    return TODAYS_RULE


def full_time_hours() -> Decimal:
    """Hours a week from which aptrack counts a pupil as full-time (APTRACK_REGISTRATION_FULL_TIME_HOURS)."""
    value = getattr(settings, "APTRACK_REGISTRATION_FULL_TIME_HOURS", DEFAULT_FULL_TIME_HOURS)
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ImproperlyConfigured(
            "APTRACK_REGISTRATION_FULL_TIME_HOURS must be one number of hours a week, the registration "
            f"threshold (default {DEFAULT_FULL_TIME_HOURS}); it is {value!r}"
        ) from None


class Source(models.TextChoices):
    RETURN = "RETURN", "Latest submitted return"
    PLACEMENTS = "PLACEMENTS", "Placements recorded in aptrack"


@dataclass(frozen=True)
class Pupil:
    """One pupil as the rule sees them. `child_id` is None for a pupil not known to aptrack."""

    child_id: int | None
    hours_per_week: Decimal
    compulsory_school_age: bool
    looked_after: bool
    has_ehcp: bool
    has_sen: bool = False  # SEN support or an EHCP (counts once the 2026 Act's test is in force)

    @property
    def is_protected(self) -> bool:
        """Under today's test: looked after or with an EHCP."""
        return TODAYS_RULE.is_protected(self)


def counted_pupils(pupils: Iterable[Pupil], threshold_hours: Decimal) -> tuple[Pupil, ...]:
    """The pupils the rule counts: of compulsory school age and full-time."""
    return tuple(
        pupil
        for pupil in pupils
        if pupil.compulsory_school_age and pupil.hours_per_week >= threshold_hours
    )


def breaches(counted: Sequence[Pupil], on: dt.date | None = None) -> bool:
    """Given the counted pupils: 5 or more, or at least one looked after or with an EHCP (from
    the 2026 Act's commencement, with any special educational needs): `registration_rule(on)`."""
    rule = registration_rule(on)
    protected = sum(1 for pupil in counted if rule.is_protected(pupil))
    return len(counted) >= rule.pupils_threshold or protected >= PROTECTED_PUPILS_THRESHOLD


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


@dataclass(frozen=True)
class SourceResult:
    source: Source
    pupils: tuple[Pupil, ...]  # the counted pupils only
    threshold_hours: Decimal
    provider_return: ProviderReturn | None = None
    on: dt.date | None = None
    rule_on: dt.date | None = None  # the date whose registration test applies

    @property
    def count(self) -> int:
        return len(self.pupils)

    @property
    def looked_after_count(self) -> int:
        return sum(1 for pupil in self.pupils if pupil.looked_after)

    @property
    def ehcp_count(self) -> int:
        return sum(1 for pupil in self.pupils if pupil.has_ehcp)

    @property
    def anonymous_count(self) -> int:
        return sum(1 for pupil in self.pupils if pupil.child_id is None)

    @property
    def child_ids(self) -> list[int]:
        return [pupil.child_id for pupil in self.pupils if pupil.child_id is not None]

    @property
    def sen_support_count(self) -> int:
        return sum(1 for pupil in self.pupils if pupil.has_sen and not pupil.has_ehcp)

    @property
    def triggered(self) -> bool:
        return breaches(self.pupils, self.rule_on or self.on)

    @property
    def label(self) -> str:
        if self.provider_return is not None:
            r = self.provider_return
            return f"Return for {uk_date(r.period_start_date)} to {uk_date(r.period_end_date)}"
        return f"Placements on {uk_date(self.on)}"

    @property
    def finding(self) -> str:
        """The finding in words, e.g. "3 pupils full-time (18+ hours), including 1 looked
        after: must register"."""
        text = f"{_plural(self.count, 'pupil')} full-time ({float(self.threshold_hours):g}+ hours)"
        including = []
        if self.looked_after_count:
            including.append(f"{self.looked_after_count} looked after")
        if self.ehcp_count:
            including.append(f"{self.ehcp_count} with an EHCP")
        if self.sen_support_count and registration_rule(self.rule_on or self.on).any_sen:
            including.append(f"{self.sen_support_count} on SEN support")
        if including:
            text += ", including " + " and ".join(including)
        return text + (": must register" if self.triggered else ": below the threshold")

    @property
    def reason(self) -> str:
        return f"{self.label}: {self.finding}"


@dataclass(frozen=True)
class ThresholdResult:
    provider: Provider
    on: dt.date
    threshold_hours: Decimal
    from_return: SourceResult | None  # None when there is no submitted return (or registered)
    from_placements: SourceResult | None  # None for a registered provider

    @property
    def is_registered(self) -> bool:
        return self.provider.kind in REGISTERED_KINDS

    @property
    def sources(self) -> list[SourceResult]:
        return [s for s in (self.from_return, self.from_placements) if s is not None]

    @property
    def triggered_by(self) -> list[SourceResult]:
        return [s for s in self.sources if s.triggered]

    @property
    def must_register(self) -> bool:
        return not self.is_registered and bool(self.triggered_by)

    @property
    def child_ids(self) -> list[int]:
        """Every counted child on aptrack, from either source (filter through the user's scope
        before showing a name)."""
        seen: dict[int, None] = {}
        for source in self.sources:
            seen.update(dict.fromkeys(source.child_ids))
        return list(seen)

    @property
    def reason(self) -> str:
        if self.is_registered:
            return "Registered setting: the rule does not apply"
        if not self.triggered_by:
            return "Below the registration threshold"
        return "; ".join(source.reason for source in self.triggered_by)


@dataclass(frozen=True)
class ThresholdAlert:
    provider: Provider
    result: ThresholdResult

    @property
    def reason(self) -> str:
        return self.result.reason

    @property
    def sources(self) -> list[Source]:
        return [s.source for s in self.result.triggered_by]


# --- evaluation -----------------------------------------------------------------------------


def _placement_pupils(org_ids: list[int], on: dt.date) -> dict[int, list[Pupil]]:
    """Pupils by provider organisation, hours summed over each child's active placements."""
    rows = (
        Placement.objects.filter(running_on_q(on), provider_id__in=org_ids)
        .values(
            "provider_id",
            "child_id",
            "child__date_of_birth",
            "child__looked_after",
            "child__sen_status",
        )
        .annotate(hours=Sum("hours_per_week"))
        .order_by()
    )
    pupils: dict[int, list[Pupil]] = defaultdict(list)
    for row in rows:
        pupils[row["provider_id"]].append(
            Pupil(
                child_id=row["child_id"],
                hours_per_week=Decimal(str(row["hours"])),
                compulsory_school_age=compulsory_school_age(row["child__date_of_birth"]).includes(
                    on
                ),
                looked_after=row["child__looked_after"],
                has_ehcp=row["child__sen_status"] == SenStatus.EHCP,
                has_sen=row["child__sen_status"] != SenStatus.NONE,
            )
        )
    return pupils


def _latest_returns(provider_ids: list[int], on: dt.date) -> dict[int, ProviderReturn]:
    latest = Subquery(
        ProviderReturn.objects.filter(
            provider_id=OuterRef("pk"), status=ReturnStatus.SUBMITTED, period_start_date__lte=on
        )
        .order_by("-period_start_date")
        .values("pk")[:1]
    )
    return_ids = (
        Provider.objects.filter(pk__in=provider_ids)
        .annotate(latest_return_id=latest)
        .exclude(latest_return_id=None)
        .values_list("latest_return_id", flat=True)
    )
    returns = ProviderReturn.objects.filter(pk__in=list(return_ids))
    return {r.provider_id: r for r in returns}


def _return_pupils(returns: Iterable[ProviderReturn]) -> dict[int, list[Pupil]]:
    """Pupils by return id."""
    by_id = {r.pk: r for r in returns}
    rows = ReturnLine.objects.filter(provider_return_id__in=list(by_id)).values(
        "provider_return_id",
        "child_id",
        "hours_per_week",
        "compulsory_school_age",
        "looked_after",
        "has_ehcp",
        "child__date_of_birth",
        "child__looked_after",
        "child__sen_status",
    )
    pupils: dict[int, list[Pupil]] = defaultdict(list)
    for row in rows:
        r = by_id[row["provider_return_id"]]
        if row["child_id"] is None:
            pupil = Pupil(
                child_id=None,
                hours_per_week=row["hours_per_week"],
                compulsory_school_age=bool(row["compulsory_school_age"]),
                looked_after=bool(row["looked_after"]),
                has_ehcp=bool(row["has_ehcp"]),
                # A return states EHCPs only: other SEN of an anonymous pupil is not known.
                has_sen=bool(row["has_ehcp"]),
            )
        else:
            age = compulsory_school_age(row["child__date_of_birth"])
            pupil = Pupil(
                child_id=row["child_id"],
                hours_per_week=row["hours_per_week"],
                # Compulsory school age on any day of the period.
                compulsory_school_age=age.starts <= r.period_end_date
                and age.ends >= r.period_start_date,
                looked_after=row["child__looked_after"],
                has_ehcp=row["child__sen_status"] == SenStatus.EHCP,
                has_sen=row["child__sen_status"] != SenStatus.NONE,
            )
        pupils[r.pk].append(pupil)
    return pupils


def evaluate_many(providers: Sequence[Provider], on: dt.date) -> dict[int, ThresholdResult]:
    """Apply the rule to each provider on `on`, in a fixed handful of queries. By provider id."""
    threshold = full_time_hours()
    non_school = [p for p in providers if p.kind not in REGISTERED_KINDS]
    placement_pupils = _placement_pupils([p.organisation_id for p in non_school], on)
    latest = _latest_returns([p.pk for p in non_school], on)
    return_pupils = _return_pupils(latest.values())
    results: dict[int, ThresholdResult] = {}
    for provider in providers:
        if provider.kind in REGISTERED_KINDS:
            results[provider.pk] = ThresholdResult(
                provider=provider,
                on=on,
                threshold_hours=threshold,
                from_return=None,
                from_placements=None,
            )
            continue
        provider_return = latest.get(provider.pk)
        from_return = None
        if provider_return is not None:
            from_return = SourceResult(
                source=Source.RETURN,
                pupils=counted_pupils(return_pupils.get(provider_return.pk, []), threshold),
                threshold_hours=threshold,
                provider_return=provider_return,
                rule_on=on,
            )
        from_placements = SourceResult(
            source=Source.PLACEMENTS,
            pupils=counted_pupils(placement_pupils.get(provider.organisation_id, []), threshold),
            threshold_hours=threshold,
            on=on,
        )
        results[provider.pk] = ThresholdResult(
            provider=provider,
            on=on,
            threshold_hours=threshold,
            from_return=from_return,
            from_placements=from_placements,
        )
    return results


def evaluate_threshold(provider: Provider, on: dt.date) -> ThresholdResult:
    """The rule applied to one provider on `on`, from each source."""
    return evaluate_many([provider], on)[provider.pk]


def list_registration_alerts(*, la_id: int, on: dt.date) -> list[ThresholdAlert]:
    """Non-school providers the LA uses (based in the LA, or with a placement it commissioned)
    that must register as an independent school on `on`, by provider name."""
    providers = list(
        list_providers_used_by_la(la_id=la_id)
        .exclude(kind__in=REGISTERED_KINDS)
        .select_related("home_la")
        .order_by("name", "pk")
    )
    results = evaluate_many(providers, on)
    return [
        ThresholdAlert(provider=p, result=results[p.pk])
        for p in providers
        if results[p.pk].must_register
    ]
