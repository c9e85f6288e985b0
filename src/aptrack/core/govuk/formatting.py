"""How dates and flags are written on GOV.UK pages (the style guide: 4 June 2026, 2:30pm)."""

import datetime as dt

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
