"""The outcome measures over a small known set of placements: exact figures, and each
measure's drill-down returns exactly the placements behind its count."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aptrack.attendance.models import PlacementWeek
from aptrack.organisations.tests.factories import OrganisationFactory, la
from aptrack.outcomes import selectors
from aptrack.outcomes.tests.factories import (
    AttainmentFactory,
    FollowUpFactory,
    OutreachFactory,
    PlacementFactory,
    PriorAttendanceFactory,
    QualificationFactory,
    ReviewFactory,
    WellbeingFactory,
)
from aptrack.placements.models import Placement

pytestmark = pytest.mark.django_db
START = dt.date(2025, 9, 8)
END = dt.date(2026, 2, 13)


def _ended(destination: str, **kwargs: object) -> Placement:
    return PlacementFactory(
        status="ENDED", start_date=START, end_date=END, destination=destination, **kwargs
    )


def _grades(
    placement: Placement, subject: str, entry: int | None, *later: int, ks4: int | None = None
) -> None:
    if entry is not None:
        AttainmentFactory(placement=placement, subject=subject, point="ENTRY", grade=entry)
    for weeks, grade in enumerate(later, start=1):
        AttainmentFactory(
            placement=placement,
            subject=subject,
            point="REVIEW",
            grade=grade,
            assessed_date=placement.start_date + dt.timedelta(weeks=6 * weeks),
        )
    if ks4 is not None:
        AttainmentFactory(
            placement=placement,
            subject=subject,
            point="KS4_RESULT",
            grade=ks4,
            assessed_date=dt.date(2025, 8, 21),
        )


@pytest.fixture
def known() -> dict[str, Placement]:
    """Five placements:
    - a: English 1 → 2 → 3 (improved), maths 0 → 0 (not), KS4 English 4, maths 5; wellbeing 3 → 6;
      before 40%, in AP 60% (registers); ended back to the home school, sustained at 6 weeks,
      not at 12; one qualification achieved, one working towards;
    - b: English -1 → -2 (down), maths 2 → 3 (up), KS4 English 5, maths 5; wellbeing 5 (one score);
      before 80%, in AP 70% (the latest review says so, no registers); ended to a new mainstream
      school, 6-week check not done; two qualifications achieved;
    - c: English entry 1 only; KS4 English U, no maths; wellbeing 7 → 5; ended to post-16,
      sustained at 6 and 12 weeks;
    - d: same child as c: ended NEET, 12-week check done, not sustained;
    - e: active, nothing recorded.
    """
    a = _ended("HOME_SCHOOL")
    b = _ended("NEW_MAINSTREAM")
    c = _ended("POST_16")
    d = _ended("NEET", child=c.child)
    e = PlacementFactory(start_date=START)
    _grades(a, "ENGLISH", 1, 2, 3, ks4=4)
    _grades(a, "MATHS", 0, 0, ks4=5)
    _grades(b, "ENGLISH", -1, -2, ks4=5)
    _grades(b, "MATHS", 2, 3, ks4=5)
    _grades(c, "ENGLISH", 1, ks4=-3)
    QualificationFactory(placement=a, status="ACHIEVED", result_date=END)
    QualificationFactory(placement=a)
    QualificationFactory(placement=b, status="ACHIEVED", result_date=END)
    QualificationFactory(placement=b, status="ACHIEVED", result_date=END, title="BTEC Level 1")
    WellbeingFactory(placement=a, score=3)
    WellbeingFactory(placement=a, score=6, recorded_date=START + dt.timedelta(weeks=6))
    WellbeingFactory(placement=b, score=5)
    WellbeingFactory(placement=c, score=7)
    WellbeingFactory(placement=c, score=5, recorded_date=START + dt.timedelta(weeks=6))
    PriorAttendanceFactory(placement=a, attendance_percent=Decimal("40.0"))
    PriorAttendanceFactory(placement=b, attendance_percent=Decimal("80.0"))
    PlacementWeek.objects.create(
        placement=a,
        week_start_date=START,
        child=a.child,
        local_authority=la("838"),
        provider=a.provider,
        present=6,
        aea=0,
        authorised=2,
        unauthorised=2,
    )
    ReviewFactory(placement=b, attendance_percent=Decimal("90.0"))
    ReviewFactory(
        placement=b, attendance_percent=Decimal("70.0"), held_date=START + dt.timedelta(weeks=12)
    )
    FollowUpFactory(
        placement=a, weeks_after=6, done_date=END, destination_sustained=True, still_attending=True
    )
    FollowUpFactory(
        placement=a,
        weeks_after=12,
        done_date=END,
        destination_sustained=False,
        still_attending=False,
    )
    FollowUpFactory(placement=b, weeks_after=6)
    FollowUpFactory(placement=c, weeks_after=6, done_date=END, destination_sustained=True)
    FollowUpFactory(placement=c, weeks_after=12, done_date=END, destination_sustained=True)
    FollowUpFactory(placement=d, weeks_after=12, done_date=END, destination_sustained=False)
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def test_summary_figures_on_a_known_dataset(known: dict[str, Placement]) -> None:
    summary = selectors.outcome_summary(placements=Placement.objects.all())

    assert summary.english == selectors.SubjectProgress(
        subject="english",
        with_entry=3,
        with_progress=2,
        improved=1,
        mean_entry=Decimal("0.0"),
        mean_latest=Decimal("0.5"),
    )
    assert summary.maths == selectors.SubjectProgress(
        subject="maths",
        with_entry=2,
        with_progress=2,
        improved=1,
        mean_entry=Decimal("1.0"),
        mean_latest=Decimal("1.5"),
    )
    assert (summary.ks4_results, summary.grade_4_both, summary.grade_5_both) == (3, 2, 1)
    assert summary.grade_4_both_percent == Decimal("66.7")
    assert summary.grade_5_both_percent == Decimal("33.3")
    assert (summary.qualifications_achieved, summary.qualifications_working_towards) == (3, 1)
    assert summary.counts["qualifications_achieved"] == 2
    assert summary.wellbeing_compared == 2
    assert (summary.wellbeing_mean_first, summary.wellbeing_mean_latest) == (
        Decimal("5.0"),
        Decimal("5.5"),
    )
    assert summary.counts["wellbeing_improved"] == 1
    assert summary.attendance_compared == 2
    assert (summary.attendance_mean_before, summary.attendance_mean_in_ap) == (
        Decimal("60.0"),
        Decimal("65.0"),
    )
    assert summary.attendance_improved == 1
    assert (summary.ended, summary.reintegrated, summary.reintegration_rate) == (
        4,
        2,
        Decimal("50.0"),
    )
    assert summary.reintegration_sustained == [
        selectors.Sustained(weeks=6, checked=1, sustained=1, rate=Decimal("100.0")),
        selectors.Sustained(weeks=12, checked=1, sustained=0, rate=Decimal("0.0")),
    ]
    assert summary.post_16 == 2
    rows = {row.destination: row for row in summary.post_16_rows}
    assert rows["POST_16"].placements == 1 and rows["NEET"].placements == 1
    assert rows["EMPLOYMENT_TRAINING"].placements == 0
    assert rows["POST_16"].sustained[1] == selectors.Sustained(
        weeks=12, checked=1, sustained=1, rate=Decimal("100.0")
    )
    assert rows["NEET"].sustained[1] == selectors.Sustained(
        weeks=12, checked=1, sustained=0, rate=Decimal("0.0")
    )
    assert summary.post_16_sustained[1] == selectors.Sustained(
        weeks=12, checked=2, sustained=1, rate=Decimal("50.0")
    )


def test_summary_is_one_query(known: dict[str, Placement]) -> None:
    with CaptureQueriesContext(connection) as queries:
        selectors.outcome_summary(placements=Placement.objects.filter(commissioning_la__code="838"))
    assert len(queries) == 1


def test_summary_of_no_placements_has_no_data() -> None:
    summary = selectors.outcome_summary(placements=Placement.objects.none())
    assert summary.ended == 0 and summary.reintegration_rate is None
    assert summary.english.mean_entry is None and summary.grade_4_both_percent is None


def test_each_drill_down_matches_its_count(known: dict[str, Placement]) -> None:
    placements = Placement.objects.all()
    summary = selectors.outcome_summary(placements=placements)
    for key, measure in selectors.MEASURES.items():
        behind = selectors.placements_for_outcome(key, placements)
        counted = (
            behind.values("child_id").distinct().count() if measure.per_child else behind.count()
        )
        assert counted == summary.counts[key], key


def test_drill_down_names_the_placements(known: dict[str, Placement]) -> None:
    placements = Placement.objects.all()
    assert set(selectors.placements_for_outcome("reintegrated", placements)) == {
        known["a"],
        known["b"],
    }
    assert set(selectors.placements_for_outcome("ks4_grade_5_both", placements)) == {known["b"]}
    assert set(selectors.placements_for_outcome("reintegration_sustained_6", placements)) == {
        known["a"]
    }
    assert set(selectors.placements_for_outcome("attendance_improved", placements)) == {known["a"]}


def test_drill_down_refuses_an_unknown_measure() -> None:
    with pytest.raises(selectors.UnknownMeasure):
        selectors.placements_for_outcome("no_such_measure", Placement.objects.all())


def test_summary_counts_only_the_placements_given(known: dict[str, Placement]) -> None:
    summary = selectors.outcome_summary(placements=Placement.objects.filter(pk=known["a"].pk))
    assert (summary.ended, summary.reintegrated, summary.ks4_results, summary.grade_4_both) == (
        1,
        1,
        1,
        1,
    )


def test_outreach_summary_counts_support_running_in_the_period(world) -> None:
    dorset = la("838")
    school, other_school = (
        OrganisationFactory(
            kind="SCHOOL", establishment=world.child_a.home_school, local_authority=dorset
        )
        for _ in range(2)
    )
    pru = OrganisationFactory(name="Harbour PRU", kind="PROVIDER", local_authority=dorset)
    OutreachFactory(
        local_authority=dorset,
        school=school,
        provider=pru,
        pupils_supported=3,
        hours=Decimal("10"),
        start_date=dt.date(2026, 8, 1),
    )  # started before, still running
    OutreachFactory(
        local_authority=dorset,
        school=school,
        provider=pru,
        pupils_supported=2,
        hours=Decimal("4.5"),
        start_date=dt.date(2026, 9, 14),
        end_date=dt.date(2026, 10, 16),
    )
    OutreachFactory(
        local_authority=dorset,
        school=other_school,
        pupils_supported=6,
        hours=Decimal("20"),
        start_date=dt.date(2026, 10, 1),
    )
    OutreachFactory(
        local_authority=dorset,
        school=other_school,
        start_date=dt.date(2026, 3, 2),
        end_date=dt.date(2026, 7, 17),
    )  # ended before the period
    OutreachFactory(
        local_authority=dorset, school=school, start_date=dt.date(2027, 1, 4)
    )  # after it
    OutreachFactory(
        local_authority=la("204"), school=school, start_date=dt.date(2026, 9, 14)
    )  # another LA

    summary = selectors.outreach_summary(
        la=dorset, start=dt.date(2026, 9, 1), end=dt.date(2026, 12, 31)
    )

    assert (summary.records, summary.schools, summary.pupils_supported, summary.hours) == (
        3,
        2,
        11,
        Decimal("34.5"),
    )
    assert summary.by_provider == [
        selectors.OutreachRow(
            label="Harbour PRU", records=2, schools=1, pupils_supported=5, hours=Decimal("14.5")
        ),
        selectors.OutreachRow(
            label=selectors.OWN_TEAM, records=1, schools=1, pupils_supported=6, hours=Decimal("20")
        ),
    ]
