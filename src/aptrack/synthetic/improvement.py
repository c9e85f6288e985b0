"""Synthetic AP improvement plan for the demo LA: the oversight board's priorities (from the
council minutes in seeds/: three-tier model, sixth-day provision, time-limited placements,
quality assurance of unregistered providers, attendance, value for money), actions with owners
and due dates around today, RAG histories with notes, and links to dashboard measures.

Goes through aptrack.improvement.services, so every row is valid and audited. Its own random
stream, so the rest of the LA's data does not move when this changes. Synthetic only.
"""

import datetime as dt
import random
from dataclasses import dataclass

from aptrack.improvement import services
from aptrack.improvement.models import ImprovementPlan
from aptrack.organisations.models import LocalAuthority
from aptrack.synthetic import records
from aptrack.synthetic.staff import LaStaff


@dataclass(frozen=True)
class _Action:
    title: str
    owner: str  # "manager", "officer", "qa", or a role held by someone not on aptrack
    due_in_days: int  # from today; negative is past
    history: tuple[str, ...]  # RAG statuses in order, after "not started"


PRIORITIES: list[tuple[str, str, list[str], list[_Action]]] = [
    (
        "Early support in mainstream schools (tier 1) to reduce permanent exclusions",
        "Outreach and in-school units so fewer children need a placement at all.",
        ["permanent_exclusions", "referrals_in_period"],
        [
            _Action(
                "Launch the PRU's outreach offer to every secondary school",
                "Head of School Inclusion",
                -75,
                ("GREEN", "COMPLETE"),
            ),
            _Action(
                "Agree in-school unit funding with trust chief executives",
                "manager",
                45,
                ("GREEN", "AMBER"),
            ),
        ],
    ),
    (
        "Every permanently excluded child in full-time provision from the sixth day",
        "The sixth-day duty is met for some but not all children; the board wants 100%.",
        ["sixth_day_compliance", "sixth_day_missed"],
        [
            _Action(
                "Hold two places at the PRU in reserve for sixth-day starts",
                "Headteacher, PRU",
                -18,
                ("AMBER", "RED"),
            ),
            _Action(
                "Review the sixth-day tracker at the weekly AP officers' meeting",
                "officer",
                30,
                ("GREEN",),
            ),
        ],
    ),
    (
        "Placements are time-limited, with a planned return",
        "AP as an intervention, not a destination: an end date, an exit plan and half-termly reviews.",
        ["open_ended", "open_ended_no_exit_plan", "reviews_overdue", "reintegration_rate"],
        [
            _Action(
                "Agree an exit-plan template with providers", "officer", -40, ("GREEN", "COMPLETE")
            ),
            _Action(
                "Bring every open-ended placement back to the AP panel",
                "manager",
                14,
                ("GREEN", "AMBER"),
            ),
            _Action(
                "Report reintegration rates to the board each term",
                "Performance and Information Manager",
                -5,
                (),
            ),
        ],
    ),
    (
        "Quality assurance of every unregistered provider",
        "A Dorset-wide quality assurance framework with visits, safeguarding checks and action plans.",
        ["unregistered_now"],
        [
            _Action("Launch the quality assurance framework", "qa", -120, ("GREEN", "COMPLETE")),
            _Action(
                "Visit every unregistered provider in use at least once a year",
                "qa",
                150,
                ("GREEN",),
            ),
        ],
    ),
    (
        "Attendance in AP",
        "Attendance at registered providers stood at 50%. Absence must be found out the same day, not afterwards.",
        ["attendance_rate", "persistent_absence"],
        [
            _Action(
                "Same-day absence follow-up with every provider", "officer", 60, ("AMBER", "GREEN")
            ),
            _Action(
                "Attendance clinic for children attending under half their sessions",
                "Education Welfare Lead",
                90,
                (),
            ),
        ],
    ),
    (
        "Value for money and high-needs spending",
        "The AP panel checks the cost and the outcome of every placement.",
        ["spend_to_date", "average_weekly_cost"],
        [
            _Action(
                "Value-for-money check at the AP panel for every new placement",
                "manager",
                30,
                ("GREEN",),
            ),
        ],
    ),
]

NOTES = {
    "GREEN": [
        "Started as planned; on track for the due date.",
        "Back on track after the last board.",
    ],
    "AMBER": [
        "At risk: waiting on partners to confirm.",
        "Slipping: staffing gap at the provider.",
    ],
    "RED": [
        "Off track: no places held this term; escalated to the Director.",
        "Off track: the partners have not agreed; the board chair is to write to them.",
    ],
    "COMPLETE": [
        "Done and reported to the board.",
        "Complete; evidence filed with the board papers.",
    ],
}


def _owner(rng: random.Random, staff: LaStaff, owner: str) -> dict[str, object]:
    people = {"manager": staff.manager, "qa": staff.qa_officer}
    if owner == "officer":
        return {
            "owner_user": rng.choice(staff.officers),
            "owner_name": "",
            "owner_role": "AP officer",
        }
    if owner in people:
        return {"owner_user": people[owner], "owner_name": "", "owner_role": ""}
    return {"owner_user": None, "owner_name": owner, "owner_role": ""}


def _moment(draw: records.Draw, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(
        min(day, draw.today - dt.timedelta(days=1)), dt.time(10, 0), tzinfo=draw.tz
    )


def create_improvement_plan(
    draw: records.Draw, *, la: LocalAuthority, staff: LaStaff
) -> ImprovementPlan:
    """The demo LA's AP improvement plan, begun at the start of last academic year."""
    rng = random.Random(f"improvement/{la.code}")
    today = draw.today
    first_year = (today.year if today.month >= 9 else today.year - 1) - 1
    start = dt.date(first_year, 9, 1)
    manager = staff.manager
    plan = services.create_plan(
        la=la,
        data={
            "title": f"Alternative Provision Improvement Plan {first_year} to {first_year + 3}",
            "board": "AP Improvement Plan Oversight Board",
            "period_start": start,
            "period_end": dt.date(first_year + 3, 8, 31),
        },
        actor=manager,
        at=_moment(draw, start + dt.timedelta(days=20)),
    )
    for title, description, keys, actions in PRIORITIES:
        priority = services.add_priority(
            plan=plan,
            data={"title": title, "description": description, "measure_keys": keys},
            actor=manager,
            at=plan.created_at,
        )
        for spec in actions:
            due = today + dt.timedelta(days=spec.due_in_days)
            action = services.add_action(
                priority=priority,
                data={
                    "title": spec.title,
                    "due_date": due,
                    "measure_keys": keys[:1],
                    **_owner(rng, staff, spec.owner),
                },
                actor=manager,
                at=plan.created_at,
            )
            # The history runs from the plan's start towards today (or the due date, if earlier).
            end = min(
                today - dt.timedelta(days=1),
                max(due, plan.created_at.date() + dt.timedelta(days=30)),
            )
            step = (end - plan.created_at.date()) / (len(spec.history) + 1)
            for number, status in enumerate(spec.history, start=1):
                services.record_update(
                    action=action,
                    status=status,
                    note=rng.choice(NOTES[status]),
                    actor=manager,
                    at=_moment(draw, plan.created_at.date() + step * number),
                )
    return plan
