"""Reference data shipped with aptrack: the English local authorities (DfE codes)."""

import csv
from pathlib import Path

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


def read_local_authorities() -> list[dict[str, str]]:
    with LA_FILE.open(encoding="utf-8", newline="") as handle:
        return [
            {
                "code": row["code"],
                "ons_code": row["ons_code"],
                "name": row["name"],
                "region": REGION_BY_NAME[row["region"]],
            }
            for row in csv.DictReader(handle)
        ]
