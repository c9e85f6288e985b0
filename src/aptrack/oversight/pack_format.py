"""How a figure reads in the pack and the regional view: its unit, "c" when suppressed, and a
signed change ("+3", "−2.5 points")."""

from decimal import ROUND_HALF_UP, Decimal

from aptrack.oversight import suppression

NO_DATA = "No data"


def _number(value: Decimal, places: int) -> str:
    quantum = Decimal(1).scaleb(-places)
    return f"{value.quantize(quantum, rounding=ROUND_HALF_UP):,}"


def format_value(value: object, unit: str, *, empty: str = NO_DATA) -> str:
    """1,234 · 57.5% · £12,345 · 276.0 days · 12.5 weeks · c · No data."""
    if value is None:
        return empty
    if suppression.is_suppressed(value):
        return suppression.SUPPRESSED
    number = Decimal(value)  # type: ignore[arg-type]
    if unit == "percent":
        return f"{_number(number, 1)}%"
    if unit == "gbp":
        return f"£{_number(number, 0)}"
    if unit in ("days", "weeks"):
        places = 0 if number == number.to_integral_value() else 1
        return f"{_number(number, places)} {unit}"
    return _number(number, 0 if number == number.to_integral_value() else 1)


def format_change(value: object, unit: str, *, empty: str = "–") -> str:
    """A change with its sign (a true minus sign); percentages change in percentage points."""
    if value is None:
        return empty
    if suppression.is_suppressed(value):
        return suppression.SUPPRESSED
    number = Decimal(value)  # type: ignore[arg-type]
    sign = "+" if number > 0 else ("\u2212" if number < 0 else "")
    magnitude = abs(number)
    if unit == "percent":
        return f"{sign}{_number(magnitude, 1)} points"
    return f"{sign}{format_value(magnitude, unit)}"
