"""The regional and national view for analysts (and LA managers benchmarking their LA): the
dashboard's measures by region and by LA, an LA-against-LA comparison and the published
national figures. Aggregates only; small numbers suppressed (`table`)."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from aptrack.core.govuk.forms import choice_field
from aptrack.organisations.models import LocalAuthority, Region
from aptrack.oversight.dashboard.periods_form import PeriodForm
from aptrack.oversight.measures import regional as regional_measures
from aptrack.oversight.measures import store
from aptrack.oversight.measures.periods import DEFAULT_PRESET, parse_period
from aptrack.oversight.regional import table
from aptrack.oversight.regional.access import RegionalAccess, regional_access

ALL_ENGLAND = ""


class CompareForm(forms.Form):
    first = forms.ChoiceField(label="Local authority", required=False)
    second = forms.ChoiceField(label="Compare with", required=False)

    def __init__(self, data: Any, *, las: list[LocalAuthority], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        choices = [("", "Choose a local authority")] + [(la.code, la.name) for la in las]
        choice_field(self, "first").choices = choices
        choice_field(self, "second").choices = choices


def _region(request: HttpRequest, access: RegionalAccess) -> str:
    """The region asked for (national analysts may ask for all of England, the default)."""
    asked = request.GET.get("region", ALL_ENGLAND if access.national else access.regions[0])
    if asked == ALL_ENGLAND and access.national:
        return ALL_ENGLAND
    if asked not in Region.values or not access.may_open(asked):
        raise PermissionDenied
    return asked


@login_required
def regional(request: HttpRequest) -> HttpResponse:
    access = regional_access(request.user)
    if access is None:
        raise PermissionDenied
    region = _region(request, access)
    today = timezone.localdate()
    form = PeriodForm(request.GET or None, today=today, initial={"period": DEFAULT_PRESET})
    period = (
        parse_period({}, today)
        if not form.is_bound
        else (form.cleaned_data["period_obj"] if form.is_valid() else None)
    )
    context: dict[str, Any] = {
        "form": form,
        "access": access,
        "region": region,
        "today": today,
        "period": period,
        "regions": [(key, str(label)) for key, label in Region.choices if access.may_open(key)],
        "measures": table.MEASURES,
    }
    if period is None:
        return TemplateResponse(request, "oversight/regional.html", context)
    kept = store.comparison(
        las=list(LocalAuthority.objects.order_by("pk")), period=period, today=today
    )
    areas = regional_measures.list_areas(region=None, figures=kept.figures)
    england = regional_measures.england_total(areas)
    totals = {area.key: area.total for area in areas}
    hidden = table.hidden_cells(
        [
            (area.key, totals[area.key], [(la.code, figures) for la, figures in area.las])
            for area in areas
        ],
        england,
    )
    shown = [area for area in areas if region in (ALL_ENGLAND, area.key)]
    area_total = totals[shown[0].key] if region else england
    area_key = shown[0].key if region else "england"
    visible_las = [la for area in shown for la, _ in area.las]
    own_id = access.own_la.pk if access.own_la else None
    la_rows = [
        table.row(la.name, figures, is_own=la.pk == own_id, key=la.code, hidden=hidden)
        for area in shown
        for la, figures in area.las
    ]
    compare_form = CompareForm(request.GET, las=sorted(visible_las, key=lambda la: la.name))
    comparison = None
    if (
        compare_form.is_valid()
        and compare_form.cleaned_data["first"]
        and compare_form.cleaned_data["second"]
    ):
        by_code = {la.code: (la, figures) for area in shown for la, figures in area.las}
        first = by_code[compare_form.cleaned_data["first"]]
        second = by_code[compare_form.cleaned_data["second"]]
        comparison = {
            "first": first[0],
            "second": second[0],
            "lines": table.comparison(
                first[1],
                second[1],
                area_total,
                england,
                keys=(first[0].code, second[0].code, area_key),
                hidden=hidden,
            ),
        }
    england_row = table.row(
        "England (all LAs in aptrack)", england, kind="total", key="england", hidden=hidden
    )
    area_row = (
        table.row(
            f"{shown[0].name} (all its LAs)", area_total, kind="total", key=area_key, hidden=hidden
        )
        if region
        else None
    )
    region_rows = [
        table.row(area.name, totals[area.key], kind="total", key=area.key, hidden=hidden)
        for area in areas
    ]
    context.update(
        area_name=shown[0].name if region else "England",
        region_rows=[*region_rows, england_row, table.published_row()] if access.national else [],
        la_rows=[*la_rows, *([area_row] if area_row else []), england_row, table.published_row()],
        sources=table.sources(),
        compare_form=compare_form,
        comparison=comparison,
        computed_at=kept.computed_at,
        max_age_seconds=round(settings.APTRACK_FIGURES_MAX_AGE.total_seconds()),
    )
    return TemplateResponse(request, "oversight/regional.html", context)
