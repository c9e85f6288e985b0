"""Invented but plausible wording for synthetic plans, reviews, QA visits and compliance evidence.

Nothing here names a real person, school or provider: `{placeholders}` are filled with the
synthetic child's, school's or provider's invented names.
"""

from aptrack.placements.models import Destination, EndReason
from aptrack.quality.models import CheckType

# --- compliance evidence -------------------------------------------------------------------

# How long each piece of evidence lasts before it must be renewed, in days.
CHECK_VALIDITY_DAYS: dict[str, int] = {
    CheckType.STAFF_VETTING: 365,
    CheckType.DSL: 730,
    CheckType.SAFEGUARDING_POLICY: 365,
    CheckType.BEHAVIOUR_POLICY: 365,
    CheckType.INSURANCE: 365,
    CheckType.HEALTH_SAFETY_RISK: 365,
    CheckType.FIRE_RISK: 365,
    CheckType.PREMISES: 365,
    CheckType.KCSIE_TRAINING: 365,
}
EVIDENCE_REFERENCES: dict[str, tuple[str, ...]] = {
    CheckType.STAFF_VETTING: (
        "Written confirmation of enhanced DBS checks, single central record at {month}",
        "SCR extract and signed confirmation letter, {month}",
    ),
    CheckType.DSL: (
        "DSL training certificate (Level 3), {month}",
        "Named DSL and deputy; refresher training {month}",
    ),
    CheckType.SAFEGUARDING_POLICY: (
        "Child protection policy v{version}, approved {month}",
        "Safeguarding and child protection policy, reviewed {month}",
    ),
    CheckType.BEHAVIOUR_POLICY: (
        "Behaviour and relationships policy v{version}, {month}",
        "Behaviour policy, reviewed with staff {month}",
    ),
    CheckType.INSURANCE: (
        "Employer's and public liability certificate EL/PL-{number}",
        "Insurance schedule {number}, public liability £10m",
    ),
    CheckType.HEALTH_SAFETY_RISK: (
        "Site and activity risk assessments, {month}",
        "Health and safety risk assessment (all sites), {month}",
    ),
    CheckType.FIRE_RISK: (
        "Fire risk assessment by an accredited assessor, {month}",
        "Fire risk assessment and drill log, {month}",
    ),
    CheckType.PREMISES: (
        "Premises walk-round checklist, {month}",
        "Premises condition survey, {month}",
    ),
    CheckType.KCSIE_TRAINING: (
        "KCSIE Part 1 read-and-sign record, all staff, {month}",
        "Safeguarding training log (KCSIE), {month}",
    ),
}
CHECK_NOTES = (
    "Seen at the provider's office and copy kept on file.",
    "Sent by email by the centre manager.",
    "Checked against the original at the QA visit.",
    "",
    "",
    "",
)

# --- QA visits -----------------------------------------------------------------------------

# Evidence notes by area of the DfE standards (1 to 4) and grade (1 best to 4).
JUDGEMENT_NOTES: dict[int, dict[int, tuple[str, ...]]] = {
    1: {
        1: (
            "Single central record complete and checked during the visit; staff explained "
            "exactly how they would report a concern.",
            "DSL and deputy both trained; safeguarding records are detailed and shared promptly.",
        ),
        2: (
            "Checks in place and recorded; one volunteer's start date was missing from the "
            "single central record and was added during the visit.",
            "Staff know the DSL and the reporting route; policies are up to date.",
        ),
        3: (
            "Two staff had no DBS renewal date on the single central record; no deputy DSL on "
            "site on Fridays.",
            "Visitor signing-in was not consistently followed; the behaviour policy is not "
            "shared with families.",
        ),
        4: (
            "No written confirmation of DBS checks for three members of staff; the DSL has "
            "not been trained.",
            "Pupils' whereabouts during off-site activities were not recorded.",
        ),
    },
    2: {
        1: (
            "Risk assessments are specific to each activity and reviewed termly; drills logged.",
            "First aid cover and medicines records are exemplary.",
        ),
        2: (
            "Risk assessments in place; incident log kept and shared with the LA.",
            "Fire drills held each term; insurance certificates displayed.",
        ),
        3: (
            "Off-site activity risk assessments are generic; two incidents were not reported "
            "to the commissioner.",
            "No fire drill recorded this academic year.",
        ),
        4: (
            "No current fire risk assessment; workshop equipment not risk assessed.",
            "Accidents are not recorded.",
        ),
    },
    3: {
        1: (
            "Every pupil has a baseline and an individual learning plan within a week of "
            "starting; attendance is sent to the LA daily.",
            "Pupils' and families' views are recorded and shape each review.",
        ),
        2: (
            "Learning plans in place; attendance recorded session by session.",
            "Careers guidance offered to all Year 10 and 11 pupils.",
        ),
        3: (
            "Baseline assessments missing for newer pupils; attendance sent weekly, not daily.",
            "Unexplained absence is not followed up on the day.",
        ),
        4: (
            "No individual learning plans; attendance not recorded by session.",
            "Admissions are arranged informally with schools without the LA's knowledge.",
        ),
    },
    4: {
        1: (
            "Well-planned curriculum with English and maths every day; qualified teachers.",
            "Progress against learning-plan objectives is tracked and reported at each review.",
        ),
        2: (
            "English and maths taught each week; pupils work towards Functional Skills.",
            "Reintegration is discussed from the start of each placement.",
        ),
        3: (
            "English and maths are taught only twice a week; progress is not tracked against "
            "objectives.",
            "Few pupils are entered for a recognised qualification.",
        ),
        4: (
            "No English or maths teaching seen; staff are unqualified and unsupported.",
            "No record of pupils' progress.",
        ),
    },
}
ACTIONS: dict[int, tuple[str, ...]] = {
    1: (
        "Update the single central record so every member of staff and volunteer has an "
        "enhanced DBS check recorded, and send written confirmation to the LA.",
        "Train a deputy designated safeguarding lead so a trained DSL is always on site.",
        "Use the signing-in system for every visitor and record where each pupil is "
        "throughout the day.",
    ),
    2: (
        "Renew the fire risk assessment and hold and record a fire drill each term.",
        "Record every accident and incident in one log and report them to the commissioning "
        "LA within 24 hours.",
        "Write activity-specific risk assessments for off-site and workshop activities.",
    ),
    3: (
        "Send session-by-session attendance to the LA each day and follow up unexplained "
        "absence the same day.",
        "Complete a baseline assessment and individual learning plan for each pupil within "
        "two weeks of starting.",
        "Record pupils' and families' views before each review.",
    ),
    4: (
        "Plan English and maths into every pupil's week.",
        "Track progress against each pupil's learning-plan objectives and report it at reviews.",
        "Offer a recognised qualification route for pupils in key stage 4.",
    ),
}
ACTION_OWNER_TITLES = ("centre manager", "director", "DSL", "education lead")
CHILD_FEEDBACK = {
    "good": (
        "Pupils we spoke to said staff listen to them and that they feel safe. Two said they "
        "would like more practical work.",
        "Three pupils showed us their work and said they like the small groups. One said it "
        "is the first place he has wanted to come to in two years.",
        "Pupils said the staff are fair and help them calm down. They knew who to talk to if "
        "they were worried.",
    ),
    "mixed": (
        "Pupils said they like the staff but get bored when there is nothing planned in the "
        "afternoons.",
        "One pupil said she does not know what she is working towards. Others were positive "
        "about the practical sessions.",
        "Pupils could not name the person they would tell if they were worried.",
    ),
}
FAMILY_FEEDBACK = {
    "good": (
        "A parent said her son now gets up for school and talks about what he has done each day.",
        "Two carers said they get a phone call every week and feel listened to at reviews.",
        "A grandparent said staff let her know straight away when her grandson does not arrive.",
    ),
    "mixed": (
        "A parent said she was not told when her daughter left the site early.",
        "Families said communication is good but they have not seen a copy of the plan.",
        "One parent said reviews are often moved at short notice.",
    ),
}
VISIT_SUMMARIES = {
    1: "A strong provider: safe, well led, and pupils make good progress from their starting points.",
    2: "A good provider. Safeguarding is effective; a few improvements agreed below.",
    3: "Requires improvement. Safeguarding records and learning plans need work: actions agreed "
    "with a monitoring visit to follow.",
    4: "Inadequate. Serious gaps in safeguarding; the LA will not make new placements until "
    "the actions are complete.",
}

# --- placement plans -----------------------------------------------------------------------

OPEN_ENDED_JUSTIFICATIONS = (
    "Awaiting a special school place named in the EHCP; the placement continues until the place "
    "is available and is reviewed at each review.",
    "Looked-after child in a stable foster placement: the virtual school head and social worker "
    "agree a move before the Year 11 exams would do harm.",
    "Medical needs: the consultant advises no change of setting until treatment ends.",
    "EHCP annual review due next term will decide the long-term setting; no end date until then.",
)
PART_TIME_REASONS = (
    "Anxiety-based school avoidance: hours are built up gradually on the advice of CAMHS.",
    "Phased induction after a long period out of education.",
    "Medical needs: fatigue from a long-term condition, on the paediatrician's advice.",
    "Short placement alongside a reduced home-school timetable agreed for medical reasons.",
    "Returning after a hospital admission; hours increase as health allows.",
)
PART_TIME_PLANS = (
    "Add one session a fortnight, reaching {full} hours a week by {by}.",
    "Increase to full-time ({full} hours) by {by}, reviewed at each placement review.",
    "Add an afternoon a week from the part-time review on {review}; full-time by {by}.",
)
EXIT_PLANS = {
    "tier_1": (
        "Support stays in school: outreach sessions end on {end} and the school's SENCo takes on "
        "the strategies, with a handover meeting in the final week.",
        "Six-week block of small-group work; the home school continues the check-ins afterwards.",
    ),
    "return": (
        "Phased return to {school}: one day a week from week six, rising to full-time by {end}; "
        "a named key adult meets {name} each morning for the first month.",
        "Return to {school} with a reduced timetable for two weeks, then full-time; the provider "
        "keeps weekly contact for the first half term back.",
    ),
    "new_school": (
        "Admission to a new mainstream school through the fair access protocol; two visits "
        "before the start and a handover of the learning plan.",
        "Move to a new school in the area: the LA names the school by the planned end and the "
        "provider shares the baseline and progress records.",
    ),
    "post_16": (
        "Complete Year 11 here with English and maths entries; college taster days in the spring "
        "term and a post-16 application by January.",
        "Careers adviser meetings each half term; supported transition to a college study "
        "programme in September.",
    ),
    "special": (
        "Move to the special school named at the EHCP review, with transition visits in the last "
        "half term.",
    ),
}
READINESS_CRITERIA = (
    "Attendance of 85% or more for four weeks in a row",
    "Manages a full morning of lessons without leaving the room",
    "Can name two trusted adults at the home school and uses the agreed exit card",
    "Home school support plan in place and the family agrees the return date",
    "Reading age within two years of chronological age",
    "No suspensions or serious incidents for six weeks",
    "Completes the agreed work in English and maths each week",
)
FAMILY_INVOLVEMENT = (
    "Parent attends every review; weekly phone call from the key worker.",
    "Carer and social worker invited to reviews; home visit at the start.",
    "Family prefers contact by text; dad attends reviews.",
    "",
)
TRANSITION_PLANS = {
    Destination.HOME_SCHOOL: (
        "Phased return to the home school over two weeks; provider key worker attends the first "
        "review back.",
        "Return to the home school full-time with a key adult and a daily check-in.",
    ),
    Destination.NEW_MAINSTREAM: (
        "Admitted to a new school through the fair access panel; learning plan handed over.",
    ),
    Destination.SPECIAL_SCHOOL: ("Start at the special school named in the EHCP after visits.",),
    Destination.POST_16: ("College study programme from September; transition visits done.",),
    Destination.EMPLOYMENT_TRAINING: (
        "Apprenticeship with training; the provider introduced the employer.",
    ),
    Destination.ANOTHER_AP: ("New placement better matched to current needs; plan handed over.",),
    Destination.NEET: (
        "Referred to the youth employment service; a careers adviser keeps in touch monthly.",
    ),
    Destination.MOVED_AWAY: ("Family moved; records sent to the new local authority.",),
    Destination.CME: ("Not attending anywhere: referred to the children missing education team.",),
}
CANCEL_REASONS = (
    "Family moved out of the area before the start date.",
    "Child settled back at the home school; the placement is no longer needed.",
    "A special school place became available first.",
)
OVERRIDE_REASONS = (
    "Renewal is booked for next week and the child cannot wait for a start; manager has seen "
    "the booking confirmation.",
    "Evidence is with the provider's insurer; the child's start cannot wait. Follow up in a week.",
)

# --- reviews -------------------------------------------------------------------------------

EXTEND_REASONS = (
    "Good progress but not yet ready to return: reintegration planned for next half term.",
    "Awaiting the EHCP annual review outcome and a named school.",
    "Attendance improving; the home school has asked for more time to prepare a support plan.",
    "Functional Skills entries fall after the planned end.",
    "Settled after a difficult start: more time needed to meet the readiness criteria.",
)
TIER_CHANGE_REASONS = (
    "Needs a longer, transitional placement through to the end of Year 11.",
    "The home school cannot meet needs; a longer placement while a new school is found.",
)
END_REVIEW_REASONS = {
    EndReason.COMPLETED: (
        "Readiness criteria met: return date agreed with the school and family.",
        "Plan complete: the next setting is confirmed.",
    ),
    EndReason.REINTEGRATED_EARLY: (
        "Ready to move on before the planned end: the readiness criteria are met early.",
    ),
    EndReason.NEEDS_CHANGED: ("Needs have changed: a different setting is needed.",),
}
CONTINUE_REASONS = (
    "",
    "",
    "",
    "On track against the plan.",
    "Progress steady; continue as planned.",
)
CHILD_VIEWS = {
    "up": (
        "Says he likes the practical sessions and wants to go back to his school for Year 11.",
        "Feels calmer and says staff listen to her.",
        "Enjoys the small group and is proud of her English work.",
        "Said the mornings are easier now and he has made a friend.",
    ),
    "down": (
        "Says he does not see the point of coming and finds the journey hard.",
        "Did not want to take part in the review.",
        "Says she feels left out of the group.",
        "Finds the afternoons too long.",
    ),
}
FAMILY_VIEWS = {
    "up": (
        "Mum says there are fewer arguments at home about going to school.",
        "Carer pleased with the weekly updates.",
        "Dad says he is more settled and sleeping better.",
        "Parent wants the return to school to be gradual.",
    ),
    "down": (
        "Mum worried about attendance and asked for more contact.",
        "Carer concerned about the friendship group.",
        "Parent could not attend; views given by phone: worried about progress.",
        "Family want a different setting.",
    ),
}
FOLLOW_UP_NOTES = {
    True: (
        "Attending well; school reports a good start.",
        "Settled; attendance above 90% since the move.",
        "Doing well; the key adult check-ins continue.",
        "",
    ),
    False: (
        "Attendance has dropped; the school has asked for outreach support.",
        "Not attending regularly: early help referral made.",
        "Placement at the new setting broke down.",
    ),
}
BACK_IN_AP_NOTE = "Back in alternative provision: a new placement has started."
FOLLOW_UP_NOTES_BY_DESTINATION = {
    Destination.NEET: "Still not in education, employment or training; the careers adviser keeps "
    "in touch.",
    Destination.CME: "Still missing education: the children missing education team is tracing "
    "the family.",
    Destination.MOVED_AWAY: "The new local authority confirmed a school place.",
}

# --- Person Passport -----------------------------------------------------------------------

INTERESTS = (
    "loves football and supports his local team",
    "enjoys drawing and makes comics",
    "is into gaming and building computers",
    "likes animals and helps at the stables at weekends",
    "enjoys cooking and wants to be a chef",
    "likes music and is learning the guitar",
    "enjoys boxing training",
    "likes fixing bikes",
    "enjoys fishing with her grandad",
)
PRIMARY_NEEDS = {
    "SEMH": ("Social, emotional and mental health needs", 55),
    "ASD": ("Autism spectrum condition", 20),
    "SLCN": ("Speech, language and communication needs", 8),
    "MLD": ("Moderate learning difficulty", 8),
    "SPLD": ("Specific learning difficulty (dyslexia)", 5),
    "MED": ("Medical needs (long-term condition)", 4),
}
WHAT_HELPS = (
    "A calm greeting at the door and knowing the plan for the day",
    "Time out with a trusted adult when things feel too much",
    "Short tasks with clear steps and a movement break",
    "Being given a job or responsibility",
    "Visual timetable and warnings before changes",
    "Praise in private rather than in front of the group",
)
WHAT_TO_AVOID = (
    "Raised voices and being told off in front of others",
    "Sudden changes to the timetable",
    "Being asked to read aloud",
    "Crowded corridors and loud spaces",
    "Physical contact",
    "Long periods of sitting still",
)
CONTACTS = (
    "Parent or carer: main contact, details on the child's record.",
    "Home school SENCo and the LA AP officer.",
)
LOOKED_AFTER_CONTACTS = "Social worker and virtual school: details on the child's record."
