"""How a figure reads in the pack and the regional view: its unit, "c" when suppressed, and a
signed change ("+3", "−2.5 points")."""

from decimal import ROUND_HALF_UP, Decimal

from aptrack.oversight.pack import suppression

NO_DATA = "No data"


def format_value(value: object, unit: str, *, empty: str = NO_DATA) -> str:
    """As the dashboard shows it (1,234 · 57.5% · £12,345 · 12.5 weeks), "c" when suppressed,
    `empty` for no data."""
    from aptrack.oversight.dashboard.charts import format_value as dashboard_format

    if value is None:
        return empty
    if suppression.is_suppressed(value):
        return suppression.SUPPRESSED
    return dashboard_format(value, unit)


def format_change(value: int | Decimal | str | None, unit: str, *, empty: str = "–") -> str:
    """A change with its sign (a true minus sign); percentages change in percentage points."""
    if value is None:
        return empty
    if suppression.is_suppressed(value):
        return suppression.SUPPRESSED
    number = Decimal(value)
    sign = "+" if number > 0 else ("\u2212" if number < 0 else "")
    magnitude = abs(number)
    if unit == "percent":
        return f"{sign}{magnitude.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)} points"
    return f"{sign}{format_value(magnitude, unit)}"
