"""The corpus documents that are not committed as binaries, made from text committed beside them.

``python -m tests.importer.corpus.build OUTDIR`` writes every document of ``BUILDERS`` into
OUTDIR and copies the committed .md/.txt documents and .expected.json files next to them, so
``theodoi import_accuracy OUTDIR`` measures the whole corpus. Each builder is a function of the
output path that writes one document.
"""

from __future__ import annotations

import random
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent

# --- scanned-plan.pdf: a signed plan as a ward receives it, scanned to an image-only PDF ---

SCAN_DPI = 200
_A4 = (round(8.27 * SCAN_DPI), round(11.69 * SCAN_DPI))
_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
# Margins of an administrative document (Decree 30/2020): 3 cm left, 2 cm right, 2 cm top/bottom.
_LEFT, _RIGHT, _TOP = (round(cm / 2.54 * SCAN_DPI) for cm in (3.0, 2.0, 2.0))
_FONT_PT = 13


def scanned_plan(path: Path, *, source: Path | None = None, seed: int = 57) -> None:
    """``scanned-plan.md`` typeset on A4 pages, printed at 200 dpi, then "scanned": each page
    turned by about a degree, with grey noise and dark specks, saved as images only (no text
    layer), as a photocopied signed plan comes out of an office scanner."""
    text = (source or HERE / "scanned-plan.md").read_text(encoding="utf-8")
    rng = random.Random(seed)
    pages = [_scanned(page, rng) for page in _typeset(text)]
    first, *rest = pages
    first.save(path, "PDF", save_all=True, append_images=rest, resolution=float(SCAN_DPI))
    for page in pages:
        page.close()


def _fonts():
    from PIL import ImageFont

    size = round(_FONT_PT / 72 * SCAN_DPI)
    regular = ImageFont.truetype(str(_FONT_DIR / "DejaVuSerif.ttf"), size)
    bold = ImageFont.truetype(str(_FONT_DIR / "DejaVuSerif-Bold.ttf"), size)
    return regular, bold


def _typeset(text: str):
    """Pages of the text: the heading blocks centred, the signature right, the rest justified
    left and wrapped at the margins; a blank line leaves half a line of space."""
    from PIL import Image, ImageDraw

    regular, bold = _fonts()
    line_height = round(regular.size * 1.35)
    width = _A4[0] - _LEFT - _RIGHT
    bottom = _A4[1] - _TOP
    pages: list = []
    page = draw = None
    y = 0

    def new_page():
        nonlocal page, draw, y
        page = Image.new("L", _A4, 255)
        draw = ImageDraw.Draw(page)
        pages.append(page)
        y = _TOP

    new_page()
    blocks = text.split("\n\n")
    for number, block in enumerate(blocks):
        lines = block.strip("\n").splitlines()
        centred = number < 2  # the document's header and its title
        signature = number == len(blocks) - 1
        for line in lines:
            strong = centred and line.isupper() or _is_part(line) or signature and line.isupper()
            font = bold if strong else regular
            for piece in _wrap(line, font, width):
                if y + line_height > bottom:
                    new_page()
                length = font.getlength(piece)
                if centred:
                    x = _LEFT + (width - length) / 2
                elif signature:
                    x = _A4[0] - _RIGHT - length - 60
                else:
                    x = _LEFT
                draw.text((x, y), piece, font=font, fill=0)
                y += line_height
        y += line_height // 2
    return pages


def _is_part(line: str) -> bool:
    head = line.split(".", 1)[0]
    return bool(head) and len(head) <= 4 and set(head) <= set("IVX")


def _wrap(line: str, font, width: int) -> list[str]:
    words, lines, current = line.split(), [], ""
    for word in words:
        trial = f"{current} {word}".strip()
        if current and font.getlength(trial) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    return [*lines, current] if current else [""]


def _scanned(page, rng: random.Random):
    """One page through the scanner: a slight turn, blur, grey noise and specks."""
    from PIL import Image, ImageChops, ImageFilter

    angle = rng.uniform(0.7, 1.2) * rng.choice((-1, 1))
    turned = page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    turned = turned.filter(ImageFilter.GaussianBlur(0.5))
    noise = Image.frombytes("L", turned.size, rng.randbytes(turned.size[0] * turned.size[1]))
    # Grey grain: the page blended with uniform noise keeps ±12 levels of it.
    grainy = Image.blend(turned, noise, 0.1)
    # Specks of dust and toner, two pixels wide: one in 8,192 (256 × 32) of a half-size grid,
    # about 120 a page.
    half = (turned.size[0] // 2, turned.size[1] // 2)
    first = Image.frombytes("L", half, rng.randbytes(half[0] * half[1]))
    second = Image.frombytes("L", half, rng.randbytes(half[0] * half[1]))
    dust = ImageChops.lighter(
        first.point(lambda value: 0 if value == 255 else 255),
        second.point(lambda value: 0 if value < 8 else 255),
    ).resize(turned.size, Image.Resampling.NEAREST)
    scanned = ImageChops.darker(grainy, dust)
    for image in (turned, noise, first, second, dust):
        image.close()
    return scanned


BUILDERS: dict[str, Callable[[Path], None]] = {
    "scanned-plan.pdf": scanned_plan,
}


def build(outdir: Path) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, builder in BUILDERS.items():
        builder(outdir / name)
        written.append(outdir / name)
    for committed in sorted(HERE.iterdir()):
        if committed.suffix in (".md", ".txt", ".json"):
            shutil.copy(committed, outdir / committed.name)
            written.append(outdir / committed.name)
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tests.importer.corpus.build OUTDIR")
    for written in build(Path(sys.argv[1])):
        print(written)
