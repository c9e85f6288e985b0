"""Who is in the census, what each row says, and the file."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from aptrack.audit.models import AuditAction, AuditEvent, Channel
from aptrack.census import services
from aptrack.census import validation as v
from aptrack.census.items import HEADERS
from aptrack.census.tests.factories import (
    AFTER_CENSUS,
    CENSUS_DAY,
    placement,
    referral,
    registered_provider,
    tuition_provider,
    unregistered_organisation,
)
from aptrack.children.tests.factories import ChildFactory
from aptrack.organisations.tests.factories import EstablishmentFactory, OrganisationFactory, la

pytestmark = pytest.mark.django_db


def _census(code: str = "838", today: dt.date = AFTER_CENSUS) -> services.CensusReturn:
    return services.build_census(la=la(code), census_date=CENSUS_DAY, today=today)


def _placement_ids(census: services.CensusReturn) -> set[int]:
    return {row.placement_id for row in census.rows}


def test_placement_running_on_census_day_is_in():
    running = placement()
    census = _census()
    assert _placement_ids(census) == {running.pk}
    assert census.pupil_count == 1
    assert census.issues == []


@pytest.mark.parametrize(
    ("dates", "included"),
    [
        ({"start_date": dt.date(2027, 1, 21)}, True),  # starts on census day
        ({"start_date": dt.date(2027, 1, 22), "status": "PLANNED"}, False),  # starts after
        ({"end_date": dt.date(2027, 1, 21), "status": "ENDED"}, True),  # ends on census day
        ({"end_date": dt.date(2027, 1, 20), "status": "ENDED"}, False),  # ended before
        ({"end_date": dt.date(2027, 1, 25), "status": "ENDED"}, True),  # ended after
        ({"status": "CANCELLED"}, False),
    ],
)
def test_placement_is_in_only_if_it_runs_on_census_day(dates, included):
    p = placement(**dates)
    assert (p.pk in _placement_ids(_census())) is included


@pytest.mark.parametrize(
    ("born", "included"),
    [
        (dt.date(2007, 9, 1), True),  # 19 on census day but 18 at the start of the year
        (dt.date(2007, 8, 31), False),  # 19 at the start of the academic year
        (dt.date(2024, 12, 31), True),  # 2 on census day
        (dt.date(2025, 1, 1), False),  # too young
    ],
)
def test_pupils_aged_2_to_18_are_in(born, included):
    p = placement(child=ChildFactory(date_of_birth=born))
    census = _census()
    assert (p.pk in _placement_ids(census)) is included
    assert census.excluded.get(services.EXCLUDED_AGE, 0) == (0 if included else 1)


@pytest.mark.parametrize(
    ("kind", "type_code", "included"),
    [
        ("PRU", "14", False),
        ("AP_ACADEMY", "43", False),
        ("HOSPITAL", "36", False),
        ("INDEPENDENT", "11", True),
        ("INDEPENDENT_SPECIAL", "10", True),
        ("FE_COLLEGE", "18", True),
        # Registered as an independent school on the register, but GIAS says it is a PRU.
        ("INDEPENDENT", "14", False),
    ],
)
def test_pupils_at_state_ap_and_hospital_schools_are_left_to_the_school_census(
    kind, type_code, included
):
    p = placement(provider=registered_provider(kind, type_code))
    census = _census()
    assert (p.pk in _placement_ids(census)) is included
    assert census.excluded.get(services.EXCLUDED_SCHOOL_CENSUS, 0) == (0 if included else 1)


def test_placements_of_other_commissioners_are_not_in():
    hackney = placement(la_code="204")
    school = OrganisationFactory(kind="SCHOOL", establishment=EstablishmentFactory())
    by_school = placement(commissioning_la=None, commissioning_school=school)
    # A Dorset child placed by Hackney is Hackney's return.
    placed_by_other = placement(commissioning_la=la("204"))
    assert _placement_ids(_census("838")) == set()
    assert _placement_ids(_census("204")) == {hackney.pk, placed_by_other.pk}
    assert by_school.pk not in _placement_ids(_census("838"))


def test_row_carries_the_census_items():
    school = EstablishmentFactory(urn="123456")
    child = ChildFactory(
        home_school=school,
        fsm=True,
        sen_status="E",
        ethnicity="BAFR",
        sex="F",
        uln="1234567890",
        postcode="DT1 1AA",
        uprn="100040000000",
    )
    p = placement(child=child, hours_per_week=Decimal("12.5"), reason="AWAITING")
    [row] = _census().rows
    assert row.values == {
        "UPN": child.upn,
        "ULN": "1234567890",
        "Surname": child.legal_last_name,
        "Forename": child.legal_first_name,
        "DOB": "2012-03-14",
        "Sex": "F",
        "Ethnicity": "BAFR",
        "FSMeligible": "true",
        "SENprovision": "E",
        "AddressLine1": "",
        "Town": "",
        "Postcode": "DT1 1AA",
        "UPRN": "100040000000",
        "URN": "",
        "UKPRN": "",
        "SettingType": "OOT",
        "PlacementReason": "AWAITING",
        "EntryDate": "2026-09-07",
        "LeavingDate": "",
        "AssociatedSchoolURN": "123456",
        "AttendancePattern": "PT",
        "SessionsPerWeek": "5",
        "PreviousSchoolURN": "",
    }
    assert row.placement_id == p.pk


def test_provider_identity_comes_from_the_register():
    urn_provider = registered_provider("INDEPENDENT", "11")
    ukprn_provider = tuition_provider(setting_type="", ukprn="10012345", kind="VOCATIONAL")
    placement(provider=urn_provider)
    placement(provider=ukprn_provider)
    identities = {(r["URN"], r["UKPRN"], r["SettingType"]) for r in _census().rows}
    assert identities == {(urn_provider.establishment.urn, "", ""), ("", "10012345", "")}


def test_permanent_exclusion_takes_precedence_over_the_referral_reason():
    school = EstablishmentFactory(urn="654321")
    child = ChildFactory(home_school=school)
    placement(child=child, reason="MEDICAL")
    referral(child, reason="BEHAVIOUR", route="PEX", first_day_of_exclusion=dt.date(2026, 6, 1))
    [row] = _census().rows
    assert row["PlacementReason"] == "PEX"
    # Off the excluding school's roll: it is the previous school, not an association.
    assert (row["AssociatedSchoolURN"], row["PreviousSchoolURN"]) == ("", "654321")


def test_exclusion_after_census_day_does_not_count():
    child = ChildFactory()
    placement(child=child, reason="MEDICAL")
    referral(child, reason="PEX", route="PEX", first_day_of_exclusion=dt.date(2027, 1, 25))
    assert _census().rows[0]["PlacementReason"] == "MEDICAL"


def test_data_problems_become_errors():
    placement(child=ChildFactory(upn=""))
    placement(reason=None)
    placement(provider=unregistered_organisation())
    placement(status="PLANNED")
    problems = sorted((i.item, i.message) for i in _census().errors)
    assert problems == sorted(
        [
            ("UPN", v.UPN_MISSING),
            ("PlacementReason", v.REASON_MISSING),
            ("URN", v.IDENTITY_NONE),
            ("EntryDate", v.STILL_PLANNED),
        ]
    )


def test_planned_placement_before_census_day_is_expected_not_an_error():
    placement(status="PLANNED", start_date=dt.date(2027, 1, 11))
    census = _census(today=dt.date(2026, 11, 23))
    assert len(census.rows) == 1 and census.issues == []


def test_census_file_has_dfe_item_headers_and_one_row_per_pupil_placement():
    child = ChildFactory()
    placement(child=child)
    placement(child=child, start_date=dt.date(2026, 11, 2), hours_per_week=Decimal(5))
    census = _census()
    stream = io.StringIO(newline="")
    services.export_census(
        census=census,
        stream=stream,
        actor=None,
        at=dt.datetime.now(dt.UTC),
        channel=Channel.COMMAND,
    )
    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    assert tuple(rows[0]) == HEADERS
    # The file itself, read back, passes the census checks.
    read_back = services.read_census_csv(io.StringIO(stream.getvalue()))
    assert [r.values for r in read_back] == [r.values for r in census.rows]
    assert v.validate(read_back, census_date=CENSUS_DAY, today=AFTER_CENSUS) == []
    assert [dict(zip(HEADERS, r, strict=True))["EntryDate"] for r in rows[1:]] == [
        "2026-09-07",
        "2026-11-02",
    ]
    assert {r[0] for r in rows[1:]} == {child.upn}
    event = AuditEvent.objects.get(action=AuditAction.EXPORTED)
    assert event.changes == {"rows": 2, "errors": 0}


def test_census_file_is_refused_while_errors_remain():
    placement(reason=None)
    census = _census()
    stream = io.StringIO()
    with pytest.raises(services.CensusHasErrors):
        services.export_census(
            census=census,
            stream=stream,
            actor=None,
            at=dt.datetime.now(dt.UTC),
            channel=Channel.COMMAND,
        )
    assert stream.getvalue() == ""
    assert not AuditEvent.objects.exists()
    services.export_error_report(
        census=census,
        stream=stream,
        actor=None,
        at=dt.datetime.now(dt.UTC),
        channel=Channel.COMMAND,
    )
    report = list(csv.reader(io.StringIO(stream.getvalue())))
    assert tuple(report[0]) == services.ERROR_REPORT_HEADERS
    assert report[1][5:] == ["PlacementReason", "Error", v.REASON_MISSING]


def test_reason_recorded_for_a_placement_without_referral_fills_the_gap():
    from aptrack.accounts.tests.factories import UserFactory

    p = placement(reason=None)
    officer = UserFactory()
    services.record_primary_reason(
        placement=p, primary_reason="MEDICAL", actor=officer, at=dt.datetime.now(dt.UTC)
    )
    census = _census()
    assert census.rows[0]["PlacementReason"] == "MEDICAL"
    assert census.issues == []
    services.record_primary_reason(
        placement=p, primary_reason="BEHAVIOUR", actor=officer, at=dt.datetime.now(dt.UTC)
    )
    assert _census().rows[0]["PlacementReason"] == "BEHAVIOUR"
    events = AuditEvent.objects.filter(child_id=p.child_id).order_by("pk")
    assert [e.action for e in events] == [AuditAction.CREATED, AuditAction.UPDATED]
    assert events[1].changes == {"primary_reason": {"from": "MEDICAL", "to": "BEHAVIOUR"}}


def test_reason_is_not_recorded_over_a_referral():
    from aptrack.accounts.tests.factories import UserFactory

    p = placement(reason="AWAITING")
    with pytest.raises(services.ReasonNotNeeded):
        services.record_primary_reason(
            placement=p, primary_reason="MEDICAL", actor=UserFactory(), at=dt.datetime.now(dt.UTC)
        )
