"""Referral endpoints: the same scope and the same services as the pages. Every path starts
from the caller's scope (out of scope answers 404, like missing); views of a referral are
audited. Refusals (answered by `api.errors`): 400 with field errors, 403 for a role that
cannot, 404 out of scope, 409 for a move the referral's state does not allow."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from aptrack.accounts.requests import AuthenticatedHttpRequest
from aptrack.api.errors import ErrorOut, name_refusals
from aptrack.api.reads import records_reads
from aptrack.api.types import Id, Input, Page, column_decimal
from aptrack.audit import services as audit
from aptrack.audit.models import Channel
from aptrack.children import selectors as child_selectors
from aptrack.core.errors import DomainForbidden, DomainNotFound
from aptrack.referrals import permissions, selectors, services
from aptrack.referrals.models import PrimaryReason, Referral, Route
from aptrack.referrals.states import ReferralStatus

router = Router(tags=["referrals"])


class EventOut(Schema):
    from_status: str
    to_status: str
    by: str = Field(..., alias="by.username")
    at: dt.datetime
    reason: str


class ReferralOut(Schema):
    id: int
    child_id: int
    route: str
    first_day_of_exclusion: dt.date | None
    primary_reason: str
    needs_summary: str
    family_views: str
    child_views: str
    views_not_obtained_reason: str
    consent_given: bool
    proposed_tier: int
    estimated_weekly_cost: Decimal | None
    commissioning_la_code: str = Field(..., alias="commissioning_la.code")
    commissioning_school_urn: str | None = Field(
        None, alias="commissioning_school.establishment.urn"
    )
    referrer: str = Field(..., alias="referrer.username")
    status: str
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int


class ReferralDetailOut(ReferralOut):
    events: list[EventOut]

    @staticmethod
    def resolve_events(obj: Referral) -> list[Any]:
        return list(selectors.list_events(referral=obj))


class ReferralIn(Input):
    child_id: int
    route: Route
    first_day_of_exclusion: dt.date | None = None
    primary_reason: PrimaryReason
    needs_summary: str = Field(..., min_length=1)
    family_views: str = ""
    child_views: str = ""
    views_not_obtained_reason: str = ""
    consent_given: bool = False
    proposed_tier: int = Field(..., ge=1, le=3)
    estimated_weekly_cost: column_decimal(Referral, "estimated_weekly_cost") | None = None  # type: ignore[valid-type]


class WithdrawIn(Input):
    reason: str


name_refusals(services.ReferralInvalid, detail="The referral was not accepted", record="referral")
name_refusals(
    services.ReferralNotReady, detail="The referral is not ready to submit", record="referral"
)


def _load(request: AuthenticatedHttpRequest, referral_id: int, *, may: str = "see") -> Referral:
    """The referral, if the caller's role uses referrals and their scope includes it."""
    if not permissions.can_use_referrals(request.user):
        raise DomainForbidden(f"Your role cannot {may} referrals")
    referral = selectors.get_referral(user=request.user, referral_id=referral_id)
    if referral is None:
        raise DomainNotFound("No referral found")
    return referral


def _fresh(request: AuthenticatedHttpRequest, referral: Referral) -> Referral | None:
    return selectors.get_referral(user=request.user, referral_id=referral.pk)


@router.get(
    "",
    response={200: list[ReferralOut], 403: ErrorOut},
    summary="Referrals the caller may see",
)
@records_reads(lambda referral: referral.child_id)
@paginate(Page)
def list_referrals(
    request: AuthenticatedHttpRequest,
    status: ReferralStatus | None = None,
    route: Route | None = None,
) -> Any:
    if not permissions.can_use_referrals(request.user):
        raise DomainForbidden("Your role cannot see referrals")
    filters = selectors.ReferralFilters(statuses=(status,) if status else (), route=route or "")
    return selectors.list_visible_referrals(user=request.user, filters=filters).select_related(
        "commissioning_school__establishment"
    )


@router.get(
    "/{referral_id}",
    response={200: ReferralDetailOut, 403: ErrorOut, 404: ErrorOut},
    summary="One referral, with its history",
)
def get_referral(request: AuthenticatedHttpRequest, referral_id: Id) -> Any:
    referral = _load(request, referral_id)
    audit.record_view(
        actor=request.user,
        at=timezone.now(),
        channel=Channel.API,
        child=referral.child,
        where=request.path,
    )
    return referral


@router.post(
    "",
    response={201: ReferralDetailOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Start a draft referral",
)
def create_referral(request: AuthenticatedHttpRequest, payload: ReferralIn) -> Any:
    if not permissions.can_start_referrals(request.user):
        raise DomainForbidden("Your role cannot start referrals")
    child = child_selectors.get_child(user=request.user, child_id=payload.child_id)
    if child is None:
        raise DomainNotFound("No child found")
    referral = services.create_referral(
        actor=request.user,
        at=timezone.now(),
        channel=Channel.API,
        child=child,
        data=payload.dict(exclude={"child_id"}),
        where=request.path,
    )
    return Status(201, _fresh(request, referral))


@router.post(
    "/{referral_id}/submit",
    response={200: ReferralDetailOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Submit a draft for a panel",
)
def submit_referral(request: AuthenticatedHttpRequest, referral_id: Id) -> Any:
    referral = _load(request, referral_id, may="change")
    services.submit_referral(
        actor=request.user,
        at=timezone.now(),
        channel=Channel.API,
        referral=referral,
        where=request.path,
    )
    return Status(200, _fresh(request, referral))


@router.post(
    "/{referral_id}/withdraw",
    response={200: ReferralDetailOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Withdraw a referral, with the reason",
)
def withdraw_referral(
    request: AuthenticatedHttpRequest, referral_id: Id, payload: WithdrawIn
) -> Any:
    referral = _load(request, referral_id, may="change")
    services.withdraw_referral(
        actor=request.user,
        at=timezone.now(),
        channel=Channel.API,
        referral=referral,
        reason=payload.reason,
        where=request.path,
    )
    return Status(200, _fresh(request, referral))
