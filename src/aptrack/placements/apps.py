from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "aptrack.placements"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from aptrack.core import navigation
        from aptrack.placements import permissions

        navigation.register_page("placements:list", permissions.can_view_placements)
        navigation.register_page("placements:home", permissions.can_use_caseworker_home)
        navigation.register_page("placements:new", permissions.can_create_placement)
        navigation.register_navigation_group(key="placements", order=40, text="Placements")
        navigation.register_navigation(
            order=40, text="Placements", name="placements:list", group="placements"
        )

        from aptrack.core import changes
        from aptrack.placements import models
        from aptrack.placements.changes import (
            placement_touches,
            progress_touches,
            recorded_against_placement,
        )

        changes.register(models.Placement, touches=placement_touches, moves=True)
        for model in (models.IntendedOutcome, models.Review, models.FollowUp):
            changes.register(model, touches=recorded_against_placement)
        changes.register(models.OutcomeProgress, touches=progress_touches)

        from aptrack.placements import selectors
        from aptrack.referrals.readers import readers as referral_readers

        referral_readers.register("provision_runs", selectors.list_provision_runs)
        referral_readers.register("placements_started", selectors.list_referral_starts)

        from aptrack.placements import rules
        from aptrack.providers.readers import readers as provider_readers

        provider_readers.register("running_on_q", rules.running_on_q)
