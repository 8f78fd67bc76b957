"""A plan document waiting on the import page: the standing office uploaded the ward's
communication plan, written as prose (tasks as bullets naming their units in the sentence), and
has not saved it yet, so the demo shows a draft with what was read, from where, and what was
left out."""

import hashlib
from pathlib import Path

from theodoi.importer.pipeline import draft_from_bytes
from theodoi.importer.services import import_draft_create
from theodoi.org.models import Organization, User

DOCUMENT = Path(__file__).parent / "documents" / "ke-hoach-tuyen-truyen-2026.md"


def upload_narrative_plan(ward: Organization, office: User) -> None:
    data = DOCUMENT.read_bytes()
    draft = draft_from_bytes(data, name=DOCUMENT.name)
    import_draft_create(
        actor=office,
        ward=ward,
        draft=draft,
        source_name=DOCUMENT.name,
        sha256=hashlib.sha256(data).hexdigest(),
    )
