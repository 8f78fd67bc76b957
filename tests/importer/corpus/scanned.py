"""``scanned-plan.pdf``: a signed ward plan scanned to an image-only PDF, made from its text.

The text is typeset with DejaVu Serif on A4 at 200 dpi, then each page goes "through the
scanner": turned by about a degree, blurred a little, with grey grain and dust specks. The
random choices are seeded, so every build gives the same pages.
"""

import io
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent

SCAN_DPI = 200
_A4 = (round(8.27 * SCAN_DPI), round(11.69 * SCAN_DPI))
_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
# Margins of an administrative document (Decree 30/2020): 3 cm left, 2 cm right, 2 cm top/bottom.
_LEFT, _RIGHT, _TOP = (round(cm / 2.54 * SCAN_DPI) for cm in (3.0, 2.0, 2.0))
_FONT_PT = 13


def scanned_plan_pdf() -> bytes:
    """``scanned-plan.pdf``: the corpus plan ``scanned-plan.md`` as a ward receives it."""
    return scan_text((HERE / "scanned-plan.md").read_text(encoding="utf-8"))


def narrative_scan_pdf() -> bytes:
    """``narrative-scan.pdf``: the prose plan ``narrative-ubnd.md``, whose tasks name their
    units and deadlines in their sentences, as a scan."""
    return scan_text((HERE / "narrative-ubnd.md").read_text(encoding="utf-8"))


def scan_text(text: str, *, seed: int = 57) -> bytes:
    """``text`` typeset on A4 pages, printed at 200 dpi, then "scanned": each page turned by
    about a degree, with grey noise and dark specks, saved as images only (no text layer), as a
    signed plan comes out of an office scanner."""
    rng = random.Random(seed)
    pages = [_scanned(page, rng) for page in _typeset(text)]
    first, *rest = pages
    buffer = io.BytesIO()
    first.save(buffer, "PDF", save_all=True, append_images=rest, resolution=float(SCAN_DPI))
    for page in pages:
        page.close()
    return buffer.getvalue()


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
