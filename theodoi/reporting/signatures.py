"""The digital signatures of a PDF, validated with pyHanko against the installation's trusted
certification authorities (a folder of PEM or DER certificates, ``THEODOI_TRUSTED_CA_DIR``).

For each signature: is the signed content intact, was the document changed after signing in a
way a signature does not allow, who signed and when, and does the signer's certificate chain
up to a trusted authority (and if not, why). Nothing is fetched from the network (no OCSP, no
CRL download, no missing intermediate): a ward's server may have no way out, and a check must
not wait on one. Never raises: an unreadable PDF gives the verdict "unreadable".

The answer is plain data (``SignatureReport.as_json``), stored with the file and said to the
reviewer by ``explain``."""

import concurrent.futures
import datetime
import io
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext

logger = logging.getLogger(__name__)

# A signature check looks at the whole file and at each revision after the signed one; these
# bounds keep an upload fast whatever is sent.
MAX_BYTES = 25 * 1024 * 1024
MAX_SIGNATURES = 10
TIME_LIMIT_SECONDS = 20.0

_CERT_SUFFIXES = {".pem", ".crt", ".cer", ".der", ".cert"}


def load_trust_roots(folder: str | Path | None) -> list[Any]:
    """Every certificate in ``folder`` (PEM files may hold several); an unreadable file is
    logged and skipped, a missing folder gives no roots."""
    from asn1crypto import pem, x509

    roots: list[Any] = []
    if not folder:
        return roots
    path = Path(folder)
    if not path.is_dir():
        return roots
    for item in sorted(path.iterdir()):
        if not item.is_file() or item.suffix.lower() not in _CERT_SUFFIXES:
            continue
        try:
            data = item.read_bytes()
            ders = (
                [der for _kind, _headers, der in pem.unarmor(data, multiple=True)]
                if pem.detect(data)
                else [data]
            )
            found = [x509.Certificate.load(der) for der in ders]
            for certificate in found:
                # Parsed now: a broken file fails here, not in the middle of a check.
                _ = certificate.native
            roots.extend(found)
        except Exception:
            logger.warning("trusted CA file %s could not be read; skipped", item)
    return roots


@dataclass
class SignatureResult:
    """One signature's verdict.

    ``integrity``: "intact", "altered" (the signed bytes no longer match the signature),
    "modified" (intact, but the file was changed after signing beyond what the signature
    permits) or "unreadable" (a signature pyHanko cannot validate at all). ``trust``: "trusted" or "untrusted" with ``trust_problem``."""

    field_name: str
    integrity: str
    trust: str
    trust_problem: str = ""
    signer: str = ""
    organization: str = ""
    signed_at: str | None = None  # ISO 8601, the time the signer's software reported
    timestamped_at: str | None = None  # ISO 8601, from a timestamp token if there is one
    covers_whole_file: bool = True

    @property
    def valid(self) -> bool:
        return self.integrity == "intact" and self.trust == "trusted"


@dataclass
class SignatureReport:
    """``verdict``: "signed", "unsigned" (neutral), "unreadable", "too_large" or "timeout"."""

    verdict: str
    signatures: list[SignatureResult] = field(default_factory=list)
    truncated: bool = False  # more signatures than were checked

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _name(certificate: Any) -> tuple[str, str]:
    subject = certificate.subject.native
    return str(subject.get("common_name", "")), str(subject.get("organization_name", ""))


def _trust_problem(status: Any) -> str:
    indication = getattr(status, "trust_problem_indic", None)
    name = getattr(indication, "name", "") if indication is not None else ""
    return {
        "NO_CERTIFICATE_CHAIN_FOUND": "no_chain",
        "NO_CERTIFICATE_CHAIN_FOUND_NO_POE": "no_chain",
        "REVOKED": "revoked",
        "REVOKED_NO_POE": "revoked",
        "REVOKED_CA_NO_POE": "revoked",
        "EXPIRED": "expired",
        "OUT_OF_BOUNDS_NO_POE": "expired",
        "OUT_OF_BOUNDS_NOT_REVOKED": "expired",
        "NOT_YET_VALID": "not_yet_valid",
        "CHAIN_CONSTRAINTS_FAILURE": "constraints",
        "CRYPTO_CONSTRAINTS_FAILURE": "weak_crypto",
        "CRYPTO_CONSTRAINTS_FAILURE_NO_POE": "weak_crypto",
        "TRY_LATER": "revocation_unknown",
    }.get(name, "other" if name else "no_chain")


def _iso(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _validate_one(embedded: Any, context: Any) -> SignatureResult:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    field_name = str(getattr(embedded, "field_name", "") or "")
    try:
        status = validate_pdf_signature(embedded, signer_validation_context=context)
    except Exception as exc:  # a malformed signature dictionary, an unsupported algorithm
        logger.info("signature %s could not be validated: %s", field_name, exc)
        return SignatureResult(field_name, "unreadable", "untrusted", "unreadable")
    signer, organization = _name(status.signing_cert) if status.signing_cert else ("", "")
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if not (status.intact and status.valid):
        integrity = "altered"
    elif status.docmdp_ok is False or (
        not whole and status.coverage != SignatureCoverageLevel.ENTIRE_REVISION
    ):
        integrity = "modified"
    else:
        integrity = "intact"
    timestamp = getattr(status, "timestamp_validity", None)
    return SignatureResult(
        field_name=field_name,
        integrity=integrity,
        trust="trusted" if status.trusted else "untrusted",
        trust_problem="" if status.trusted else _trust_problem(status),
        signer=signer,
        organization=organization,
        signed_at=_iso(status.signer_reported_dt),
        timestamped_at=_iso(timestamp.timestamp) if timestamp is not None else None,
        covers_whole_file=whole,
    )


def _validate(data: bytes, roots: list[Any]) -> SignatureReport:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:
        logger.info("PDF could not be read for its signatures: %s", exc)
        return SignatureReport("unreadable")
    if not embedded:
        return SignatureReport("unsigned")
    # An empty list means no authority is trusted (not the operating system's store).
    context = ValidationContext(
        trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail"
    )
    results = [_validate_one(item, context) for item in embedded[:MAX_SIGNATURES]]
    return SignatureReport("signed", results, truncated=len(embedded) > MAX_SIGNATURES)


_pool = concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="pdf-signatures")


def check_signatures(
    data: bytes,
    *,
    trust_roots: list[Any] | None = None,
    trusted_ca_dir: str | Path | None = None,
    time_limit: float = TIME_LIMIT_SECONDS,
) -> SignatureReport:
    """Validate every signature of the PDF ``data`` (see the module's description)."""
    if not data.startswith(b"%PDF-"):
        return SignatureReport("unreadable")
    if len(data) > MAX_BYTES:
        return SignatureReport("too_large")
    roots = trust_roots if trust_roots is not None else load_trust_roots(trusted_ca_dir)
    # Run beside the caller with a deadline: a crafted file must not hold an upload for long.
    # A check past its deadline is left to finish in its thread; the upload goes on without it.
    future = _pool.submit(_validate, data, roots)
    try:
        return future.result(timeout=time_limit)
    except concurrent.futures.TimeoutError:
        logger.warning("signature check of a %s-byte PDF took over %ss", len(data), time_limit)
        return SignatureReport("timeout")
    except Exception:
        logger.exception("signature check failed")
        return SignatureReport("unreadable")


# --- Said to the reviewer ----------------------------------------------------------------------


def _moment(text: str | None) -> str:
    if not text:
        return "…"
    moment = datetime.datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        # Signing times are shown in Vietnam's time, whatever zone the signer's software used.
        moment = moment.astimezone(datetime.timezone(datetime.timedelta(hours=7)))
    return moment.strftime("%d/%m/%Y %H:%M")


def signer_label(result: dict[str, Any]) -> str:
    return str(_signer_label(result))


def _signer_label(result: dict[str, Any]) -> Any:
    signer, organization = result.get("signer", ""), result.get("organization", "")
    if signer and organization and organization != signer:
        return f"{signer} ({organization})"
    return signer or organization or gettext("unknown signer")


def trust_problem_text(code: str) -> str:
    return str(_trust_problem_text(code))


def _trust_problem_text(code: str) -> Any:
    texts = {
        "no_chain": gettext(
            "the certificate does not chain up to an authority in the trusted list"
        ),
        "revoked": gettext("the certificate has been revoked"),
        "expired": gettext("the certificate had expired"),
        "not_yet_valid": gettext("the certificate was not yet valid"),
        "constraints": gettext("the certificate chain breaks a constraint"),
        "weak_crypto": gettext("the signature uses an algorithm no longer accepted"),
        "revocation_unknown": gettext("the certificate's revocation status could not be checked"),
        "unreadable": gettext("the signature could not be read"),
    }
    return texts.get(code, gettext("the certificate could not be validated"))


def explain(result: dict[str, Any]) -> str:
    return str(_explain(result))


def _explain(result: dict[str, Any]) -> Any:
    """One signature's stored result said in a sentence."""
    values = {
        "signer": signer_label(result),
        "at": _moment(result.get("timestamped_at") or result.get("signed_at")),
    }
    if result.get("integrity") == "unreadable":
        return gettext("A signature could not be read.")
    if result.get("integrity") == "altered":
        return gettext("Signature of %(signer)s: the document was altered after signing.") % values
    if result.get("integrity") == "modified":
        return (
            gettext(
                "Signature of %(signer)s (signed at %(at)s): the document was modified after signing."
            )
            % values
        )
    if result.get("trust") == "trusted":
        return gettext("Valid digital signature — signed by %(signer)s at %(at)s.") % values
    return gettext(
        "Signature of %(signer)s at %(at)s is intact, but the certificate is not trusted: %(why)s."
    ) % dict(values, why=trust_problem_text(result.get("trust_problem", "")))
