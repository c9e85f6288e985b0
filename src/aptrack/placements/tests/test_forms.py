"""The forms check the shape of what is posted (fields present, choices known, numbers in range
of their field); the services check the rules. These are the shape checks the services leave
to the forms."""

from aptrack.placements.forms import CancelForm, EndForm, FollowUpForm, PlacementForm, ReviewForm
from aptrack.placements.models import IntendedOutcome


def _errors(form):
    assert not form.is_valid()
    return form.errors


def test_cancelling_needs_a_reason():
    assert "reason" in _errors(CancelForm({"reason": "  "}))


def test_ending_needs_a_date_a_known_reason_and_destination():
    errors = _errors(EndForm({"reason": "BORED", "destination": "", "transition_plan": "Phased"}))
    assert {"end_date", "reason", "destination"} <= set(errors)


def test_a_follow_up_needs_its_date_and_both_answers():
    errors = _errors(FollowUpForm({}))
    assert {"done_date", "still_attending", "destination_sustained"} <= set(errors)


def test_a_review_needs_its_date_kind_decision_and_scores_from_one_to_five():
    outcome = IntendedOutcome(pk=7, description="Reading", measure="m", baseline="b", target="t")
    errors = _errors(
        ReviewForm({"kind": "CHAT", "decision": "", "score_7": "6"}, outcomes=[outcome])
    )
    assert {"held_date", "kind", "decision", "score_7"} <= set(errors)


def test_a_plan_needs_a_site_start_and_hours_and_no_negative_cost():
    errors = _errors(PlacementForm({"tier": "1", "weekly_cost": "-1"}, sites=[]))
    assert {"site", "start_date", "hours_per_week", "weekly_cost"} <= set(errors)
