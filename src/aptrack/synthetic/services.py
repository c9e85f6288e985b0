"""Synthetic data: whole local authorities of invented schools, providers, children and
placements with their plans, reviews and follow-ups, the providers' compliance evidence, QA
visits and returns, the staff who recorded them, and one demo login per role.

Synthetic only, ever: every name, UPN and address is invented. The same seed and `today` give
the same data; nothing here reads the clock or the global random state.
"""

import datetime as dt
import enum
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from faker import Faker

from aptrack.accounts import services as account_services
from aptrack.accounts.models import User
from aptrack.accounts.roles import Role
from aptrack.calendars.selectors import get_calendar
from aptrack.children.models import Child, SocialCareStatus
from aptrack.organisations.models import (
    AgencyType,
    Establishment,
    LocalAuthority,
    Organisation,
    OrganisationKind,
    Region,
)
from aptrack.panels.models import PanelMember
from aptrack.placements.models import Placement
from aptrack.synthetic import attendance as synthetic_attendance
from aptrack.synthetic import commissioning as synthetic_commissioning
from aptrack.synthetic import improvement as synthetic_improvement
from aptrack.synthetic import naming, plans, records, referral_history, sizes
from aptrack.synthetic import notices as synthetic_notices
from aptrack.synthetic import outcomes as synthetic_outcomes
from aptrack.synthetic import panels as synthetic_panels
from aptrack.synthetic import providers as synthetic_providers
from aptrack.synthetic import quality as synthetic_quality
from aptrack.synthetic import reports as synthetic_reports
from aptrack.synthetic import returns as synthetic_returns
from aptrack.synthetic import staff as synthetic_staff


class Scale(enum.StrEnum):
    LA = "la"
    REGION = "region"
    NATIONAL = "national"


DEMO_LA_CODE = "838"  # Dorset, the demo authority
SECOND_LA_CODE = "204"  # Hackney, to show one LA never sees another's children
LA_SCALE_CHILDREN = {DEMO_LA_CODE: 420, SECOND_LA_CODE: 300}
DEFAULT_REGION = Region.SOUTH_WEST
DEMO_PASSWORD = "demo-password-2026"
ANALYSTS_NAME = "Department for Education analysts"
SOCIAL_WORKER_CASELOAD = 25
FIRST_URN = 700_000  # above the URNs GIAS lists today [unverified]; taken URNs are skipped
BATCH_SIZE = 2_000
# Share of LAs with one non-school provider teaching full-time, over the registration
# threshold (domain.md §2). The demo LA always has one, so /returns/alerts/ has something to show.
FULL_TIME_PROVIDER_SHARE = 0.3

DATA_ALREADY_PRESENT = "Data already present: nothing generated"
NO_LOCAL_AUTHORITIES = "No local authorities to generate: run `aptrack migrate` first"


class DataAlreadyPresent(Exception):
    """The register already has children; generating more would mix two data sets."""


class NoLocalAuthorities(Exception):
    pass


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    home: str  # key into _demo_homes()
    first_name: str
    last_name: str
    job_title: str


# fmt: off
DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("officer", Role.LA_OFFICER, "la", "Priya", "Sharma", "AP officer"),
    DemoUser("manager", Role.LA_MANAGER, "la", "Gareth", "Lewis", "Head of inclusion"),
    DemoUser("qa-lead", Role.QA_LEAD, "la", "Helen", "Marsh", "AP quality assurance lead"),
    DemoUser("panel", Role.PANEL_MEMBER, "social_care", "Daniel", "Okafor", "AP panel member"),
    DemoUser("provider", Role.PROVIDER_STAFF, "pru", "Sophie", "Tanner", "Centre manager"),
    DemoUser("school", Role.SCHOOL_STAFF, "school", "Mark", "Ellery", "Deputy headteacher"),
    DemoUser("social-worker", Role.SOCIAL_WORKER, "social_care", "Aisha", "Rahman",
             "Social worker"),
    DemoUser("vsh", Role.VIRTUAL_SCHOOL_HEAD, "virtual_school", "Claire", "Beaumont",
             "Virtual school head"),
    DemoUser("analyst", Role.ANALYST, "analysts", "Tom", "Whitfield", "Data analyst"),
    DemoUser("finance", Role.LA_FINANCE, "la", "Rachel", "Osei", "Finance officer, high needs"),
    DemoUser("officer-hackney", Role.LA_OFFICER, "second_la", "Kwame", "Mensah", "AP officer"),
    # The rest of the demo LA's AP panel, so every seat can be signed in to (the manager chairs
    # it and "panel" sits for children's social care).
    DemoUser("panel-school", Role.PANEL_MEMBER, "school", "Ruth", "Adeyemi", "Headteacher, AP panel member"),
    DemoUser("panel-health", Role.PANEL_MEMBER, "social_care", "Owen", "Price", "Designated nurse, AP panel member"),
    DemoUser("panel-virtual-school", Role.PANEL_MEMBER, "virtual_school", "Leah", "Chapman",
             "Virtual school adviser, AP panel member"),
    DemoUser("panel-parent-forum", Role.PANEL_MEMBER, "social_care", "Nadia", "Hussain",
             "Parent carer forum, AP panel member"),
    DemoUser("panel-youth-justice", Role.PANEL_MEMBER, "social_care", "Craig", "Dunn",
             "Youth justice service, AP panel member"),
)
# The demo LA's AP panel seat (member agency) each demo user takes.
PANEL_SEATS = {
    "LA": "manager", "SOCIAL_CARE": "panel", "SCHOOL": "panel-school", "HEALTH": "panel-health",
    "VIRTUAL_SCHOOL": "panel-virtual-school", "PARENT_CARER_FORUM": "panel-parent-forum",
    "YOUTH_JUSTICE": "panel-youth-justice",
}
# fmt: on
DEMO_USERNAMES = tuple(user.username for user in DEMO_USERS)
MISSING_HOME = {
    "la": "no local authority organisation",
    "pru": "the demo LA has no pupil referral unit provider",
    "school": "the demo LA has no school organisation",
    "social_care": "the demo LA has no children's social care agency",
    "virtual_school": "the demo LA has no virtual school",
    "analysts": f"no {ANALYSTS_NAME} organisation",
    "second_la": "Hackney was not generated (it is at la and national scale)",
}


@dataclass
class DemoUsersResult:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # username: why


@dataclass
class GenerationSummary:
    local_authorities: int = 0
    schools: int = 0
    providers: int = 0
    children: int = 0
    placements: int = 0
    reviews: int = 0
    compliance_checks: int = 0
    qa_visits: int = 0
    returns: int = 0
    referrals: int = 0
    marks: int = 0
    notices: int = 0
    contracts: int = 0
    invoice_lines: int = 0
    provider_reports: int = 0
    incidents: int = 0
    demo_users: DemoUsersResult = field(default_factory=DemoUsersResult)


Progress = Callable[[Sequence[tuple[LocalAuthority, int]]], Iterable[tuple[LocalAuthority, int]]]


def plan_local_authorities(
    *, scale: Scale, region: str = DEFAULT_REGION, size_factor: float = 1.0
) -> list[tuple[LocalAuthority, int]]:
    """The LAs to generate and how many children each gets, demo authority first."""
    if scale == Scale.LA:
        by_code = LocalAuthority.objects.in_bulk(list(LA_SCALE_CHILDREN), field_name="code")
        plan = [
            (by_code[code], count) for code, count in LA_SCALE_CHILDREN.items() if code in by_code
        ]
    else:
        las = list(LocalAuthority.objects.order_by("code"))
        shares = sizes.share_by_size([la.code for la in las], sizes.NATIONAL_CHILDREN)
        if scale == Scale.REGION:
            las = [la for la in las if la.region == region]
        las.sort(key=lambda la: (la.code != DEMO_LA_CODE, la.code))
        plan = [(la, shares[la.code]) for la in las]
    return [(la, max(1, round(count * size_factor))) for la, count in plan]


def generate_synthetic_data(
    *,
    scale: Scale,
    seed: int,
    today: dt.date,
    region: str = DEFAULT_REGION,
    size_factor: float = 1.0,
    progress: Progress | None = None,
) -> GenerationSummary:
    """Build the LAs of `scale` with their agencies, schools, providers, children and placements,
    then the demo users. Refuses when the register already holds children."""
    if Child.objects.exists():
        raise DataAlreadyPresent(DATA_ALREADY_PRESENT)
    plan = plan_local_authorities(scale=scale, region=region, size_factor=size_factor)
    if not plan:
        raise NoLocalAuthorities(NO_LOCAL_AUTHORITIES)
    fake = Faker("en_GB")
    draw = records.Draw(
        rng=random.Random(seed), fake=fake, today=today, tz=timezone.get_default_timezone()
    )
    region_la_ids: dict[str, list[int]] = {}
    for la_id, la_region in LocalAuthority.objects.values_list("pk", "region"):
        region_la_ids.setdefault(la_region, []).append(la_id)
    urns = _UrnAllocator(set(Establishment.objects.values_list("urn", flat=True)))
    framework = synthetic_quality.load_framework()
    summary = GenerationSummary()
    with transaction.atomic():
        for la, count in (progress or list)(plan):
            # Each LA draws from its own stream, so an LA's children do not depend on which
            # other LAs are generated with it.
            la_seed = f"{seed}/{la.code}"
            draw.rng.seed(la_seed)
            fake.seed_instance(la_seed)
            neighbours = [pk for pk in region_la_ids.get(la.region, []) if pk != la.pk]
            _generate_la(draw, la, count, neighbours, urns, framework, summary)
        summary.demo_users = ensure_demo_users()
    _analyse()
    return summary


def _analyse() -> None:
    """Refresh the planner's statistics after the bulk load, as a DBA would after any: until
    autovacuum gets round to it, PostgreSQL plans against tables it believes empty (a
    dashboard built straight after generating read whole tables it could have looked up by
    index). SQLite's planner reads the same statistics from its own ANALYZE."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


class _UrnAllocator:
    def __init__(self, taken: set[str]) -> None:
        self._taken = taken
        self._next = FIRST_URN

    def allocate(self) -> str:
        while f"{self._next:06d}" in self._taken:
            self._next += 1
        urn = f"{self._next:06d}"
        self._taken.add(urn)
        self._next += 1
        return urn


def _school_count(children: int) -> int:
    if children < 60:  # the Isles of Scilly and the City of London
        return max(2, children // 10)
    return min(30, max(15, 8 + children // 30))


def _provider_count(children: int) -> int:
    if children < 60:
        return 1
    return min(8, max(4, 3 + children // 250))


def _establishment_numbers(
    rng: random.Random, low: int, high: int, count: int, taken: set[str]
) -> list[str]:
    free = [f"{n:04d}" for n in range(low, high) if f"{n:04d}" not in taken]
    chosen = sorted(rng.sample(free, count))
    taken.update(chosen)
    return chosen


def _unique(make: Callable[[], str], used: set[str]) -> str:
    for _ in range(50):
        name = make()
        if name not in used:
            break
    used.add(name)
    return name


def _generate_la(
    draw: records.Draw,
    la: LocalAuthority,
    children: int,
    neighbour_la_ids: list[int],
    urns: _UrnAllocator,
    framework: synthetic_quality.QAFramework | None,
    summary: GenerationSummary,
) -> None:
    """One LA: its council, agencies, schools, PRU, providers and their quality assurance,
    staff, children, placements with their plans, and the providers' returns."""
    rng = draw.rng
    used_towns: set[str] = set()
    towns = [_unique(lambda: naming.place_name(rng), used_towns) for _ in range(10)]
    postcode_areas = naming.postcode_areas(rng, la_code=la.code, region=la.region)
    council = _create_council_and_agencies(la)
    used_names: set[str] = set()
    schools, pru, school_organisations = _create_schools(
        draw, la, _school_count(children), towns, postcode_areas, urns, used_names
    )
    providers = _create_providers(
        draw,
        la,
        pru,
        _provider_count(children),
        towns,
        used_names,
        postcode_areas,
        neighbour_la_ids,
    )
    provider_records = [choice.record for choice in providers if choice.record is not None]
    staff = synthetic_staff.create_staff(
        draw,
        la,
        council,
        [r.provider.organisation for r in provider_records if not r.provider.is_registered],
    )
    quality = synthetic_quality.create_quality(
        draw, provider_records, staff, framework, showcase=la.code == DEMO_LA_CODE
    )
    setting = records.LaSetting(
        la=la,
        neighbour_la_ids=neighbour_la_ids,
        primary_schools=[school for school in schools if school.phase == "Primary"],
        secondary_schools=[school for school in schools if school.phase == "Secondary"],
        towns=towns,
        postcode_areas=postcode_areas,
        providers=providers,
        school_organisations=school_organisations,
        calendar=get_calendar(la_id=la.pk),
    )
    context = plans.PlanContext(draw, setting, staff, quality.compliance)
    new_children: list[Child] = []
    new_placements: list[Placement] = []
    for _ in range(children):
        child, placements = records.build_child(draw, setting)
        plans.plan_child(context, child, placements)
        new_children.append(child)
        new_placements.extend(placements)
    Child.objects.bulk_create(new_children, batch_size=BATCH_SIZE)
    # Placements point at their children, whose primary keys bulk_create has just filled in;
    # the plans' rows point at the placements in turn.
    Placement.objects.bulk_create(new_placements, batch_size=BATCH_SIZE)
    context.rows.save()
    returns = synthetic_returns.create_returns(draw, provider_records, staff, new_placements)
    referrals = synthetic_panels.create_referrals_and_panels(
        draw, la=la, staff=staff, children=new_children, placements=new_placements
    )
    synthetic_outcomes.create_outcomes(draw, setting, staff, new_placements, context.rows.reviews)
    # Its own random stream, so marks never shift the rest of the LA's data.
    marks = synthetic_attendance.create_marks(
        rng=random.Random(rng.getrandbits(64)),
        placements=new_placements,
        today=draw.today,
        tz=draw.tz,
        recorded_by=staff.provider_staff,
    )
    if la.code == DEMO_LA_CODE:
        synthetic_improvement.create_improvement_plan(draw, la=la, staff=staff)
    # Last, so the referral history draws after everything else and shifts none of it.
    referrals += referral_history.create_placement_referrals(
        draw, staff=staff, children=new_children, placements=new_placements
    )
    synthetic_providers.fit_capacity(rng, provider_records, today=draw.today)
    # Notices on a stream of their own.
    summary.notices += synthetic_notices.create_notices(
        draw,
        children=new_children,
        placements=new_placements,
        school_organisations=school_organisations,
    )
    # Contracts, invoices and budget last, on their own stream: they shift nothing above.
    money = synthetic_commissioning.create_commissioning(
        rng=random.Random(rng.getrandbits(64)),
        la=la,
        council=council,
        placements=new_placements,
        provider_staff=staff.provider_staff,
        today=draw.today,
        tz=draw.tz,
    )
    # After the marks (attendance from their rollups) and the plans' outcomes; its own stream.
    reports, incidents = synthetic_reports.create_reports(
        draw, la_id=la.pk, staff=staff, placements=new_placements
    )

    summary.local_authorities += 1
    summary.schools += len(schools)
    summary.providers += len(providers)
    summary.children += len(new_children)
    summary.placements += len(new_placements)
    summary.reviews += len(context.rows.reviews)
    summary.compliance_checks += quality.compliance_checks
    summary.qa_visits += quality.qa_visits
    summary.returns += returns
    summary.referrals += referrals
    summary.marks += marks.marks
    summary.contracts += money.contracts
    summary.invoice_lines += money.invoice_lines
    summary.provider_reports += reports
    summary.incidents += incidents


def _create_council_and_agencies(la: LocalAuthority) -> Organisation:
    """The LA's council organisation (made unless it exists) and two new agencies."""
    council_name, short = naming.council_names(la.name)
    is_council = Q(kind=OrganisationKind.LOCAL_AUTHORITY, local_authority=la)
    council = Organisation.objects.filter(is_council).order_by("pk").first()
    if council is None:  # at most one per LA
        council = Organisation.objects.create(
            name=council_name, kind=OrganisationKind.LOCAL_AUTHORITY, local_authority=la
        )
    Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"{short} Virtual School",
                kind=OrganisationKind.AGENCY,
                agency_type=AgencyType.VIRTUAL_SCHOOL,
                local_authority=la,
            ),
            Organisation(
                name=f"{short} Children's Social Care",
                kind=OrganisationKind.AGENCY,
                agency_type=AgencyType.SOCIAL_CARE,
                local_authority=la,
            ),
        ]
    )
    return council


def _create_schools(
    draw: records.Draw,
    la: LocalAuthority,
    count: int,
    towns: list[str],
    postcode_areas: tuple[str, ...],
    urns: _UrnAllocator,
    used_names: set[str],
) -> tuple[list[Establishment], Establishment, dict[int, Organisation]]:
    """Mainstream schools (mostly secondary, as most children in AP are), each with its SCHOOL
    organisation (returned by the school's primary key), and the LA's pupil referral unit."""
    rng = draw.rng
    primary_count = max(1, round(count * 0.3))
    taken_numbers = set(la.establishments.values_list("establishment_number", flat=True))
    schools: list[Establishment] = []
    for secondary, number_count, low, high in (
        (False, primary_count, 2001, 4000),
        (True, count - primary_count, 4001, 5000),
    ):
        for number in _establishment_numbers(rng, low, high, number_count, taken_numbers):
            kind = naming.school_type(rng, secondary=secondary)
            name = _unique(partial(naming.establishment_name, rng, kind, towns), used_names)
            schools.append(
                Establishment(
                    urn=urns.allocate(),
                    name=name,
                    local_authority=la,
                    establishment_number=number,
                    type_code=kind.code,
                    type_name=kind.name,
                    phase="Secondary" if secondary else "Primary",
                    status="Open",
                    postcode=naming.postcode(rng, postcode_areas),
                )
            )
    pru = Establishment(
        urn=urns.allocate(),
        name=_unique(lambda: naming.establishment_name(rng, naming.PRU_TYPE, towns), used_names),
        local_authority=la,
        establishment_number=_establishment_numbers(rng, 1100, 1200, 1, taken_numbers)[0],
        type_code=naming.PRU_TYPE.code,
        type_name=naming.PRU_TYPE.name,
        phase="Not applicable",
        status="Open",
        postcode=naming.postcode(rng, postcode_areas),
    )
    Establishment.objects.bulk_create([*schools, pru], batch_size=BATCH_SIZE)
    organisations = [
        Organisation(
            name=school.name,
            kind=OrganisationKind.SCHOOL,
            local_authority=la,
            establishment=school,
        )
        for school in schools
    ]
    Organisation.objects.bulk_create(organisations, batch_size=BATCH_SIZE)
    return (
        schools,
        pru,
        {school.pk: org for school, org in zip(schools, organisations, strict=True)},
    )


def _create_providers(
    draw: records.Draw,
    la: LocalAuthority,
    pru: Establishment,
    count: int,
    towns: list[str],
    used_names: set[str],
    postcode_areas: tuple[str, ...],
    neighbour_la_ids: list[int],
) -> list[records.ProviderChoice]:
    """The PRU as a registered provider plus `count` non-school providers, with their register
    records. The PRU takes about a third of placements; the others share the rest unevenly. One
    of the others may teach full-time (FULL_TIME_PROVIDER_SHARE; always in the demo LA)."""
    rng = draw.rng
    pru_provider = Organisation(
        name=pru.name, kind=OrganisationKind.PROVIDER, local_authority=la, establishment=pru
    )
    typed: list[tuple[Organisation, str]] = []
    hours: list[tuple[int, int]] = []
    kinds = rng.sample(naming.PROVIDER_TYPES, k=len(naming.PROVIDER_TYPES))
    for index in range(count):
        kind = kinds[index % len(kinds)]
        name = _unique(partial(naming.provider_name, rng, draw.fake, kind, towns), used_names)
        provider = Organisation(name=name, kind=OrganisationKind.PROVIDER, local_authority=la)
        typed.append((provider, kind.key))
        hours.append((kind.min_hours, kind.max_hours))
    Organisation.objects.bulk_create([pru_provider, *(provider for provider, _ in typed)])
    pru_record, *other_records = synthetic_providers.create_provider_records(
        rng=rng,
        la=la,
        pru_organisation=pru_provider,
        pru=pru,
        others=typed,
        neighbours=list(LocalAuthority.objects.filter(pk__in=neighbour_la_ids).order_by("code")),
        postcode_areas=postcode_areas,
        towns=towns,
        at=dt.datetime.combine(draw.today, dt.time(7, 0), tzinfo=draw.tz),
        used_ukprns=set(),
    )
    full_time = None
    if typed and (la.code == DEMO_LA_CODE or draw.chance(FULL_TIME_PROVIDER_SHARE)):
        full_time = rng.randrange(len(typed))
    others = [
        records.ProviderChoice(
            provider, rng.randint(1, 4), low, high, record=record, full_time=index == full_time
        )
        for index, ((provider, _), (low, high), record) in enumerate(
            zip(typed, hours, other_records, strict=True)
        )
    ]
    other_weight = sum(choice.weight for choice in others)
    pru_weight = round(other_weight * records.PRU_SHARE / (1 - records.PRU_SHARE))
    return [
        records.ProviderChoice(pru_provider, pru_weight, *naming.PRU_HOURS, record=pru_record),
        *others,
    ]


def _demo_homes() -> dict[str, Organisation | None]:
    """The organisation each demo user belongs to, found in the database (so that a re-run on
    existing data can still create missing demo users)."""
    las = Organisation.objects.filter(kind=OrganisationKind.LOCAL_AUTHORITY).select_related(
        "local_authority"
    )
    la_org = las.filter(local_authority__code=DEMO_LA_CODE).first() or las.order_by("pk").first()
    analysts, _ = Organisation.objects.get_or_create(
        name=ANALYSTS_NAME, kind=OrganisationKind.REGIONAL
    )
    homes: dict[str, Organisation | None] = {"analysts": analysts}
    if la_org is None:
        return homes
    la = la_org.local_authority
    in_la = Organisation.objects.filter(local_authority=la).order_by("pk")
    busiest_school = (
        Establishment.objects.filter(
            local_authority=la, organisations__kind=OrganisationKind.SCHOOL
        )
        .annotate(
            placed=Count(
                "pupils", filter=Q(pupils__placements__end_date__isnull=True), distinct=True
            )
        )
        .order_by("-placed", "pk")
        .first()
    )
    homes.update(
        {
            "la": la_org,
            # The PRU with most placements, so imported GIAS PRUs without children lose out.
            "pru": in_la.filter(
                kind=OrganisationKind.PROVIDER, establishment__type_code=naming.PRU_TYPE.code
            )
            .annotate(placed=Count("placements"))
            .order_by("-placed", "pk")
            .first(),
            "school": in_la.filter(
                kind=OrganisationKind.SCHOOL, establishment=busiest_school
            ).first()
            if busiest_school
            else None,
            "social_care": in_la.filter(
                kind=OrganisationKind.AGENCY, agency_type=AgencyType.SOCIAL_CARE
            ).first(),
            "virtual_school": in_la.filter(
                kind=OrganisationKind.AGENCY, agency_type=AgencyType.VIRTUAL_SCHOOL
            ).first(),
            "second_la": las.filter(local_authority__code=SECOND_LA_CODE)
            .exclude(pk=la_org.pk)
            .first(),
        }
    )
    return homes


def _assign_caseload(social_worker: User, la_id: int) -> None:
    """Give a new demo social worker children with social care involvement in their LA."""
    in_la = Child.objects.filter(home_la_id=la_id, social_worker__isnull=True).order_by("pk")
    ids = list(
        in_la.filter(
            Q(
                social_care_status__in=[
                    SocialCareStatus.CHILD_PROTECTION,
                    SocialCareStatus.CHILD_IN_NEED,
                ]
            )
            | Q(looked_after=True)
        ).values_list("pk", flat=True)[:SOCIAL_WORKER_CASELOAD]
    )
    Child.objects.filter(pk__in=ids).update(social_worker=social_worker)


def ensure_demo_users() -> DemoUsersResult:
    """Create whichever demo users are missing, all with DEMO_PASSWORD. Existing users are left
    as they are."""
    result = DemoUsersResult()
    homes = _demo_homes()
    for spec in DEMO_USERS:
        if User.objects.filter(username=spec.username).exists():
            result.existing.append(spec.username)
            continue
        organisation = homes.get(spec.home)
        if organisation is None:
            result.skipped[spec.username] = MISSING_HOME[spec.home]
            continue
        user = account_services.create_user(
            username=spec.username,
            password=DEMO_PASSWORD,
            organisation=organisation,
            role=spec.role,
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=f"{spec.username}@example.org",
        )
        User.objects.filter(pk=user.pk).update(job_title=spec.job_title)
        if spec.role == Role.SOCIAL_WORKER and organisation.local_authority_id:
            _assign_caseload(user, organisation.local_authority_id)
        result.created.append(spec.username)
    _seat_demo_panel()
    return result


def _seat_demo_panel() -> None:
    """The demo LA's AP panel members are the demo users of PANEL_SEATS, under their names."""
    users = {user.username: user for user in User.objects.filter(username__in=PANEL_SEATS.values())}
    members = PanelMember.objects.filter(
        panel__kind="AP", panel__local_authority__code=DEMO_LA_CODE, user__isnull=True
    )
    for member in members:
        user = users.get(PANEL_SEATS.get(member.agency, ""))
        if user is not None:
            member.user, member.name = user, user.get_full_name()
            member.save(update_fields=["user", "name"])
