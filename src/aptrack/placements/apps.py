from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "aptrack.placements"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
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
