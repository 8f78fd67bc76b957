"""A certification authority made on the spot, and PDFs signed with it through pyHanko: what
the signature tests check against, without any real certificate."""

import datetime
import io
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from reportlab.pdfgen import canvas


def _name(common: str, organization: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


@dataclass
class Authority:
    root_key: ec.EllipticCurvePrivateKey
    root: x509.Certificate
    signer_key: ec.EllipticCurvePrivateKey
    signer: x509.Certificate

    def root_pem(self) -> bytes:
        return self.root.public_bytes(serialization.Encoding.PEM)

    def trust(self, folder: Path, *, der: bool = False) -> Path:
        """Put the root in ``folder`` as a trusted authority."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / ("root.cer" if der else "root.pem")
        encoding = serialization.Encoding.DER if der else serialization.Encoding.PEM
        path.write_bytes(self.root.public_bytes(encoding))
        return path


def make_authority(
    *,
    signer: str = "Nguyễn Văn An",
    organization: str = "UBND phường Thử Nghiệm",
    root: str = "Test Root CA",
) -> Authority:
    now = datetime.datetime.now(datetime.UTC)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = _name(root, "Test CA")
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=30))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(root_key, hashes.SHA256())
    )
    signer_key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name(signer, organization))
        .issuer_name(root_name)
        .public_key(signer_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
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
    return Authority(root_key, root, signer_key, leaf)


def make_pdf(text: str = "BAO CAO KET QUA THUC HIEN") -> bytes:
    """A one-page PDF with ``text`` left uncompressed, so a test can find and change it."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pageCompression=0)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return out.getvalue()


def sign_pdf(data: bytes, authority: Authority, *, field_name: str = "Signature1") -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    der = serialization.Encoding.DER
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(authority.signer.public_bytes(der)),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            authority.signer_key.private_bytes(
                der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        ),
        cert_registry=SimpleCertificateStore.from_certs(
            [asn1_x509.Certificate.load(authority.root.public_bytes(der))]
        ),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    out = signers.sign_pdf(
        writer, signers.PdfSignatureMetadata(field_name=field_name), signer=signer
    )
    return out.getvalue()


def change_after_signing(signed: bytes) -> bytes:
    """An incremental update after the signature that replaces the page's text."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page_ref = writer.root["/Pages"]["/Kids"].raw_get(0)
    page = page_ref.get_object()
    stream = generic.StreamObject(stream_data=b"BT /F1 12 Tf 72 720 Td (DA SUA SAU KHI KY) Tj ET")
    page["/Contents"] = writer.add_object(stream)
    writer.mark_update(page_ref)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def flip_signed_byte(signed: bytes, text: bytes = b"BAO CAO") -> bytes:
    """The same file with one letter of the signed text changed in place."""
    at = signed.index(text)
    return signed[:at] + b"X" + signed[at + 1 :]
