from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "aptrack.children"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from aptrack.children import permissions
        from aptrack.core import navigation

        navigation.register_page("children:list", permissions.can_use_register)
        navigation.register_navigation_group(key="children", order=10, text="Children")
        navigation.register_navigation(
            order=10, text="Children", name="children:list", group="children"
        )
        navigation.register_home_panel(
            order=100,
            region="cards",
            template="children/home_panel.html",
            context=lambda user: {
                "children_count": permissions.scope_children(user).count(),
                "can_register": permissions.can_register_child(user),
            },
        )

        from aptrack.children.models import Child
        from aptrack.core import changes

        def touches(child: Child) -> set[int | None]:
            """The LA the child lives in and every LA that places them (through the reverse
            relation, so children imports nothing of placements)."""
            if child.pk is None:
                return {child.home_la_id}
            placing = child.placements.values_list("commissioning_la_id", flat=True)
            return {child.home_la_id, *placing}

        changes.register(Child, touches=touches, moves=True)
