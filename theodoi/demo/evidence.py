"""Evidence in the demo as a unit lives it: a photo the office rejected, answered after the
period's report was accepted by the signed minutes that replace it (waiting in the review queue
beside the photo and its rejection), and a rejected photo the police still have to replace
(their landing page lists it under «Cần xử lý»)."""

import datetime
import io

from PIL import Image, ImageDraw

from theodoi.core.samplepdf import tiny_pdf
from theodoi.demo import data
from theodoi.org.models import Organization, User
from theodoi.reporting.models import ProgressReport
from theodoi.tracking import services as tracking_services

REPLACED = data.EVIDENCE_REPLACED
WAITING = data.EVIDENCE_WAITING


def _photo(caption: str) -> bytes:
    """A small photo-like PNG with a caption, made on the fly (no binary in the repository)."""
    image = Image.new("RGB", (480, 320), (70, 110, 150))
    ImageDraw.Draw(image).text((20, 140), caption, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _rejected_photo(plan, users, section, code, username, name, reason, description):
    task = plan.tasks.get(section__code=section, code=code)
    photo = tracking_services.evidence_upload(
        actor=users[username],
        name=name,
        data=_photo(name),
        task=task,
        kind="photo",
        description=description,
    )
    tracking_services.evidence_review(
        actor=users["vanphong"], evidence=photo, decision="reject", reason=reason
    )
    return task, photo


def evidence_replacements(ward: Organization, users: dict[str, User]) -> None:
    """The two chains above, through the services the pages use."""
    plan = ward.plans.get()
    section, code, username, name, reason, (minutes, title) = REPLACED
    task, photo = _rejected_photo(
        plan, users, section, code, username, name, reason, data.EVIDENCE_PHOTO_NOTE
    )
    # The period's report is accepted: the minutes can only come as evidence on its own.
    for report in task.reports.filter(status=ProgressReport.Status.SUBMITTED):
        tracking_services.report_accept(actor=users["vanphong"], report=report)
    tracking_services.evidence_add(
        actor=users[username],
        task=task,
        files=[
            tracking_services.EvidenceFile(
                upload=tracking_services.Upload(minutes, tiny_pdf(title)),
                kind="signed_document",
                document_number="12/BB-VHXH",
                document_date=photo.uploaded_on or datetime.date.today(),
                description=title,
                replaces=photo,
            )
        ],
    )
    section, code, username, name, reason = WAITING
    _rejected_photo(plan, users, section, code, username, name, reason, data.EVIDENCE_PHOTO_NOTE)
