"""How long reading and recognising each seed plan takes, and saving it into a ward.

Run: .venv/bin/python bench/import_speed.py  (SQLite in a temporary folder unless DATABASE_URL
is set). Prints one row per seed: characters, pages (at 2,400 characters a page), read+recognise
median of 5 runs, and one save into a fresh ward; then a Word plan of about 30 pages, and a
30-page scanned plan: its OCR once (ocrmypdf, when installed), then reading its text layer and
recognising it, median of 3 runs.
"""

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "theodoi.settings")
os.environ.setdefault("THEODOI_DATA_DIR", tempfile.mkdtemp(prefix="theodoi-bench-"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from theodoi.core.access import SYSTEM  # noqa: E402
from theodoi.demo.services import SEEDS_DIR  # noqa: E402
from theodoi.importer.pipeline import draft_from_bytes  # noqa: E402
from theodoi.importer.services import import_draft  # noqa: E402
from theodoi.org.models import Organization  # noqa: E402

CHARS_PER_PAGE = 2400


def main() -> None:
    call_command("migrate", verbosity=0)
    print(f"{'seed':<28} {'chars':>7} {'pages':>5} {'read ms':>8} {'save ms':>8} tasks")
    for index, path in enumerate(sorted(SEEDS_DIR.glob("*.txt"))):
        data = path.read_bytes()
        timings = []
        for _ in range(5):
            start = time.perf_counter()
            draft = draft_from_bytes(data, name=path.name)
            timings.append(time.perf_counter() - start)
        ward = Organization.objects.create(
            name=f"Phường {index}", code=f"BENCH{index}", kind="ward"
        )
        start = time.perf_counter()
        # The seeds were issued by other wards than the bench's: a person confirms.
        import_draft(
            actor=SYSTEM, draft=draft, ward=ward, source_name=path.name, confirm_other_issuer=True
        )
        saved = time.perf_counter() - start
        chars = len(data.decode("utf-8"))
        print(
            f"{path.name:<28} {chars:>7} {chars / CHARS_PER_PAGE:>5.0f} "
            f"{statistics.median(timings) * 1000:>8.0f} {saved * 1000:>8.0f} {len(draft.tasks)}"
        )


def thirty_pages() -> None:
    """Reading and recognising the 30-page plan of bench/big_plan.py in each format."""
    from bench.big_plan import BUILDERS, build

    plan = build()
    for kind, builder in BUILDERS.items():
        data = builder(plan)
        timings = []
        for _ in range(5):
            start = time.perf_counter()
            draft = draft_from_bytes(data, name=f"ke-hoach-30-trang.{kind}")
            timings.append(time.perf_counter() - start)
        print(
            f"{f'{kind}, {plan.pages():.0f} pages':<28} {plan.chars():>7} {plan.pages():>5.0f} "
            f"{statistics.median(timings) * 1000:>8.0f} {'':>8} {len(draft.tasks)}"
        )


def scanned_timing(pages: int = 30) -> None:
    """A scanned plan of ``pages`` pages (the corpus scan's text over and over): OCR's time,
    once, apart from the import's own time on the text layer OCR made."""
    from unittest import mock

    from tests.importer.corpus.scanned import HERE, scan_text
    from theodoi.importer.readers import ocr

    if ocr.missing():
        print(f"{'Scan, ' + str(pages) + ' pages':<28} skipped: apt-get install {ocr.PACKAGES}")
        return
    text = (HERE / "scanned-plan.md").read_text(encoding="utf-8")
    # The corpus plan is 3 pages: its tasks part repeated makes a long plan of the same kind.
    head, rest = text.split("II. NHIỆM VỤ VÀ GIẢI PHÁP", 1)
    tasks, tail = rest.split("III. TỔ CHỨC THỰC HIỆN", 1)
    long = head + "II. NHIỆM VỤ VÀ GIẢI PHÁP" + tasks * (pages * 2 // 3)
    data = scan_text(long + "III. TỔ CHỨC THỰC HIỆN" + tail)
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        count = len(pdf.pages)
    start = time.perf_counter()
    recognised = ocr.read_pages(data, pages=count)
    ocr_seconds = time.perf_counter() - start
    timings = []
    with mock.patch.object(ocr, "read_pages", lambda data, **kwargs: recognised):
        for _ in range(3):
            start = time.perf_counter()
            draft = draft_from_bytes(data, name="ke-hoach-quet.pdf")
            timings.append(time.perf_counter() - start)
    print(
        f"{'Scan, ' + str(count) + ' pages, no OCR':<28} {len(data):>7} {count:>5} "
        f"{statistics.median(timings) * 1000:>8.0f} {'':>8} {len(draft.tasks)}"
    )
    print(
        f"{'  OCR of those pages':<28} {'':>7} {count:>5} {ocr_seconds * 1000:>8.0f} "
        f"{'':>8} ({ocr_seconds / count:.1f} s a page, {os.cpu_count()} cores)"
    )


def speck_runs() -> None:
    """Cleaning an OCR line holding a long run of specks (" - - -"), as a badly scanned ruled
    table gives, at its end or before a last word: the time grows with the line's length, not
    its square."""
    from theodoi.importer.readers.pdf import recognised_lines

    for last in ("", " x"):
        for length in (1_000, 10_000, 100_000):
            line = "Kế hoạch" + " -" * (length // 2) + last
            start = time.perf_counter()
            recognised_lines(line)
            seconds = time.perf_counter() - start
            print(f"{'speck run' + last:<28} {length:>7} chars {seconds * 1000:>8.1f} ms")


def long_paragraph(words: int = 3000) -> None:
    """One body item of ``words`` words naming a lead in every sentence, some capitalised as
    units' names are: reading its assignment must stay linear in its length."""
    from theodoi.importer.readers.text import read_text
    from theodoi.importer.recognise.assignment import read_assignment
    from theodoi.importer.recognise.plan import recognise

    sentence = "Tổ Chức chủ trì Nâng Cao chất lượng dịch vụ công trực tuyến toàn trình cho dân"
    paragraph = " ".join([sentence] * (words // len(sentence.split())))
    body = f"II. NHIỆM VỤ, GIẢI PHÁP\n1. Hạ tầng số\na) {paragraph}.\n"
    for name, run in (
        (f"Assignment, {words} words", lambda: read_assignment(paragraph)),
        (f"Body item, {words} words", lambda: recognise(read_text(body))),
    ):
        timings = []
        for _ in range(3):
            start = time.perf_counter()
            run()
            timings.append(time.perf_counter() - start)
        print(f"{name:<28} {len(paragraph):>7} {'':>5} {statistics.median(timings) * 1000:>8.0f}")


if __name__ == "__main__":
    main()
    thirty_pages()
    scanned_timing()
    speck_runs()
    long_paragraph()
