"""Plain forms for contracts and rates: input validation only."""

import datetime as dt
from typing import Any

from django import forms

from aptrack.commissioning.states import ContractKind, Funder, RateUnit
from aptrack.core.govuk.forms import GovukDateField, choice_field


class ContractTermsForm(forms.Form):
    """A contract's terms: what its LA may change after adding it (not its provider or kind)."""

    reference = forms.CharField(
        label="Contract reference",
        max_length=50,
        error_messages={"required": "Enter the contract reference"},
    )
    funder = forms.ChoiceField(label="Who pays", choices=Funder.choices, initial=Funder.HIGH_NEEDS)
    start_date = GovukDateField(label="Start date")
    end_date = GovukDateField(
        label="End date", required=False, help_text="Needed for a block contract"
    )
    places = forms.IntegerField(
        label="Places bought (block contracts)",
        required=False,
        min_value=1,
        max_value=10_000,
        error_messages={"min_value": "Places bought must be at least 1"},
    )
    block_price = forms.DecimalField(
        label="Total price of the block, in pounds",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    framework_name = forms.CharField(label="Framework or DPS name", required=False, max_length=200)
    cost_centre = forms.CharField(label="Cost centre", required=False, max_length=30)

    def __init__(self, *args: Any, kind: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fixed_kind = kind

    def contract_kind(self, data: dict[str, Any]) -> str | None:
        return self.fixed_kind

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: dt.date | None = data.get("start_date")
        end: dt.date | None = data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "End date must be on or after the start date")
        if self.contract_kind(data) == ContractKind.BLOCK:
            if not data.get("places"):
                self.add_error("places", "Enter the places bought on a block contract")
            if data.get("block_price") is None:
                self.add_error("block_price", "Enter the total price of the block")
            if not end and "end_date" not in self.errors:
                self.add_error("end_date", "Enter the end date of a block contract")
        return data


class ContractForm(ContractTermsForm):
    """A new contract: its provider and kind as well as its terms, and a framework's lots."""

    field_order = (
        "provider",
        "reference",
        "kind",
        "funder",
        "start_date",
        "end_date",
        "places",
        "block_price",
        "framework_name",
        "lots",
        "cost_centre",
    )
    provider = forms.TypedChoiceField(
        label="Provider",
        coerce=int,
        error_messages={"required": "Choose the provider", "invalid_choice": "Choose the provider"},
    )
    kind = forms.ChoiceField(
        label="Kind of contract",
        choices=ContractKind.choices,
        error_messages={"required": "Choose the kind of contract"},
    )
    lots = forms.CharField(
        label="Lots (framework contracts)",
        help_text="One lot a line, for example Registered full-time",
        required=False,
        widget=forms.Textarea,
    )

    def __init__(self, *args: Any, providers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "provider").choices = [("", "Choose a provider"), *providers]

    def contract_kind(self, data: dict[str, Any]) -> str | None:
        return data.get("kind")

    def clean_lots(self) -> list[str]:
        names = [line.strip() for line in self.cleaned_data["lots"].splitlines() if line.strip()]
        if any(len(name) > 100 for name in names):
            raise forms.ValidationError("Each lot's name must be 100 characters or fewer")
        if len(set(names)) != len(names):
            raise forms.ValidationError("Each lot must have a different name")
        return names


class RateForm(forms.Form):
    lot = forms.TypedChoiceField(label="Lot", coerce=int, required=False, empty_value=None)
    unit = forms.ChoiceField(
        label="Charged per", choices=RateUnit.choices, error_messages={"required": "Choose a unit"}
    )
    amount = forms.DecimalField(
        label="Amount per unit, in pounds",
        min_value=0,
        max_digits=9,
        decimal_places=2,
        error_messages={
            "required": "Enter the amount per unit",
            "invalid": "Amount must be a number of pounds, like 45.50",
            "min_value": "Amount must be 0 or more",
        },
    )
    effective_from = GovukDateField(label="In force from")
    effective_to = GovukDateField(label="In force until", required=False, help_text="Optional")
    is_transport = forms.BooleanField(label="This is a transport rate", required=False)

    def __init__(self, *args: Any, lots: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "lot").choices = [("", "The whole contract"), *lots]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("effective_from"), data.get("effective_to")
        if start and end and end < start:
            self.add_error("effective_to", "In force until must be on or after in force from")
        return data
