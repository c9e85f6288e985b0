"""The committee pack as a PDF: a print template (the dashboard's own chart SVGs, the tables
and the headline with changes) rendered by WeasyPrint through `core.pdf.render_pdf`."""

import dataclasses

from django.template.loader import render_to_string
from markupsafe import Markup

from aptrack.core.pdf import render_pdf
from aptrack.oversight.measures.catalogue import Breakdown
from aptrack.oversight.pack import suppression
from aptrack.oversight.pack.build import Pack, group_header
from aptrack.oversight.pack.formatting import format_change, format_value

TEMPLATE = "oversight/pack_print.html"


def chart_for(breakdown: Breakdown) -> Markup:
    """The dashboard's chart of a breakdown. Suppressed rows have no bar to draw (their size is
    the secret), so they are left out of the chart and shown as "c" in the table beneath."""
    from aptrack.oversight.dashboard import charts

    drawable = [row for row in breakdown.rows if not suppression.is_suppressed(row.value)]
    if not drawable:
        return Markup("")
    if len(drawable) != len(breakdown.rows):
        breakdown = dataclasses.replace(breakdown, rows=drawable)
    return charts.chart(breakdown, chart_id=f"pack-{breakdown.key}")


def render_pack_html(pack: Pack) -> str:
    return render_to_string(
        TEMPLATE,
        {
            "pack": pack,
            "chart_for": chart_for,
            "group_header": group_header,
            "fmt": format_value,
            "fmt_change": format_change,
        },
    )


def pack_pdf(pack: Pack, *, base_url: str = "http://localhost/") -> bytes:
    return render_pdf(render_pack_html(pack), base_url=base_url)
