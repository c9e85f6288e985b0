"""Seed the two national frameworks: DfE's voluntary standards for non-school AP (Aug 2025), and a
local QA framework template an LA copies and edits.

The four DfE areas and what each covers come from domain.md §2. The wording of each standard is
aptrack's summary, not DfE's text, and the sub-standard numbering is ours: the number of DfE
sub-standards was not confirmed (domain.md §8). The frameworks are data, so an LA that holds
the published text can copy the framework and correct it.
"""

from django.db import migrations
from django.utils import timezone

DFE_NAME = "DfE non-school AP voluntary national standards (2025)"
DFE_DESCRIPTION = (
    "The four areas of the Department for Education's voluntary national standards for "
    "non-school (unregistered) alternative provision, published in August 2025. Standards are "
    "summarised; check them against the published text."
)
DFE_STANDARDS = [
    (
        1,
        "Safeguarding and wellbeing",
        [
            (
                "1.1",
                "Enhanced DBS checks for all staff and volunteers are recorded on a single central "
                "record, and the provider gives the commissioner written confirmation of them.",
            ),
            (
                "1.2",
                "A child protection (safeguarding) policy is in place, reviewed each year and in "
                "line with Keeping children safe in education.",
            ),
            (
                "1.3",
                "A behaviour policy is in place, known to staff, pupils and families, and followed.",
            ),
            ("1.4", "A staff code of conduct is in place and staff follow it."),
            (
                "1.5",
                "A trained designated safeguarding lead is named, with a trained deputy, and one of "
                "them is available whenever pupils are on site.",
            ),
            (
                "1.6",
                "All staff have up-to-date safeguarding training and have read Keeping children "
                "safe in education.",
            ),
            (
                "1.7",
                "The site is secure: pupils are supervised, visitors are checked and signed in, and "
                "the provider knows where each pupil is throughout the school day.",
            ),
            (
                "1.8",
                "Pupils' wellbeing and mental health are supported, with routes to specialist help.",
            ),
        ],
    ),
    (
        2,
        "Health and safety",
        [
            (
                "2.1",
                "A health and safety policy is in place, and premises and activities (including "
                "off-site activities) are risk assessed and reviewed.",
            ),
            (
                "2.2",
                "Trained first aiders and first aid supplies are available whenever pupils are on "
                "site, and medicines are stored and given safely.",
            ),
            (
                "2.3",
                "Accidents, incidents and near misses are recorded, reported to the commissioner and "
                "reviewed to prevent them happening again.",
            ),
            ("2.4", "A fire risk assessment is in place, and fire drills are held and recorded."),
            ("2.5", "Employer's and public liability insurance are in place and in date."),
        ],
    ),
    (
        3,
        "Admissions, support and guidance",
        [
            (
                "3.1",
                "Admissions are fair and transparent, with referral and admission arrangements "
                "agreed with the commissioner.",
            ),
            (
                "3.2",
                "Records of each pupil's needs are held and used: EHCP, health care plans, "
                "exclusion history and risk assessments.",
            ),
            (
                "3.3",
                "Each pupil has an induction with a baseline assessment and an individual learning "
                "plan with objectives agreed with the commissioner.",
            ),
            (
                "3.4",
                "Attendance is recorded session by session and shared with the commissioner, and "
                "unexplained absence is followed up the same day.",
            ),
            (
                "3.5",
                "Pupils receive careers guidance and support to move back to school or on to "
                "post-16 education, employment or training.",
            ),
            (
                "3.6",
                "Pupils and their families are listened to, and their views shape the plan and "
                "each review.",
            ),
        ],
    ),
    (
        4,
        "Quality of education",
        [
            (
                "4.1",
                "The curriculum is planned, broad and matched to each pupil's needs, and includes "
                "English and maths.",
            ),
            ("4.2", "Teaching is by suitably qualified and experienced staff."),
            (
                "4.3",
                "Progress against the baseline and the learning-plan objectives is tracked and "
                "reported to the commissioner at each review.",
            ),
            (
                "4.4",
                "Pupils can work towards recognised qualifications that suit their age and aims.",
            ),
            ("4.5", "Reintegration or the next step is planned from the start of the placement."),
        ],
    ),
]

LOCAL_NAME = "Local QA framework"
LOCAL_DESCRIPTION = (
    "A template for a local authority's own quality assurance of the alternative provision it "
    "commissions. Copy it to your local authority, then add, change or remove standards."
)
LOCAL_STANDARDS = [
    (
        1,
        "Leadership and management",
        [
            (
                "1.1",
                "Leaders know the registration threshold and do not give full-time education to 5 "
                "or more pupils, or to any looked-after or EHCP pupil, without registering as an "
                "independent school.",
            ),
            ("1.2", "Policies are in place, reviewed each year and shared with the commissioner."),
            ("1.3", "Every delivery site a pupil may attend is known to the commissioner."),
            ("1.4", "The provider shares information with the commissioner promptly and securely."),
        ],
    ),
    (
        2,
        "Safeguarding",
        [
            (
                "2.1",
                "Enhanced DBS checks are on a single central record, with written confirmation to "
                "the commissioner.",
            ),
            ("2.2", "A trained designated safeguarding lead is named and available."),
            (
                "2.3",
                "Safeguarding concerns are recorded, acted on and shared with the commissioner.",
            ),
        ],
    ),
    (
        3,
        "Attendance and behaviour",
        [
            (
                "3.1",
                "Attendance is recorded session by session and sent to the commissioner daily.",
            ),
            ("3.2", "Unexplained absence is followed up the same day."),
            (
                "3.3",
                "Part-time timetables are agreed with the commissioner and parents, time-limited "
                "and reviewed.",
            ),
        ],
    ),
    (
        4,
        "Teaching, learning and progress",
        [
            ("4.1", "Each pupil has a baseline and a personalised plan with objectives."),
            ("4.2", "Progress against the objectives is reported at each half-termly review."),
            ("4.3", "English and maths are taught, with qualifications where appropriate."),
        ],
    ),
    (
        5,
        "Pupil and family voice",
        [
            ("5.1", "Pupils' views are gathered and acted on."),
            ("5.2", "Families are kept informed and take part in reviews."),
        ],
    ),
    (
        6,
        "Outcomes and transition",
        [
            ("6.1", "Reintegration or next steps are planned and tracked from the start."),
            ("6.2", "Destinations after the placement are recorded."),
        ],
    ),
]


def _seed(Framework, Standard, name, description, areas, at):  # noqa: N803 - historical models
    framework = Framework.objects.create(
        name=name, description=description, owner_la=None, created_at=at, updated_at=at
    )
    order = 0
    for area_number, area_title, standards in areas:
        for code, text in standards:
            order += 10
            Standard.objects.create(
                framework=framework,
                area_number=area_number,
                area_title=area_title,
                code=code,
                text=text,
                order=order,
            )


def seed(apps, schema_editor):
    Framework = apps.get_model("quality", "Framework")  # noqa: N806
    Standard = apps.get_model("quality", "Standard")  # noqa: N806
    at = timezone.now()
    _seed(Framework, Standard, DFE_NAME, DFE_DESCRIPTION, DFE_STANDARDS, at)
    _seed(Framework, Standard, LOCAL_NAME, LOCAL_DESCRIPTION, LOCAL_STANDARDS, at)


def unseed(apps, schema_editor):
    Framework = apps.get_model("quality", "Framework")  # noqa: N806
    Framework.objects.filter(owner_la=None, name__in=[DFE_NAME, LOCAL_NAME]).delete()


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
