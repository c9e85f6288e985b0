"""Reads for the dashboard: the outcome measures over a set of placements, the placements
behind each measure (its drill-down), and outreach to schools over a period. (One placement's
own outcomes are read by `placement_selectors`.)

The measures (the national AP performance framework's, domain.md §4) are defined once, as
filters in `MEASURES` over placements annotated by `annotate_outcomes`. `outcome_summary`
counts them in one SQL statement, and `placements_for_outcome` returns the placements behind
any one of them, so a figure and its drill-down always agree.

Definitions:
- entry grade: the English or maths grade recorded on entry; latest grade: the most recent grade
  recorded at a review or progress check; improved: latest above entry (scale in `grades`);
- KS4: children with a KS4 result in English or maths; grade 4+ (5+) in both: both results at
  4 (5) or above; the percentages are of the children with a KS4 result (as the DfE's are of
  the pupils at the end of KS4: a subject with no result counts as not achieved);
- wellbeing: placements with two or more scores, first against most recent;
- attendance before AP: `PriorAttendance`; attendance in AP: from the attendance registers (the
  weekly rollups) over the whole placement, else the attendance its latest review recorded;
  compared where both are known;
- reintegration: ended placements whose destination is a mainstream school (back to the home
  school, or a new one), out of all ended placements; sustained at 6 (12) weeks: the 6- (12-)
  week follow-up found the destination sustained, out of the reintegrations that have had that
  follow-up (checks not yet due are not failures);
- post-16 destinations: ended placements going on to post-16 education or training, employment
  with training, or NEET, each with its follow-ups.

Children are counted once however many placements they had (attainment, KS4, qualifications,
wellbeing, attendance); destinations count ended placements. Callers authorise: these
functions read what they are given.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Cast, Coalesce, NullIf

from aptrack.attendance.models import PlacementWeek
from aptrack.organisations.models import LocalAuthority
from aptrack.outcomes import grades
from aptrack.outcomes.models import (
    AssessmentPoint,
    AttainmentRecord,
    OutreachSupport,
    PriorAttendance,
    Qualification,
    Subject,
    WellbeingScore,
)
from aptrack.outcomes.states import QualificationStatus
from aptrack.placements.models import Destination, FollowUp, Placement, Review
from aptrack.placements.states import PlacementStatus

D = Destination
MAINSTREAM_DESTINATIONS = (D.HOME_SCHOOL, D.NEW_MAINSTREAM)
POST_16_DESTINATIONS = (D.POST_16, D.EMPLOYMENT_TRAINING, D.NEET)
FOLLOW_UP_WEEKS = (6, 12)


# --- the annotations every measure reads ----------------------------------------------------


def _grade(subject: str, point: str, *, latest: bool = False) -> Subquery:
    records = AttainmentRecord.objects.filter(
        placement=OuterRef("pk"), subject=subject, point=point
    )
    if latest:
        records = records.order_by("-assessed_date", "-recorded_at", "-pk")
    return Subquery(records.values("grade")[:1])


def _count(queryset: QuerySet[Any]) -> Coalesce:
    counted = queryset.order_by().values("placement").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def _register_attendance() -> Subquery:
    """Attendance rate in AP from the placement's weekly rollups: attended ÷ possible × 100
    (attendance.measures), None when no possible session is recorded."""
    attended = F("present") + F("aea")
    possible = attended + F("authorised") + F("unauthorised")
    rate = (
        PlacementWeek.objects.filter(placement=OuterRef("pk"))
        .order_by()
        .values("placement")
        .annotate(rate=Cast(Sum(attended), FloatField()) * 100.0 / NullIf(Sum(possible), 0))
        .values("rate")
    )
    return Subquery(rate, output_field=FloatField())


def _follow_up(weeks: int, **flags: Any) -> Exists:
    return Exists(FollowUp.objects.filter(placement=OuterRef("pk"), weeks_after=weeks, **flags))


def annotate_outcomes(placements: QuerySet[Placement]) -> QuerySet[Placement]:
    """The placements with every figure the measures read, as correlated subqueries."""
    wellbeing = WellbeingScore.objects.filter(placement=OuterRef("pk"))
    review_attendance = (
        Review.objects.filter(placement=OuterRef("pk"), attendance_percent__isnull=False)
        .order_by("-held_date", "-pk")
        .values("attendance_percent")[:1]
    )
    follow_ups = {
        f"{name}_{weeks}": _follow_up(weeks, **flags)
        for weeks in FOLLOW_UP_WEEKS
        for name, flags in (
            ("checked", {"done_date__isnull": False}),
            ("sustained", {"destination_sustained": True}),
        )
    }
    return placements.annotate(
        entry_english=_grade(Subject.ENGLISH, AssessmentPoint.ENTRY),
        latest_english=_grade(Subject.ENGLISH, AssessmentPoint.REVIEW, latest=True),
        entry_maths=_grade(Subject.MATHS, AssessmentPoint.ENTRY),
        latest_maths=_grade(Subject.MATHS, AssessmentPoint.REVIEW, latest=True),
        ks4_english=_grade(Subject.ENGLISH, AssessmentPoint.KS4_RESULT),
        ks4_maths=_grade(Subject.MATHS, AssessmentPoint.KS4_RESULT),
        achieved_count=_count(
            Qualification.objects.filter(
                placement=OuterRef("pk"), status=QualificationStatus.ACHIEVED
            )
        ),
        working_count=_count(
            Qualification.objects.filter(
                placement=OuterRef("pk"), status=QualificationStatus.WORKING_TOWARDS
            )
        ),
        wellbeing_count=_count(wellbeing),
        wellbeing_first=Subquery(wellbeing.order_by("recorded_date", "pk").values("score")[:1]),
        wellbeing_latest=Subquery(wellbeing.order_by("-recorded_date", "-pk").values("score")[:1]),
        attendance_before=Cast(
            Subquery(
                PriorAttendance.objects.filter(placement=OuterRef("pk")).values(
                    "attendance_percent"
                )[:1]
            ),
            FloatField(),
        ),
        attendance_in_ap=Coalesce(
            _register_attendance(),
            Cast(Subquery(review_attendance), FloatField()),
            output_field=FloatField(),
        ),
        **follow_ups,
    )


# --- the measures ---------------------------------------------------------------------------

_ENDED = Q(status=PlacementStatus.ENDED)
_REINTEGRATED = _ENDED & Q(destination__in=MAINSTREAM_DESTINATIONS)
_POST_16 = _ENDED & Q(destination__in=POST_16_DESTINATIONS)
_KS4_RESULT = Q(ks4_english__isnull=False) | Q(ks4_maths__isnull=False)


def _progress(subject: str) -> Q:
    return Q(**{f"entry_{subject}__isnull": False, f"latest_{subject}__isnull": False})


@dataclass(frozen=True)
class Measure:
    label: str
    condition: Q
    per_child: bool  # counted as children (else as placements)


MEASURES: dict[str, Measure] = {
    "english_entry": Measure(
        "Children with an English grade on entry", Q(entry_english__isnull=False), True
    ),
    "english_progress": Measure(
        "Children with English grades on entry and since", _progress("english"), True
    ),
    "english_improved": Measure(
        "Children whose English grade improved",
        _progress("english") & Q(latest_english__gt=F("entry_english")),
        True,
    ),
    "maths_entry": Measure(
        "Children with a maths grade on entry", Q(entry_maths__isnull=False), True
    ),
    "maths_progress": Measure(
        "Children with maths grades on entry and since", _progress("maths"), True
    ),
    "maths_improved": Measure(
        "Children whose maths grade improved",
        _progress("maths") & Q(latest_maths__gt=F("entry_maths")),
        True,
    ),
    "ks4_results": Measure("Children with KS4 results in English or maths", _KS4_RESULT, True),
    "ks4_grade_4_both": Measure(
        "Children with grade 4 or above in both English and maths",
        Q(ks4_english__gte=grades.STANDARD_PASS, ks4_maths__gte=grades.STANDARD_PASS),
        True,
    ),
    "ks4_grade_5_both": Measure(
        "Children with grade 5 or above in both English and maths",
        Q(ks4_english__gte=grades.STRONG_PASS, ks4_maths__gte=grades.STRONG_PASS),
        True,
    ),
    "qualifications_achieved": Measure(
        "Children who achieved a qualification", Q(achieved_count__gt=0), True
    ),
    "qualifications_working_towards": Measure(
        "Children working towards a qualification", Q(working_count__gt=0), True
    ),
    "wellbeing_compared": Measure(
        "Children with two or more wellbeing scores", Q(wellbeing_count__gte=2), True
    ),
    "wellbeing_improved": Measure(
        "Children whose wellbeing score rose",
        Q(wellbeing_count__gte=2, wellbeing_latest__gt=F("wellbeing_first")),
        True,
    ),
    "attendance_compared": Measure(
        "Children with attendance known before and in AP",
        Q(attendance_before__isnull=False, attendance_in_ap__isnull=False),
        True,
    ),
    "attendance_improved": Measure(
        "Children attending more in AP than before",
        Q(attendance_before__isnull=False, attendance_in_ap__gt=F("attendance_before")),
        True,
    ),
    "ended": Measure("Placements ended", _ENDED, False),
    "reintegrated": Measure(
        "Placements ended with a return to mainstream school", _REINTEGRATED, False
    ),
    **{
        f"reintegration_{name}_{weeks}": Measure(
            f"Returns to mainstream {label} at {weeks} weeks",
            _REINTEGRATED & Q(**{f"{name}_{weeks}": True}),
            False,
        )
        for weeks in FOLLOW_UP_WEEKS
        for name, label in (("checked", "followed up"), ("sustained", "sustained"))
    },
    "post_16": Measure("Placements ended with a post-16 destination", _POST_16, False),
    **{
        f"post_16_{kind.value.lower()}": Measure(kind.label, _ENDED & Q(destination=kind), False)
        for kind in POST_16_DESTINATIONS
    },
    **{
        f"post_16_{name}_{weeks}": Measure(
            f"Post-16 destinations {label} at {weeks} weeks",
            _POST_16 & Q(**{f"{name}_{weeks}": True}),
            False,
        )
        for weeks in FOLLOW_UP_WEEKS
        for name, label in (("checked", "followed up"), ("sustained", "sustained"))
    },
    **{
        f"post_16_{kind.value.lower()}_{name}_{weeks}": Measure(
            f"{kind.label}: {label} at {weeks} weeks",
            _ENDED & Q(destination=kind, **{f"{name}_{weeks}": True}),
            False,
        )
        for kind in POST_16_DESTINATIONS
        for weeks in FOLLOW_UP_WEEKS
        for name, label in (("checked", "followed up"), ("sustained", "sustained"))
    },
}


class UnknownMeasure(ValueError):
    pass


def placements_for_outcome(measure: str, placements: QuerySet[Placement]) -> QuerySet[Placement]:
    """The placements behind a measure (a key of MEASURES), for drill-down; intersect with the
    user's scope before showing them. Raises UnknownMeasure for any other key."""
    if measure not in MEASURES:
        raise UnknownMeasure(measure)
    return annotate_outcomes(placements).filter(MEASURES[measure].condition)


# --- the summary ----------------------------------------------------------------------------


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _mean(value: float | Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class SubjectProgress:
    subject: str  # "english" or "maths"
    with_entry: int  # children with an entry grade
    with_progress: int  # ... and a grade recorded since
    improved: int  # ... whose latest grade is above their entry grade
    mean_entry: Decimal | None  # mean grades of the children with progress, on the `grades` scale
    mean_latest: Decimal | None


@dataclass(frozen=True)
class Sustained:
    weeks: int
    checked: int  # follow-ups done
    sustained: int
    rate: Decimal | None  # sustained ÷ checked, percent


@dataclass(frozen=True)
class Post16Row:
    destination: str  # a Destination value
    label: str
    placements: int
    sustained: list[Sustained]


@dataclass(frozen=True)
class OutcomeSummary:
    """The outcome measures over a set of placements. `counts` holds every MEASURES key."""

    counts: dict[str, int]
    english: SubjectProgress
    maths: SubjectProgress
    ks4_results: int
    grade_4_both: int
    grade_4_both_percent: Decimal | None
    grade_5_both: int
    grade_5_both_percent: Decimal | None
    qualifications_achieved: int  # qualifications, not children
    qualifications_working_towards: int
    wellbeing_compared: int
    wellbeing_mean_first: Decimal | None
    wellbeing_mean_latest: Decimal | None
    attendance_compared: int
    attendance_mean_before: Decimal | None
    attendance_mean_in_ap: Decimal | None
    attendance_improved: int
    ended: int
    reintegrated: int
    reintegration_rate: Decimal | None  # reintegrated ÷ ended, percent
    reintegration_sustained: list[Sustained]
    post_16: int
    post_16_rows: list[Post16Row]
    post_16_sustained: list[Sustained]


def _count_measure(key: str) -> Count:
    measure = MEASURES[key]
    return Count(
        "child_id" if measure.per_child else "pk",
        distinct=measure.per_child,
        filter=measure.condition,
    )


def outcome_summary(*, placements: QuerySet[Placement]) -> OutcomeSummary:
    """The outcome measures over `placements` (already scoped by the caller): one statement."""
    english, maths = _progress("english"), _progress("maths")
    wellbeing, attendance = (
        MEASURES["wellbeing_compared"].condition,
        MEASURES["attendance_compared"].condition,
    )
    row = annotate_outcomes(placements).aggregate(
        **{key: _count_measure(key) for key in MEASURES},
        english_mean_entry=Avg("entry_english", filter=english),
        english_mean_latest=Avg("latest_english", filter=english),
        maths_mean_entry=Avg("entry_maths", filter=maths),
        maths_mean_latest=Avg("latest_maths", filter=maths),
        qualifications_achieved_total=Sum("achieved_count"),
        qualifications_working_total=Sum("working_count"),
        wellbeing_mean_first=Avg("wellbeing_first", filter=wellbeing),
        wellbeing_mean_latest=Avg("wellbeing_latest", filter=wellbeing),
        attendance_mean_before=Avg("attendance_before", filter=attendance),
        attendance_mean_in_ap=Avg("attendance_in_ap", filter=attendance),
    )
    counts = {key: int(row[key] or 0) for key in MEASURES}

    def subject(name: str) -> SubjectProgress:
        return SubjectProgress(
            subject=name,
            with_entry=counts[f"{name}_entry"],
            with_progress=counts[f"{name}_progress"],
            improved=counts[f"{name}_improved"],
            mean_entry=_mean(row[f"{name}_mean_entry"]),
            mean_latest=_mean(row[f"{name}_mean_latest"]),
        )

    def sustained(prefix: str) -> list[Sustained]:
        return [
            Sustained(
                weeks=weeks,
                checked=counts[f"{prefix}_checked_{weeks}"],
                sustained=counts[f"{prefix}_sustained_{weeks}"],
                rate=_percent(
                    counts[f"{prefix}_sustained_{weeks}"], counts[f"{prefix}_checked_{weeks}"]
                ),
            )
            for weeks in FOLLOW_UP_WEEKS
        ]

    post_16_rows = [
        Post16Row(
            destination=kind.value,
            label=kind.label,
            placements=counts[f"post_16_{kind.value.lower()}"],
            sustained=sustained(f"post_16_{kind.value.lower()}"),
        )
        for kind in POST_16_DESTINATIONS
    ]
    return OutcomeSummary(
        counts=counts,
        english=subject("english"),
        maths=subject("maths"),
        ks4_results=counts["ks4_results"],
        grade_4_both=counts["ks4_grade_4_both"],
        grade_4_both_percent=_percent(counts["ks4_grade_4_both"], counts["ks4_results"]),
        grade_5_both=counts["ks4_grade_5_both"],
        grade_5_both_percent=_percent(counts["ks4_grade_5_both"], counts["ks4_results"]),
        qualifications_achieved=int(row["qualifications_achieved_total"] or 0),
        qualifications_working_towards=int(row["qualifications_working_total"] or 0),
        wellbeing_compared=counts["wellbeing_compared"],
        wellbeing_mean_first=_mean(row["wellbeing_mean_first"]),
        wellbeing_mean_latest=_mean(row["wellbeing_mean_latest"]),
        attendance_compared=counts["attendance_compared"],
        attendance_mean_before=_mean(row["attendance_mean_before"]),
        attendance_mean_in_ap=_mean(row["attendance_mean_in_ap"]),
        attendance_improved=counts["attendance_improved"],
        ended=counts["ended"],
        reintegrated=counts["reintegrated"],
        reintegration_rate=_percent(counts["reintegrated"], counts["ended"]),
        reintegration_sustained=sustained("reintegration"),
        post_16=counts["post_16"],
        post_16_rows=post_16_rows,
        post_16_sustained=sustained("post_16"),
    )


# --- outreach (tier 1) ----------------------------------------------------------------------

OWN_TEAM = "The LA's own outreach team"


@dataclass(frozen=True)
class OutreachRow:
    label: str  # the provider that gave the support, or OWN_TEAM
    records: int
    schools: int
    pupils_supported: int
    hours: Decimal


@dataclass(frozen=True)
class OutreachSummary:
    """Tier 1 support to an LA's schools that ran at any time in a period."""

    records: int
    schools: int  # distinct schools supported
    pupils_supported: int
    hours: Decimal
    by_provider: list[OutreachRow]


def list_outreach(
    *, la_id: int, start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet[OutreachSupport]:
    """The LA's outreach records, newest first; with `start` and `end`, those running in
    the period (started by its end, not ended before its start)."""
    records = OutreachSupport.objects.filter(local_authority_id=la_id)
    if end is not None:
        records = records.filter(start_date__lte=end)
    if start is not None:
        records = records.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
    return records.select_related("school", "provider").order_by("-start_date", "-pk")


def outreach_summary(*, la: LocalAuthority, start: dt.date, end: dt.date) -> OutreachSummary:
    """Outreach to the LA's schools running between `start` and `end` (inclusive): two queries."""
    records = list_outreach(la_id=la.pk, start=start, end=end).order_by()
    totals = {
        "records": Count("pk"),
        "schools": Count("school_id", distinct=True),
        "pupils": Sum("pupils_supported"),
        "hours": Sum("hours"),
    }
    overall = records.aggregate(**totals)
    rows = (
        records.values("provider_id", "provider__name")
        .annotate(**totals)
        .order_by(F("provider__name").asc(nulls_last=True), "provider_id")
    )
    return OutreachSummary(
        records=overall["records"],
        schools=overall["schools"],
        pupils_supported=overall["pupils"] or 0,
        hours=Decimal(overall["hours"] or 0),
        by_provider=[
            OutreachRow(
                label=row["provider__name"] or OWN_TEAM,
                records=row["records"],
                schools=row["schools"],
                pupils_supported=row["pupils"] or 0,
                hours=Decimal(row["hours"] or 0),
            )
            for row in rows
        ],
    )
