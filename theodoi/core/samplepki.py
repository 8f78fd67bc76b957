"""A certification authority made on the spot and PDFs signed with it through pyHanko, for the
demo and the tests: a root, one signer certificate it issued, no real certificate anywhere.
Pure, no Django."""

import datetime
import io
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

# Days before and after now that a certificate is valid.
Validity = tuple[int, int]


@dataclass(frozen=True)
class Authority:
    root_key: ec.EllipticCurvePrivateKey
    root: x509.Certificate
    signer_key: ec.EllipticCurvePrivateKey
    signer: x509.Certificate

    def root_pem(self) -> bytes:
        return self.root.public_bytes(serialization.Encoding.PEM)


def _name(common: str, organization: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _certificate(
    subject: x509.Name,
    key: ec.EllipticCurvePrivateKey,
    *,
    issuer: x509.Name,
    issuer_key: ec.EllipticCurvePrivateKey,
    validity: Validity,
    authority: bool,
) -> x509.Certificate:
    """A certificate for ``key``: an authority's signs certificates, a signer's signs documents
    (non-repudiation, "content commitment", is what a document signature needs)."""
    now = datetime.datetime.now(datetime.UTC)
    before, after = validity
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=before))
        .not_valid_after(now + datetime.timedelta(days=after))
        .add_extension(
            x509.BasicConstraints(ca=authority, path_length=0 if authority else None),
            critical=True,
        )
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=not authority,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=authority,
                crl_sign=authority,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(issuer_key, hashes.SHA256())
    )


def make_authority(
    signer_name: str,
    organization: str,
    root_name: str,
    *,
    root_organization: str,
    root_validity: Validity = (30, 3650),
    signer_validity: Validity = (1, 365),
) -> Authority:
    """A new root authority and a certificate it issued to ``signer_name`` of ``organization``."""
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_subject = _name(root_name, root_organization)
    root = _certificate(
        root_subject,
        root_key,
        issuer=root_subject,
        issuer_key=root_key,
        validity=root_validity,
        authority=True,
    )
    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer = _certificate(
        _name(signer_name, organization),
        signer_key,
        issuer=root_subject,
        issuer_key=root_key,
        validity=signer_validity,
        authority=False,
    )
    return Authority(root_key, root, signer_key, signer)


def write_root(authority: Authority, path: Path, *, der: bool = False) -> Path:
    """Write the root certificate to ``path`` (PEM, or DER), making its folder if needed: put in
    a trust folder, it makes the authority's signatures trusted."""
    path.parent.mkdir(parents=True, exist_ok=True)
    encoding = serialization.Encoding.DER if der else serialization.Encoding.PEM
    path.write_bytes(authority.root.public_bytes(encoding))
    return path


def sign_pdf(
    data: bytes,
    authority: Authority,
    *,
    field_name: str = "Signature1",
    reason: str | None = None,
    strict: bool = True,
) -> bytes:
    """``data`` signed by the authority's signer in a new signature field. ``strict=False``
    lets pyHanko read a PDF with small defects in its structure."""
    # Imported here so that importing the demo does not load pyHanko.
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
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
        # pyhanko-certvalidator leaves this constructor without type hints.
        cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
            [asn1_x509.Certificate.load(authority.root.public_bytes(der))]
        ),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=strict)
    metadata = signers.PdfSignatureMetadata(field_name=field_name, reason=reason)
    return bytes(signers.sign_pdf(writer, metadata, signer=signer).getvalue())
