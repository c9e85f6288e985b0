"""Placement endpoints: the same scope, permissions and services as the pages. Refusals
(answered by `api.errors`): 400 with the fields at fault, 403 for a role that cannot, 404 out of
scope, 409 for a move the placement's status does not allow or a stale version."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from aptrack.accounts.requests import AuthenticatedHttpRequest
from aptrack.api.errors import ErrorOut, name_refusals
from aptrack.api.reads import records_reads
from aptrack.api.types import Id, Input, Page, SmallInt, column_decimal
from aptrack.audit import services as audit
from aptrack.audit.models import Channel
from aptrack.children import selectors as children_selectors
from aptrack.core.concurrency import MAX_VERSION
from aptrack.core.errors import DomainForbidden, DomainNotFound
from aptrack.organisations.models import Organisation, OrganisationKind
from aptrack.placements import permissions, selectors
from aptrack.placements.models import Destination, EndReason, Placement
from aptrack.placements.services import endings as placement_endings
from aptrack.placements.services import errors as placement_errors
from aptrack.placements.services import moves as placement_moves
from aptrack.placements.services import plan as placement_plan
from aptrack.placements.states import PlacementStatus
from aptrack.providers.models import Provider, ProviderSite
from aptrack.referrals import selectors as referral_selectors

router = Router(tags=["placements"])


class OutcomeOut(Schema):
    id: int
    description: str
    measure: str
    baseline: str
    target: str


class PlacementOut(Schema):
    id: int
    child_id: int
    referral_id: int | None
    provider_id: int | None
    provider_name: str = Field(..., alias="provider.name")
    site_id: int | None
    status: PlacementStatus
    tier: int | None
    start_date: dt.date
    planned_end_date: dt.date | None
    maximum_end_date: dt.date | None
    end_date: dt.date | None
    open_ended: bool
    hours_per_week: float
    home_school_hours_per_week: float
    part_time_reason: str
    part_time_parent_agreed: bool
    part_time_review_date: dt.date | None
    part_time_plan_to_full_time: str
    exit_plan: str
    readiness_criteria: str
    weekly_cost: float | None
    cost_difference_reason: str
    dual_registered: bool
    family_involvement: str
    commissioning_la_code: str | None = Field(None, alias="commissioning_la.code")
    commissioning_school_urn: str | None = Field(
        None, alias="commissioning_school.establishment.urn"
    )
    end_reason: str
    destination: str
    transition_plan: str
    version: int = Field(ge=1, le=MAX_VERSION, description="The version the record was read at")
    outcomes: list[OutcomeOut]

    @staticmethod
    def resolve_provider_id(obj: Placement) -> int | None:
        provider = getattr(obj.provider, "provider", None)
        return provider.pk if provider else None

    @staticmethod
    def resolve_open_ended(obj: Placement) -> bool:
        return obj.planned_end_date is None

    @staticmethod
    def resolve_outcomes(obj: Placement) -> list[Any]:
        # Sorted here so a list's prefetched outcomes are used: one query, not one per row.
        return sorted(obj.outcomes.all(), key=lambda o: (o.position, o.pk))


class OutcomeIn(Input):
    description: str
    measure: str
    baseline: str
    target: str


class PlacementIn(Input):
    child_id: int
    referral_id: int | None = None
    provider_id: int
    site_id: int
    tier: SmallInt
    start_date: dt.date
    planned_end_date: dt.date | None = None
    open_ended_justification: str = ""
    hours_per_week: column_decimal(Placement, "hours_per_week")  # type: ignore[valid-type]
    home_school_hours_per_week: column_decimal(Placement, "home_school_hours_per_week") = Decimal(0)  # type: ignore[valid-type]
    part_time_reason: str = ""
    part_time_parent_agreed: bool = False
    part_time_review_date: dt.date | None = None
    part_time_plan_to_full_time: str = ""
    exit_plan: str = ""
    readiness_criteria: str = ""
    weekly_cost: column_decimal(Placement, "weekly_cost") | None = None  # type: ignore[valid-type]
    cost_difference_reason: str = ""  # needed when the weekly cost is not the panel's approved cost
    dual_registered: bool = False
    family_involvement: str = ""
    commissioning_school_urn: str | None = None
    compliance_override_reason: str = ""
    outcomes: list[OutcomeIn] = []


class EndIn(Input):
    end_date: dt.date
    reason: EndReason
    destination: Destination
    transition_plan: str
    version: int = Field(ge=1, le=MAX_VERSION, description="The version the record was read at")


class VersionIn(Input):
    version: int = Field(ge=1, le=MAX_VERSION, description="The version the record was read at")


name_refusals(
    placement_errors.PlacementInvalid,
    detail="The placement was not accepted",
    record="placement",
    fields={
        "child": "child_id",
        "referral": "referral_id",
        "provider": "provider_id",
        "site": "site_id",
        "commissioning_school": "commissioning_school_urn",
    },
)


def _load(request: AuthenticatedHttpRequest, placement_id: int) -> Placement:
    placement = selectors.get_placement(user=request.user, placement_id=placement_id)
    if placement is None:
        raise DomainNotFound("No placement found")
    return placement


def _out(placement: Placement) -> Placement:
    return Placement.objects.select_related(
        "provider", "provider__provider", "commissioning_la", "commissioning_school__establishment"
    ).get(pk=placement.pk)


def _service_data(request: AuthenticatedHttpRequest, payload: PlacementIn) -> dict[str, Any]:
    data = payload.dict(
        exclude={"child_id", "referral_id", "provider_id", "site_id", "commissioning_school_urn"}
    )
    errors: dict[str | None, list[str]] = {}
    data["child"] = children_selectors.get_child(user=request.user, child_id=payload.child_id)
    if data["child"] is None:
        errors["child"] = ["No child found"]
    data["provider"] = (
        Provider.objects.filter(pk=payload.provider_id).select_related("organisation").first()
    )
    if data["provider"] is None:
        errors["provider"] = ["No provider found"]
    data["site"] = ProviderSite.objects.filter(pk=payload.site_id).first()
    if data["site"] is None:
        errors["site"] = ["No site found"]
    data["referral"] = None
    if payload.referral_id is not None:
        data["referral"] = referral_selectors.get_referral_to_commission(
            user=request.user, referral_id=payload.referral_id
        )
        if data["referral"] is None:
            errors["referral"] = ["No referral found"]
    data["commissioning_school"] = None
    if payload.commissioning_school_urn:
        data["commissioning_school"] = Organisation.objects.filter(
            kind=OrganisationKind.SCHOOL, establishment__urn=payload.commissioning_school_urn
        ).first()
        if data["commissioning_school"] is None:
            errors["commissioning_school"] = [
                f"No school with URN {payload.commissioning_school_urn} uses aptrack"
            ]
    if errors:
        raise placement_errors.PlacementInvalid(errors)
    return data


@router.get("", response=list[PlacementOut], summary="Placements the caller may see")
@records_reads(lambda placement: placement.child_id)
@paginate(Page)
def list_placements(
    request: AuthenticatedHttpRequest,
    status: PlacementStatus | None = None,
    tier: SmallInt | None = None,
) -> Any:
    filters = selectors.PlacementFilters(status=status or "", tier=tier)
    return (
        selectors.list_placements(user=request.user, filters=filters, on=timezone.localdate())
        .select_related("provider__provider", "commissioning_school__establishment")
        .prefetch_related("outcomes")
    )


@router.get(
    "/{placement_id}",
    response={200: PlacementOut, 404: ErrorOut},
    summary="One placement and its plan",
)
def get_placement(request: AuthenticatedHttpRequest, placement_id: Id) -> Any:
    placement = _load(request, placement_id)
    audit.record_view(
        actor=request.user,
        at=timezone.now(),
        channel=Channel.API,
        child=placement.child,
        where=request.path,
    )
    return _out(placement)


@router.post(
    "", response={201: PlacementOut, 400: ErrorOut, 403: ErrorOut}, summary="Plan a placement"
)
def create_placement(request: AuthenticatedHttpRequest, payload: PlacementIn) -> Any:
    if not permissions.can_create_placement(request.user):
        raise DomainForbidden("Your role cannot plan placements")
    placement = placement_plan.create_placement(
        actor=request.user,
        at=timezone.now(),
        data=_service_data(request, payload),
        channel=Channel.API,
        where=request.path,
    )
    return Status(201, _out(placement))


def _change(request: AuthenticatedHttpRequest, placement_id: int) -> Placement:
    placement = _load(request, placement_id)
    if not permissions.can_change_placement(request.user, placement):
        raise DomainForbidden("Only the commissioner can change this placement")
    return placement


@router.post(
    "/{placement_id}/start",
    response={200: PlacementOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Record that the child has started",
)
def start_placement(request: AuthenticatedHttpRequest, placement_id: Id, payload: VersionIn) -> Any:
    placement = placement_moves.activate_placement(
        actor=request.user,
        at=timezone.now(),
        placement=_change(request, placement_id),
        expected_version=payload.version,
        channel=Channel.API,
        where=request.path,
    )
    return _out(placement)


@router.post(
    "/{placement_id}/end",
    response={200: PlacementOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="End a placement with its reason, destination and transition plan",
)
def end_placement(request: AuthenticatedHttpRequest, placement_id: Id, payload: EndIn) -> Any:
    placement = placement_endings.end_placement(
        actor=request.user,
        at=timezone.now(),
        placement=_change(request, placement_id),
        end_date=payload.end_date,
        reason=payload.reason,
        destination=payload.destination,
        transition_plan=payload.transition_plan,
        expected_version=payload.version,
        channel=Channel.API,
        where=request.path,
    )
    return _out(placement)
