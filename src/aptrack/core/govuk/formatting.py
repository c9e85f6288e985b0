"""How dates, flags and money are written on GOV.UK pages (the style guide: 4 June 2026, 2:30pm,
£1,234.50)."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone


def uk_date(value: dt.date | None, empty: str = "Not known") -> str:
    if value is None:
        return empty
    return f"{value.day} {value:%B %Y}"


def uk_datetime(value: dt.datetime | None, empty: str = "Not known") -> str:
    if value is None:
        return empty
    local = timezone.localtime(value)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{uk_date(local.date())}, {hour}:{local:%M}{suffix}"


def yes_no(value: bool | None) -> str:
    if value is None:
        return "Not known"
    return "Yes" if value else "No"


def gbp(value: Decimal | int | None, pence: bool = True, empty: str = "–") -> str:
    """Pounds (and pence) with a comma between thousands and a true minus sign: £1,234.50,
    −£120.00; `empty` for no figure."""
    if value is None:
        return empty
    places = Decimal("0.01") if pence else Decimal(1)
    amount = Decimal(value).quantize(places, rounding=ROUND_HALF_UP)
    sign = "\u2212" if amount < 0 else ""
    return f"{sign}£{abs(amount):,}"
