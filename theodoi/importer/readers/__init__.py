"""Turn an uploaded file into a Document, choosing the reader by what the bytes are.

Uploads are sniffed by content, never by name: wards rename files freely ("kehoach.doc" that is
really a .docx, a PDF saved as ".txt"), and a wrong guess would give an unreadable draft.
Readers are imported lazily so a missing optional library only fails the format that needs it.
"""

import io
import zipfile
from collections.abc import Callable

from django.utils.translation import gettext, gettext_lazy

from theodoi.importer.document import Document

ACCEPTED = gettext_lazy(
    "Please upload a .docx or .xlsx file, a PDF with a text layer or a text file."
)

_ZIP_MAGIC = b"PK\x03\x04"
# A Word or Excel plan unpacks to a few megabytes; far more means something else.
MAX_UNPACKED = 200 * 1024 * 1024
_PDF_MAGIC = b"%PDF"
# Word 97–2003 and Excel 97–2003 files are OLE compound documents; they share this signature.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_PART = "word/document.xml"
_EXCEL_PART = "xl/workbook.xml"


class UnsupportedDocument(ValueError):
    """The file cannot be read; ``message`` is translated and says what to upload instead."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NeedsOcr(Exception):
    """The PDF is a scan, to be read by OCR, and the caller asked not to wait for it (the upload
    page hands it to the background worker instead)."""


def quoted(name: str) -> str:
    """The file name as it goes into a message: “name” with a leading space, or nothing."""
    return f" “{name}”" if name else ""


def read_document(
    data: bytes,
    *,
    name: str,
    progress: Callable[[int, int], None] | None = None,
    ocr: bool = True,
) -> Document:
    """Read ``data`` with the reader its content calls for; raise UnsupportedDocument otherwise.
    A scanned PDF is read by OCR, reporting ``progress(done, total)`` in pages; with ``ocr``
    False it raises NeedsOcr instead."""
    if not data:
        raise UnsupportedDocument(
            gettext("The file%(name)s is empty. %(accepted)s")
            % {"name": quoted(name), "accepted": ACCEPTED}
        )
    if data.startswith(_ZIP_MAGIC):
        return _read_zip(data, name)
    if data.lstrip(b"\x00\t\r\n ").startswith(_PDF_MAGIC):
        from theodoi.importer.readers.pdf import read_pdf

        return read_pdf(data, name=name, progress=progress, ocr=ocr)
    if data.startswith(_OLE_MAGIC):
        raise UnsupportedDocument(
            gettext(
                "Could not read the file%(name)s: it is in the Word/Excel 97–2003 format "
                "(.doc/.xls). Open the file and save it again as .docx or .xlsx. %(accepted)s"
            )
            % {"name": quoted(name), "accepted": ACCEPTED}
        )
    text = _decode_text(data)
    if text is None:
        raise UnsupportedDocument(
            gettext("Could not read the file%(name)s. %(accepted)s")
            % {"name": quoted(name), "accepted": ACCEPTED}
        )
    from theodoi.importer.readers.text import read_text

    return read_text(text, name=name)


def _read_zip(data: bytes, name: str) -> Document:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = set(archive.namelist())
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnsupportedDocument(_broken_zip_message(data, name)) from exc
    if unpacked > MAX_UNPACKED:
        # A small file that unpacks to gigabytes is an attack or a broken tool, not a plan.
        raise UnsupportedDocument(
            gettext(
                "Could not read the file%(name)s: its unpacked content is too large "
                "(%(size)s MB). %(accepted)s"
            )
            % {"name": quoted(name), "size": unpacked // (1024 * 1024), "accepted": ACCEPTED}
        )
    if _WORD_PART in parts:
        from theodoi.importer.readers.docx import read_docx

        return read_docx(data, name=name)
    if _EXCEL_PART in parts:
        from theodoi.importer.readers.xlsx import read_xlsx

        return read_xlsx(data, name=name)
    raise UnsupportedDocument(
        gettext(
            "Could not read the file%(name)s: this archive is not a Word or Excel document. "
            "%(accepted)s"
        )
        % {"name": quoted(name), "accepted": ACCEPTED}
    )


def _broken_zip_message(data: bytes, name: str) -> str:
    # The central directory is at the end, so a truncated upload still shows its part names
    # in the local headers at the start: enough to tell the user which kind of file broke.
    folders = {part.split("/", 1)[0] for part in _local_part_names(data)}
    if "word" in folders:
        kind = "Word (.docx)"
    elif "xl" in folders:
        kind = "Excel (.xlsx)"
    else:
        kind = gettext("compressed")
    return gettext(
        "Could not read the %(kind)s file%(name)s: the file is damaged or was not uploaded "
        "completely. Open the file on your computer, save it again and upload it again. "
        "%(accepted)s"
    ) % {"kind": kind, "name": quoted(name), "accepted": ACCEPTED}


def _local_part_names(data: bytes) -> list[str]:
    """Names in the ZIP local file headers (name length at offset 26, name at offset 30)."""
    names = []
    start = data.find(_ZIP_MAGIC)
    while start != -1 and start + 30 <= len(data):
        length = int.from_bytes(data[start + 26 : start + 28], "little")
        names.append(data[start + 30 : start + 30 + length].decode("utf-8", "replace"))
        start = data.find(_ZIP_MAGIC, start + 30)
    return names


def _decode_text(data: bytes) -> str | None:
    """Decode plain text (UTF-8, or UTF-16 with a BOM as Word's "Unicode text" saves it)."""
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return text if _looks_like_text(text) else None


def _looks_like_text(text: str) -> bool:
    # Valid UTF-8 is not enough: short binary junk can decode. Text has no NULs and almost no
    # control characters besides tab, newline, carriage return and form feed.
    if "\x00" in text:
        return False
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls <= len(text) // 100
