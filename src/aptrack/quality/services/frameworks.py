"""Writes of QA frameworks: an LA copies a framework and edits its standards. Callers pass the
actor and the clock; every write is audited."""

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.db.models import F, Max

from aptrack.accounts.models import User
from aptrack.audit import services as audit
from aptrack.audit.models import AuditAction, Channel
from aptrack.core.concurrency import lock_version
from aptrack.organisations.models import LocalAuthority
from aptrack.quality import permissions
from aptrack.quality.models import Framework, Standard
from aptrack.quality.selectors import frameworks as framework_selectors
from aptrack.quality.services.common import created_changes, record_audit
from aptrack.quality.services.errors import ChangedElsewhere, NotAllowed, QualityInvalid

FRAMEWORK_NAME_TAKEN = "Your local authority already has a framework called {name}"
CODE_FORMAT = "Code must be the area number, a full stop and a number, for example {area}.3"
CODE_TAKEN = "Standard {code} is already in this framework"
AREA_TITLE_NEEDED = "Enter the area's title: area {area} is new"
FRAMEWORK_CHANGED = (
    "Someone else changed this framework while you were editing it. Reload the page to see "
    "their changes."
)
CODE_PATTERN = re.compile(r"^(\d{1,2})\.(\d{1,2})([a-z])?$")


def _ensure_can_edit(actor: User, framework: Framework) -> None:
    if not permissions.can_edit_framework(actor, framework):
        raise NotAllowed("You can only change your own local authority's frameworks")


def copy_framework(
    *,
    actor: User,
    at: dt.datetime,
    la: LocalAuthority,
    source: Framework,
    name: str = "",
    channel: Channel = Channel.WEB,
    where: str = "",
) -> Framework:
    """Copy a framework and its current standards into one the LA owns and may edit."""
    if not permissions.can_copy_framework(actor) or permissions.user_la_id(actor) != la.pk:
        raise NotAllowed("You can only copy frameworks into your own local authority")
    if not permissions.can_view_framework(actor, source):
        raise NotAllowed("You cannot copy this framework")
    name = name.strip() or f"{source.name} ({la.name})"
    if Framework.objects.filter(owner_la=la, name=name).exists():
        raise QualityInvalid({"name": [FRAMEWORK_NAME_TAKEN.format(name=name)]})
    with transaction.atomic():
        copy = Framework.objects.create(
            name=name,
            description=source.description,
            owner_la=la,
            based_on=source,
            created_at=at,
            updated_at=at,
        )
        Standard.objects.bulk_create(
            Standard(
                framework=copy,
                area_number=s.area_number,
                area_title=s.area_title,
                code=s.code,
                text=s.text,
                order=s.order,
            )
            for s in framework_selectors.list_standards(framework=source)
        )
        record_audit(
            actor=actor,
            at=at,
            action=AuditAction.CREATED,
            instance=copy,
            channel=channel,
            where=where,
            changes={**created_changes(copy), "copied_from": {"old": None, "new": source.pk}},
        )
    return copy


def update_framework(
    *,
    actor: User,
    at: dt.datetime,
    framework: Framework,
    name: str,
    description: str,
    expected_version: int,
    channel: Channel = Channel.WEB,
    where: str = "",
) -> Framework:
    _ensure_can_edit(actor, framework)
    name = name.strip()
    with transaction.atomic():
        locked = Framework.objects.select_for_update().get(pk=framework.pk)
        if locked.version != expected_version:
            raise ChangedElsewhere(FRAMEWORK_CHANGED)
        taken = Framework.objects.filter(owner_la_id=locked.owner_la_id, name=name).exclude(
            pk=locked.pk
        )
        if taken.exists():
            raise QualityInvalid({"name": [FRAMEWORK_NAME_TAKEN.format(name=name)]})
        before = audit.snapshot(locked)
        locked.name = name
        locked.description = description.strip()
        changes = audit.diff(before, audit.snapshot(locked))
        if changes:
            locked.updated_at = at
            locked.version += 1
            locked.save()
            record_audit(
                actor=actor,
                at=at,
                action=AuditAction.UPDATED,
                instance=locked,
                channel=channel,
                where=where,
                changes=changes,
            )
    return locked


def _standard_fields(
    framework: Framework,
    *,
    area_number: int,
    area_title: str,
    code: str,
    text: str,
    exclude_id: int | None,
) -> dict[str, Any]:
    errors: dict[str | None, list[str]] = {}
    code = code.strip()
    match = CODE_PATTERN.match(code)
    if not match or int(match.group(1)) != area_number:
        errors["code"] = [CODE_FORMAT.format(area=area_number)]
    else:
        taken = framework.standards.filter(code=code, retired_at__isnull=True)
        if exclude_id is not None:
            taken = taken.exclude(pk=exclude_id)
        if taken.exists():
            errors["code"] = [CODE_TAKEN.format(code=code)]
    area_title = area_title.strip()
    existing_area = (
        framework.standards.filter(area_number=area_number, retired_at__isnull=True)
        .exclude(pk=exclude_id or 0)
        .values_list("area_title", flat=True)
        .first()
    )
    if not area_title:
        if existing_area is None:
            errors["area_title"] = [AREA_TITLE_NEEDED.format(area=area_number)]
        area_title = existing_area or ""
    if errors:
        raise QualityInvalid(errors)
    return {
        "area_number": area_number,
        "area_title": area_title,
        "code": code,
        "text": text.strip(),
    }


def _rename_area(framework: Framework, area_number: int, area_title: str) -> None:
    """An area has one title: a new title given for one standard renames the area."""
    framework.standards.filter(area_number=area_number, retired_at__isnull=True).exclude(
        area_title=area_title
    ).update(area_title=area_title, version=F("version") + 1)


def _touch(framework: Framework, at: dt.datetime) -> None:
    Framework.objects.filter(pk=framework.pk).update(updated_at=at)


def add_standard(
    *,
    actor: User,
    at: dt.datetime,
    framework: Framework,
    area_number: int,
    area_title: str,
    code: str,
    text: str,
    channel: Channel = Channel.WEB,
    where: str = "",
) -> Standard:
    _ensure_can_edit(actor, framework)
    with transaction.atomic():
        Framework.objects.select_for_update().filter(pk=framework.pk).first()
        fields = _standard_fields(
            framework,
            area_number=area_number,
            area_title=area_title,
            code=code,
            text=text,
            exclude_id=None,
        )
        # Standards sort by area, then order: a new one goes last in its area.
        last = framework.standards.filter(area_number=area_number).aggregate(m=Max("order"))["m"]
        _rename_area(framework, area_number, fields["area_title"])
        standard = Standard.objects.create(framework=framework, order=(last or 0) + 10, **fields)
        _touch(framework, at)
        record_audit(
            actor=actor,
            at=at,
            action=AuditAction.CREATED,
            instance=standard,
            channel=channel,
            where=where,
            changes=created_changes(standard),
        )
    return standard


def update_standard(
    *,
    actor: User,
    at: dt.datetime,
    standard: Standard,
    area_number: int,
    area_title: str,
    code: str,
    text: str,
    expected_version: int,
    channel: Channel = Channel.WEB,
    where: str = "",
) -> Standard:
    """Change a standard's wording or place; refused if someone saved it since
    `expected_version` was loaded."""
    framework = standard.framework
    _ensure_can_edit(actor, framework)
    with transaction.atomic():
        Framework.objects.select_for_update().filter(pk=framework.pk).first()
        locked = lock_version(
            Standard, pk=standard.pk, expected_version=expected_version, error=ChangedElsewhere
        )
        fields = _standard_fields(
            framework,
            area_number=area_number,
            area_title=area_title,
            code=code,
            text=text,
            exclude_id=locked.pk,
        )
        before = audit.snapshot(locked)
        for key, value in fields.items():
            setattr(locked, key, value)
        changes = audit.diff(before, audit.snapshot(locked))
        if changes:
            locked.version += 1
            locked.save()
            _rename_area(framework, area_number, fields["area_title"])
            _touch(framework, at)
            record_audit(
                actor=actor,
                at=at,
                action=AuditAction.UPDATED,
                instance=locked,
                channel=channel,
                where=where,
                changes=changes,
            )
    return locked


def remove_standard(
    *,
    actor: User,
    at: dt.datetime,
    standard: Standard,
    channel: Channel = Channel.WEB,
    where: str = "",
) -> None:
    """Take a standard out of a framework. One already judged on a visit is retired rather than
    deleted, so the visit's record stays whole."""
    _ensure_can_edit(actor, standard.framework)
    with transaction.atomic():
        locked = Standard.objects.select_for_update().get(pk=standard.pk)
        before = audit.snapshot(locked)
        if locked.judgements.exists():
            locked.retired_at = at
            locked.save(update_fields=["retired_at"])
            record_audit(
                actor=actor,
                at=at,
                action=AuditAction.UPDATED,
                instance=locked,
                channel=channel,
                where=where,
                changes={"retired_at": {"old": None, "new": at.isoformat()}},
            )
        else:
            record_audit(
                actor=actor,
                at=at,
                action=AuditAction.DELETED,
                instance=locked,
                channel=channel,
                where=where,
                changes={k: {"old": v, "new": None} for k, v in before.items()},
            )
            locked.delete()
        _touch(standard.framework, at)
