"""Every write to documents: uploading one. The file's size and type (by its content) are
checked, its name sanitised, and it is saved to the `documents` storage under a random name.
Nothing is stored when a check fails. Each upload and download leaves an audit event."""

import datetime as dt
import hashlib
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.db import transaction

from aptrack.audit import services as audit
from aptrack.audit.models import AuditAction, Channel
from aptrack.core.errors import DomainForbidden
from aptrack.documents import filetypes, permissions
from aptrack.documents.models import AttachedTo, Document
from aptrack.documents.selectors import FIELDS

NOT_ALLOWED = "You cannot add documents to this record"
TOO_LARGE = "The selected file must be smaller than {limit} MB"
EMPTY = "The selected file is empty"
EXPIRY_NEEDED = "Enter the date this evidence expires"
EXPIRY_ONLY_FOR_EVIDENCE = "Only compliance evidence has an expiry date"


class DocumentNotAllowed(DomainForbidden):
    pass


class DocumentRefused(Exception):
    """The upload breaks a rule; `field` names the form field."""

    def __init__(self, message: str, field: str = "file") -> None:
        super().__init__(message)
        self.field = field


def max_bytes() -> int:
    return int(settings.APTRACK_DOCUMENT_MAX_MB) * 1024 * 1024


def _child_id(target: permissions.Target) -> int | None:
    """The child whose record `target` is part of: a placement's, a provider report's."""
    kind = permissions.kind_of(target)
    if kind == AttachedTo.PLACEMENT:
        return target.child_id  # type: ignore[union-attr]
    if kind == AttachedTo.PROVIDER_REPORT:
        return target.placement.child_id  # type: ignore[union-attr]
    return None


def upload_document(
    *,
    target: permissions.Target,
    stream: IO[bytes],
    name: str,
    title: str,
    expiry_date: dt.date | None,
    by: Any,
    at: dt.datetime,
    channel: Channel = Channel.WEB,
    where: str = "",
) -> Document:
    if not permissions.can_add_to(by, target):
        raise DocumentNotAllowed(NOT_ALLOWED)
    kind = permissions.kind_of(target)
    if kind == AttachedTo.COMPLIANCE_CHECK and expiry_date is None:
        raise DocumentRefused(EXPIRY_NEEDED, field="expiry_date")
    if kind != AttachedTo.COMPLIANCE_CHECK and expiry_date is not None:
        raise DocumentRefused(EXPIRY_ONLY_FOR_EVIDENCE, field="expiry_date")
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    if size == 0:
        raise DocumentRefused(EMPTY)
    if size > max_bytes():
        raise DocumentRefused(TOO_LARGE.format(limit=settings.APTRACK_DOCUMENT_MAX_MB))
    try:
        filename, content_type = filetypes.check(stream, name)
    except filetypes.FileTypeRefused as refused:
        raise DocumentRefused(str(refused)) from refused
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(65536), b""):
        digest.update(chunk)
    stream.seek(0)
    document = Document(
        attached_to=kind,
        title=title.strip() or filename,
        filename=filename,
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
        expiry_date=expiry_date,
        uploaded_by=by,
        uploaded_at=at,
        **{FIELDS[kind]: target},
    )
    with transaction.atomic():
        document.file.save(filename, File(stream), save=False)
        try:
            document.save()
            audit.record_event(
                actor=by,
                at=at,
                action=AuditAction.CREATED,
                channel=channel,
                instance=document,
                child_id=_child_id(target),
                where=where,
                changes={"filename": filename, "size": size, "attached_to": kind.value},
            )
        except Exception:
            document.file.delete(save=False)
            raise
    return document


def record_download(
    *, document: Document, by: Any, at: dt.datetime, where: str, channel: Channel = Channel.WEB
) -> None:
    """A download is a read of the record: of the child, for a placement's or a provider report's
    document."""
    report = document.provider_report
    placement = report.placement if report is not None else document.placement
    audit.record_event(
        actor=by,
        at=at,
        action=AuditAction.VIEWED,
        channel=channel,
        instance=placement.child if placement is not None else document,
        child_id=placement.child_id if placement is not None else None,
        where=where,
        changes={"document": document.pk, "filename": document.filename},
    )
