"""Notice endpoint: a school's system tells the home LA of an exclusion or of AP the school
commissions, through the same service as the page. Refusals: 400 with field errors, 403 for a
token that is not a school's."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from aptrack.accounts.requests import AuthenticatedHttpRequest
from aptrack.api.errors import ErrorOut, name_refusals
from aptrack.api.reads import records_reads
from aptrack.api.types import Input, Page, column_decimal
from aptrack.audit.models import Channel
from aptrack.children.models import Sex
from aptrack.notices import permissions, selectors, services
from aptrack.notices.models import ExclusionReason, Notice, NoticeKind
from aptrack.referrals.models import PrimaryReason

router = Router(tags=["notices"])


class NoticeIn(Input):
    kind: NoticeKind = Field(..., description="PEX, SUSPENSION or SCHOOL_AP")
    upn: str = Field(..., max_length=20)
    legal_first_name: str = Field("", max_length=100)
    legal_last_name: str = Field("", max_length=100)
    date_of_birth: dt.date | None = None
    sex: Sex | None = None
    home_la_code: str = Field(
        "", max_length=3, description="Where the child lives, if not the school's LA"
    )
    # An exclusion
    first_day: dt.date | None = None
    exclusion_reason: ExclusionReason | None = Field(None, description="DfE reason code")
    suspension_days: int | None = Field(None, ge=1, le=45)
    governors_meeting_date: dt.date | None = None
    # AP the school commissions
    provider_urn: str = Field("", max_length=6)
    provider_ukprn: str = Field("", max_length=8)
    provider_name: str = Field("", max_length=200)
    provider_address: str = Field("", max_length=200)
    provider_town: str = Field("", max_length=100)
    provider_postcode: str = Field("", max_length=10)
    start_date: dt.date | None = None
    hours_per_week: column_decimal(Notice, "hours_per_week") | None = None  # type: ignore[valid-type]
    ap_reason: PrimaryReason | None = None
    review_date: dt.date | None = None


class NoticeOut(Schema):
    id: int
    kind: str
    child_id: int
    upn: str = Field(..., alias="child.upn")
    school_urn: str | None = Field(None, alias="school.establishment.urn")
    home_la_code: str = Field(..., alias="home_la.code")
    referral_id: int | None
    placement_id: int | None
    provider_id: int | None
    provider_added: bool
    first_day: dt.date | None
    exclusion_reason: str
    governors_meeting_date: dt.date | None
    suspension_days: int | None
    start_date: dt.date | None
    hours_per_week: Decimal | None
    ap_reason: str
    review_date: dt.date | None
    notified_at: dt.datetime


name_refusals(services.NoticeInvalid, detail="The notice was not accepted", record="notice")


@router.post(
    "",
    response={201: NoticeOut, 400: ErrorOut, 403: ErrorOut},
    summary="Notify the home LA of an exclusion, or of AP the school commissions",
)
def create_notice(request: AuthenticatedHttpRequest, payload: NoticeIn) -> Any:
    if not permissions.can_send_notices(request.user):
        return Status(403, {"detail": services.NOT_A_SCHOOL})
    data = payload.dict()
    service = (
        services.notify_school_ap
        if payload.kind == NoticeKind.SCHOOL_AP
        else services.notify_exclusion
    )
    notice = service(
        actor=request.user,
        at=timezone.now(),
        channel=Channel.API,
        data=data,
        where=request.path,
    )
    return Status(201, notice)


@router.get(
    "",
    response={200: list[NoticeOut], 403: ErrorOut},
    summary="Notices the caller may read, newest first",
)
@records_reads(lambda notice: notice.child_id)
@paginate(Page)
def list_notices(request: AuthenticatedHttpRequest, kind: NoticeKind | None = None) -> Any:
    """A school's own notices; for LA staff, the notices about their LA's children."""
    if not permissions.can_read_notices(request.user):
        raise HttpError(403, "Your role cannot read notices")
    return selectors.list_notices(user=request.user, kind=kind or "").select_related(
        "school__establishment"
    )
