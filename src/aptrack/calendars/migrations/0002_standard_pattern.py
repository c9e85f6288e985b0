"""The standard English pattern every LA starts from: six half-terms a year (data/half_terms.csv)
and the England and Wales bank holidays (data/bank_holidays.csv). Typical LA dates, editable per
LA; not any one LA's published calendar. A migration carries its own data and imports no live
code (ADR 0009): later years are a new migration, not an edit of these files."""

import csv
import datetime as dt
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).parent / "data"


def _rows(name):
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load(apps, schema_editor):
    TermPeriod = apps.get_model("calendars", "TermPeriod")  # noqa: N806
    ClosureDay = apps.get_model("calendars", "ClosureDay")  # noqa: N806
    for row in _rows("half_terms.csv"):
        TermPeriod.objects.get_or_create(
            local_authority=None,
            academic_year=int(row["academic_year"]),
            name=row["name"],
            defaults={
                "start_date": dt.date.fromisoformat(row["start_date"]),
                "end_date": dt.date.fromisoformat(row["end_date"]),
            },
        )
    for row in _rows("bank_holidays.csv"):
        ClosureDay.objects.get_or_create(
            local_authority=None,
            date=dt.date.fromisoformat(row["date"]),
            defaults={"kind": "BANK_HOLIDAY", "description": row["description"]},
        )


class Migration(migrations.Migration):
    dependencies = [("calendars", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
