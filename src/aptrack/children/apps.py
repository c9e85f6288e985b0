from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "aptrack.children"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from aptrack.children.models import Child
        from aptrack.core import changes

        def touches(child: Child) -> set[int | None]:
            """The LA the child lives in and every LA that places them."""
            from aptrack.placements.models import Placement

            placing = Placement.objects.filter(child_id=child.pk).values_list(
                "commissioning_la_id", flat=True
            )
            return {child.home_la_id, *placing}

        changes.register(Child, touches=touches, moves=True)
