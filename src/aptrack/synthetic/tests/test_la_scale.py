"""The demo authority at full la scale, as `make demo` builds it (Dorset 420, Hackney 300).

Generating it takes a while, so `aptrack generate` builds it once for this module, in a
transaction rolled back at the end, and every test here reads it: each test runs in a savepoint
of its own inside that transaction (pytest-django's `db`), so one that writes leaves the next
test the data as built. Tests that need an empty database belong in test_generate.py.
"""

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import models, transaction

from aptrack.accounts.models import User
from aptrack.accounts.roles import Role
from aptrack.attendance.selectors import list_illness_duty
from aptrack.children import upn
from aptrack.children.models import Child, Ethnicity, SenStatus
from aptrack.children.permissions import scope_children
from aptrack.organisations.models import Establishment, LocalAuthority, Organisation
from aptrack.placements.models import (
    Destination,
    FollowUp,
    IntendedOutcome,
    OutcomeProgress,
    PersonPassport,
    Placement,
    PlacementEvent,
    Review,
    ReviewDecision,
)
from aptrack.placements.selectors import list_follow_ups_due, list_reviews_overdue
from aptrack.placements.states import OPEN_STATUSES, EventKind, PlacementStatus
from aptrack.providers.models import REGISTERED_KINDS, Provider
from aptrack.quality.models import (
    REQUIRED_CHECK_TYPES,
    ComplianceCheck,
    QAVisit,
    VisitType,
)
from aptrack.quality.selectors import compliance as quality_compliance
from aptrack.quality.selectors import visits as quality_visits
from aptrack.quality.states import VisitStatus
from aptrack.referrals.selectors import list_fair_access_due
from aptrack.returns.models import ProviderReturn, ReturnLine
from aptrack.returns.states import ReturnStatus
from aptrack.returns.threshold import Source, list_registration_alerts
from aptrack.synthetic import quality as synthetic_quality
from aptrack.synthetic import services
from aptrack.synthetic.returns import months_before

TODAY = dt.date(2026, 1, 15)


@pytest.fixture(scope="module")
def _la_scale_built(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    out = StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command(
            "generate",
            "--scale",
            "la",
            "--seed",
            "1",
            "--today",
            TODAY.isoformat(),
            stdout=out,
            stderr=StringIO(),
        )
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def la_scale(_la_scale_built: str, db: None) -> str:
    """What `aptrack generate` printed when it built the la scale for this module; the test's
    own writes are rolled back after it."""
    return _la_scale_built


def _dorset() -> LocalAuthority:
    return LocalAuthority.objects.get(code=services.DEMO_LA_CODE)


def test_la_scale_is_dorset_then_hackney_and_the_command_prints_a_summary(la_scale: str) -> None:
    by_la = Counter(Child.objects.values_list("home_la__code", flat=True))
    assert by_la == {"838": 420, "204": 300}
    assert re.search(r"Local authorities +2\n", la_scale)
    assert re.search(r"Children +720\n", la_scale)


def test_every_upn_is_valid_and_starts_with_the_home_la(
    la_scale: str,
) -> None:
    known = frozenset(LocalAuthority.objects.values_list("code", flat=True))
    children = list(Child.objects.select_related("home_la"))
    for child in children:
        parsed = upn.parse(child.upn, known)
        assert parsed.la_code == child.home_la.code
        assert parsed.is_temporary == child.upn_is_temporary
    assert len({child.upn for child in children}) == len(children)
    assert 0 < sum(child.upn_is_temporary for child in children) < len(children) * 0.05


def test_ehcp_share_is_between_70_and_90_percent(la_scale: str) -> None:
    statuses = Counter(Child.objects.values_list("sen_status", flat=True))
    share = statuses[SenStatus.EHCP] / sum(statuses.values())
    assert 0.70 <= share <= 0.90


def test_year_groups_are_mostly_7_to_11(la_scale: str) -> None:
    years = Counter(child.year_group(TODAY) for child in Child.objects.all())
    total = sum(years.values())
    assert sum(years[year] for year in range(7, 12)) / total >= 0.75
    assert set(years) <= set(range(1, 14))


def test_characteristics_follow_the_national_shares(la_scale: str) -> None:
    children = list(Child.objects.all())
    total = len(children)

    def share(test: object) -> float:
        return sum(1 for child in children if test(child)) / total  # type: ignore[operator]

    assert 0.62 <= share(lambda c: c.sex == "M") <= 0.78
    assert 0.37 <= share(lambda c: c.fsm) <= 0.57
    assert 0.05 <= share(lambda c: c.looked_after) <= 0.15
    assert all(c.responsible_la_id for c in children if c.looked_after)
    assert {c.ethnicity for c in children} <= set(Ethnicity.values)
    assert all(c.uln == "" or (len(c.uln) == 10 and c.year_group(TODAY) >= 10) for c in children)


def test_placements_are_with_the_home_la_providers(la_scale: str) -> None:
    placements = list(Placement.objects.select_related("child", "provider"))
    active = [p for p in placements if p.status == PlacementStatus.ACTIVE]
    open_ = [p for p in placements if p.status in OPEN_STATUSES]
    assert {p.child_id for p in placements} == set(Child.objects.values_list("pk", flat=True))
    assert len(active) >= 0.8 * len({p.child_id for p in placements})
    assert len({p.child_id for p in open_}) == len(open_)  # never two current placements
    for placement in placements:
        assert placement.provider.kind == "PROVIDER"
        assert placement.provider.local_authority_id == placement.child.home_la_id
        assert placement.commissioning_la_id == placement.child.home_la_id
        # Non-school AP is mostly part-time; tier 1 work is a few hours beside school.
        assert 0 < placement.hours_per_week <= 25
        assert placement.hours_per_week + placement.home_school_hours_per_week <= 40
        assert placement.created_at.date() <= TODAY
        if placement.status in (PlacementStatus.ACTIVE, PlacementStatus.ENDED):
            assert placement.start_date <= TODAY
        else:  # planned (or planned and cancelled) to start in the next few weeks
            assert TODAY < placement.start_date <= TODAY + dt.timedelta(days=16)
        if placement.status == PlacementStatus.ENDED:
            assert placement.end_date is not None
            assert placement.start_date <= placement.end_date <= TODAY
        else:
            assert placement.end_date is None


def test_each_la_has_schools_a_pru_and_providers(la_scale: str) -> None:
    for code in ("838", "204"):
        orgs = Organisation.objects.filter(local_authority__code=code)
        assert orgs.filter(kind="LOCAL_AUTHORITY").count() == 1
        assert orgs.filter(kind="AGENCY", agency_type="VIRTUAL_SCHOOL").count() == 1
        assert orgs.filter(kind="AGENCY", agency_type="SOCIAL_CARE").count() == 1
        assert 15 <= orgs.filter(kind="SCHOOL").count() <= 30
        assert orgs.filter(kind="PROVIDER", establishment__type_code="14").count() == 1
        assert 4 <= orgs.filter(kind="PROVIDER", establishment__isnull=True).count() <= 8
    urns = list(Establishment.objects.values_list("urn", flat=True))
    assert len(set(urns)) == len(urns)
    assert all(len(urn) == 6 and urn >= "700000" for urn in urns)


def test_demo_users_exist_with_the_password_and_every_role(
    la_scale: str,
) -> None:
    users = {
        user.username: user for user in User.objects.filter(username__in=services.DEMO_USERNAMES)
    }
    assert set(users) == set(services.DEMO_USERNAMES)
    assert all(user.check_password(services.DEMO_PASSWORD) for user in users.values())
    assert {user.role for user in users.values()} == set(Role.values)
    assert users["officer"].organisation.local_authority.code == "838"
    assert users["officer-hackney"].organisation.local_authority.code == "204"
    assert users["provider"].organisation.establishment.type_code == "14"


def test_demo_users_each_see_their_own_children(la_scale: str) -> None:
    users = {
        user.username: user for user in User.objects.filter(username__in=services.DEMO_USERNAMES)
    }
    assert scope_children(users["social-worker"]).count() == services.SOCIAL_WORKER_CASELOAD
    for username in ("provider", "school", "vsh"):
        assert scope_children(users[username]).exists(), username
    dorset = set(scope_children(users["officer"]).values_list("pk", flat=True))
    hackney = set(scope_children(users["officer-hackney"]).values_list("pk", flat=True))
    assert dorset and hackney
    assert not dorset & hackney
    assert not scope_children(users["analyst"]).exists()


def test_every_provider_holds_evidence_and_dorset_shows_each_compliance_state(
    la_scale: str,
) -> None:
    rows = quality_compliance.list_provider_compliance(la_id=_dorset().pk, on=TODAY)
    states = Counter(row.state for provider in rows for row in provider.status.rows)
    assert set(states) == set(quality_compliance.CheckState)  # in date, expiring, expired, missing
    assert states[quality_compliance.CheckState.IN_DATE] >= 0.8 * sum(states.values())
    assert any(row.status.compliant for row in rows)
    assert quality_compliance.list_expiring(la_id=_dorset().pk, on=TODAY)
    for provider in Provider.objects.all():
        held = set(
            provider.compliance_checks.filter(superseded_at__isnull=True).values_list(
                "check_type", flat=True
            )
        )
        assert len(set(REQUIRED_CHECK_TYPES) - held) <= 1  # at most one piece missing
    renewed = ComplianceCheck.objects.filter(superseded_by__isnull=False)
    assert renewed.exists()
    assert not renewed.filter(superseded_at__isnull=True).exists()
    assert all(
        check.expiry_date > check.evidence_date and check.recorded_at.date() <= TODAY
        for check in ComplianceCheck.objects.all()
    )


def test_qa_visits_judge_every_dfe_standard_and_some_audits_are_overdue(
    la_scale: str,
) -> None:
    framework = synthetic_quality.load_framework()
    assert framework is not None and framework.framework.name.startswith("DfE")
    due = quality_visits.list_audits_due(la_id=_dorset().pk, on=TODAY)
    overdue = [row for row in due if row.overdue and row.last_audit_date is not None]
    assert overdue
    assert all(395 <= (TODAY - row.last_audit_date).days <= 610 for row in overdue)  # type: ignore[operator]
    assert any(row.last_audit_date is None for row in due)  # never audited
    completed = QAVisit.objects.filter(status=VisitStatus.COMPLETED)
    audited_this_year = (
        completed.filter(
            visit_type=VisitType.ANNUAL_AUDIT, visit_date__gt=TODAY - dt.timedelta(days=365)
        )
        .values("provider")
        .distinct()
        .count()
    )
    assert audited_this_year > Provider.objects.count() / 2
    judged = completed.annotate(n=models.Count("judgements"))
    assert {visit.n for visit in judged} == {len(framework.standards)}
    for visit in completed:
        assert visit.overall_judgement in (1, 2, 3, 4)
        assert visit.revisit_date and visit.revisit_date > visit.visit_date
        assert visit.child_feedback and visit.family_feedback and visit.visitors
        assert visit.completed_at and visit.completed_at.date() <= TODAY
    drafts = QAVisit.objects.filter(status=VisitStatus.DRAFT)
    assert drafts.exists() and not drafts.filter(overall_judgement__isnull=False).exists()
    assert quality_visits.list_open_actions_past_due(la_id=_dorset().pk, on=TODAY)


def test_returns_cover_the_last_three_months_and_dorset_trips_the_threshold(
    la_scale: str,
) -> None:
    periods = months_before(TODAY)
    assert periods == [
        (dt.date(2025, 10, 1), dt.date(2025, 10, 31)),
        (dt.date(2025, 11, 1), dt.date(2025, 11, 30)),
        (dt.date(2025, 12, 1), dt.date(2025, 12, 31)),
    ]
    for provider in Provider.objects.exclude(kind__in=REGISTERED_KINDS):
        made = provider.returns.order_by("period_start_date")
        assert [(r.period_start_date, r.period_end_date) for r in made] == periods
    assert not ProviderReturn.objects.filter(provider__kind__in=REGISTERED_KINDS).exists()
    statuses = Counter(ProviderReturn.objects.values_list("status", flat=True))
    assert statuses[ReturnStatus.DRAFT] >= 2
    assert statuses[ReturnStatus.SUBMITTED] > 5 * statuses[ReturnStatus.DRAFT]
    placed = {
        (p.child_id, p.provider_id, p.hours_per_week, p.start_date, p.end_date)
        for p in Placement.objects.filter(
            status__in=[PlacementStatus.ACTIVE, PlacementStatus.ENDED]
        )
    }
    lines = ReturnLine.objects.filter(child__isnull=False).select_related(
        "provider_return__provider"
    )
    assert lines.exists()
    for line in lines:
        r = line.provider_return
        assert any(
            child == line.child_id
            and provider == r.provider.organisation_id
            and hours == line.hours_per_week
            and start <= r.period_end_date
            and (end is None or end >= r.period_start_date)
            for child, provider, hours, start, end in placed
        )
    alerts = list_registration_alerts(la_id=_dorset().pk, on=TODAY)
    assert alerts
    assert Source.RETURN in alerts[0].sources and Source.PLACEMENTS in alerts[0].sources
    non_school = Provider.objects.filter(home_la=_dorset()).exclude(kind__in=REGISTERED_KINDS)
    assert len(alerts) < non_school.count()  # most non-school AP stays part-time


def test_placement_plans_are_complete_and_consistent(la_scale: str) -> None:
    placements = list(
        Placement.objects.select_related(
            "child", "provider__provider", "site", "open_ended_approved_by"
        )
    )
    assert set(Counter(p.status for p in placements)) == set(PlacementStatus.values)
    dorset = Counter(p.status for p in placements if p.commissioning_la.code == "838")
    assert {PlacementStatus.ACTIVE, PlacementStatus.ENDED, PlacementStatus.PLANNED} <= set(dorset)
    tiers = Counter(p.tier for p in placements)
    assert tiers[2] > 0.6 * len(placements) and tiers[1] and tiers[3]
    open_ = [p for p in placements if p.status in OPEN_STATUSES]
    open_ended = [p for p in open_ if p.planned_end_date is None]
    assert 0.04 <= len(open_ended) / len(open_) <= 0.14
    outcomes = Counter(IntendedOutcome.objects.values_list("placement_id", flat=True))
    assert set(outcomes.values()) == {2, 3} and len(outcomes) == len(placements)
    assert PersonPassport.objects.count() >= 0.75 * len(placements)
    cent = dt.timedelta(weeks=12)
    for p in placements:
        provider = p.provider.provider
        assert p.site is not None and p.site.provider_id == provider.pk
        assert p.exit_plan and p.readiness_criteria
        if p.planned_end_date is None:
            assert p.open_ended_justification
            assert p.open_ended_approved_by.role == Role.LA_MANAGER
        else:
            assert p.planned_end_date > p.start_date
        if p.tier == 2 and not provider.is_registered:
            assert p.maximum_end_date == p.start_date + cent
        else:
            assert p.maximum_end_date is None
        rate = provider.hourly_rate or provider.daily_rate / 5
        assert abs(p.weekly_cost - rate * p.hours_per_week) < 0.01
        part_time = p.hours_per_week + p.home_school_hours_per_week < 25
        assert bool(p.part_time_reason) == part_time
        if part_time:
            assert p.part_time_parent_agreed and p.part_time_plan_to_full_time
            assert p.part_time_review_date >= p.start_date
        if p.tier == 1:
            assert p.commissioning_school.establishment_id == p.child.home_school_id
    part_time_share = sum(bool(p.part_time_reason) for p in placements) / len(placements)
    assert 0.2 <= part_time_share <= 0.7


def test_reviews_every_six_weeks_with_progress_and_some_overdue(
    la_scale: str,
) -> None:
    dorset = _dorset()
    overdue = list_reviews_overdue(la_id=dorset.pk, on=TODAY)
    active = Placement.objects.filter(commissioning_la=dorset, status=PlacementStatus.ACTIVE)
    assert 0 < len(overdue) < 0.2 * active.count()
    reviews = list(Review.objects.select_related("placement").order_by("placement", "held_date"))
    previous: Review | None = None
    for review in reviews:
        p = review.placement
        assert p.start_date <= review.held_date <= (p.end_date or TODAY)
        assert review.recorded_at.date() <= TODAY
        assert review.next_review_date == review.held_date + dt.timedelta(days=42)
        if previous is not None and previous.placement_id == p.pk:
            assert 0 < (review.held_date - previous.held_date).days <= 42
        else:
            assert (review.held_date - p.start_date).days <= 42
        if review.decision == ReviewDecision.EXTEND:
            assert review.decision_reason and review.new_planned_end_date
        previous = review
    decisions = Counter(review.decision for review in reviews)
    assert decisions.most_common(1)[0][0] == ReviewDecision.CONTINUE
    assert decisions[ReviewDecision.EXTEND] and decisions[ReviewDecision.END]
    outcomes = Counter(IntendedOutcome.objects.values_list("placement_id", flat=True))
    scored = Counter(OutcomeProgress.objects.values_list("review_id", flat=True))
    assert all(scored[review.pk] == outcomes[review.placement_id] for review in reviews)
    assert set(OutcomeProgress.objects.values_list("score", flat=True)) <= {1, 2, 3, 4, 5}


def test_ended_placements_have_destinations_follow_ups_and_events(
    la_scale: str,
) -> None:
    ended = list(Placement.objects.filter(status=PlacementStatus.ENDED))
    destinations = Counter(p.destination for p in ended)
    share = {d: destinations[d] / len(ended) for d in Destination.values}
    assert 0.45 <= share[Destination.HOME_SCHOOL] + share[Destination.NEW_MAINSTREAM] <= 0.75
    assert share[Destination.POST_16] > 0.03
    assert 0.01 <= share[Destination.NEET] <= 0.12
    assert share[Destination.CME] <= 0.06
    follow_ups = {(f.placement_id, f.weeks_after): f for f in FollowUp.objects.all()}
    for p in ended:
        assert p.end_reason and p.transition_plan
        for weeks in (6, 12):
            assert follow_ups[(p.pk, weeks)].due_date == p.end_date + dt.timedelta(weeks=weeks)
    done = [f for f in follow_ups.values() if f.done_date is not None]
    assert all(f.due_date <= f.done_date <= TODAY for f in done)
    assert sum(bool(f.destination_sustained) for f in done) > 0.6 * len(done)
    assert list_follow_ups_due(la_id=_dorset().pk, on=TODAY).exists()
    events = Counter(PlacementEvent.objects.values_list("placement_id", "kind"))
    for p in Placement.objects.all():
        assert events[(p.pk, EventKind.CREATED)] == 1
        assert events[(p.pk, EventKind.ENDED)] == (p.status == PlacementStatus.ENDED)
        started = p.status in (PlacementStatus.ACTIVE, PlacementStatus.ENDED)
        assert events[(p.pk, EventKind.ACTIVATED)] == started
        assert events[(p.pk, EventKind.CANCELLED)] == (p.status == PlacementStatus.CANCELLED)
    assert not PlacementEvent.objects.filter(at__date__gt=TODAY).exists()


def test_synthetic_staff_cannot_sign_in(la_scale: str) -> None:
    staff = User.objects.exclude(username__in=services.DEMO_USERNAMES)
    assert staff.filter(role=Role.QA_LEAD, organisation__local_authority__code="838").exists()
    assert (
        staff.filter(role=Role.PROVIDER_STAFF).count()
        == Provider.objects.exclude(kind__in=REGISTERED_KINDS).count()
    )
    assert not any(user.has_usable_password() for user in staff)


def test_the_demo_has_a_fair_access_place_missed_and_one_due_this_week(
    la_scale: str,
) -> None:
    dorset = LocalAuthority.objects.get(code="838")
    rows = list_fair_access_due(la_id=dorset.pk, on=TODAY)
    assert sorted(row.is_missed(TODAY) for row in rows) == [False, True]
    # The panel that decided them has members, a quorum present, and each referral its history.
    from aptrack.panels.models import AgendaItem, Attendance, Panel
    from aptrack.referrals.models import ReferralEvent

    panel = Panel.objects.get(local_authority=dorset, kind="FAP")
    assert panel.members.count() >= panel.quorum
    for row in rows:
        meeting = AgendaItem.objects.get(referral=row.referral).meeting
        present = Attendance.objects.filter(meeting=meeting, present=True)
        assert present.count() >= panel.quorum
        history = ReferralEvent.objects.filter(referral=row.referral).order_by("at", "pk")
        assert [e.to_status for e in history] == ["DRAFT", "SUBMITTED", "ON_AGENDA", "APPROVED"]
        row.referral.refresh_from_db()
        assert row.referral.updated_at == history.last().at


def test_the_demo_has_children_approaching_the_illness_duty(la_scale: str) -> None:
    dorset = LocalAuthority.objects.get(code="838")
    approaching = list_illness_duty(on=TODAY, home_la_id=dorset.pk, min_days=Decimal(10))
    assert approaching, "no Dorset child has 10 or more days of illness absence in the demo"


def test_contracts_of_each_kind_and_funder_with_rates_and_a_budget_per_la(la_scale: str) -> None:
    from aptrack.commissioning.models import Contract, HighNeedsBudget, PlacementTerms, Rate

    assert set(Contract.objects.values_list("kind", flat=True)) == {"SPOT", "BLOCK", "FRAMEWORK"}
    assert set(Contract.objects.values_list("funder", flat=True)) == {
        "HIGH_NEEDS",
        "SCHOOL",
        "PARTNERSHIP",
    }
    assert not Contract.objects.filter(rates__isnull=True).exists()
    assert Rate.objects.filter(is_transport=True).exists()
    assert Rate.objects.filter(effective_to__isnull=False).exists()  # an uplift from April
    started = Placement.objects.filter(status__in=["ACTIVE", "ENDED"])
    assert PlacementTerms.objects.count() == started.count()
    assert set(PlacementTerms.objects.values_list("charge_mode", flat=True)) == {
        "ATTENDED",
        "AGREED",
        "BESPOKE",
    }
    assert set(HighNeedsBudget.objects.values_list("local_authority__code", flat=True)) == {
        "838",
        "204",
    }
    assert re.search(r"Invoice lines +[1-9][0-9,]*\n", la_scale)


def test_invoices_carry_every_kind_of_discrepancy_in_a_realistic_share(la_scale: str) -> None:
    from aptrack.commissioning.models import InvoiceLine
    from aptrack.commissioning.states import QueryReason, reasons_of

    lines = InvoiceLine.objects.all()
    found = Counter(
        reason
        for flags in lines.values_list("query_flags", flat=True)
        for reason in reasons_of(flags)
    )
    assert set(found) == set(QueryReason)
    share = lines.filter(query_flags__gt=0).count() / lines.count()
    assert 0.08 < share < 0.35, (share, found, lines.count())
    assert lines.filter(status="APPROVED").exists() and lines.filter(status="REJECTED").exists()
    assert User.objects.filter(role=Role.LA_FINANCE, username="finance").exists()


def test_the_spend_page_has_real_figures(la_scale: str) -> None:
    from aptrack.commissioning import spend

    for code in ("838", "204"):
        result = spend.get_spend(la_id=LocalAuthority.objects.get(code=code).pk, on=TODAY)
        assert result.budget and result.total.actual > 0 and result.total.committed > 0
        assert result.forecast_share is not None and result.total.attended_days > 0
        assert result.total.cost_per_attended_day and result.total.cost_per_placement
        assert len(result.breakdown(spend.PROVIDER)) > 1


def test_every_generated_provider_has_a_register_record_with_sites_and_standing(
    la_scale: str,
) -> None:
    from aptrack.providers.models import ProviderApproval, ProviderSite

    organisations = Organisation.objects.filter(kind="PROVIDER").count()
    assert Provider.objects.count() == organisations > 0
    assert not Provider.objects.filter(sites__isnull=True).exists()
    assert ProviderApproval.objects.count() == organisations
    assert Provider.objects.filter(kind="PRU", establishment__isnull=False).exists()
    assert ProviderSite.objects.exclude(local_authority=models.F("provider__home_la")).exists()


def test_demo_authority_has_panels_referrals_and_sixth_day_cases(la_scale: str) -> None:
    from aptrack.panels.models import Decision, Meeting
    from aptrack.referrals import selectors as referral_selectors
    from aptrack.referrals.models import Referral, ReferralEvent

    dorset = _dorset()
    assert Meeting.objects.filter(panel__local_authority=dorset, status="CLOSED").exists()
    assert Meeting.objects.filter(panel__local_authority=dorset, date__gt=TODAY).exists()
    assert Decision.objects.filter(
        agenda_item__meeting__panel__local_authority=dorset, outcome="APPROVED"
    ).exists()
    assert {"DRAFT", "SUBMITTED", "ON_AGENDA", "APPROVED"} <= set(
        Referral.objects.filter(commissioning_la=dorset).values_list("status", flat=True)
    )
    at_risk = referral_selectors.list_sixth_day_at_risk(la_id=dorset.pk, on=TODAY)
    assert len(at_risk) >= 1
    # "Last changed" is when the referral's history last moved, never the moment of generating.
    for referral in Referral.objects.filter(commissioning_la=dorset):
        last = ReferralEvent.objects.filter(referral=referral).order_by("-at", "-pk").first()
        assert last is not None and referral.updated_at == last.at, referral.pk
