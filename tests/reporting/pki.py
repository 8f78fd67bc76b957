"""The signature tests' authority (made on the spot by theodoi.core.samplepki) and what they do
to signed PDFs: make one to sign, change one after signing."""

import io
from pathlib import Path

from reportlab.pdfgen import canvas

from theodoi.core import samplepki


def make_authority(
    *, signer: str = "Nguyễn Văn An", root: str = "Test Root CA"
) -> samplepki.Authority:
    return samplepki.make_authority(
        signer, "UBND phường Thử Nghiệm", root, root_organization="Test CA"
    )


def trust(authority: samplepki.Authority, folder: Path, *, der: bool = False) -> Path:
    """Put the authority's root in ``folder`` as a trusted authority."""
    return samplepki.write_root(authority, folder / ("root.cer" if der else "root.pem"), der=der)


def make_pdf(text: str = "BAO CAO KET QUA THUC HIEN") -> bytes:
    """A one-page PDF with ``text`` left uncompressed, so a test can find and change it."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pageCompression=0)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
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
