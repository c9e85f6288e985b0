from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "aptrack.referrals"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from aptrack.core import navigation
        from aptrack.referrals import permissions

        navigation.register_page("referrals:list", permissions.can_use_referrals)
        navigation.register_navigation_group(key="referrals", order=20, text="Referrals")
        navigation.register_navigation(
            order=20, text="Referrals", name="referrals:list", group="referrals"
        )

        from aptrack.core import changes
        from aptrack.referrals.models import Referral, ReferralEvent

        def referral_las(referral_ids: list[int]) -> set[int | None]:
            """The LA asked to commission, and the LA the child lives in."""
            rows = Referral.objects.filter(pk__in=referral_ids).values_list(
                "commissioning_la_id", "child__home_la_id"
            )
            return {la_id for row in rows for la_id in row}

        changes.register(
            Referral, touches=lambda r: {r.commissioning_la_id, *referral_las([r.pk])}, moves=True
        )
        changes.register(ReferralEvent, touches=lambda event: referral_las([event.referral_id]))
