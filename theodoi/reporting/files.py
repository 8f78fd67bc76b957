"""What an uploaded evidence file really is, decided by its content (magic bytes), never by its
name: a renamed .exe must not pass as a PDF. Pure functions over bytes."""

import io
import re
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    label: str  # what the person would call it
    previewable: bool  # shown inside the review page (PDF and images)


PDF = FileType("application/pdf", "pdf", "PDF", True)
PNG = FileType("image/png", "png", _("PNG image"), True)
JPEG = FileType("image/jpeg", "jpg", _("JPEG image"), True)
GIF = FileType("image/gif", "gif", _("GIF image"), True)
WEBP = FileType("image/webp", "webp", _("WebP image"), True)
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
    "Word (.docx)",
    False,
)
XLSX = FileType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsx",
    "Excel (.xlsx)",
    False,
)
DOC = FileType("application/msword", "doc", "Word 97–2003 (.doc)", False)
XLS = FileType("application/vnd.ms-excel", "xls", "Excel 97–2003 (.xls)", False)

ALLOWED_LABEL = _("PDF, Word (.docx, .doc), Excel (.xlsx, .xls), JPEG, PNG, GIF, WebP images")

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_UNSAFE_NAME_RE = re.compile(r"[^\w\s.()\-–,]+", re.UNICODE)


def sniff(data: bytes) -> FileType | None:
    """The type of ``data`` when it is one of the allowed kinds, else None."""
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        return _office_zip(data)
    if head.startswith(_OLE):
        # Word 97–2003 files carry a "WordDocument" stream; Excel ones a "Workbook" stream.
        return DOC if _WORD_STREAM in data[:1_000_000] else XLS
    return None


def _office_zip(data: bytes) -> FileType | None:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def clean_name(name: str, file_type: FileType) -> str:
    """A file name safe to show and to offer for download, ending in the real extension."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = _UNSAFE_NAME_RE.sub("_", stem).strip(" ._") or "minh-chung"
    return f"{stem[:120]}.{file_type.extension}"
