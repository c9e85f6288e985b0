"""What a file is, read from its first bytes rather than its name, and a safe name for it.

Accepted: PDF, PNG, JPEG, Word, Excel and PowerPoint (the Office Open XML formats, and the
older binary ones). A file whose content is not one of these, or whose name claims another of
them, is refused.
"""

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileType("PDF", "application/pdf", ("pdf",))
PNG = FileType("PNG image", "image/png", ("png",))
JPEG = FileType("JPEG image", "image/jpeg", ("jpg", "jpeg"))
DOCX = FileType(
    "Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ("docx",),
)
XLSX = FileType(
    "Excel spreadsheet",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ("xlsx",),
)
PPTX = FileType(
    "PowerPoint presentation",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ("pptx",),
)
OLE = FileType("Office 97-2003 document", "application/x-ole-storage", ("doc", "xls", "ppt"))
OLE_TYPES = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}
ACCEPTED = (PDF, PNG, JPEG, DOCX, XLSX, PPTX, OLE)
ACCEPTED_EXTENSIONS = tuple(ext for kind in ACCEPTED for ext in kind.extensions)

NOT_ACCEPTED = "The selected file must be a PDF, PNG, JPEG, Word, Excel or PowerPoint file"
NAME_MISMATCH = "The selected file is a {actual} but its name ends .{extension}: rename it or choose another file"
NO_NAME = "The selected file has no name we can use"


class FileTypeRefused(Exception):
    pass


def _office_open_xml(stream: IO[bytes]) -> FileType | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for prefix, kind in (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX)):
        if any(name.startswith(prefix) for name in names):
            return kind
    return None


def sniff(stream: IO[bytes]) -> FileType | None:
    """The accepted type `stream`'s content is, or None. Leaves the stream at its start."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    found: FileType | None = None
    if head.startswith(b"%PDF-"):
        found = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        found = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        found = JPEG
    elif head.startswith(OLE_MAGIC):
        found = OLE
    elif head.startswith(b"PK\x03\x04"):
        found = _office_open_xml(stream)
    stream.seek(0)
    return found


def safe_filename(name: str) -> str:
    """`name` without any folder, in plain ASCII letters, digits, dots, dashes and underscores,
    at most 100 characters, keeping its extension."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._-")
    base = re.sub(r"_+", "_", base)
    if "." in base:
        stem, extension = base.rsplit(".", 1)
        stem = stem.rstrip("._-")[: 99 - len(extension)] or "document"
        return f"{stem}.{extension.lower()}"
    return base[:100]


def check(stream: IO[bytes], name: str) -> tuple[str, str]:
    """The safe name and content type of an upload whose content and name agree; otherwise
    FileTypeRefused with the reason."""
    filename = safe_filename(name)
    if "." not in filename:
        raise FileTypeRefused(NO_NAME if not filename else NOT_ACCEPTED)
    extension = filename.rsplit(".", 1)[1]
    kind = sniff(stream)
    if kind is None or extension not in ACCEPTED_EXTENSIONS:
        raise FileTypeRefused(NOT_ACCEPTED)
    if extension not in kind.extensions:
        raise FileTypeRefused(NAME_MISMATCH.format(actual=kind.label, extension=extension))
    content_type = OLE_TYPES[extension] if kind is OLE else kind.content_type
    return filename, content_type
