"""Providers' half-termly reports and incidents for an LA's synthetic placements.

Each placement gets a report for most past half terms it ran in (the last one is often still
outstanding, so some are overdue by `reports.rules`), attendance taken from the generated
marks' rollups, progress scored against its intended outcomes, and the child's and family's
words. A few placements have incidents; some of those are safeguarding concerns, which raise an
alert through the alerts app's door, as recorded ones do."""

import datetime as dt
import random
from collections import defaultdict

from aptrack.alerts import services as alert_services
from aptrack.attendance import selectors as attendance_selectors
from aptrack.attendance.measures import rate
from aptrack.attendance.scopes import Grouping, Period, Scope
from aptrack.audit.models import Channel
from aptrack.placements.models import IntendedOutcome, Placement
from aptrack.reports import rules
from aptrack.reports.models import Incident, IncidentCategory, ProviderReport, ReportProgress
from aptrack.synthetic import records, texts
from aptrack.synthetic.staff import LaStaff

SENT = 0.9  # share of reports sent for half terms before the last one
SENT_LAST = 0.6  # the most recent half term: many still to come, some overdue
WITH_STAFF = 0.4
INCIDENT = 0.15  # placements with any incident
SAFEGUARDING = 0.2  # of incidents
ENGLISH = (
    "Reading fluency improving; now reading a short novel with support.",
    "Writing longer answers with paragraphs; spelling still a barrier.",
    "Working towards GCSE English Language paper 1; engaged in group reading.",
    "Reluctant to write; completing short pieces with a scribe.",
)
MATHS = (
    "Secure with fractions and percentages; starting algebra.",
    "Working on number bonds and times tables; gaps from missed schooling.",
    "On track for GCSE foundation; practice papers weekly.",
    "Avoids written maths; engaging well with practical problems.",
)
WELLBEING = (
    "Settled and arriving on time most days.",
    "Some low mood around family changes; key worker checking in daily.",
    "More confident in the group; fewer times out of class.",
    "Anxious on Mondays; a soft start has helped.",
)
NEXT_STEPS = (
    "Increase timetable to full days; plan a visit to the home school.",
    "Continue English and maths; start a vocational taster.",
    "Review the part-time timetable with the family at the next review.",
    "Agree a return-to-school plan with the home school SENCo.",
)
INCIDENTS = {
    IncidentCategory.BEHAVIOUR: (
        "Left the classroom and swore at staff after a disagreement with a peer.",
        "Damaged a chair in the workshop when asked to stop using a tool.",
    ),
    IncidentCategory.INJURY: ("Cut a finger in the kitchen session; first aid given.",),
    IncidentCategory.MISSING: ("Left the site at lunchtime without permission; returned at 2pm.",),
    IncidentCategory.SAFEGUARDING: (
        "Disclosed being hit at home; visible bruise on the forearm.",
        "Said an older young person is asking them to carry packages.",
        "Arrived hungry and in the same clothes for the third day.",
    ),
}
ACTIONS = {
    IncidentCategory.SAFEGUARDING: "DSL informed straight away; referral made to children's "
    "social care (MASH) the same day; parent not contacted on MASH advice.",
}
DEFAULT_ACTION = "Talked through with key worker; parent informed by phone the same day."


def create_reports(
    draw: records.Draw, *, la_id: int, staff: LaStaff, placements: list[Placement]
) -> tuple[int, int]:
    """Save reports and incidents for the LA's placements; (reports, incidents) made."""
    # Its own random stream, from the LA's without drawing from it, so nothing else shifts.
    rng = random.Random(repr(draw.rng.getstate()) + "reports")
    ran = [p for p in placements if p.pk and p.status in ("ACTIVE", "ENDED")]
    outcomes: dict[int, list[IntendedOutcome]] = defaultdict(list)
    for outcome in IntendedOutcome.objects.filter(placement__in=[p.pk for p in ran]):
        outcomes[outcome.placement_id].append(outcome)
    due = rules.list_reports_due(placements=ran, on=draw.today)
    counts = _counts(la_id, {d.half_term for d in due})
    last = max((d.half_term.start_date for d in due), default=None)
    reports, progress = [], []
    for item in due:
        share = SENT_LAST if item.half_term.start_date == last else SENT
        if rng.random() >= share:
            continue
        placement = item.placement
        by = staff.provider_staff.get(placement.provider_id) or staff.officer(draw)
        sent = min(item.due_date - dt.timedelta(days=rng.randint(-3, 9)), draw.today)
        possible, attended = counts.get((placement.child_id, item.half_term.start_date), (0, 0))
        report = ProviderReport(
            placement=placement,
            half_term_name=item.half_term.name,
            academic_year=item.half_term.academic_year,
            period_start=item.half_term.start_date,
            period_end=item.half_term.end_date,
            possible_sessions=possible,
            attended_sessions=attended,
            attendance_percent=rate(attended, possible),
            english=rng.choice(ENGLISH),
            maths=rng.choice(MATHS),
            wellbeing=rng.choice(WELLBEING),
            child_words=rng.choice(texts.CHILD_VIEWS["up" if rng.random() < 0.7 else "down"]),
            child_words_with_staff=rng.random() < WITH_STAFF,
            family_words=rng.choice(texts.FAMILY_VIEWS["up" if rng.random() < 0.7 else "down"]),
            family_words_with_staff=rng.random() < WITH_STAFF,
            next_steps=rng.choice(NEXT_STEPS),
            submitted_by=by,
            submitted_at=draw.at(max(sent, item.half_term.end_date)),
        )
        reports.append(report)
        progress += [
            ReportProgress(report=report, outcome=o, score=rng.randint(2, 5))
            for o in outcomes[placement.pk]
        ]
    ProviderReport.objects.bulk_create(reports, batch_size=1000)
    ReportProgress.objects.bulk_create(progress, batch_size=1000)
    return len(reports), _incidents(draw, rng, staff, ran)


def _counts(
    la_id: int, half_terms: set[rules.HalfTerm]
) -> dict[tuple[int, dt.date], tuple[int, int]]:
    """Each child's possible and attended sessions in each half term, from the rollups."""
    counts = {}
    for half_term in half_terms:
        period = Period(half_term.start_date, half_term.end_date)
        for measures in attendance_selectors.list_measures(
            scope=Scope.la(la_id), period=period, by=Grouping.CHILD
        ):
            counts[(measures.key, half_term.start_date)] = (
                measures.counts.possible,
                measures.counts.attended,
            )
    return counts


def _incidents(
    draw: records.Draw, rng: random.Random, staff: LaStaff, placements: list[Placement]
) -> int:
    made = 0
    for placement in placements:
        if rng.random() >= INCIDENT:
            continue
        last = min(placement.end_date or draw.today, draw.today - dt.timedelta(days=1))
        if last <= placement.start_date:
            continue
        day = placement.start_date + dt.timedelta(
            days=rng.randint(0, (last - placement.start_date).days)
        )
        category = (
            IncidentCategory.SAFEGUARDING
            if rng.random() < SAFEGUARDING
            else rng.choice(
                [IncidentCategory.BEHAVIOUR, IncidentCategory.INJURY, IncidentCategory.MISSING]
            )
        )
        by = staff.provider_staff.get(placement.provider_id) or staff.officer(draw)
        organisation = by.organisation
        if organisation is None:  # never: `staff` makes everyone in an organisation
            raise ValueError(f"{by.username} has no organisation")
        occurred = draw.at(day)
        incident = Incident.objects.create(
            placement=placement,
            child_id=placement.child_id,
            category=category,
            occurred_at=occurred,
            what_happened=rng.choice(INCIDENTS[category]),
            actions_taken=ACTIONS.get(category, DEFAULT_ACTION),
            recorded_by=by,
            recorded_by_organisation_id=organisation.pk,
            recorded_at=occurred + dt.timedelta(hours=1),
        )
        if category == IncidentCategory.SAFEGUARDING:
            incident.alert = alert_services.raise_safeguarding_concern(
                placement=placement,
                reason=f"Safeguarding concern recorded by {organisation.name}",
                at=incident.recorded_at,
                actor=by,
                channel=Channel.COMMAND,
                where="aptrack generate",
            )
            incident.save(update_fields=["alert"])
        made += 1
    return made
