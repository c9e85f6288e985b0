"""Reviews of an active placement: progress scored against every intended outcome, the
child's and family's views, and the decision (continue, extend, change tier, end)."""

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction

from aptrack.audit.models import AuditAction, Channel
from aptrack.placements import policy
from aptrack.placements.models import OutcomeProgress, Placement, Review, ReviewDecision, ReviewKind
from aptrack.placements.services.common import (
    add_error,
    clean_text,
    local_date,
    lock_placement,
    provider_of,
    record_audit,
    record_event,
    school_day_error,
    to_decimal,
    to_json,
)
from aptrack.placements.services.errors import Errors, ReviewInvalid
from aptrack.placements.services.messages import (
    ATTENDANCE_INVALID,
    EXTEND_DATE_NEEDED,
    EXTEND_DATE_NOT_LATER,
    EXTEND_REASON_NEEDED,
    NEW_TIER_NEEDED,
    NEW_TIER_SAME,
    REVIEW_DATE_BEFORE_START,
    REVIEW_DATE_IN_FUTURE,
    REVIEW_NEEDS_OUTCOMES,
    REVIEW_ONLY_ACTIVE,
    REVIEW_VIEWS_NEEDED,
    SCORES_MISSING,
)
from aptrack.placements.states import EventKind, PlacementStatus

if TYPE_CHECKING:
    from aptrack.accounts.models import User


def _score(value: Any) -> int | None:
    return None if value in (None, "") else int(value)


def record_review(
    *,
    actor: "User",
    at: dt.datetime,
    placement: Placement,
    data: dict[str, Any],
    channel: Channel = Channel.WEB,
    where: str = "",
) -> Review:
    """Record a review of an active placement. `data`: held_date, kind, attendance_percent,
    child_views, family_views, scores ({outcome id: 1–5}), optional notes and current_values
    ({outcome id: text}), decision, decision_reason, new_planned_end_date, new_tier.

    Every intended outcome is scored. EXTEND moves the planned end date (with a reason);
    CHANGE_TIER changes the tier; END is recorded here and the caller then ends the placement
    through `endings.end_placement`. The next review falls due one cadence (policy) after this one."""
    with transaction.atomic():
        locked = lock_placement(placement)
        if locked.status != PlacementStatus.ACTIVE:
            raise ReviewInvalid({None: [REVIEW_ONLY_ACTIVE]})
        outcomes = list(locked.outcomes.order_by("position", "pk"))
        errors: Errors = {}
        if not outcomes:
            add_error(errors, None, REVIEW_NEEDS_OUTCOMES)
        held = data["held_date"]
        start = locked.start_date
        if held < start:
            add_error(
                errors,
                "held_date",
                REVIEW_DATE_BEFORE_START.format(start=f"{start.day} {start:%B %Y}"),
            )
        elif held > local_date(at):
            add_error(errors, "held_date", REVIEW_DATE_IN_FUTURE)
        kind = data.get("kind") or ReviewKind.PLACEMENT_REVIEW
        attendance = to_decimal(data.get("attendance_percent"))
        if data.get("attendance_percent") not in (None, "") and (
            attendance is None or not Decimal(0) <= attendance <= Decimal(100)
        ):
            add_error(errors, "attendance_percent", ATTENDANCE_INVALID)
        raw_scores = {int(k): v for k, v in (data.get("scores") or {}).items()}
        scores = {o.pk: _score(raw_scores.get(o.pk)) for o in outcomes}
        missing = [o for o in outcomes if scores[o.pk] is None]
        if missing:
            add_error(
                errors,
                "scores",
                SCORES_MISSING.format(missing="; ".join(o.description for o in missing)),
            )
        decision: Any = data.get("decision")
        reason = clean_text(data.get("decision_reason"))
        new_end = data.get("new_planned_end_date")
        new_tier: Any = data.get("new_tier")
        new_tier = int(new_tier) if new_tier not in (None, "") else None
        child_views, family_views = (
            clean_text(data.get("child_views")),
            clean_text(data.get("family_views")),
        )
        views_reason = clean_text(data.get("views_not_obtained_reason"))
        if (not child_views or not family_views) and not views_reason:
            add_error(errors, "views_not_obtained_reason", REVIEW_VIEWS_NEEDED)
        if child_views and family_views:
            views_reason = ""
        if decision == ReviewDecision.EXTEND:
            if not reason:
                add_error(errors, "decision_reason", EXTEND_REASON_NEEDED)
            current = locked.planned_end_date or held
            if new_end is None:
                add_error(errors, "new_planned_end_date", EXTEND_DATE_NEEDED)
            elif current is not None and new_end <= current:
                add_error(
                    errors,
                    "new_planned_end_date",
                    EXTEND_DATE_NOT_LATER.format(current=f"{current.day} {current:%B %Y}"),
                )
            elif not_school_day := school_day_error(new_end, la_id=locked.commissioning_la_id):
                add_error(errors, "new_planned_end_date", not_school_day)
        elif decision == ReviewDecision.CHANGE_TIER:
            if new_tier not in (1, 2, 3):
                add_error(errors, "new_tier", NEW_TIER_NEEDED)
            elif new_tier == locked.tier:
                add_error(errors, "new_tier", NEW_TIER_SAME)
        if errors:
            raise ReviewInvalid(errors)
        scored = {pk: score for pk, score in scores.items() if score is not None}  # all of them
        if decision != ReviewDecision.EXTEND:
            new_end = None
        if decision != ReviewDecision.CHANGE_TIER:
            new_tier = None
        tier_after = new_tier if new_tier is not None else locked.tier
        review = Review.objects.create(
            placement=locked,
            kind=kind,
            held_date=held,
            attendance_percent=attendance,
            child_views=child_views,
            family_views=family_views,
            views_not_obtained_reason=views_reason,
            decision=decision,
            decision_reason=reason,
            new_planned_end_date=new_end,
            new_tier=new_tier,
            next_review_date=held + dt.timedelta(days=policy.review_cadence_days(tier_after)),
            recorded_by=actor,
            recorded_at=at,
        )
        notes = {int(k): v for k, v in (data.get("notes") or {}).items()}
        values = {int(k): v for k, v in (data.get("current_values") or {}).items()}
        OutcomeProgress.objects.bulk_create(
            [
                OutcomeProgress(
                    review=review,
                    outcome=o,
                    score=scored[o.pk],
                    note=clean_text(notes.get(o.pk)),
                    current_value=clean_text(values.get(o.pk))[:100],
                )
                for o in outcomes
            ]
        )
        record_event(
            locked,
            kind=EventKind.REVIEW_RECORDED,
            by=actor,
            at=at,
            data={
                "review_id": review.pk,
                "held_date": held,
                "decision": decision,
                "scores": {str(o.pk): scores[o.pk] for o in outcomes},
            },
        )
        changes: dict[str, Any] = {}
        if new_end is not None:
            changes["planned_end_date"] = {
                "old": to_json(locked.planned_end_date),
                "new": new_end.isoformat(),
            }
            record_event(
                locked,
                kind=EventKind.EXTENDED,
                by=actor,
                at=at,
                data={
                    "from": locked.planned_end_date,
                    "to": new_end,
                    "reason": reason,
                    "review_id": review.pk,
                },
            )
            locked.planned_end_date = new_end
            # A placement given an end date is no longer open-ended.
            locked.open_ended_justification = ""
            locked.open_ended_approved_by = None
        if new_tier is not None:
            changes["tier"] = {"old": locked.tier, "new": new_tier}
            provider = provider_of(locked)
            # A tier 2 placement's time limit runs from when it became tier 2.
            locked.maximum_end_date = policy.maximum_end_date(
                tier=new_tier, registered=bool(provider and provider.is_registered), start=held
            )
            record_event(
                locked,
                kind=EventKind.TIER_CHANGED,
                by=actor,
                at=at,
                data={
                    "from": locked.tier,
                    "to": new_tier,
                    "reason": reason,
                    "review_id": review.pk,
                },
            )
            locked.tier = new_tier
        locked.version += 1
        locked.save()
        record_audit(
            actor=actor,
            at=at,
            action=AuditAction.CREATED,
            instance=review,
            child_id=locked.child_id,
            channel=channel,
            where=where,
            changes={
                "held_date": {"old": None, "new": held.isoformat()},
                "decision": {"old": None, "new": decision},
                **changes,
            },
        )
    return review
