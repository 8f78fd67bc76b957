"""The evidence checks in the demo: a PDF signed by a certification authority made for the
demo (and trusted in the demo's trust folder), a file the office rejected sent again under
another name, a photo with its EXIF date and place, and a report whose document number and
date are out of form. All wait in the review queue with their flags."""

import datetime
import io
from pathlib import Path

from django.conf import settings

from theodoi.core import samplepki
from theodoi.core.clock import today
from theodoi.core.samplepdf import tiny_pdf
from theodoi.org.models import Organization, User
from theodoi.reporting.models import Evidence, EvidenceReview
from theodoi.tracking import services as tracking_services

# The demo authority's certificate in the trust folder: clearly named, so that an installation
# that loaded the demo by mistake knows which file to remove.
DEMO_ROOT_FILE = "theodoi-demo-root-ca.pem"
# The files this module adds to the review queue.
FILES = (
    "bao-cao-da-bo-sung.pdf",
    "quyet-dinh-ky-so.pdf",
    "anh-hien-truong.jpg",
    "bao-cao-sai-so.pdf",
)
# Where the demo's photo was taken: the ward office of Lê Chân, Hải Phòng.
PHOTO_PLACE = (20.8566, 106.6822)


def _signed_pdf(text: str) -> bytes:
    """A PDF signed by the demo ward's chairman under an authority made now, whose root goes
    into the trust folder."""
    authority = samplepki.make_authority(
        "Trần Văn Hùng",
        "UBND phường Lê Chân",
        "theodoi DEMO Root CA (không dùng thật)",
        root_organization="theodoi demo",
        root_validity=(400, 3650),
        signer_validity=(365, 730),
    )
    samplepki.write_root(authority, Path(settings.THEODOI_TRUSTED_CA_DIR) / DEMO_ROOT_FILE)
    return samplepki.sign_pdf(
        tiny_pdf(text),
        authority,
        field_name="ChuKySo",
        reason="Phê duyệt báo cáo",
        strict=False,
    )


def _photo(taken: datetime.datetime) -> bytes:
    """A small JPEG whose EXIF data says when and where it was taken."""
    from PIL import Image

    def dms(value: float) -> tuple[float, float, float]:
        degrees = int(value)
        minutes = int((value - degrees) * 60)
        return float(degrees), float(minutes), round(((value - degrees) * 60 - minutes) * 60, 2)

    image = Image.new("RGB", (320, 200), (46, 125, 50))
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")
    exif.get_ifd(0x8825).update({1: "N", 2: dms(PHOTO_PLACE[0]), 3: "E", 4: dms(PHOTO_PLACE[1])})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=80)
    return out.getvalue()


def load_checks_demo(ward: Organization, users: dict[str, User]) -> None:
    """Add to the demo's review queue one file of each kind the checks flag."""
    plan = ward.plans.get()
    rejected = (
        Evidence.objects.filter(task__plan=plan, reviews__decision=EvidenceReview.Decision.REJECTED)
        .select_related("task", "uploaded_by")
        .order_by("pk")
        .first()
    )
    if rejected is not None:
        # The unit sends the rejected file again under another name, unchanged.
        with rejected.file.open("rb") as handle:
            data = handle.read()
        tracking_services.evidence_upload(
            actor=rejected.uploaded_by or users["vanphong"],
            name="bao-cao-da-bo-sung.pdf",
            data=data,
            task=rejected.task,
            kind=Evidence.Kind.SIGNED_DOCUMENT,
            description="Gửi lại báo cáo.",
        )
    tasks = list(plan.tasks.filter(subtasks__isnull=True, lead_units__isnull=False).distinct())
    tasks.sort(key=lambda task: task.pk)
    day = today()
    officer = users["vanphong"]
    signed_task, photo_task, numbered_task = tasks[0], tasks[1 % len(tasks)], tasks[2 % len(tasks)]
    tracking_services.evidence_upload(
        actor=officer,
        name="quyet-dinh-ky-so.pdf",
        data=_signed_pdf("QUYET DINH phe duyet ke hoach chuyen doi so - ban ky so"),
        task=signed_task,
        kind=Evidence.Kind.SIGNED_DOCUMENT,
        document_number=f"15/{day.year}/QĐ-UBND",
        document_date=day - datetime.timedelta(days=3),
    )
    tracking_services.evidence_upload(
        actor=officer,
        name="anh-hien-truong.jpg",
        data=_photo(datetime.datetime.combine(day, datetime.time(9, 15))),
        task=photo_task,
        kind=Evidence.Kind.PHOTO,
        description="Ảnh buổi tập huấn tại trụ sở phường.",
    )
    tracking_services.evidence_upload(
        actor=officer,
        name="bao-cao-sai-so.pdf",
        data=tiny_pdf("BAO CAO ket qua - so van ban viet sai the thuc"),
        task=numbered_task,
        kind=Evidence.Kind.SIGNED_DOCUMENT,
        document_number="5/BC",
        document_date=datetime.date(day.year - 1, 6, 30),
    )
