"""The importer fed files that are not plans (issue 7, "Bad input, tried systematically").

Truncated, corrupt, huge-ish, empty and wrong-type uploads either give a draft or raise
UnsupportedDocument with a Vietnamese message that says what to upload — nothing else — and
none takes more than a few seconds. Time is measured and shown only when a test fails.
"""

import io
import random
import struct
import time
import zipfile
import zlib

import pytest

from tests.importer.documents import budget_xlsx, plan_docx
from theodoi.importer.pipeline import draft_from_bytes
from theodoi.importer.readers import ACCEPTED, UnsupportedDocument

SLOW = 5.0  # seconds; more than this for one upload is a failure


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _corrupt(data: bytes, seed: int) -> bytes:
    """Flip bytes in the middle of the file, keeping its start so it is sniffed as before."""
    rng = random.Random(seed)
    mutable = bytearray(data)
    for _ in range(max(1, len(mutable) // 200)):
        index = rng.randrange(64, len(mutable))
        mutable[index] = rng.randrange(256)
    return bytes(mutable)


def _cases() -> list[tuple[str, str, bytes]]:
    rng = random.Random(57)
    docx = plan_docx()
    xlsx = budget_xlsx()
    tsv = "\n".join(
        f"{i}\tNhiệm vụ số {i}\tPhòng {i % 7}\tQuý {i % 4 + 1}/2026" for i in range(20_000)
    )
    return [
        ("empty", "kehoach.docx", b""),
        ("one byte", "kehoach.docx", b"\x00"),
        ("random bytes", "kehoach.docx", rng.randbytes(4096)),
        ("random bytes, a few MB", "kehoach.pdf", rng.randbytes(3 * 1024 * 1024)),
        ("docx cut in half", "kehoach.docx", docx[: len(docx) // 2]),
        ("docx cut after its header", "kehoach.docx", docx[:100]),
        ("docx missing its last byte", "kehoach.docx", docx[:-1]),
        ("docx corrupted", "kehoach.docx", _corrupt(docx, 1)),
        ("xlsx cut in half", "ngansach.xlsx", xlsx[: len(xlsx) // 2]),
        ("xlsx corrupted", "ngansach.xlsx", _corrupt(xlsx, 2)),
        (
            "zip of something else",
            "kehoach.docx",
            _zip({"readme.txt": b"hello", "a/b.bin": b"\x00" * 10}),
        ),
        (
            "zip with a broken document.xml",
            "kehoach.docx",
            _zip({"word/document.xml": b"<w:document><w:body>"}),
        ),
        (
            "zip with a broken workbook.xml",
            "ngansach.xlsx",
            _zip({"xl/workbook.xml": b"<workbook"}),
        ),
        (
            "zip with garbage document.xml",
            "kehoach.docx",
            _zip({"word/document.xml": rng.randbytes(2048)}),
        ),
        ("empty zip", "kehoach.docx", _zip({})),
        ("image renamed .docx", "kehoach.docx", _png()),
        ("jpeg header renamed .docx", "kehoach.docx", b"\xff\xd8\xff\xe0" + rng.randbytes(2048)),
        ("PDF header then garbage", "kehoach.pdf", b"%PDF-1.7\n" + rng.randbytes(8192)),
        ("PDF header only", "kehoach.pdf", b"%PDF"),
        (
            "PDF header then a few MB of garbage",
            "kehoach.pdf",
            b"%PDF-1.4\n" + rng.randbytes(2 * 1024 * 1024),
        ),
        ("Word 97 signature", "kehoach.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024)),
        ("UTF-16 text", "kehoach.txt", "Kế hoạch\tQuý I/2026\n".encode("utf-16")),
        ("UTF-16 without BOM", "kehoach.txt", "Kế hoạch\tQuý I/2026\n".encode("utf-16-le")),
        ("UTF-16 odd length", "kehoach.txt", "Kế hoạch".encode("utf-16") + b"\x00"),
        ("latin-1 text", "kehoach.txt", "Kế hoạch".encode("cp1258", "replace") + b"\xe9\xe8"),
        ("20,000 tab-separated lines", "kehoach.txt", tsv.encode()),
        ("NULs", "kehoach.txt", bytes(10_000)),
        ("only whitespace", "kehoach.txt", b" \n\t\r\n" * 1000),
        ("one very long line", "kehoach.txt", ("Quý I/2026 " * 200_000).encode()),
    ]


CASES = _cases()


@pytest.mark.parametrize(("name", "data"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_garbage_gives_a_draft_or_a_vietnamese_message(name, data):
    started = time.perf_counter()
    try:
        draft_from_bytes(data, name=name)
    except UnsupportedDocument as exc:
        elapsed = time.perf_counter() - started
        assert str(ACCEPTED) in exc.message, exc.message
        assert "Tệp" in exc.message or "tệp" in exc.message, exc.message
        assert elapsed < SLOW, f"took {elapsed:.1f} s"
    else:
        elapsed = time.perf_counter() - started
        assert elapsed < SLOW, f"took {elapsed:.1f} s"


@pytest.mark.parametrize("seed", range(20))
def test_truncated_docx_at_random_points(seed):
    docx = plan_docx()
    cut = random.Random(seed).randrange(1, len(docx))
    started = time.perf_counter()
    try:
        draft_from_bytes(docx[:cut], name="kehoach.docx")
    except UnsupportedDocument as exc:
        assert str(ACCEPTED) in exc.message, exc.message
    elapsed = time.perf_counter() - started
    assert elapsed < SLOW, f"cut at {cut}: took {elapsed:.1f} s"
