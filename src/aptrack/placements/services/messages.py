"""Every user-facing message the placement services give (tests import these)."""

CHILD_NEEDED = "Select the child"
PROVIDER_NEEDED = "Select the provider"
SITE_NEEDED = "Select the site the child will attend"
SITE_NOT_PROVIDERS = "Select one of the provider's own sites"
SITE_CLOSED = "That site is closed: select one of the provider's open sites"
TIER_NEEDED = "Select the tier"
START_NEEDED = "Enter the start date"
START_FIXED = "The start date cannot change once the placement has started"
PLANNED_END_NEEDED = "Enter the planned end date. A placement with no end date needs a manager's recorded justification"
END_BEFORE_START = "The planned end date must be after the start date"
OPEN_ENDED_NEEDS_MANAGER = "Only an LA manager can approve an open-ended placement"
PLANNED_END_PAST_MAXIMUM = (
    "The planned end date must be on or before {maximum}: a tier 2 placement with this "
    "provider lasts at most {weeks} weeks"
)
HOURS_NEEDED = "Enter the hours a week"
HOURS_NOT_POSITIVE = "Hours a week must be more than 0"
HOURS_OVER_WEEK = "Hours a week must be 40 or fewer"
HOME_SCHOOL_HOURS_INVALID = "Hours at the home school must be between 0 and 40"
TOTAL_HOURS_OVER_WEEK = (
    "With the child's other placements and home school this comes to {total} hours a week: "
    "the total must be 40 or fewer"
)
PART_TIME_REASON_NEEDED = (
    "The child would have {total} hours a week, less than full-time ({threshold} hours at {stage}): "
    "give the reason for a part-time timetable"
)
PART_TIME_AGREEMENT_NEEDED = "A part-time timetable needs the parents' agreement"
PART_TIME_REVIEW_NEEDED = "Enter the date the part-time timetable will be reviewed"
PART_TIME_REVIEW_BEFORE_START = "The part-time review date must be on or after the start date"
PART_TIME_PLAN_NEEDED = "Describe the plan back to full-time education"
COST_INVALID = "Weekly cost must be 0 or more"
COST_DIFFERS_REASON_NEEDED = "The weekly cost, {cost}, differs from the {approved} the panel approved: give the reason for the difference"
EXIT_PLAN_NEEDED = "Describe the exit or reintegration plan: how and when the child will move on"
WEEKEND_NOT_SCHOOL_DAY = "{date} is a {weekday}: choose a school day"
HOLIDAY_NOT_SCHOOL_DAY = (
    "{date} is not a school day (a holiday or closure day): choose a school day"
)
REFERRAL_NOT_APPROVED = "A placement can only be made from a referral the panel has approved"
REFERRAL_OTHER_CHILD = "The referral is for a different child"
REFERRAL_OTHER_LA = "The referral is for another local authority to commission"
REFERRAL_OTHER_SCHOOL = "The referral is for another school to commission"
SCHOOL_NEEDED = "Without an approved referral, give the school commissioning this tier 1 work"
NO_REFERRAL_TIER_1_ONLY = (
    "Without an approved referral, a placement can only be tier 1 work commissioned by a school"
)
COMMISSIONER_UNKNOWN = (
    "Your account is not linked to a local authority or school that can commission"
)
PROVIDER_NOT_APPROVED = (
    "{provider} has the standing '{status}' with {la}: no new placements can be made with it"
)
PROVIDER_NOT_COMPLIANT = (
    "{provider} does not hold in-date compliance evidence (safeguarding, insurance, risk "
    "assessments). A manager may place with it only with a recorded reason"
)
OVERRIDE_NEEDS_MANAGER = "Only an LA manager can override a provider's compliance"
RECORD_CHANGED = (
    "Someone else changed this placement while you were editing it. "
    "Your changes have not been saved: reload the page to see theirs."
)
MOVE_NOT_ALLOWED = "A placement that is {source} cannot be {verb}"
NOT_STARTED_YET = "The placement cannot start before its start date, {start}"
PLAN_CLOSED = "The plan of a placement that is {status} cannot be changed"
CANCEL_REASON_NEEDED = "Give the reason for cancelling the placement"
END_DATE_NEEDED = "Enter the date the placement ended"
END_DATE_BEFORE_START = "The end date must be on or after the start date, {start}"
END_DATE_IN_FUTURE = "The end date must be today or in the past"
END_REASON_NEEDED = "Select why the placement ended"
DESTINATION_NEEDED = "Select where the child went"
TRANSITION_PLAN_NEEDED = "Describe the transition plan"
REVIEW_VIEWS_NEEDED = (
    "Record the child's and the family's views, or the reason they could not be given"
)
OUTCOME_FIELD_NEEDED = {
    "description": "Describe the intended outcome",
    "measure": "Say how progress will be measured",
    "baseline": "Enter the baseline: where the child is now",
    "target": "Enter the target",
}
PASSPORT_EMPTY = "Fill in at least one part of the Person Passport"
REVIEW_NEEDS_OUTCOMES = "Add the placement's intended outcomes before recording a review"
REVIEW_ONLY_ACTIVE = "Reviews are recorded while the placement is active"
REVIEW_DATE_NEEDED = "Enter the date the review was held"
REVIEW_DATE_BEFORE_START = "The review date must be on or after the start date, {start}"
REVIEW_DATE_IN_FUTURE = "The review date must be today or in the past"
REVIEW_KIND_NEEDED = "Select the kind of review"
ATTENDANCE_INVALID = "Attendance must be a percentage from 0 to 100"
SCORES_MISSING = "Score progress against every intended outcome. Not scored: {missing}"
SCORE_INVALID = "Scores run from 1 (no progress) to 5 (achieved)"
DECISION_NEEDED = "Select the decision"
EXTEND_REASON_NEEDED = "Give the reason for extending the placement"
EXTEND_DATE_NEEDED = "Enter the new planned end date"
EXTEND_DATE_NOT_LATER = "The new planned end date must be after the current one, {current}"
NEW_TIER_NEEDED = "Select the new tier"
NEW_TIER_SAME = "The new tier must differ from the current tier"
FOLLOW_UP_DONE = "This follow-up has already been recorded"
FOLLOW_UP_DATE_NEEDED = "Enter the date of the check"
FOLLOW_UP_DATE_BEFORE_END = "The check must be on or after the day the placement ended, {end}"
FOLLOW_UP_DATE_IN_FUTURE = "The date of the check must be today or in the past"
FOLLOW_UP_TOO_EARLY = (
    "The {weeks}-week follow-up is due on {due}, {weeks} weeks after the placement ended: "
    "it cannot be recorded before then"
)
STILL_ATTENDING_NEEDED = "Say whether the child is still attending"
SUSTAINED_NEEDED = "Say whether the destination has been sustained"
