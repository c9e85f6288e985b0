"""Import a provider's invoice CSV through the same service as the upload page and the API,
then print what reconciliation found."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from aptrack.accounts.models import User
from aptrack.commissioning import services
from aptrack.commissioning.invoice_file import InvoiceFileRejected, read_csv
from aptrack.commissioning.states import InvoiceChannel, reasons_of
from aptrack.providers import selectors as provider_selectors

FORMAT = (
    "FILE is a CSV whose first row names the columns invoice_number, invoice_date, upn, "
    "service_from, service_to, unit, quantity, unit_rate, net_amount, vat_amount (unit: "
    "session, day, hour or week); dates YYYY-MM-DD or DD/MM/YYYY; UTF-8 or Windows-1252. Any "
    "bad row, or an invoice number already received from the provider, and nothing is "
    "recorded: every problem is listed by row and column, and the command exits with status 1."
)


class Command(BaseCommand):
    help = "Record a provider's invoices and reconcile every line. " + FORMAT

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path, help="The invoice CSV")
        whose = parser.add_mutually_exclusive_group(required=True)
        whose.add_argument(
            "--provider-id", type=int, help="The provider's id on the provider register"
        )
        whose.add_argument("--provider-urn", help="The provider's URN (registered providers)")
        whose.add_argument("--ukprn", help="The provider's UKPRN")
        parser.add_argument("--by", help="Username of the person importing, recorded with it")

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        provider, described = provider_selectors.find_provider(
            provider_id=options["provider_id"], urn=options["provider_urn"], ukprn=options["ukprn"]
        )
        if provider is None:
            raise CommandError(f"No provider on the register has {described}")
        actor = None
        if options["by"]:
            actor = User.objects.filter(username=options["by"]).first()
            if actor is None:
                raise CommandError(f"No user is called {options['by']}")
        try:
            report = services.record_invoices(
                provider=provider.organisation,
                lines=read_csv(file.read_bytes()),
                channel=InvoiceChannel.COMMAND,
                by=actor,
                at=timezone.now(),
                source=file.name,
            )
        except InvoiceFileRejected as rejected:
            for problem in rejected.problems:
                self.stdout.write(f"{file.name}: {problem}")
            raise CommandError(f"{file.name}: nothing was recorded") from None
        for line in report.summary():
            self.stdout.write(self.style.SUCCESS(line))
        if report.queried_lines:
            self.stdout.write("Queried lines:")
        for queried in report.queried_lines:
            reasons = "; ".join(reason.label for reason in reasons_of(queried.query_flags))
            self.stdout.write(
                f"  {queried.invoice.invoice_number} row {queried.row_number} UPN {queried.upn} "
                f"{queried.service_from}..{queried.service_to}: {reasons}"
            )
