"""Bytes of an uploaded file → a draft: reading and recognition together, for the command, the
upload page and the API."""

from collections.abc import Callable

from theodoi.importer.draft import Draft
from theodoi.importer.readers import read_document
from theodoi.importer.recognise.plan import recognise


def draft_from_bytes(
    data: bytes,
    *,
    name: str,
    progress: Callable[[int, int], None] | None = None,
    ocr: bool = True,
) -> Draft:
    """Raises ``UnsupportedDocument`` (with a Vietnamese message) for a file it cannot read.
    ``progress(done, total)`` follows the pages of a scan being read by OCR; with ``ocr`` False
    a scan raises ``NeedsOcr`` instead."""
    return recognise(read_document(data, name=name, progress=progress, ocr=ocr))
