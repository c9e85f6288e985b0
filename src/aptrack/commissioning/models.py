"""Contracts and rates (what an LA buys from a provider, and at what price), the terms a
placement is bought on, the LA's high-needs budget for AP, and providers' invoices reconciled
against all of these and the attendance marks. See docs/rules.md, "Contracts, charges and
invoices"."""

from typing import Any, Final, TypedDict

from django.db import models

from aptrack.commissioning.states import (
    ChargeMode,
    ContractKind,
    EventKind,
    Funder,
    InvoiceChannel,
    LineStatus,
    RateUnit,
)


class _Digits(TypedDict):
    max_digits: int
    decimal_places: int


MONEY: Final[_Digits] = {"max_digits": 12, "decimal_places": 2}


class Contract(models.Model):
    """A contract between an LA and a provider: spot (one child), block (a number of places for
    a period at a price) or a call-off from a framework or dynamic purchasing system."""

    local_authority = models.ForeignKey(
        "organisations.LocalAuthority", on_delete=models.PROTECT, related_name="contracts"
    )
    provider = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="contracts",
        limit_choices_to={"kind": "PROVIDER"},
    )
    reference = models.CharField(max_length=50)
    kind = models.CharField(max_length=10, choices=ContractKind.choices)
    funder = models.CharField(max_length=12, choices=Funder.choices, default=Funder.HIGH_NEEDS)
    framework_name = models.CharField(max_length=200, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    # Block contracts: so many places for the contract's period at a total price.
    places = models.PositiveIntegerField(null=True, blank=True)
    block_price = models.DecimalField(**MONEY, null=True, blank=True)
    # The council's cost centre the approved invoice lines are charged to.
    cost_centre = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(null=True, blank=True)
    # Optimistic concurrency (`core.concurrency`): one more on each edit of the terms.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "reference"], name="contract_reference_per_la"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="BLOCK")
                | models.Q(places__gt=0, block_price__gte=0, end_date__isnull=False),
                name="block_contract_has_places_price_period",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="contract_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_kind_display()})"


class Lot(models.Model):
    """A lot of a framework contract, e.g. registered full-time, unregistered part-time,
    tuition."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="lots")
    name = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contract", "name"], name="lot_name_per_contract")
        ]

    def __str__(self) -> str:
        return self.name


class Rate(models.Model):
    """A price per unit under a contract (and lot), from a date: the rate in force on a day is
    the one with the latest `effective_from` on or before it, and no `effective_to` before it."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="rates")
    lot = models.ForeignKey(
        Lot, on_delete=models.CASCADE, null=True, blank=True, related_name="rates"
    )
    unit = models.CharField(max_length=8, choices=RateUnit.choices)
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    # Transport is priced apart from education, so it is never mistaken for the cost of learning.
    is_transport = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="rate_not_negative"),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="rate_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["contract", "unit", "effective_from"])]

    def __str__(self) -> str:
        return f"£{self.amount} per {self.get_unit_display().lower()} from {self.effective_from}"


class PlacementTerms(models.Model):
    """The terms a placement is bought on: its contract (and lot), how it is charged, and
    transport, costed apart from education."""

    placement = models.OneToOneField(
        "placements.Placement", on_delete=models.CASCADE, related_name="terms"
    )
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="placements")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, null=True, blank=True)
    charge_mode = models.CharField(
        max_length=10, choices=ChargeMode.choices, default=ChargeMode.ATTENDED
    )
    bespoke_terms = models.TextField(blank=True)
    transport_weekly_cost = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    set_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.placement_id} on {self.contract}"


class HighNeedsBudget(models.Model):
    """The LA's high-needs budget for AP in a financial year (1 April to 31 March), named by
    the year it starts in."""

    local_authority = models.ForeignKey(
        "organisations.LocalAuthority", on_delete=models.PROTECT, related_name="ap_budgets"
    )
    financial_year = models.PositiveSmallIntegerField(help_text="2026 for April 2026 to March 2027")
    amount = models.DecimalField(**MONEY)
    set_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "financial_year"], name="one_ap_budget_per_la_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.local_authority_id} {self.financial_year}: £{self.amount}"


class Invoice(models.Model):
    provider = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="invoices"
    )
    invoice_number = models.CharField(max_length=50)
    invoice_date = models.DateField()
    channel = models.CharField(max_length=8, choices=InvoiceChannel.choices)
    source_name = models.CharField(max_length=255, blank=True)
    received_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "invoice_number"], name="invoice_number_per_provider"
            )
        ]

    def __str__(self) -> str:
        return f"Invoice {self.invoice_number}"


class LineAsSent(models.Model):
    """An invoice line's columns as its provider sent them: `InvoiceLine`'s and, while it is
    reconciled, `StagedLine`'s (`reconcile.SENT` is made from them)."""

    row_number = models.PositiveIntegerField()
    upn = models.CharField(max_length=13)
    service_from = models.DateField()
    service_to = models.DateField()
    unit = models.CharField(max_length=8, choices=RateUnit.choices)
    quantity = models.DecimalField(max_digits=9, decimal_places=2)
    unit_rate = models.DecimalField(max_digits=9, decimal_places=2)
    net_amount = models.DecimalField(**MONEY)
    vat_amount = models.DecimalField(**MONEY)
    # Weekdays from service_from to service_to: counted once when read, so the hours check
    # needs no date arithmetic in SQL.
    service_weekdays = models.PositiveIntegerField()

    class Meta:
        abstract = True


class LineFound(models.Model):
    """What reconciliation found for a line, besides the rows it links to (`reconcile.FOUND`)."""

    charge_mode = models.CharField(max_length=10, choices=ChargeMode.choices, blank=True)
    contract_rate = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    contracted_hours = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    attended_sessions = models.PositiveIntegerField(null=True, blank=True)
    cost_centre = models.CharField(max_length=30, blank=True)

    class Meta:
        abstract = True


class InvoiceLine(LineAsSent, LineFound):
    """One line of an invoice, as sent, with what reconciliation found: the child, placement,
    contract, rate and attendance it was checked against, and why it was queried."""

    # Few indexes: every line and its index entries are written once, by reconciliation (one
    # INSERT of a file's lines). The invoice's lines are found by the (invoice, row) constraint, a
    # child's by the (child, dates) index, an LA's by (LA, status).
    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="lines", db_index=False
    )
    # Copied from the invoice so the set-based checks join less.
    # The provider, child, LA, contract and lot are not database foreign keys (Django still
    # protects them from deletion): reconciliation writes them in the statement that reads them
    # from their rows, with the invoice and the placement, which stay foreign keys; PostgreSQL
    # checks a deferred foreign key row by row at commit, which cost half of the 1M-line bench.
    provider = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    # What reconciliation found.
    child = models.ForeignKey(
        "children.Child",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoice_lines",
    )
    local_authority = models.ForeignKey(
        "organisations.LocalAuthority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    lot = models.ForeignKey(
        Lot,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    query_flags = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=8, choices=LineStatus.choices, default=LineStatus.MATCHED)
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["invoice", "row_number"], name="one_line_per_row"),
            models.CheckConstraint(
                condition=models.Q(service_to__gte=models.F("service_from")),
                name="invoice_line_dates_in_order",
            ),
        ]
        indexes = [
            # The invoice last: "already invoiced" (an earlier invoice's line for the same child
            # and dates) is then answered from the index, without reading each line's own row.
            models.Index(
                fields=["child", "service_from", "service_to", "invoice"],
                name="invoice_line_child_dates",
            ),
            models.Index(fields=["local_authority", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id} row {self.row_number}"


def _staged_link(to: Any, *, null: bool = True) -> Any:
    """A staged line's reference: a plain id column in the temporary table, no constraint."""
    return models.ForeignKey(
        to, on_delete=models.DO_NOTHING, null=null, related_name="+", db_constraint=False
    )


class StagedLine(LineAsSent, LineFound):
    """A line being reconciled, in a temporary table of the reconciling transaction
    (`reconcile`): the columns of `InvoiceLine` that reconciliation reads and finds. Lines are
    staged, matched and queried there, then written to `InvoiceLine` once. Not managed: no
    migration creates it, `reconcile` does (from `InvoiceLine`'s own columns)."""

    # Staged new lines are numbered from 1; stored lines reconciled again keep their id.
    id = models.BigIntegerField(primary_key=True)
    invoice = _staged_link(Invoice, null=False)
    provider = _staged_link("organisations.Organisation", null=False)
    child = _staged_link("children.Child")
    placement = _staged_link("placements.Placement")
    local_authority = _staged_link("organisations.LocalAuthority")
    contract = _staged_link(Contract)
    lot = _staged_link(Lot)
    # MATCHED while staged (the "already invoiced" rule reads it as it reads stored lines').
    status = models.CharField(max_length=8, choices=LineStatus.choices)

    class Meta:
        managed = False
        db_table = "recon_line"

    def __str__(self) -> str:
        return f"{self.invoice_id} row {self.row_number} (staged)"


class InvoiceEvent(models.Model):
    """Each step of an invoice's life (received, and each decision on a line), with who and
    when: the finance audit trail."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="events")
    line = models.ForeignKey(
        InvoiceLine, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    kind = models.CharField(max_length=10, choices=EventKind.choices)
    actor = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.kind} at {self.at}"
