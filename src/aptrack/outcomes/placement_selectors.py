"""Reads for one placement's outcomes page: attendance before and in AP, grades over time,
qualifications, wellbeing, and where the child went with its follow-ups.

Callers authorise: the placement passed in is one the user may see.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from aptrack.attendance import selectors as attendance_selectors
from aptrack.attendance.scopes import Period, Scope
from aptrack.organisations.models import Organisation, OrganisationKind
from aptrack.outcomes.models import (
    AssessmentPoint,
    AttainmentRecord,
    PriorAttendance,
    Qualification,
    Subject,
    WellbeingScore,
)
from aptrack.outcomes.selectors import MAINSTREAM_DESTINATIONS, POST_16_DESTINATIONS
from aptrack.placements.models import FollowUp, Placement, Review


@dataclass(frozen=True)
class SubjectAttainment:
    subject: str
    label: str
    records: list[AttainmentRecord]  # oldest first: entry, reviews, KS4 result

    def _first(self, point: str, *, last: bool = False) -> AttainmentRecord | None:
        matching = [record for record in self.records if record.point == point]
        if not matching:
            return None
        return matching[-1] if last else matching[0]

    @property
    def entry(self) -> AttainmentRecord | None:
        return self._first(AssessmentPoint.ENTRY)

    @property
    def latest(self) -> AttainmentRecord | None:
        return self._first(AssessmentPoint.REVIEW, last=True)

    @property
    def ks4_result(self) -> AttainmentRecord | None:
        return self._first(AssessmentPoint.KS4_RESULT)

    @property
    def change(self) -> int | None:
        """Latest grade less entry grade, in steps of the scale."""
        if self.entry is None or self.latest is None:
            return None
        return self.latest.grade - self.entry.grade


@dataclass(frozen=True)
class PlacementOutcomes:
    placement: Placement
    prior: PriorAttendance | None
    attendance_in_ap: Decimal | None
    attendance_source: str  # "registers", "review" or "" when unknown
    attendance_sessions: int  # possible sessions the registers hold
    attainment: list[SubjectAttainment]
    qualifications: list[Qualification]
    wellbeing: list[WellbeingScore]
    follow_ups: list[FollowUp]

    @property
    def attendance_change(self) -> Decimal | None:
        if self.prior is None or self.attendance_in_ap is None:
            return None
        return self.attendance_in_ap - self.prior.attendance_percent

    @property
    def reintegrated(self) -> bool:
        return self.placement.destination in MAINSTREAM_DESTINATIONS

    @property
    def post_16(self) -> bool:
        return self.placement.destination in POST_16_DESTINATIONS


def get_placement_outcomes(*, placement: Placement, today: dt.date) -> PlacementOutcomes:
    """Everything on the placement's outcomes page. Attendance in AP comes from the registers
    over the placement so far, else from the attendance its latest review recorded."""
    end = min(placement.end_date or today, today)
    rate, source, sessions = None, "", 0
    if end >= placement.start_date:
        measures = attendance_selectors.get_measures(
            scope=Scope.placement(placement.pk),
            period=Period(placement.start_date, end),
            include_hours=False,
        )
        sessions = measures.counts.possible
        if sessions:
            rate, source = measures.rates.attendance, "registers"
    if rate is None:
        review = (
            Review.objects.filter(placement=placement, attendance_percent__isnull=False)
            .order_by("-held_date", "-pk")
            .first()
        )
        if review is not None:
            rate, source = review.attendance_percent, "review"
    records = list(
        AttainmentRecord.objects.filter(placement=placement).order_by(
            "assessed_date", "recorded_at", "pk"
        )
    )
    return PlacementOutcomes(
        placement=placement,
        prior=PriorAttendance.objects.filter(placement=placement).first(),
        attendance_in_ap=rate,
        attendance_source=source,
        attendance_sessions=sessions,
        attainment=[
            SubjectAttainment(
                subject=subject.value,
                label=subject.label,
                records=[record for record in records if record.subject == subject],
            )
            for subject in Subject
        ],
        qualifications=list(
            Qualification.objects.filter(placement=placement).order_by(
                "status", "-started_date", "pk"
            )
        ),
        wellbeing=list(
            WellbeingScore.objects.filter(placement=placement).order_by("recorded_date", "pk")
        ),
        follow_ups=list(FollowUp.objects.filter(placement=placement).order_by("weeks_after")),
    )


def list_reviews(*, placement: Placement) -> QuerySet[Review]:
    """The placement's reviews, newest first (to pin a grade or score to one)."""
    return Review.objects.filter(placement=placement).order_by("-held_date", "-pk")


def get_qualification(*, placement: Placement, qualification_id: int) -> Qualification | None:
    return Qualification.objects.filter(placement=placement, pk=qualification_id).first()


def list_schools(*, la_id: int) -> QuerySet[Organisation]:
    """Schools an LA's outreach can go to: its own."""
    return Organisation.objects.filter(
        kind=OrganisationKind.SCHOOL, local_authority_id=la_id
    ).order_by("name")


def list_providers(*, la_id: int) -> QuerySet[Organisation]:
    """Providers that may give an LA's outreach: those in the LA."""
    return Organisation.objects.filter(
        kind=OrganisationKind.PROVIDER, local_authority_id=la_id
    ).order_by("name")
