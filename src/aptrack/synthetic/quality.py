"""Synthetic quality assurance: each provider's compliance evidence and the LA's QA visits.

Every provider holds evidence for every required check type, mostly in date; some providers
have evidence expiring within 30 days, some an expired piece, a few a missing one, so the
compliance dashboards show each state. Most providers had a completed annual audit against the
DfE standards in the last 12 months; some are overdue (13 to 20 months), a few were never
audited, and a few audits are still drafts. Grades follow the provider's standing with its LA.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from aptrack.providers.states import ApprovalStatus
from aptrack.quality.models import (
    REQUIRED_CHECK_TYPES,
    CheckType,
    ComplianceCheck,
    Framework,
    Grade,
    QAVisit,
    Standard,
    StandardJudgement,
    VisitAction,
    VisitType,
)
from aptrack.quality.states import ActionStatus, VisitStatus
from aptrack.synthetic import records, texts
from aptrack.synthetic.providers import ProviderRecord
from aptrack.synthetic.staff import LaStaff

BATCH_SIZE = 2_000
EXPIRING_SOON_DAYS = 30  # as quality.selectors.compliance.EXPIRING_SOON_DAYS

# Compliance profiles: which of a provider's checks are not in date.
IN_DATE, EXPIRING, EXPIRED, MISSING = "in date", "expiring", "expired", "missing"
COMPLIANCE_WEIGHTS = {IN_DATE: 70, EXPIRING: 15, EXPIRED: 8, MISSING: 7}
PRU_COMPLIANCE_WEIGHTS = {IN_DATE: 85, EXPIRING: 15}
# Check types a new provider is most often missing.
OFTEN_MISSING = (
    CheckType.FIRE_RISK,
    CheckType.PREMISES,
    CheckType.KCSIE_TRAINING,
    CheckType.HEALTH_SAFETY_RISK,
)
PREVIOUS_EVIDENCE = 0.5  # share of checks with an earlier, superseded piece of evidence

# Audit profiles: when the last annual audit was.
RECENT, OVERDUE, NEVER, DRAFT = "recent", "overdue", "never", "draft"
AUDIT_WEIGHTS = {RECENT: 76, OVERDUE: 12, NEVER: 6, DRAFT: 6}
PRU_AUDIT_WEIGHTS = {RECENT: 85, OVERDUE: 15}
NOT_ASSESSED_AUDIT_WEIGHTS = {NEVER: 60, DRAFT: 40}
# In an LA with at least this many non-school providers, one is certain to have expired
# evidence, one evidence expiring soon and one an overdue audit; in the demo LA (`showcase`)
# also one with missing evidence and one never audited.
VARIETY_FROM = 3
CERTAIN_COMPLIANCE = (EXPIRING, EXPIRED)
CERTAIN_AUDITS = (OVERDUE,)
SHOWCASE_COMPLIANCE = (EXPIRING, EXPIRED, MISSING)
SHOWCASE_AUDITS = (OVERDUE, NEVER)

# The provider's usual grade (1 best, 4 worst) by its standing.
QUALITY_BY_STANDING = {
    ApprovalStatus.APPROVED: 1.9,
    ApprovalStatus.CONDITIONAL: 2.5,
    ApprovalStatus.REFERRALS_PAUSED: 3.1,
    ApprovalStatus.NOT_APPROVED: 3.4,
    ApprovalStatus.NOT_ASSESSED: 2.4,
}
MAX_ACTIONS_PER_VISIT = 4


@dataclass(frozen=True)
class QAFramework:
    framework: Framework
    standards: list[Standard]


def load_framework() -> QAFramework | None:
    """The DfE national standards the quality migration seeds (None if they are not there)."""
    national = Framework.objects.filter(owner_la__isnull=True).order_by("pk")
    framework = national.filter(name__startswith="DfE").first() or national.first()
    if framework is None:
        return None
    standards = list(
        framework.standards.filter(retired_at__isnull=True).order_by("area_number", "order", "pk")
    )
    return QAFramework(framework, standards) if standards else None


@dataclass(frozen=True)
class Compliance:
    """What a provider's current evidence says about any day."""

    missing: bool
    earliest_expiry: dt.date | None

    def compliant_on(self, day: dt.date) -> bool:
        return not self.missing and (self.earliest_expiry is None or self.earliest_expiry >= day)


@dataclass
class QualityCounts:
    compliance_checks: int = 0
    qa_visits: int = 0
    compliance: dict[int, Compliance] = field(default_factory=dict)  # by provider organisation


def _deal(
    draw: records.Draw, count: int, weights: dict[str, int], certain: Sequence[str]
) -> list[str]:
    """`count` profiles drawn from `weights`, including each of `certain` when there are at
    least VARIETY_FROM to deal, in random order."""
    dealt = list(certain) if count >= max(VARIETY_FROM, len(certain)) else []
    dealt += [draw.pick(weights) for _ in range(count - len(dealt))]
    draw.rng.shuffle(dealt)
    return dealt


def create_quality(
    draw: records.Draw,
    providers: list[ProviderRecord],
    staff: LaStaff,
    framework: QAFramework | None,
    *,
    showcase: bool = False,
) -> QualityCounts:
    """Compliance evidence and QA visits for one LA's providers (the PRU first, as
    `providers.create_provider_records` returns them). `showcase`: make sure every state
    appears (for the demo LA)."""
    counts = QualityCounts()
    pru, others = providers[0], providers[1:]
    compliance = [draw.pick(PRU_COMPLIANCE_WEIGHTS)] + _deal(
        draw,
        len(others),
        COMPLIANCE_WEIGHTS,
        SHOWCASE_COMPLIANCE if showcase else CERTAIN_COMPLIANCE,
    )
    checks = _Checks(draw, staff)
    for record, profile in zip(providers, compliance, strict=True):
        counts.compliance[record.provider.organisation_id] = checks.add(record, str(profile))
    counts.compliance_checks = checks.save()

    assessed = [r for r in others if r.standing != ApprovalStatus.NOT_ASSESSED]
    audit_profiles: dict[int, str] = {id(pru): str(draw.pick(PRU_AUDIT_WEIGHTS))}
    for record, profile in zip(
        assessed,
        _deal(draw, len(assessed), AUDIT_WEIGHTS, SHOWCASE_AUDITS if showcase else CERTAIN_AUDITS),
        strict=True,
    ):
        audit_profiles[id(record)] = profile
    for record in others:
        if record.standing == ApprovalStatus.NOT_ASSESSED:
            audit_profiles[id(record)] = str(draw.pick(NOT_ASSESSED_AUDIT_WEIGHTS))
    if framework is not None:
        visits = _Visits(draw, staff, framework)
        for record in providers:
            visits.add(record, audit_profiles[id(record)])
        counts.qa_visits = visits.save()
    return counts


class _Checks:
    def __init__(self, draw: records.Draw, staff: LaStaff) -> None:
        self.draw = draw
        self.staff = staff
        self.current: list[ComplianceCheck] = []
        self.previous: list[ComplianceCheck] = []

    def _off(self, record: ProviderRecord, profile: str) -> dict[str, str]:
        """The check types not in date, and how."""
        rng = self.draw.rng
        types = list(REQUIRED_CHECK_TYPES)
        off: dict[str, str]
        if profile == MISSING:
            off = {rng.choice(OFTEN_MISSING): MISSING}
        elif profile == EXPIRED:
            off = {rng.choice(types): EXPIRED}
        elif profile == EXPIRING:
            off = dict.fromkeys(rng.sample(types, k=rng.randint(1, 2)), EXPIRING)
        else:
            return {}
        if record.standing == ApprovalStatus.CONDITIONAL and profile in (EXPIRING, EXPIRED):
            # The standing's condition is a fire risk assessment to be renewed.
            off = {CheckType.FIRE_RISK: profile}
        if profile != EXPIRING and self.draw.chance(0.3):
            extra = rng.choice([t for t in types if t not in off])
            off[extra] = EXPIRING
        return off

    def add(self, record: ProviderRecord, profile: str) -> Compliance:
        draw, rng, today = self.draw, self.draw.rng, self.draw.today
        off = self._off(record, profile)
        manager_name = draw.fake.name()
        expiries: list[dt.date] = []
        for check_type in REQUIRED_CHECK_TYPES:
            state = off.get(check_type, IN_DATE)
            if state == MISSING:
                continue
            validity = texts.CHECK_VALIDITY_DAYS[check_type]
            if state == EXPIRED:
                expiry = today - dt.timedelta(days=rng.randint(1, 150))
            elif state == EXPIRING:
                expiry = today + dt.timedelta(days=rng.randint(0, EXPIRING_SOON_DAYS))
            else:
                expiry = today + dt.timedelta(
                    days=rng.randint(EXPIRING_SOON_DAYS + 1, validity - 1)
                )
            expiries.append(expiry)
            evidence = expiry - dt.timedelta(days=validity)
            check = self._check(record, check_type, evidence, expiry, manager_name)
            self.current.append(check)
            if draw.chance(PREVIOUS_EVIDENCE):
                earlier = self._check(
                    record,
                    check_type,
                    evidence - dt.timedelta(days=validity),
                    evidence,
                    manager_name,
                )
                earlier.superseded_at = check.recorded_at
                earlier.superseded_by = check
                self.previous.append(earlier)
        return Compliance(missing=MISSING in off.values(), earliest_expiry=min(expiries))

    def _check(
        self,
        record: ProviderRecord,
        check_type: str,
        evidence: dt.date,
        expiry: dt.date,
        manager_name: str,
    ) -> ComplianceCheck:
        draw, rng = self.draw, self.draw.rng
        reference = rng.choice(texts.EVIDENCE_REFERENCES[check_type]).format(
            month=f"{evidence:%B %Y}",
            version=rng.randint(2, 6),
            number=rng.randint(100_000, 999_999),
        )
        recorded = min(evidence + dt.timedelta(days=rng.randint(0, 14)), draw.today)
        return ComplianceCheck(
            provider=record.provider,
            check_type=check_type,
            evidence_date=evidence,
            expiry_date=expiry,
            named_person=manager_name if check_type == CheckType.DSL else "",
            evidence_reference=reference,
            notes=rng.choice(texts.CHECK_NOTES),
            recorded_by=rng.choice([self.staff.qa_officer, *self.staff.officers]),
            recorded_at=draw.at(recorded),
        )

    def save(self) -> int:
        ComplianceCheck.objects.bulk_create(self.current, batch_size=BATCH_SIZE)
        # Earlier evidence points at the evidence that superseded it, saved just above.
        ComplianceCheck.objects.bulk_create(self.previous, batch_size=BATCH_SIZE)
        return len(self.current) + len(self.previous)


def _clamp_grade(value: float) -> int:
    return min(Grade.INADEQUATE, max(Grade.STRONG, round(value)))


class _Visits:
    def __init__(self, draw: records.Draw, staff: LaStaff, framework: QAFramework) -> None:
        self.draw = draw
        self.staff = staff
        self.framework = framework
        self.visits: list[QAVisit] = []
        self.judgements: list[StandardJudgement] = []
        self.actions: list[VisitAction] = []

    def _visitors(self) -> str:
        officer = self.staff.officer(self.draw)
        return (
            f"{self.staff.qa_officer.get_full_name()} (AP quality assurance officer), "
            f"{officer.get_full_name()} (AP officer)"
        )

    def add(self, record: ProviderRecord, profile: str) -> None:
        draw, rng, today = self.draw, self.draw.rng, self.draw.today
        quality = QUALITY_BY_STANDING.get(record.standing, 2.4)
        if record.provider.is_registered:
            quality = min(quality, 2.1)
        owner = f"{draw.fake.name()}, {rng.choice(texts.ACTION_OWNER_TITLES)}"
        days = lambda low, high: dt.timedelta(days=rng.randint(low, high))  # noqa: E731
        if profile == RECENT:
            last = today - days(20, 340)
            if draw.chance(0.55):
                self._completed(record, last - days(340, 390), quality + 0.2, owner, latest=False)
            self._completed(record, last, quality, owner, latest=True)
        elif profile == OVERDUE:
            last = today - days(396, 608)
            self._completed(record, last, quality, owner, latest=True)
            if draw.chance(0.4):
                self._draft(record, today + days(-10, 25), quality)
        elif profile == DRAFT or (profile == NEVER and draw.chance(0.3)):
            self._draft(record, today + days(-14, 20), quality)

    def _visit(self, record: ProviderRecord, visit_type: str, day: dt.date) -> QAVisit:
        created = self.draw.at(
            min(day - dt.timedelta(days=self.draw.rng.randint(7, 28)), self.draw.today)
        )
        return QAVisit(
            provider=record.provider,
            local_authority_id=record.provider.home_la_id,
            framework=self.framework.framework,
            visit_type=visit_type,
            visit_date=day,
            visitors=self._visitors(),
            created_by=self.staff.qa_officer,
            created_at=created,
            updated_at=created,
        )

    def _grades(self, quality: float) -> list[int]:
        level = quality + self.draw.rng.gauss(0, 0.2)
        return [
            _clamp_grade(level + self.draw.rng.gauss(0, 0.55)) for _ in self.framework.standards
        ]

    def _completed(
        self,
        record: ProviderRecord,
        day: dt.date,
        quality: float,
        owner: str,
        *,
        latest: bool,
        visit_type: str = VisitType.ANNUAL_AUDIT,
    ) -> None:
        draw, rng, today = self.draw, self.draw.rng, self.draw.today
        visit = self._visit(record, visit_type, day)
        grades = self._grades(quality)
        overall = _clamp_grade(sum(grades) / len(grades))
        if any(
            grade == Grade.INADEQUATE and standard.area_number == 1
            for standard, grade in zip(self.framework.standards, grades, strict=True)
        ):
            overall = Grade.INADEQUATE  # a safeguarding failure is inadequate overall
        tone = "good" if overall <= Grade.GOOD else "mixed"
        completed = draw.at(min(day + dt.timedelta(days=rng.randint(1, 10)), today))
        if overall >= Grade.REQUIRES_IMPROVEMENT:
            revisit = day + dt.timedelta(weeks=rng.randint(8, 13))
        else:
            revisit = day + dt.timedelta(days=rng.randint(330, 365))
        visit.child_feedback = rng.choice(texts.CHILD_FEEDBACK[tone])
        visit.family_feedback = rng.choice(texts.FAMILY_FEEDBACK[tone])
        visit.summary = texts.VISIT_SUMMARIES[overall]
        visit.overall_judgement = overall
        visit.revisit_date = revisit
        visit.status = VisitStatus.COMPLETED
        visit.completed_by = self.staff.qa_officer
        visit.completed_at = completed
        visit.updated_at = completed
        visit.version = 3
        self.visits.append(visit)
        for standard, grade in zip(self.framework.standards, grades, strict=True):
            self.judgements.append(self._judgement(visit, standard, grade, completed))
        self._actions(visit, grades, owner, completed, latest=latest)
        # A visit that found serious weaknesses is followed by a monitoring visit.
        if latest and visit_type == VisitType.ANNUAL_AUDIT and overall >= 3 and revisit < today:
            self._completed(
                record,
                revisit,
                quality - 0.4,
                owner,
                latest=True,
                visit_type=VisitType.MONITORING,
            )

    def _draft(self, record: ProviderRecord, day: dt.date, quality: float) -> None:
        """An annual audit booked or under way: part of it judged when the day has come."""
        visit = self._visit(record, VisitType.ANNUAL_AUDIT, day)
        self.visits.append(visit)
        if day >= self.draw.today:
            return
        grades = self._grades(quality)
        judged = self.draw.rng.randint(1, len(grades) // 2)
        at = self.draw.at(min(day + dt.timedelta(days=1), self.draw.today))
        visit.updated_at = at
        visit.version = 2
        for standard, grade in list(zip(self.framework.standards, grades, strict=True))[:judged]:
            self.judgements.append(self._judgement(visit, standard, grade, at))

    def _judgement(
        self, visit: QAVisit, standard: Standard, grade: int, at: dt.datetime
    ) -> StandardJudgement:
        notes = texts.JUDGEMENT_NOTES.get(standard.area_number, texts.JUDGEMENT_NOTES[1])
        return StandardJudgement(
            visit=visit,
            standard=standard,
            grade=grade,
            evidence_notes=self.draw.rng.choice(notes[grade]),
            recorded_by=self.staff.qa_officer,
            recorded_at=at,
        )

    def _actions(
        self, visit: QAVisit, grades: list[int], owner: str, at: dt.datetime, *, latest: bool
    ) -> None:
        draw, rng, today = self.draw, self.draw.rng, self.draw.today
        weak = sorted(
            (
                (grade, index)
                for index, grade in enumerate(grades)
                if grade >= Grade.REQUIRES_IMPROVEMENT
            ),
            reverse=True,
        )[:MAX_ACTIONS_PER_VISIT]
        if not weak and draw.chance(0.4):
            weak = [(Grade.GOOD, rng.randrange(len(grades)))]
        for _, index in weak:
            standard = self.framework.standards[index]
            options = texts.ACTIONS.get(standard.area_number, texts.ACTIONS[1])
            due = visit.visit_date + dt.timedelta(weeks=rng.randint(4, 12))
            done_share = (0.65 if due < today else 0.2) if latest else 0.95
            done_at = None
            if draw.chance(done_share):
                done_day = min(due - dt.timedelta(days=rng.randint(0, 20)), today)
                done_at = draw.at(max(done_day, visit.visit_date + dt.timedelta(days=1)))
            self.actions.append(
                VisitAction(
                    visit=visit,
                    text=options[index % len(options)],
                    owner_name=owner,
                    due_date=due,
                    status=ActionStatus.DONE if done_at else ActionStatus.OPEN,
                    done_at=done_at,
                    created_by=self.staff.qa_officer,
                    created_at=at,
                )
            )

    def save(self) -> int:
        QAVisit.objects.bulk_create(self.visits, batch_size=BATCH_SIZE)
        StandardJudgement.objects.bulk_create(self.judgements, batch_size=BATCH_SIZE)
        VisitAction.objects.bulk_create(self.actions, batch_size=BATCH_SIZE)
        return len(self.visits)
