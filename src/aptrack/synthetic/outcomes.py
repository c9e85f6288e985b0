"""Synthetic outcomes for an LA's placements, and its outreach to schools.

For each started placement: the child's attendance at school over the twelve weeks before it
(mostly lower than in AP, not always); for children in Years 7 to 11, English and maths
working-at grades on entry (mostly below GCSE grade 4: AP pupils arrive far behind) and at
about two in three reviews, with modest progress; KS4 results for those placed through their
Year 11 exams, tuned so that about 4% get grade 4+ in both English and maths, as in AP
nationally (domain.md §4: 4% against 64% in mainstream); qualifications from Year 9
(Functional Skills, GCSEs, Entry Level and vocational awards), achieved or not when the
placement ends; and a wellbeing score on entry and at most reviews. Each LA gets tier 1
outreach to about a third of its schools, from the PRU and other tier 1 providers or the LA's
own team, over the last eighteen months.

Draws come from a stream of their own, seeded from the LA's stream without advancing it, so
outcomes leave the rest of the LA's data as it was. Saved in bulk; nothing reads the clock.
"""

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from aptrack.accounts.models import User
from aptrack.children import schooling
from aptrack.outcomes import grades
from aptrack.outcomes.models import (
    AssessmentPoint,
    AttainmentRecord,
    AttendanceSource,
    OutreachSupport,
    PriorAttendance,
    Qualification,
    QualificationKind,
    QualificationLevel,
    Subject,
    WellbeingScore,
)
from aptrack.outcomes.states import QualificationStatus
from aptrack.placements.models import Placement, Review
from aptrack.placements.states import PlacementStatus
from aptrack.synthetic import records
from aptrack.synthetic.staff import LaStaff

BATCH_SIZE = 2_000
S = PlacementStatus
QS = QualificationStatus

PRIOR_ATTENDANCE = 0.85  # started placements with attendance before AP recorded
ENTRY_GRADES = 0.9  # Years 7–11 with entry grades
REVIEW_GRADES = 0.65  # reviews at which grades are reported
WELLBEING_AT_REVIEW = 0.8
NOT_ENTERED = 0.12  # Year 11s with no KS4 result in a subject
# Grades on the `grades` scale: where a child in AP is expected to end KS4 (about GCSE 1), and
# how far behind that they are each year before it.
KS4_LEVEL, KS4_SPREAD, PER_YEAR = 1.2, 1.2, 0.55
OUTREACH_SCHOOLS = 0.35
LA_TEAM_OUTREACH = 0.3

VOCATIONAL = (
    (
        "BTEC Level 1 Introductory Certificate in Vocational Studies",
        QualificationKind.BTEC,
        QualificationLevel.LEVEL_1,
    ),
    (
        "Level 1 Award in Construction Skills",
        QualificationKind.VOCATIONAL,
        QualificationLevel.LEVEL_1,
    ),
    ("Entry Level Certificate in Science", QualificationKind.ENTRY_LEVEL, QualificationLevel.ENTRY),
    (
        "Level 1 Certificate in Hair and Beauty",
        QualificationKind.VOCATIONAL,
        QualificationLevel.LEVEL_1,
    ),
    (
        "Entry Level Award in Employability Skills",
        QualificationKind.VOCATIONAL,
        QualificationLevel.ENTRY,
    ),
    (
        "Level 1 Award in Food Safety in Catering",
        QualificationKind.VOCATIONAL,
        QualificationLevel.LEVEL_1,
    ),
    (
        "ASDAN Certificate of Personal Effectiveness Level 1",
        QualificationKind.OTHER,
        QualificationLevel.LEVEL_1,
    ),
    (
        "Level 1 Award in Sport and Active Leisure",
        QualificationKind.VOCATIONAL,
        QualificationLevel.LEVEL_1,
    ),
    (
        "Level 2 Award in Motor Vehicle Studies",
        QualificationKind.VOCATIONAL,
        QualificationLevel.LEVEL_2,
    ),
    ("Arts Award Bronze", QualificationKind.OTHER, QualificationLevel.LEVEL_1),
)
OUTREACH_PURPOSES = (
    "Behaviour support for a group of Year 8 pupils at risk of suspension",
    "Setting up an in-school nurture unit for Year 7",
    "Advice and modelling for staff supporting pupils with emotionally based school avoidance",
    "Weekly mentoring for Year 10 pupils on part-time timetables",
    "Reintegration support for pupils returning from AP",
    "Training for pastoral staff on de-escalation and restorative practice",
    "Small-group English and maths catch-up for disengaged Year 9 pupils",
)
OUTREACH_OUTCOMES = (
    "No permanent exclusions in the group this term; suspensions down by half",
    "Unit running with eight pupils; attendance in the group up from 71% to 86%",
    "Staff report more confidence; three pupils back to full-time",
    "Two pupils referred on to tier 2 AP; the others stayed in school",
    "Pupils settled back into mainstream classes; follow-up planned",
    "School has adopted the approach across Key Stage 3",
)


@dataclass
class OutcomeRows:
    attainment: list[AttainmentRecord]
    qualifications: list[Qualification]
    wellbeing: list[WellbeingScore]
    prior: list[PriorAttendance]
    outreach: list[OutreachSupport]

    def save(self) -> None:
        AttainmentRecord.objects.bulk_create(self.attainment, batch_size=BATCH_SIZE)
        Qualification.objects.bulk_create(self.qualifications, batch_size=BATCH_SIZE)
        WellbeingScore.objects.bulk_create(self.wellbeing, batch_size=BATCH_SIZE)
        PriorAttendance.objects.bulk_create(self.prior, batch_size=BATCH_SIZE)
        OutreachSupport.objects.bulk_create(self.outreach, batch_size=BATCH_SIZE)


# --- the shape of attainment (pure, so it can be checked over many draws) --------------------


def ability(rng: random.Random) -> float:
    """A child's standing against other children in AP (standard normal)."""
    return rng.gauss(0, 1)


def _clamp(value: float) -> int:
    return max(grades.GRADE_MIN, min(grades.GRADE_MAX, round(value)))


def entry_grade(rng: random.Random, standing: float, year: int) -> int:
    """A working-at grade on entry in Year `year` (7 to 11)."""
    expected = KS4_LEVEL + KS4_SPREAD * standing - PER_YEAR * (11 - year)
    return _clamp(expected + rng.gauss(0, 0.7))


def review_grade(rng: random.Random, previous: int, pace: float) -> int:
    """The next working-at grade: mostly the same, sometimes a step up, rarely a step down."""
    roll = rng.random()
    if roll < pace:
        return _clamp(previous + 1)
    if roll > 0.96:
        return _clamp(previous - 1)
    return previous


def ks4_result(rng: random.Random, working_at: int) -> int:
    """The GCSE grade awarded to a child last working at `working_at`: 1 to 9, or U."""
    value = round(working_at + rng.gauss(0.15, 0.75))
    if value >= 1:
        return min(grades.GRADE_MAX, value)
    return grades.UNGRADED if value < 0 or rng.random() < 0.5 else 1


def results_day(year: int) -> dt.date:
    """GCSE results day: the third Thursday of August (near enough, every recent year)."""
    first = dt.date(year, 8, 1)
    return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 14)


# --- one LA ------------------------------------------------------------------------------------


class _Builder:
    def __init__(self, draw: records.Draw, setting: records.LaSetting, staff: LaStaff) -> None:
        self.draw, self.rng, self.today = draw, draw.rng, draw.today
        self.setting, self.staff = setting, staff
        self.rows = OutcomeRows([], [], [], [], [])
        self.standing: dict[int, float] = {}

    def _by(self, placement: Placement) -> User:
        return self.staff.provider_staff.get(placement.provider.pk) or self.staff.officer(self.draw)

    def placement(self, placement: Placement, reviews: list[Review]) -> None:
        if placement.status not in (S.ACTIVE, S.ENDED) or placement.start_date > self.today:
            return
        child = placement.child
        standing = self.standing.setdefault(child.pk, ability(self.rng))
        self._prior_attendance(placement, reviews)
        self._wellbeing(placement, reviews)
        year = schooling.year_group(child.date_of_birth, placement.start_date)
        if 7 <= year <= 11 and self.draw.chance(ENTRY_GRADES):
            latest = self._grades(placement, reviews, standing, year)
            self._ks4_results(placement, latest)
        if year >= 9:
            self._qualifications(placement, year)

    def _prior_attendance(self, placement: Placement, reviews: list[Review]) -> None:
        if not self.draw.chance(PRIOR_ATTENDANCE):
            return
        in_ap = next(
            (float(r.attendance_percent) for r in reviews if r.attendance_percent is not None), None
        )
        base = in_ap if in_ap is not None else self.rng.gauss(52, 18)
        percent = min(100.0, max(0.0, base - self.rng.gauss(6, 12)))
        last = records.weekday_on_or_before(
            placement.start_date - dt.timedelta(days=self.rng.randint(3, 20))
        )
        self.rows.prior.append(
            PriorAttendance(
                placement_id=placement.pk,
                attendance_percent=Decimal(f"{percent:.1f}"),
                period_start_date=last - dt.timedelta(weeks=12) + dt.timedelta(days=3),
                period_end_date=last,
                source=self.draw.pick(
                    {
                        AttendanceSource.SCHOOL_RECORD: 6,
                        AttendanceSource.CTF: 2,
                        AttendanceSource.REFERRAL: 3,
                        AttendanceSource.LA_DATA: 1,
                    }
                ),
                recorded_by_id=self.staff.officer(self.draw).pk,
                recorded_at=self.draw.at(placement.start_date),
            )
        )

    def _entry_day(self, placement: Placement) -> dt.date:
        return min(self.today, placement.start_date + dt.timedelta(days=self.rng.randint(0, 12)))

    def _wellbeing(self, placement: Placement, reviews: list[Review]) -> None:
        drift = self.rng.gauss(0.35, 0.5)
        score = max(1, min(10, round(self.rng.gauss(4.2, 1.6))))
        day = self._entry_day(placement)
        self.rows.wellbeing.append(
            WellbeingScore(
                placement_id=placement.pk,
                score=score,
                recorded_date=day,
                recorded_by_id=self._by(placement).pk,
                recorded_at=self.draw.at(day),
            )
        )
        for review in reviews:
            if not self.draw.chance(WELLBEING_AT_REVIEW):
                continue
            score = max(1, min(10, round(score + drift + self.rng.gauss(0, 0.9))))
            self.rows.wellbeing.append(
                WellbeingScore(
                    placement_id=placement.pk,
                    review_id=review.pk,
                    score=score,
                    recorded_date=review.held_date,
                    recorded_by_id=review.recorded_by_id,
                    recorded_at=review.recorded_at,
                )
            )

    def _grades(
        self, placement: Placement, reviews: list[Review], standing: float, year: int
    ) -> dict[str, int]:
        """Entry and review grades in both subjects; returns the latest grade of each."""
        latest: dict[str, int] = {}
        pace = max(0.05, 0.22 + 0.08 * standing + self.rng.gauss(0, 0.08))
        day = self._entry_day(placement)
        for subject in Subject:
            grade = entry_grade(self.rng, standing, year)
            self.rows.attainment.append(
                AttainmentRecord(
                    placement_id=placement.pk,
                    subject=subject,
                    point=AssessmentPoint.ENTRY,
                    grade=grade,
                    assessed_date=day,
                    recorded_by_id=self._by(placement).pk,
                    recorded_at=self.draw.at(day),
                )
            )
            latest[subject] = grade
        for review in reviews:
            if not self.draw.chance(REVIEW_GRADES):
                continue
            for subject in Subject:
                latest[subject] = review_grade(self.rng, latest[subject], pace)
                self.rows.attainment.append(
                    AttainmentRecord(
                        placement_id=placement.pk,
                        subject=subject,
                        point=AssessmentPoint.REVIEW,
                        review_id=review.pk,
                        grade=latest[subject],
                        assessed_date=review.held_date,
                        recorded_by_id=review.recorded_by_id,
                        recorded_at=review.recorded_at,
                    )
                )
        return latest

    def _ks4_results(self, placement: Placement, latest: dict[str, int]) -> None:
        """Results for a child placed through the May and June exams of Year 11."""
        child = placement.child
        exams = schooling.academic_year_start(child.date_of_birth) + 17  # the summer Year 11 ends
        results = results_day(exams)
        placed_through = placement.start_date <= dt.date(exams, 5, 1) and (
            placement.end_date is None or placement.end_date >= dt.date(exams, 6, 20)
        )
        if not placed_through or results > self.today:
            return
        for subject, working_at in latest.items():
            if self.draw.chance(NOT_ENTERED):
                continue
            self.rows.attainment.append(
                AttainmentRecord(
                    placement_id=placement.pk,
                    subject=subject,
                    point=AssessmentPoint.KS4_RESULT,
                    grade=ks4_result(self.rng, working_at),
                    assessed_date=results,
                    recorded_by_id=self.staff.officer(self.draw).pk,
                    recorded_at=self.draw.at(results),
                )
            )

    def _qualifications(self, placement: Placement, year: int) -> None:
        courses = []
        for subject in ("English", "maths"):
            if self.draw.chance(0.55):
                level = self.draw.pick(
                    {
                        QualificationLevel.ENTRY: 5,
                        QualificationLevel.LEVEL_1: 4,
                        QualificationLevel.LEVEL_2: 1,
                    }
                )
                label = (
                    "Entry Level 3"
                    if level == QualificationLevel.ENTRY
                    else QualificationLevel(level).label
                )
                courses.append(
                    (
                        f"Functional Skills {subject} {label}",
                        QualificationKind.FUNCTIONAL_SKILLS,
                        level,
                    )
                )
            if year >= 10 and self.draw.chance(0.4):
                courses.append(
                    (f"GCSE {subject}", QualificationKind.GCSE, QualificationLevel.LEVEL_2)
                )
        if self.draw.chance(0.4):
            courses.append(self.rng.choice(VOCATIONAL))
        last = min(placement.end_date or self.today, self.today)
        for title, kind, level in courses:
            started = placement.start_date + dt.timedelta(days=self.rng.randint(5, 40))
            if started > last:
                continue
            status, result_date = QS.WORKING_TOWARDS, None
            long_enough = (last - started).days >= 70
            ended = placement.status == S.ENDED
            if long_enough and (ended or self.draw.chance(0.25)):
                status = QS(
                    self.draw.pick({QS.ACHIEVED: 65, QS.NOT_ACHIEVED: 12, QS.WORKING_TOWARDS: 23})
                )
                if status != QS.WORKING_TOWARDS:
                    result_date = max(started, last - dt.timedelta(days=self.rng.randint(0, 20)))
            at = self.draw.at(started)
            self.rows.qualifications.append(
                Qualification(
                    placement_id=placement.pk,
                    title=title,
                    kind=kind,
                    level=level,
                    status=status,
                    started_date=started,
                    result_date=result_date,
                    result="Pass"
                    if status == QS.ACHIEVED and kind != QualificationKind.GCSE
                    else "",
                    recorded_by_id=self._by(placement).pk,
                    recorded_at=at,
                    updated_at=self.draw.at(result_date) if result_date else at,
                )
            )

    def outreach(self) -> None:
        """Tier 1 support to about a third of the LA's schools over the last eighteen months."""
        givers = [
            choice.provider
            for choice in self.setting.providers
            if choice.record is None
            or choice.record.provider.offers_tier_1
            or choice is self.setting.providers[0]
        ]
        schools = list(self.setting.school_organisations.values())
        for school in self.rng.sample(
            schools, min(len(schools), max(1, round(len(schools) * OUTREACH_SCHOOLS)))
        ):
            for _ in range(self.rng.randint(1, 3)):
                start = records.weekday_on_or_after(
                    self.today - dt.timedelta(days=self.rng.randint(7, 540))
                )
                if start > self.today:
                    continue
                weeks = self.rng.randint(4, 16)
                end = start + dt.timedelta(weeks=weeks)
                ongoing = end > self.today or self.draw.chance(0.1)
                self.rows.outreach.append(
                    OutreachSupport(
                        local_authority_id=self.setting.la.pk,
                        school_id=school.pk,
                        provider_id=None
                        if not givers or self.draw.chance(LA_TEAM_OUTREACH)
                        else self.rng.choice(givers).pk,
                        start_date=start,
                        end_date=None if ongoing else end,
                        pupils_supported=self.rng.randint(1, 12),
                        hours=Decimal(weeks * self.rng.randint(2, 6)),
                        purpose=self.rng.choice(OUTREACH_PURPOSES),
                        outcome="" if ongoing else self.rng.choice(OUTREACH_OUTCOMES),
                        recorded_by_id=self.staff.officer(self.draw).pk,
                        recorded_at=self.draw.at(start),
                    )
                )


def create_outcomes(
    draw: records.Draw,
    setting: records.LaSetting,
    staff: LaStaff,
    placements: list[Placement],
    reviews: list[Review],
) -> OutcomeRows:
    """Build and save the outcomes of an LA's saved placements (with their saved reviews) and
    its outreach to schools."""
    own = records.Draw(
        rng=random.Random(repr(draw.rng.getstate())), fake=draw.fake, today=draw.today, tz=draw.tz
    )
    by_placement: dict[int, list[Review]] = defaultdict(list)
    for review in sorted(reviews, key=lambda r: (r.held_date, r.pk)):
        by_placement[review.placement.pk].append(review)
    builder = _Builder(own, setting, staff)
    for placement in placements:
        builder.placement(placement, by_placement[placement.pk])
    builder.outreach()
    builder.rows.save()
    return builder.rows
