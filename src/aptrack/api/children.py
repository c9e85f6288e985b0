"""Children endpoints. Every path starts from the caller's scope; views of a child are audited."""

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from aptrack.accounts.requests import AuthenticatedHttpRequest
from aptrack.api.errors import ErrorOut, name_refusals
from aptrack.api.reads import records_reads
from aptrack.api.types import Id, Input, Page, Text
from aptrack.audit import services as audit
from aptrack.audit.models import Channel
from aptrack.children import permissions, selectors, services
from aptrack.children.models import Child, Ethnicity, SenStatus, Sex, SocialCareStatus
from aptrack.core.concurrency import MAX_VERSION
from aptrack.core.errors import DomainForbidden, DomainNotFound, Errors
from aptrack.organisations.models import Establishment, LocalAuthority

router = Router(tags=["children"])


class ChildOut(Schema):
    id: int
    upn: str
    upn_is_temporary: bool
    uln: str
    legal_first_name: str
    legal_last_name: str
    preferred_name: str
    date_of_birth: dt.date
    sex: str
    ethnicity: str
    sen_status: str
    looked_after: bool
    responsible_la_code: str | None = Field(None, alias="responsible_la.code")
    social_care_status: str
    youth_justice: bool
    fsm: bool
    home_la_code: str = Field(..., alias="home_la.code")
    home_school_urn: str | None = Field(None, alias="home_school.urn")
    version: int


class ChildIn(Input):
    upn: str = ""
    uln: str = ""
    legal_first_name: str = Field(..., min_length=1, max_length=100)
    legal_last_name: str = Field(..., min_length=1, max_length=100)
    preferred_name: str = ""
    date_of_birth: dt.date
    sex: Sex
    ethnicity: Ethnicity = Ethnicity.NOBT
    sen_status: SenStatus = SenStatus.NONE
    looked_after: bool = False
    responsible_la_code: str | None = None
    social_care_status: SocialCareStatus = SocialCareStatus.NONE
    youth_justice: bool = False
    fsm: bool = False
    home_la_code: str
    home_school_urn: str | None = None


class ChildUpdateIn(ChildIn):
    version: int = Field(ge=1, le=MAX_VERSION, description="The version the record was read at")


def _service_data(payload: ChildIn) -> dict[str, Any]:
    data = payload.dict(
        exclude={"responsible_la_code", "home_la_code", "home_school_urn", "version"}
    )
    errors: Errors = {}
    data["home_la"] = LocalAuthority.objects.filter(code=payload.home_la_code).first()
    if data["home_la"] is None:
        errors["home_la_code"] = [f"No local authority has code {payload.home_la_code}"]
    data["responsible_la"] = None
    if payload.responsible_la_code:
        data["responsible_la"] = LocalAuthority.objects.filter(
            code=payload.responsible_la_code
        ).first()
        if data["responsible_la"] is None:
            errors["responsible_la_code"] = [
                f"No local authority has code {payload.responsible_la_code}"
            ]
    data["home_school"] = None
    if payload.home_school_urn:
        data["home_school"] = Establishment.objects.filter(urn=payload.home_school_urn).first()
        if data["home_school"] is None:
            errors["home_school_urn"] = [f"No establishment has URN {payload.home_school_urn}"]
    if errors:
        raise services.ChildInvalid(errors)
    return data


name_refusals(
    services.ChildInvalid, detail="The child's details were not accepted", record="record"
)


@router.get("", response=list[ChildOut], summary="Children the caller may see")
@records_reads()
@paginate(Page)
def list_children(request: AuthenticatedHttpRequest, q: Text = "") -> Any:
    filters = selectors.ChildFilters(query=q)
    return selectors.list_children(
        user=request.user, filters=filters, on=timezone.localdate()
    ).select_related("responsible_la")


@router.get("/{child_id}", response={200: ChildOut, 404: ErrorOut}, summary="One child")
def get_child(request: AuthenticatedHttpRequest, child_id: Id) -> Any:
    child = selectors.get_child(user=request.user, child_id=child_id)
    if child is None:
        raise DomainNotFound("No child found")
    audit.record_view(
        actor=request.user, at=timezone.now(), channel=Channel.API, child=child, where=request.path
    )
    return child


@router.post("", response={201: ChildOut, 400: ErrorOut, 403: ErrorOut}, summary="Add a child")
def create_child(request: AuthenticatedHttpRequest, payload: ChildIn) -> Any:
    if not permissions.can_register_child(request.user):
        raise DomainForbidden("Your role cannot add children")
    child = services.register_child(
        actor=request.user,
        at=timezone.now(),
        channel=Channel.API,
        data=_service_data(payload),
        where=request.path,
    )
    return Status(201, child)


@router.put(
    "/{child_id}",
    response={200: ChildOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Change a child's record",
)
def update_child(request: AuthenticatedHttpRequest, child_id: Id, payload: ChildUpdateIn) -> Any:
    child = selectors.get_child(user=request.user, child_id=child_id)
    if child is None:
        raise DomainNotFound("No child found")
    if not permissions.can_edit_child(request.user, child):
        raise DomainForbidden("Your role cannot change this child's record")
    child = services.update_child(
        actor=request.user,
        at=timezone.now(),
        channel=Channel.API,
        child=child,
        data=_service_data(payload),
        expected_version=payload.version,
        where=request.path,
    )
    return Status(
        200,
        Child.objects.select_related("home_la", "home_school", "responsible_la").get(pk=child.pk),
    )
