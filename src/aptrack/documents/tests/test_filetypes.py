import io

import pytest

from aptrack.documents import filetypes
from aptrack.documents.tests.conftest import PDF_BYTES, PNG_BYTES, docx_bytes


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (PDF_BYTES, "a.pdf", "application/pdf"),
        (PNG_BYTES, "photo.PNG", "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "scan.jpeg", "image/jpeg"),
        (docx_bytes(), "plan.docx", filetypes.DOCX.content_type),
        (filetypes.OLE_MAGIC + b"\x00" * 20, "old.xls", "application/vnd.ms-excel"),
    ],
)
def test_accepted_types_are_known_by_their_content(content, name, expected):
    assert filetypes.check(io.BytesIO(content), name)[1] == expected


def test_a_script_renamed_pdf_is_refused():
    with pytest.raises(filetypes.FileTypeRefused, match="must be a PDF"):
        filetypes.check(io.BytesIO(b"<script>alert(1)</script>"), "evidence.pdf")


def test_a_pdf_named_as_an_image_is_refused_naming_what_it_is():
    with pytest.raises(filetypes.FileTypeRefused, match="is a PDF but its name ends .png"):
        filetypes.check(io.BytesIO(PDF_BYTES), "photo.png")


def test_a_zip_that_is_not_an_office_document_is_refused():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", "MZ")
    with pytest.raises(filetypes.FileTypeRefused):
        filetypes.check(io.BytesIO(buffer.getvalue()), "plan.docx")


def test_an_html_file_is_refused_whatever_its_content():
    with pytest.raises(filetypes.FileTypeRefused):
        filetypes.check(io.BytesIO(PDF_BYTES), "page.html")


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\sam\\Résumé final.PDF", "Resume_final.pdf"),
        ('agreement"; filename=evil.pdf', "agreement_filename_evil.pdf"),
        ("a" * 300 + ".pdf", "a" * 96 + ".pdf"),
        ("\u202egpj.pdf", "gpj.pdf"),
    ],
)
def test_names_are_sanitised(name, safe):
    assert filetypes.safe_filename(name) == safe
