"""Server-drawn SVG charts: well-formed XML, accessible (role, title, description, labelled by
the visible heading), values written as text, and the data table beside each chart."""

import xml.etree.ElementTree as ET
from decimal import Decimal

from aptrack.oversight.dashboard import charts
from aptrack.oversight.measures.catalogue import Breakdown, Figure, Row

SVG = "{http://www.w3.org/2000/svg}"


def _breakdown(chart="bar", unit="count", rows=None):
    rows = (
        rows
        if rows is not None
        else [
            Row("Tier 1: support in school", 3, 3, "measure=by_tier&value=1"),
            Row("Tier 2 <time-limited> & more", 12, 12, "measure=by_tier&value=2"),
            Row("Not recorded", 0, 0, "measure=by_tier&value=none"),
        ]
    )
    return Breakdown("by_tier", "By tier", unit, rows, chart)


def _texts(root):
    return [("".join(node.itertext())).strip() for node in root.iter(f"{SVG}text")]


def test_bar_chart_is_well_formed_and_accessible():
    svg = charts.bar_chart(_breakdown(), chart_id="c1", labelledby="heading-1")
    root = ET.fromstring(str(svg))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "heading-1"
    assert root.get("aria-describedby") == "c1-desc"
    assert root.find(f"{SVG}title").text == "By tier"
    description = root.find(f"{SVG}desc").text
    assert "Tier 2 <time-limited> & more: 12" in description
    assert "Not recorded: 0" in description
    texts = _texts(root)
    assert "12" in texts and "3" in texts and "0" in texts  # every value written beside its bar
    assert len(root.findall(f"{SVG}rect")) == 2  # no bar for a zero
    assert all(rect.get("fill") == charts.BLUE for rect in root.iter(f"{SVG}rect"))


def test_long_labels_wrap_onto_two_lines():
    long = Row("Not in education, employment or training (NEET)", 2, 2, None)
    root = ET.fromstring(str(charts.bar_chart(_breakdown(rows=[long]))))
    spans = [span.text for span in root.iter(f"{SVG}tspan")]
    assert spans == ["Not in education,", "employment or training…"]


def test_percentages_are_drawn_against_100_and_labelled():
    rows = [
        Row("Registered", Decimal("50.0"), 10, None),
        Row("Non-school", Decimal("75.5"), 4, None),
    ]
    root = ET.fromstring(str(charts.bar_chart(_breakdown(unit="percent", rows=rows))))
    assert "50.0%" in _texts(root) and "75.5%" in _texts(root)
    widths = [int(rect.get("width")) for rect in root.iter(f"{SVG}rect")]
    room = charts.WIDTH - charts.LABEL_WIDTH - charts.VALUE_WIDTH
    assert widths == [room // 2, int(room * Decimal("0.755"))]


def test_column_and_line_charts_label_every_month():
    rows = [
        Row("Sep 2026", 4, 4, "measure=x&value=2026-09"),
        Row("Oct 2026", 0, 0, None),
        Row("Nov 2026", 7, 7, None),
    ]
    for draw in (charts.column_chart, charts.line_chart):
        root = ET.fromstring(str(draw(_breakdown(chart="column", rows=rows))))
        texts = _texts(root)
        assert root.get("role") == "img"
        assert {"Sep", "Oct", "Nov", "2026", "4", "0", "7"} <= set(texts)


def test_an_empty_breakdown_draws_a_chart_that_says_so():
    root = ET.fromstring(str(charts.bar_chart(_breakdown(rows=[]))))
    assert "No data" in _texts(root)
    assert "No data" in root.find(f"{SVG}desc").text


def test_suppressed_values_are_written_as_given():
    rows = [Row("Tier 1", "c", 3, None)]  # the pack's suppression writes "c"
    root = ET.fromstring(str(charts.bar_chart(_breakdown(rows=rows))))
    assert "c" in _texts(root)


def test_a_panel_links_each_value_to_its_children():
    panel = charts.panel(
        _breakdown(), drill_prefix="/oversight/children/?period=this-term&", id_prefix="who-"
    )
    assert panel.heading_id == "who-by-tier-heading"
    assert 'aria-labelledby="who-by-tier-heading"' in panel.svg
    assert panel.rows[1].href == "/oversight/children/?period=this-term&measure=by_tier&value=2"
    assert panel.rows[1].value == "12"
    unlinked = charts.panel(_breakdown())
    assert all(row.href is None for row in unlinked.rows)


def test_values_are_formatted_for_reading():
    assert charts.format_value(Decimal("57.46"), "percent") == "57.5%"
    assert charts.format_value(Decimal("1647591"), "gbp") == "£1,647,591"
    assert charts.format_value(Decimal("32.2"), "weeks") == "32.2 weeks"
    assert charts.format_value(1234, "count") == "1,234"
    assert charts.format_value(None, "percent") == "No data"


def test_a_figure_card_says_what_a_percentage_is_of():
    figure = Figure(
        "ehcp_share",
        "Children in AP now with an EHCP",
        Decimal("78.4"),
        "percent",
        287,
        "measure=ehcp_share",
        of=366,
    )
    card = charts.figure_card(figure, drill_prefix="/x/?")
    assert (card.value, card.detail, card.href) == (
        "78.4%",
        "287 of 366 children",
        "/x/?measure=ehcp_share",
    )
    nothing = Figure("open_ended", "Open-ended", 0, "count", 0, "measure=open_ended")
    assert charts.figure_card(nothing, drill_prefix="/x/?").href is None  # no list behind a zero
