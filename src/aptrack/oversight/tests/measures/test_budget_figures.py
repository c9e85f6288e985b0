"""Spend against the AP budget on the dashboard, in the committee pack and in the regional view:
the spend selectors' figures (`commissioning.tests.spend_case`, worked out by hand), the
children behind each, suppressed where they are few."""

import dataclasses
import io
from decimal import Decimal
from unittest import mock
from urllib.parse import parse_qs, urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from aptrack.audit.models import AuditAction, AuditEvent
from aptrack.commissioning.tests import spend_case
from aptrack.commissioning.tests.spend_case import ON
from aptrack.organisations.tests.factories import la
from aptrack.oversight.dashboard.periods_form import period_query
from aptrack.oversight.measures import regional as regional_measures
from aptrack.oversight.measures.build import build_dashboard, children_for
from aptrack.oversight.measures.periods import Period
from aptrack.oversight.pack import suppression
from aptrack.oversight.pack.build import build_pack
from aptrack.oversight.pack.pdf import render_pack_html
from aptrack.oversight.pack.xlsx import pack_xlsx
from aptrack.oversight.regional import table

pytestmark = pytest.mark.django_db
AUTUMN = Period.term(2026, 0)
D = Decimal


@pytest.fixture
def case(world):
    return spend_case.build(world)


@pytest.fixture
def board(world, case):
    return build_dashboard(la=world.child_a.home_la, period=AUTUMN, today=ON)


def _children(board, query):
    params = parse_qs(query)
    return set(
        children_for(
            la=board.la,
            period=board.period,
            today=ON,
            measure=params["measure"][0],
            value=params.get("value", [None])[0],
        ).values_list("pk", flat=True)
    )


def test_the_section_and_its_figures(board):
    section = next(s for s in board.sections if s.key == "budget")
    assert section.title == "Spend against the AP budget"
    assert "April 2026 to March 2027" in section.note
    figures = {f.key: (f.value, f.count) for f in section.figures}
    assert figures == {
        "ap_budget": (D(20000), None),
        "approved_spend": (D(7800), 2),
        "committed_spend": (D(8260), 2),
        "forecast_spend": (D(16060), 3),
        "budget_forecast": (D("62.5"), 2),
    }
    assert "budget_forecast" in [f.key for f in board.headline()]
    funder = {
        row.label: (row.value, row.count) for row in board.breakdown("forecast_by_funder").rows
    }
    assert funder == {"LA high-needs block": (D(12500), 2), "School": (D(3560), 1)}
    per_day = {row.label: row.value for row in board.breakdown("cost_per_day_by_tier").rows}
    assert per_day == {
        "Tier 2: time-limited placement with a planned return": D("100.00"),
        "Tier 3: transitional placement to a new school or post-16": D("120.00"),
    }


def test_every_figure_and_row_lists_its_children(board, case):
    section = next(s for s in board.sections if s.key == "budget")
    assert _children(board, board.figure("budget_forecast").drilldown) == {
        case.child_a.pk,
        case.child_c.pk,
    }
    for figure in section.figures:
        if figure.drilldown:
            assert len(_children(board, figure.drilldown)) == figure.count, figure.key
    for breakdown in section.breakdowns:
        for row in breakdown.rows:
            if row.count:
                assert len(_children(board, row.drilldown)) == row.count, (breakdown.key, row)


def test_the_drill_down_is_scoped_and_audited(client, world, board, case):
    row = next(
        r for r in board.breakdown("forecast_by_provider").rows if r.label == "Harbour Learning"
    )
    url = f"{reverse('oversight:children')}?{urlencode(period_query(AUTUMN, ON))}&{row.drilldown}"
    with mock.patch("django.utils.timezone.localdate", return_value=ON):
        client.force_login(world.manager_a)
        page = client.get(url).content.decode()
        assert "Ashdown" in page and "Corrigan" in page and "Brackley" not in page
        client.force_login(world.officer_b)  # Hackney's: the same query lists Hackney's only
        assert "Ashdown" not in client.get(url).content.decode()
    viewed = set(
        AuditEvent.objects.filter(action=AuditAction.VIEWED, actor=world.manager_a).values_list(
            "child_id", flat=True
        )
    )
    assert {case.child_a.pk, case.child_c.pk} <= viewed


def test_the_publication_copy_suppresses_the_few(board):
    # The section alone: on a world this small the cohort breakdowns (one child a tier) cannot
    # be published at all, whatever this section holds.
    budget = next(s for s in board.sections if s.key == "budget")
    published = suppression.suppress_dashboard(dataclasses.replace(board, sections=[budget]))
    figures = {f.key: f.value for f in published.sections[0].figures}
    assert figures["ap_budget"] == D(20000)  # no child behind a budget
    assert figures["approved_spend"] == "c" and figures["budget_forecast"] == "c"
    assert figures["forecast_spend"] == "c"  # 3 children
    funder = published.breakdown("forecast_by_funder").rows
    assert [row.value for row in funder] == ["c", "c"]


def test_the_pack_workbook_has_the_section(world, case):
    pack = build_pack(
        la=world.child_a.home_la,
        period=AUTUMN,
        today=ON,
        for_publication=False,
        generated_at=timezone.now(),
    )
    book = load_workbook(io.BytesIO(pack_xlsx(pack)))
    assert "Spend against the AP budget" in book.sheetnames
    sheet = list(book["Spend against the AP budget"].iter_rows(values_only=True))
    assert ("Forecast spend for the financial year (approved and committed)", "pounds", 16060) in [
        row[:3] for row in sheet
    ]
    assert any(row[0] == "Forecast spend by funder" for row in sheet)
    headline = [row[0] for row in book["Headline"].iter_rows(values_only=True)]
    assert "Forecast high-needs spend on AP as a share of the AP budget" in headline
    printed = render_pack_html(pack)  # what the PDF is made of
    for text in ("Spend against the AP budget", "Forecast spend by provider", "£16,060"):
        assert text in printed, text


def test_the_regional_view_adds_up_spend_and_suppresses_it(world, case):
    dorset, hackney = la("838"), la("204")
    figures = regional_measures.la_figures(las=[dorset, hackney], period=AUTUMN, today=ON)
    mine = figures[dorset.pk]
    assert (mine.spend, mine.spend_children, mine.budget, mine.budgeted_spend) == (
        7800,
        2,
        20000,
        7800,
    )
    assert mine.budget_share == D("39.0") and mine.spend_per_child == D(3900)
    both = mine + figures[hackney.pk]
    assert (both.spend, both.budget) == (7800 + 777, 70000)
    spend = table.BY_KEY["spend"]
    assert table.cell(spend, mine) == "c"  # two children
    assert table.cell(table.BY_KEY["budget_share"], mine) == "c"
