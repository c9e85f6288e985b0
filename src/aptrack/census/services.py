"""The AP census return: who is in it, what each row says, and the files it is written to.

Census day is the third Thursday of January (domain.md §6). By default aptrack prepares the
census of the current academic year: from September onwards, next January's; from January to
August, this January's.

Who is in scope (gov.uk/guidance/alternative-provision-ap-census/which-pupils-to-include):
a pupil is in the return for each placement that
1. the LA commissioned (`Placement.commissioning_la`): a placement a school commissioned goes
   in the school census AP module instead, and one another LA pays for is that LA's;
2. runs on census day: started on or before it and not ended before it, and not cancelled;
3. is not at a state-funded AP school or a hospital school: PRUs, AP academies and AP free
   schools (provider kind, or GIAS type 14, 38, 42 or 43) and hospital schools return their
   pupils in the school census. Independent and non-maintained special schools, FE colleges,
   tuition and every unregistered provider are in;
4. for a pupil aged 2 to 18: born from 1 September twenty years before the census year to
   31 December three years before it (for January 2025: September 2005 to 31 December 2022,
   as gov.uk gives it).

Placements left out by rules 3 and 4 are counted on the census page so nobody wonders where a
child went. The primary reason is the placement's referral's primary reason (or, for a
placement with no referral, the one an officer records on the census page), except that a
permanent exclusion on or before census day takes precedence (aptrack holds no school rolls,
so an older exclusion still counts: the officer sees it on the page).
"""

import csv
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TextIO

from django.db import transaction

from aptrack.accounts.models import User
from aptrack.audit.models import AuditAction, Channel
from aptrack.audit.services import record_event, record_reads
from aptrack.census import items, selectors, validation
from aptrack.census.dates import age_window
from aptrack.census.items import HEADERS, CensusRow
from aptrack.census.models import RecordedReason
from aptrack.core import exports
from aptrack.organisations.models import LocalAuthority
from aptrack.placements import policy
from aptrack.placements import rules as placement_rules
from aptrack.placements.models import Placement
from aptrack.providers.models import STATE_AP_TYPE_CODES, ProviderKind
from aptrack.referrals.models import PrimaryReason

# Provider kinds whose pupils are in the school census, not the AP census.
SCHOOL_CENSUS_KINDS = frozenset({ProviderKind.PRU, ProviderKind.AP_ACADEMY, ProviderKind.HOSPITAL})

EXCLUDED_AGE = "Outside the census age range (2 to 18)"
EXCLUDED_SCHOOL_CENSUS = "At a PRU, AP academy, AP free school or hospital school (school census)"

ERROR_REPORT_HEADERS = (
    "UPN",
    "Surname",
    "Forename",
    "Provider",
    "EntryDate",
    "Item",
    "Severity",
    "Problem",
)


@dataclass
class CensusReturn:
    la: LocalAuthority
    census_date: dt.date
    today: dt.date
    rows: list[CensusRow]
    issues: list[validation.Issue]
    excluded: Counter[str] = field(default_factory=Counter)

    @property
    def errors(self) -> list[validation.Issue]:
        return [issue for issue in self.issues if issue.is_error]

    @property
    def warnings(self) -> list[validation.Issue]:
        return [issue for issue in self.issues if not issue.is_error]

    @property
    def has_errors(self) -> bool:
        return any(issue.is_error for issue in self.issues)

    @property
    def errors_by_item(self) -> list[tuple[str, int]]:
        """How many errors each census item has, most first (one problem can affect many rows)."""
        return Counter(issue.item for issue in self.errors).most_common()

    @property
    def pupil_count(self) -> int:
        return len({row.child_id for row in self.rows})

    @property
    def filename(self) -> str:
        return f"ap-census-{self.la.code}-{self.census_date.isoformat()}.csv"


def _school_census_setting(placement: Placement) -> bool:
    organisation = placement.provider
    provider = getattr(organisation, "provider", None)
    if provider is not None and provider.kind in SCHOOL_CENSUS_KINDS:
        return True
    establishments = [organisation.establishment, provider.establishment if provider else None]
    return any(e is not None and e.type_code in STATE_AP_TYPE_CODES for e in establishments)


def _identity(placement: Placement) -> dict[str, str]:
    organisation = placement.provider
    provider = getattr(organisation, "provider", None)
    if provider is None:
        # Not on the provider register: only a GIAS record can identify it.
        urn = organisation.establishment.urn if organisation.establishment else ""
        return {"URN": urn, "UKPRN": "", "SettingType": ""}
    return {
        "URN": provider.establishment.urn if provider.establishment else "",
        "UKPRN": provider.ukprn,
        "SettingType": provider.setting_type,
    }


def _sessions(hours: Decimal) -> int:
    if hours <= 0:
        return 0
    sessions = int(
        (hours / Decimal(str(items.HOURS_PER_SESSION))).quantize(Decimal(1), ROUND_HALF_UP)
    )
    return min(items.MAX_SESSIONS, max(1, sessions))


def _primary_reason(placement: Placement, *, permanently_excluded: bool) -> str:
    """Permanent exclusion first; then the referral's reason; then one recorded for the census."""
    if permanently_excluded:
        return PrimaryReason.PERMANENT_EXCLUSION.value
    if placement.referral:
        return placement.referral.primary_reason
    recorded = getattr(placement, "census_reason", None)
    return recorded.primary_reason if recorded else ""


def census_row(
    placement: Placement, *, census_date: dt.date, excluded_children: set[int]
) -> CensusRow:
    """The census items for one placement, from the child, the provider and the referral."""
    child = placement.child
    reason = _primary_reason(placement, permanently_excluded=child.pk in excluded_children)
    school_urn = child.home_school.urn if child.home_school else ""
    excluded = reason == PrimaryReason.PERMANENT_EXCLUSION
    stage = policy.key_stage(child.year_group(census_date))
    full_time = not placement_rules.is_part_time(placement.hours_per_week, stage)
    leaving_date = (
        placement.end_date
        if placement.end_date is not None and placement.end_date <= census_date
        else None
    )
    values = {
        "UPN": child.upn,
        "ULN": child.uln,
        "Surname": child.legal_last_name,
        "Forename": child.legal_first_name,
        "DOB": child.date_of_birth.isoformat(),
        "Sex": child.sex,
        "Ethnicity": child.ethnicity,
        "FSMeligible": "true" if child.fsm else "false",
        "SENprovision": child.sen_status,
        "AddressLine1": child.address_line_1,
        "Town": child.town,
        "Postcode": child.postcode,
        "UPRN": child.uprn,
        **_identity(placement),
        "PlacementReason": reason,
        "EntryDate": placement.start_date.isoformat(),
        "LeavingDate": leaving_date.isoformat() if leaving_date else "",
        "AssociatedSchoolURN": "" if excluded else school_urn,
        "AttendancePattern": items.FULL_TIME if full_time else items.PART_TIME,
        "SessionsPerWeek": str(_sessions(placement.hours_per_week)),
        "PreviousSchoolURN": school_urn if excluded else "",
    }
    return CensusRow(
        child_id=child.pk,
        placement_id=placement.pk,
        placement_status=placement.status,
        provider_name=str(getattr(placement.provider, "provider", None) or placement.provider.name),
        values=values,
    )


def build_census(*, la: LocalAuthority, census_date: dt.date, today: dt.date) -> CensusReturn:
    """The LA's census population with its items and its validation report."""
    earliest, latest = age_window(census_date)
    excluded: Counter[str] = Counter()
    in_scope: list[Placement] = []
    for placement in selectors.placements_running_on(la=la, census_date=census_date):
        if _school_census_setting(placement):
            excluded[EXCLUDED_SCHOOL_CENSUS] += 1
        elif not earliest <= placement.child.date_of_birth <= latest:
            excluded[EXCLUDED_AGE] += 1
        else:
            in_scope.append(placement)
    pex = selectors.permanently_excluded_child_ids(
        child_ids={p.child_id for p in in_scope}, census_date=census_date
    )
    rows = [census_row(p, census_date=census_date, excluded_children=pex) for p in in_scope]
    issues = validation.validate(rows, census_date=census_date, today=today)
    return CensusReturn(
        la=la, census_date=census_date, today=today, rows=rows, issues=issues, excluded=excluded
    )


def write_census_csv(census: CensusReturn, stream: TextIO) -> None:
    """The census file: a header row of item names, then one row per pupil and placement.

    Written through the export writer: a text item beginning =, +, -, @, tab or CR (a name such
    as =HYPERLINK(...)) gains a leading single quote so it cannot run as a formula; the DfE
    format is otherwise unchanged, and neutralising with a leading quote is the accepted approach."""
    writer = exports.csv_writer(stream)
    writer.writerow(HEADERS)
    for row in census.rows:
        writer.writerow([row[header] for header in HEADERS])


def read_census_csv(stream: TextIO) -> list[CensusRow]:
    """Rows back from a census file, to check the file itself passes validation."""
    reader = csv.DictReader(stream)
    return [
        CensusRow(
            child_id=0, placement_id=0, placement_status="", provider_name="", values=dict(values)
        )
        for values in reader
    ]


def write_error_report_csv(census: CensusReturn, stream: TextIO) -> None:
    """The validation report as a file, written through the export writer (no live formulas)."""
    writer = exports.csv_writer(stream)
    writer.writerow(ERROR_REPORT_HEADERS)
    for issue in census.issues:
        row = issue.row
        writer.writerow(
            [
                row["UPN"],
                row["Surname"],
                row["Forename"],
                row.provider_name,
                row["EntryDate"],
                issue.item,
                "Error" if issue.is_error else "Warning",
                issue.message,
            ]
        )


class CensusHasErrors(Exception):
    """The census file is not produced while the return has errors."""


def record_census_export(
    *,
    actor: User | None,
    at: dt.datetime,
    channel: Channel,
    census: CensusReturn,
    what: str,
    rows: list[Any],
) -> None:
    """Every census file or error report handed out is on the audit trail, and so is each
    child named in it."""
    where = f"AP census {census.census_date.isoformat()}: {what}"
    record_reads(
        actor=actor,
        at=at,
        channel=channel,
        where=where,
        children=[row.child_id for row in rows if row.child_id is not None],
    )
    record_event(
        actor=actor,
        at=at,
        action=AuditAction.EXPORTED,
        channel=channel,
        instance=census.la,
        child_id=None,
        where=where,
        changes={"rows": len(census.rows), "errors": len(census.errors)},
    )


def export_census(
    *, census: CensusReturn, stream: TextIO, actor: User | None, at: dt.datetime, channel: Channel
) -> None:
    """Write the census file, or refuse (CensusHasErrors) while it has errors."""
    if census.has_errors:
        raise CensusHasErrors(f"{len(census.errors)} errors: fix them, or ask for the error report")
    write_census_csv(census, stream)
    record_census_export(
        actor=actor,
        at=at,
        channel=channel,
        census=census,
        what="census file",
        rows=list(census.rows),
    )


def export_error_report(
    *, census: CensusReturn, stream: TextIO, actor: User | None, at: dt.datetime, channel: Channel
) -> None:
    write_error_report_csv(census, stream)
    record_census_export(
        actor=actor,
        at=at,
        channel=channel,
        census=census,
        what="error report",
        rows=[issue.row for issue in census.issues],
    )


class ReasonNotNeeded(Exception):
    """The placement has a referral: its reason is the referral's."""


REASON_FROM_REFERRAL = "This placement's primary reason comes from its referral"


def record_primary_reason(
    *, placement: Placement, primary_reason: str, actor: User | None, at: dt.datetime
) -> RecordedReason:
    """Record why a placement without a referral was commissioned, for the census."""
    if placement.referral_id:
        raise ReasonNotNeeded(REASON_FROM_REFERRAL)
    with transaction.atomic():
        existing = RecordedReason.objects.select_for_update().filter(placement=placement).first()
        before = existing.primary_reason if existing else ""
        record, _ = RecordedReason.objects.update_or_create(
            placement=placement,
            defaults={"primary_reason": primary_reason, "recorded_by": actor, "recorded_at": at},
        )
        record_event(
            actor=actor,
            at=at,
            action=AuditAction.UPDATED if existing else AuditAction.CREATED,
            channel=Channel.WEB,
            instance=record,
            child_id=placement.child_id,
            where="AP census",
            changes={"primary_reason": {"from": before, "to": primary_reason}},
        )
    return record
