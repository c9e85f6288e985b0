"""Build deterministic synthetic data: LAs, agencies, schools, providers (with compliance
evidence, QA visits and returns), children, placements with their plans and reviews, and one
demo user per role. Synthetic only, ever."""

import argparse
import datetime as dt
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from aptrack.organisations.models import LocalAuthority, Region
from aptrack.synthetic import services

REFUSE_NON_EMPTY = (
    "The database already holds children. Pass --if-empty to keep them and only make sure the "
    "demo users exist, or point SQLITE_PATH or DATABASE_URL at a fresh database. "
    "Nothing is ever deleted."
)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-01-15") from error


def _progress(plan: Sequence[tuple[LocalAuthority, int]]) -> Iterable[tuple[LocalAuthority, int]]:
    bar = tqdm(plan, desc="Generating", unit="LA", file=sys.stderr, dynamic_ncols=True)
    for la, count in bar:
        bar.set_postfix_str(f"{la.name} ({count} children)")
        yield la, count


class Command(BaseCommand):
    help = "Generate deterministic synthetic data (never real children) and the demo users"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--scale",
            choices=[scale.value for scale in services.Scale],
            default=services.Scale.LA,
            help="la: Dorset (demo) and Hackney; region: every LA in --region; "
            "national: all 153 LAs, about 64,000 children",
        )
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same data (default 1)")
        parser.add_argument(
            "--today",
            type=_date,
            default=None,
            help="The day the data is generated for, YYYY-MM-DD (default: today's local date)",
        )
        parser.add_argument(
            "--region",
            choices=[region.value for region in Region],
            default=services.DEFAULT_REGION,
            help="The region for --scale region (default SOUTH_WEST)",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="If children already exist, generate nothing and only ensure the demo users exist",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or timezone.localdate()
        try:
            summary = services.generate_synthetic_data(
                scale=services.Scale(options["scale"]),
                seed=options["seed"],
                today=today,
                region=options["region"],
                progress=_progress,
            )
        except services.DataAlreadyPresent:
            if not options["if_empty"]:
                raise CommandError(REFUSE_NON_EMPTY) from None
            self.stdout.write(services.DATA_ALREADY_PRESENT)
            self._report_users(services.ensure_demo_users())
            return
        except services.NoLocalAuthorities as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated synthetic data (scale {options['scale']}, seed {options['seed']}, "
                f"as at {today.isoformat()}):"
            )
        )
        for label, value in (
            ("Local authorities", summary.local_authorities),
            ("Schools", summary.schools),
            ("Providers", summary.providers),
            ("Children", summary.children),
            ("Placements", summary.placements),
            ("Reviews", summary.reviews),
            ("Compliance checks", summary.compliance_checks),
            ("QA visits", summary.qa_visits),
            ("Provider returns", summary.returns),
            ("Referrals", summary.referrals),
            ("Attendance marks", summary.marks),
            ("Notices", summary.notices),
            ("Contracts", summary.contracts),
            ("Invoice lines", summary.invoice_lines),
            ("Provider reports", summary.provider_reports),
            ("Incidents", summary.incidents),
        ):
            self.stdout.write(f"  {label:<18} {value:>7,}")
        self._report_users(summary.demo_users)

    def _report_users(self, result: services.DemoUsersResult) -> None:
        present = len(result.created) + len(result.existing)
        self.stdout.write(
            f"  {'Demo users':<18} {present:>7,} ({len(result.created)} created, "
            f"{len(result.existing)} already there)"
        )
        for username, reason in result.skipped.items():
            self.stdout.write(self.style.WARNING(f"  Skipped demo user {username}: {reason}"))
        if present:
            self.stdout.write("Run `aptrack demo-logins` to list them.")
