import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from aptrack.children.tests.factories import ChildFactory, PlacementFactory
from aptrack.organisations.tests.factories import la
from aptrack.placements.states import PlacementStatus
from aptrack.providers.models import ProviderKind
from aptrack.returns import selectors
from aptrack.returns.tests.factories import (
    ProviderFactory,
    ProviderReturnFactory,
    ReturnLineFactory,
)
from aptrack.returns.threshold import (
    Pupil,
    Source,
    breaches,
    counted_pupils,
    evaluate_threshold,
    list_registration_alerts,
)

ON = dt.date(2026, 10, 1)
PLACED = dt.date(2026, 9, 7)
AGE_14 = dt.date(2012, 3, 14)  # Year 9 on ON: compulsory school age
AGE_17 = dt.date(2009, 5, 1)  # compulsory school age ended June 2025


@dataclass(frozen=True)
class P:
    hours: str = "25"
    looked_after: bool = False
    ehcp: bool = False
    born: dt.date = AGE_14


def _child(pupil: P, **extra):
    return ChildFactory(
        date_of_birth=pupil.born,
        looked_after=pupil.looked_after,
        responsible_la=la("838") if pupil.looked_after else None,
        sen_status="E" if pupil.ehcp else "N",
        **extra,
    )


def _place(provider, pupils, *, commissioning_la=None):
    children = []
    for pupil in pupils:
        child = _child(pupil)
        PlacementFactory(
            child=child,
            provider=provider.organisation,
            start_date=PLACED,
            hours_per_week=Decimal(pupil.hours),
            commissioning_la=commissioning_la or la("838"),
        )
        children.append(child)
    return children


def _return(provider, pupils, **kwargs):
    """A submitted return with one anonymous line per pupil."""
    provider_return = ProviderReturnFactory(provider=provider, submitted=True, **kwargs)
    for pupil in pupils:
        ReturnLineFactory(
            provider_return=provider_return,
            hours_per_week=Decimal(pupil.hours),
            compulsory_school_age=pupil.born == AGE_14,
            looked_after=pupil.looked_after,
            has_ehcp=pupil.ehcp,
        )
    return provider_return


CASES = [
    ("4 ordinary full-time pupils", [P()] * 4, False),
    ("5 ordinary full-time pupils", [P()] * 5, True),
    ("1 looked-after pupil full-time", [P("18", looked_after=True)], True),
    ("1 EHCP pupil at 17.5 hours", [P("17.5", ehcp=True)], False),
    ("1 EHCP pupil at 18 hours", [P("18", ehcp=True)], True),
    ("5 pupils, one of them 17", [P()] * 4 + [P(born=AGE_17)], False),
    ("1 looked-after 17-year-old full-time", [P(looked_after=True, born=AGE_17)], False),
    ("5 pupils at 17.5 hours", [P("17.5")] * 5, False),
]


@pytest.mark.parametrize(
    ("pupils", "must_register"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
@pytest.mark.parametrize("source", [Source.PLACEMENTS, Source.RETURN])
def test_registration_threshold(db, source, pupils, must_register):
    provider = ProviderFactory()
    if source == Source.PLACEMENTS:
        _place(provider, pupils)
    else:
        _return(provider, pupils)
    result = evaluate_threshold(provider, ON)
    assert result.must_register is must_register
    assert [s.source for s in result.triggered_by] == ([source] if must_register else [])


def test_the_rule_counts_compulsory_age_full_time_pupils_only():
    pupils = [
        Pupil(
            child_id=1,
            hours_per_week=Decimal("18"),
            compulsory_school_age=True,
            looked_after=False,
            has_ehcp=False,
        ),
        Pupil(
            child_id=2,
            hours_per_week=Decimal("17.9"),
            compulsory_school_age=True,
            looked_after=True,
            has_ehcp=False,
        ),
        Pupil(
            child_id=None,
            hours_per_week=Decimal("30"),
            compulsory_school_age=False,
            looked_after=False,
            has_ehcp=True,
        ),
    ]
    counted = counted_pupils(pupils, Decimal("18"))
    assert [p.child_id for p in counted] == [1]
    assert not breaches(counted)


def test_a_registered_provider_is_never_alerted(db):
    pru = ProviderFactory(kind=ProviderKind.PRU)
    _place(pru, [P(looked_after=True)] * 5)
    _return(pru, [P(ehcp=True)] * 5)
    result = evaluate_threshold(pru, ON)
    assert result.is_registered
    assert not result.must_register
    assert result.sources == []
    assert list_registration_alerts(la_id=la("838").pk, on=ON) == []


def test_a_childs_hours_are_summed_across_active_placements_with_the_provider(db):
    provider = ProviderFactory()
    child = _child(P(looked_after=True))
    PlacementFactory(
        child=child, provider=provider.organisation, start_date=PLACED, hours_per_week=Decimal("10")
    )
    PlacementFactory(
        child=child, provider=provider.organisation, start_date=PLACED, hours_per_week=Decimal("10")
    )
    result = evaluate_threshold(provider, ON)
    assert result.must_register
    assert result.from_placements.count == 1
    assert result.from_placements.pupils[0].hours_per_week == Decimal("20")


def test_ended_placements_are_not_summed(db):
    provider = ProviderFactory()
    child = _child(P(looked_after=True))
    PlacementFactory(
        child=child, provider=provider.organisation, start_date=PLACED, hours_per_week=Decimal("10")
    )
    PlacementFactory(
        child=child,
        provider=provider.organisation,
        start_date=PLACED,
        end_date=ON - dt.timedelta(days=1),
        hours_per_week=Decimal("10"),
    )
    assert not evaluate_threshold(provider, ON).must_register


def test_cancelled_placements_are_not_counted(db):
    provider = ProviderFactory()
    [child] = _place(provider, [P(looked_after=True)])
    child.placements.update(status=PlacementStatus.CANCELLED)
    assert not evaluate_threshold(provider, ON).must_register


def test_each_source_is_reported_on_its_own(db):
    from_return_only, from_placements_only, both = (
        ProviderFactory(),
        ProviderFactory(),
        ProviderFactory(),
    )
    _return(from_return_only, [P(looked_after=True)])
    _place(from_placements_only, [P(ehcp=True)])
    _return(from_placements_only, [P()])
    _return(both, [P()] * 5)
    _place(both, [P()] * 5)

    result = evaluate_threshold(from_return_only, ON)
    assert [s.source for s in result.triggered_by] == [Source.RETURN]
    assert result.from_placements.count == 0
    result = evaluate_threshold(from_placements_only, ON)
    assert [s.source for s in result.triggered_by] == [Source.PLACEMENTS]
    assert result.from_return.count == 1 and not result.from_return.triggered
    result = evaluate_threshold(both, ON)
    assert [s.source for s in result.triggered_by] == [Source.RETURN, Source.PLACEMENTS]


def test_only_the_latest_submitted_return_counts(db):
    provider = ProviderFactory()
    _return(
        provider,
        [P(looked_after=True)],
        period_start_date=dt.date(2026, 7, 1),
        period_end_date=dt.date(2026, 7, 17),
    )
    latest = _return(provider, [P()])
    # A draft, and a return for a period after the date, are not evidence yet.
    draft = ProviderReturnFactory(
        provider=provider,
        period_start_date=dt.date(2026, 10, 1),
        period_end_date=dt.date(2026, 10, 23),
    )
    ReturnLineFactory(provider_return=draft, looked_after=True)
    future = _return(
        provider,
        [P(looked_after=True)],
        period_start_date=dt.date(2026, 11, 1),
        period_end_date=dt.date(2026, 11, 30),
    )
    result = evaluate_threshold(provider, ON)
    assert result.from_return.provider_return == latest
    assert not result.must_register
    assert evaluate_threshold(provider, dt.date(2026, 11, 2)).from_return.provider_return == future


def test_a_named_child_on_a_return_is_judged_from_their_record(db):
    provider = ProviderFactory()
    provider_return = ProviderReturnFactory(provider=provider, submitted=True)
    child = _child(P(looked_after=True))
    ReturnLineFactory(
        provider_return=provider_return, child=child, named=True, hours_per_week=Decimal("20")
    )
    result = evaluate_threshold(provider, ON)
    assert result.must_register
    assert result.from_return.child_ids == [child.pk]
    assert result.from_return.looked_after_count == 1


@pytest.mark.parametrize(
    ("setting", "hours", "must_register"),
    [(25, "20", False), (25, "25", True), (15, "16", True), (15, "14.5", False)],
)
def test_the_full_time_threshold_is_a_setting(db, setting, hours, must_register):
    provider = ProviderFactory()
    _place(provider, [P(hours, looked_after=True)])
    with override_settings(APTRACK_REGISTRATION_FULL_TIME_HOURS=setting):
        result = evaluate_threshold(provider, ON)
    assert result.must_register is must_register
    assert f"({setting}+ hours)" in result.from_placements.finding


@override_settings(APTRACK_REGISTRATION_FULL_TIME_HOURS={"KS3": 25})
def test_a_threshold_setting_that_is_not_one_number_is_refused_clearly(db):
    with pytest.raises(
        ImproperlyConfigured, match="APTRACK_REGISTRATION_FULL_TIME_HOURS must be one number"
    ):
        evaluate_threshold(ProviderFactory(), ON)


def test_the_reason_is_given_in_words(db):
    provider = ProviderFactory()
    _place(provider, [P(), P(), P(looked_after=True)])
    result = evaluate_threshold(provider, ON)
    assert result.from_placements.finding == (
        "3 pupils full-time (18+ hours), including 1 looked after: must register"
    )
    assert result.reason == (
        "Placements on 1 October 2026: "
        "3 pupils full-time (18+ hours), including 1 looked after: must register"
    )


def test_alerts_cover_the_providers_the_la_uses(db):
    dorset, hackney = la("838"), la("204")
    in_dorset = ProviderFactory(name="Based in Dorset", home_la=dorset)
    used_by_dorset = ProviderFactory(name="Hackney, used by Dorset", home_la=hackney)
    not_used = ProviderFactory(name="Hackney only", home_la=hackney)
    _place(in_dorset, [P(ehcp=True)], commissioning_la=hackney)
    _place(used_by_dorset, [P(looked_after=True)], commissioning_la=dorset)
    _place(not_used, [P(looked_after=True)], commissioning_la=hackney)

    dorset_alerts = list_registration_alerts(la_id=dorset.pk, on=ON)
    assert [a.provider.name for a in dorset_alerts] == [
        "Based in Dorset",
        "Hackney, used by Dorset",
    ]
    assert dorset_alerts[0].sources == [Source.PLACEMENTS]
    hackney_alerts = list_registration_alerts(la_id=hackney.pk, on=ON)
    # Hackney commissioned a placement with the Dorset provider, so it uses it too.
    assert [a.provider.name for a in hackney_alerts] == [
        "Based in Dorset",
        "Hackney only",
        "Hackney, used by Dorset",
    ]
    assert not_used.pk not in {a.provider.pk for a in dorset_alerts}


def test_alerts_take_the_same_number_of_queries_however_many_providers(db):
    dorset = la("838")

    def add_provider():
        provider = ProviderFactory(home_la=dorset)
        _place(provider, [P(looked_after=True)])
        _return(provider, [P()])

    def queries_for_alerts(expected):
        with CaptureQueriesContext(connection) as queries:
            assert len(list_registration_alerts(la_id=dorset.pk, on=ON)) == expected
        return len(queries)

    add_provider()
    one = queries_for_alerts(1)
    for _ in range(3):
        add_provider()
    assert queries_for_alerts(4) == one <= 5


def test_counts_include_every_pupil_but_names_follow_the_users_scope(world):
    provider = ProviderFactory(organisation=world.provider_x.organisation, home_la=la("838"))
    # child_a is placed with X by Dorset (25 hours, from the world); add a Hackney child in care.
    hackney_child = _child(P(looked_after=True), home_la=la("204"))
    hackney_child.responsible_la = la("204")
    hackney_child.save()
    PlacementFactory(
        child=hackney_child,
        provider=provider.organisation,
        start_date=PLACED,
        commissioning_la=la("204"),
    )

    [alert] = list_registration_alerts(la_id=la("838").pk, on=ON)
    assert alert.result.from_placements.count == 2
    assert set(alert.result.child_ids) == {world.child_a.pk, hackney_child.pk}
    visible = selectors.list_visible_children(
        user=world.officer_a, child_ids=alert.result.child_ids
    )
    assert set(visible) == {world.child_a.pk}
    assert (
        selectors.list_visible_children(user=world.qa_lead_a, child_ids=alert.result.child_ids)
        == {}
    )
