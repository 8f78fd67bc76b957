"""The evidence checks in the demo: a PDF signed by a certification authority made for the
demo (and trusted in the demo's trust folder), a file the office rejected sent again under
another name, a photo with its EXIF date and place, and a report whose document number and
date are out of form. All wait in the review queue with their flags."""

import datetime
import io
from pathlib import Path

from django.conf import settings

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


def _demo_signer() -> tuple[object, object, object]:
    """A root authority and a signer certificate for the demo ward's chairman, made now; the
    root goes into the trust folder. Returns the pyHanko signer and the two certificates."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    def name(common: str, organization: str) -> x509.Name:
        return x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
                x509.NameAttribute(NameOID.COMMON_NAME, common),
            ]
        )

    now = datetime.datetime.now(datetime.UTC)
    root_key = ec.generate_private_key(ec.SECP256R1())
    # Vietnamese on purpose: names inside the demo's certificates, as a ward's would be.
    root_name = name("theodoi DEMO Root CA (không dùng thật)", "theodoi demo")
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=400))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(name("Trần Văn Hùng", "UBND phường Lê Chân"))
        .issuer_name(root_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=365))
        .not_valid_after(now + datetime.timedelta(days=730))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            # Non-repudiation ("content commitment") is what a document signature needs.
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(root_key, hashes.SHA256())
    )
    folder = Path(settings.THEODOI_TRUSTED_CA_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / DEMO_ROOT_FILE).write_bytes(root.public_bytes(serialization.Encoding.PEM))
    der = serialization.Encoding.DER
    root_asn1 = asn1_x509.Certificate.load(root.public_bytes(der))
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(leaf.public_bytes(der)),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        ),
        cert_registry=SimpleCertificateStore.from_certs([root_asn1]),
    )
    return signer, root, leaf


def _signed_pdf(text: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    signer, _root, _leaf = _demo_signer()
    writer = IncrementalPdfFileWriter(io.BytesIO(tiny_pdf(text)), strict=False)
    metadata = signers.PdfSignatureMetadata(field_name="ChuKySo", reason="Phê duyệt báo cáo")
    return bytes(signers.sign_pdf(writer, metadata, signer=signer).getvalue())


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
