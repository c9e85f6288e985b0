from typing import Any

from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "aptrack.commissioning"
    verbose_name = "Commissioning and finance"

    def ready(self) -> None:
        from aptrack.commissioning import permissions
        from aptrack.core import navigation

        def uses_invoices(user: Any) -> bool:
            return permissions.can_decide_lines(user) or permissions.can_send_invoices(user)

        navigation.register_page("commissioning:invoices", uses_invoices)
        # Commissioning: what the LA buys and pays for (sufficiency registers its page here too).
        navigation.register_navigation_group(key="commissioning", order=75, text="Commissioning")
        navigation.register_navigation(
            order=85, text="Invoices", name="commissioning:invoices", group="commissioning"
        )

        from aptrack.commissioning import contracts

        navigation.register_page("commissioning:contracts", contracts.can_view_contracts)
        navigation.register_page("commissioning:contract_new", contracts.can_manage_contracts)
        navigation.register_navigation(
            order=86, text="Contracts", name="commissioning:contracts", group="commissioning"
        )

        navigation.register_page("commissioning:spend", permissions.can_view_spend)
        navigation.register_navigation(
            order=87, text="Spend", name="commissioning:spend", group="commissioning"
        )

        from aptrack.commissioning import costs
        from aptrack.placements.readers import readers as placement_readers

        placement_readers.register("contract_cost", costs.placement_cost)

        # The spend figures (dashboard, pack, regional view) read these: a change to them is a
        # change to the LA's figures. Invoice lines are written in bulk: their services announce.
        from aptrack.commissioning.models import Contract, HighNeedsBudget, PlacementTerms, Rate
        from aptrack.core import changes
        from aptrack.placements.changes import recorded_against_placement

        changes.register(HighNeedsBudget, touches=lambda budget: [budget.local_authority_id])
        changes.register(Contract, touches=lambda contract: [contract.local_authority_id])
        changes.register(
            Rate,
            touches=lambda rate: Contract.objects.filter(pk=rate.contract_id).values_list(
                "local_authority_id", flat=True
            ),
        )
        changes.register(PlacementTerms, touches=recorded_against_placement)
