"""The English local authorities with their DfE and ONS codes, from the copy next to this
migration (data/local_authorities.csv). A migration carries its own data and imports no live
code (ADR 0009): a new or renamed authority is a new migration, not an edit of this file."""

import csv
from pathlib import Path

from django.db import migrations

LA_FILE = Path(__file__).parent / "data" / "local_authorities.csv"

REGION_BY_NAME = {
    "North East": "NORTH_EAST",
    "North West": "NORTH_WEST",
    "Yorkshire and The Humber": "YORKSHIRE",
    "East Midlands": "EAST_MIDLANDS",
    "West Midlands": "WEST_MIDLANDS",
    "East of England": "EAST",
    "London": "LONDON",
    "South East": "SOUTH_EAST",
    "South West": "SOUTH_WEST",
}


def load(apps, schema_editor):
    LocalAuthority = apps.get_model("organisations", "LocalAuthority")  # noqa: N806
    with LA_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            LocalAuthority.objects.update_or_create(
                code=row["code"],
                defaults={
                    "ons_code": row["ons_code"],
                    "name": row["name"],
                    "region": REGION_BY_NAME[row["region"]],
                },
            )


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
