import factory
from django.utils import timezone

from aptrack.children.tests.factories import ChildFactory
from aptrack.referrals.models import PrimaryReason, Referral, Route
from aptrack.referrals.states import ReferralStatus


class ReferralFactory(factory.django.DjangoModelFactory):
    """A ready-to-submit referral; pass `referrer` (an LA or school user) and, for tests of
    other states, `status` (set directly: tests of moves go through the services)."""

    class Meta:
        model = Referral

    child = factory.SubFactory(ChildFactory)
    route = Route.EHCP_AWAITING
    primary_reason = PrimaryReason.AWAITING_SPECIAL_PLACE
    needs_summary = "Autism; anxiety about crowded corridors; reading age two years behind."
    family_views = "Mum wants a small setting close to home."
    child_views = "I want somewhere quiet where people don't shout."
    consent_given = True
    proposed_tier = 2
    commissioning_la = factory.LazyAttribute(lambda r: r.child.home_la)
    status = ReferralStatus.DRAFT
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyFunction(timezone.now)
