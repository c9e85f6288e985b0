"""The committee pack: the dashboard for a period, with each headline figure's change against
last term and last year, as one value that the PDF and the workbook both render.

Every figure comes from the store of figures (`store.dashboard`), so the pack says what the dashboard says
for the same LA, period and day. A copy for publication passes through `suppression` first:
each figure or row resting on 1 to 4 children shows "c", and so does a change computed from one.

"Now" figures (children in AP now, open-ended placements) are counted as at the day the pack
is asked for; for an earlier period they are counted as at the end of that period.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from aptrack.organisations.models import LocalAuthority
from aptrack.oversight.measures import store
from aptrack.oversight.measures.catalogue import Dashboard, Figure
from aptrack.oversight.measures.periods import Period
from aptrack.oversight.pack import suppression

MARKING_INTERNAL = "OFFICIAL-SENSITIVE: not for publication"
MARKING_PUBLICATION = "OFFICIAL: for publication"
SUPPRESSION_NOTE = (
    'Figures for fewer than 5 children are suppressed and shown as "c" (the Department for '
    "Education's convention), as are rates, averages and changes worked out from fewer than 5 "
    'children. Some larger figures are also shown as "c" where, with a total or a percentage, they '
    "would let a reader work out a suppressed one (secondary suppression, as the Government "
    "Statistical Service's disclosure control guidance asks); where nothing else would protect "
    "them, as for a very small authority, a breakdown's total is left out too. Zero is shown as 0."
)
INTERNAL_NOTE = (
    "This copy shows every number, including numbers small enough to identify a child. "
    "Do not publish it or share it outside the authority; ask for a copy for publication instead."
)
SOURCES_NOTE = (
    "Source: aptrack, the authority's alternative provision records (referrals, placements, "
    "reviews, session attendance with the 2024 codes, outcomes and costs). Figures are the "
    "same as the authority's oversight dashboard for the same period and day."
)
TERMS_NOTE = (
    "Terms: Autumn 1 September to 31 December, Spring 1 January to 31 March, Summer 1 April "
    "to 31 August. Figures marked 'now' are counted as at the date shown; for earlier periods "
    "they are counted as at the end of that period. Changes compare the same point in each "
    "period: a term or year still running is set against the same number of days of the term or "
    "year before, never against the whole of it."
)

Progress = Callable[[int, str], None]
Change = int | Decimal | str | None


@dataclass(frozen=True)
class HeadlineLine:
    """A headline figure with the same figure for last term and last year, and the changes.

    Changes are in the figure's unit (percentage points for a percentage). A change is "c"
    when either figure is suppressed, and None when either is missing.
    """

    figure: Figure
    last_term: Figure | None
    last_year: Figure | None
    change_on_term: Change
    change_on_year: Change


@dataclass(frozen=True)
class Pack:
    dashboard: Dashboard  # the publication copy when for_publication
    last_term: Dashboard | None  # None when the period is not a term (a year, custom)
    last_year: Dashboard
    headline: list[HeadlineLine]
    for_publication: bool
    as_at: dt.date
    generated_at: dt.datetime
    computed_at: dt.datetime | None = (
        None  # when its figures were computed (the oldest of the three periods')
    )

    @property
    def marking(self) -> str:
        return MARKING_PUBLICATION if self.for_publication else MARKING_INTERNAL

    @property
    def notes(self) -> list[str]:
        first = SUPPRESSION_NOTE if self.for_publication else INTERNAL_NOTE
        return [first, SOURCES_NOTE, TERMS_NOTE]

    @property
    def period(self) -> Period:
        return self.dashboard.period


def comparison_periods(period: Period) -> tuple[Period | None, Period]:
    """The periods a pack compares with: last term (only for a term: a year or a custom span
    set against one term would mislead) and the same span a year earlier."""
    return (period.previous_term() if period.is_term() else None), period.previous_year()


def same_point(period: Period, today: dt.date, earlier: Period) -> dt.date:
    """The day in `earlier` to count it to, so a change compares like with like: its end when
    `period` is over, else as many days into it as `today` is into `period` (spend to 6 December
    against spend to 6 December a year before, not against the whole of last year)."""
    if today >= period.end:
        return earlier.end
    return min(earlier.end, earlier.start + (period.to_date(today) - period.start))


def build_pack(
    *,
    la: LocalAuthority,
    period: Period,
    today: dt.date,
    for_publication: bool,
    generated_at: dt.datetime,
    progress: Progress | None = None,
) -> Pack:
    """The pack for an LA and period as at `today`; `progress(percent, step)` is told as each
    dashboard is built (they are most of the work)."""
    report = progress or (lambda percent, step: None)
    last_term_period, last_year_period = comparison_periods(period)
    report(10, f"Counting {period.label}")
    kept = [store.dashboard(la=la, period=period, today=today)]
    if last_term_period is not None:
        report(35, f"Counting {last_term_period.label} for the change on last term")
        kept.append(
            store.dashboard(
                la=la,
                period=last_term_period,
                today=same_point(period, today, last_term_period),
            )
        )
    report(55, f"Counting {last_year_period.label} for the change on last year")
    kept.append(
        store.dashboard(
            la=la,
            period=last_year_period,
            today=same_point(period, today, last_year_period),
        )
    )
    current, last_term, last_year = (
        kept[0].figures,
        kept[1].figures if last_term_period else None,
        kept[-1].figures,
    )
    if for_publication:
        current = suppression.suppress_dashboard(current)
        last_term = suppression.suppress_dashboard(last_term) if last_term else None
        last_year = suppression.suppress_dashboard(last_year)
    headline = [_headline_line(figure, last_term, last_year) for figure in current.headline()]
    return Pack(
        dashboard=current,
        last_term=last_term,
        last_year=last_year,
        headline=headline,
        for_publication=for_publication,
        as_at=today,
        generated_at=generated_at,
        computed_at=min(k.computed_at for k in kept),
    )


def _headline_line(
    figure: Figure, last_term: Dashboard | None, last_year: Dashboard
) -> HeadlineLine:
    before_term = last_term.figure(figure.key) if last_term else None
    before_year = last_year.figure(figure.key)
    return HeadlineLine(
        figure=figure,
        last_term=before_term,
        last_year=before_year,
        change_on_term=change(figure, before_term),
        change_on_year=change(figure, before_year),
    )


def change(now: Figure, before: Figure | None) -> Change:
    """now − before in the figure's unit; "c" if either side is suppressed; None if either is
    missing."""
    if before is None or now.value is None or before.value is None:
        return None
    if suppression.is_suppressed(now.value) or suppression.is_suppressed(before.value):
        return suppression.SUPPRESSED
    return now.value - before.value


def group_header(breakdown: object) -> str:
    """The heading of a breakdown's first column: "By tier" gives "Tier"."""
    title = str(getattr(breakdown, "title", ""))
    if title.lower().startswith("by ") and len(title) > 3:
        return title[3:4].upper() + title[4:]
    return title


def every_figure(dashboard: Dashboard) -> list[tuple[str, str, object]]:
    """(section key, figure or breakdown-row key, value) for every number in a dashboard, in
    order: what a pack must show, and what tests compare."""
    numbers: list[tuple[str, str, object]] = []
    for section in dashboard.sections:
        for figure in section.figures:
            numbers.append((section.key, figure.key, figure.value))
        for breakdown in section.breakdowns:
            for row in breakdown.rows:
                numbers.append((section.key, f"{breakdown.key}:{row.label}", row.value))
    return numbers
