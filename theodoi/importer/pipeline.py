"""Bytes of an uploaded file → a draft: reading and recognition together, for the command, the
upload page and the API."""

from theodoi.importer.draft import Draft
from theodoi.importer.readers import read_document
from theodoi.importer.recognise.plan import recognise


def draft_from_bytes(data: bytes, *, name: str) -> Draft:
    """Raises ``UnsupportedDocument`` (with a Vietnamese message) for a file it cannot read."""
    return recognise(read_document(data, name=name))
