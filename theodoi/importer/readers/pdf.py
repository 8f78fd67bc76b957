"""Read a PDF with a text layer into a Document, page by page.

Tables are the ruled grids pdfplumber finds (a PDF exported from Word keeps its borders); the
text outside them becomes one Paragraph per line, in top-to-bottom order with the tables. A table
broken across pages stays one Table per page: joining them is the recogniser's job, as for the
text seeds whose rows are broken across pages.

A scan (most pages without text) is read by OCR (``readers.ocr``): each recognised line becomes a
Paragraph with its page and line, cleaned of what OCR makes of specks and misread bullets. A
scan's ruled tables come out as lines of text, since OCR gives no grid.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, BinaryIO

import pdfplumber
from django.utils.translation import gettext

from theodoi.importer.document import Block, Document, Paragraph, Row, Table
from theodoi.importer.readers import ACCEPTED, NeedsOcr, UnsupportedDocument, quoted

# A page with fewer visible characters than this has no text worth the name (a scanner's
# stamped date, a page number): the page is an image to be read by OCR.
LITTLE_TEXT = 40
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
# Bullet glyphs as Word's Symbol and Wingdings fonts put them in a PDF: read as "- " like Word's.
_BULLET = re.compile(r"^[\uf0b7\uf0a7\uf0d8\uf076\uf0a8\u2022\u25cf\u25aa\u25e6\u2023\u2043]\s*")
# A line that starts a new item inside a cell rather than continuing the previous one.
_ITEM = re.compile(r"^(- |\+ |\(?\d+(\.\d+)*[.)] |[a-zđ]\) )")

Box = tuple[float, float, float, float]


def read_pdf(
    data: bytes | BinaryIO,
    *,
    name: str = "",
    progress: Callable[[int, int], None] | None = None,
    ocr: bool = True,
) -> Document:
    """Read a PDF. A scan (most pages with little or no text) is read by OCR (``readers.ocr``),
    reporting ``progress(done, total)``, or raises NeedsOcr when ``ocr`` is False;
    UnsupportedDocument says which packages to install when OCR is not available."""
    raw = data if isinstance(data, bytes | bytearray) else data.read()
    stream = io.BytesIO(raw)
    document = Document(name=name)
    try:
        pdf = pdfplumber.open(stream)
    except Exception as exc:  # pdfminer raises many kinds for a broken or locked file
        raise _unreadable(name) from exc
    with pdf:
        try:
            pages = list(pdf.pages)
            little = [number for number, page in enumerate(pages, start=1) if _little_text(page)]
        except Exception as exc:  # a damaged page stream fails only when it is read
            raise _unreadable(name) from exc
        total = len(pages)
        if _is_scan(total, little) and not ocr:
            raise NeedsOcr
        if not _is_scan(total, little):
            for number, page in enumerate(pages, start=1):
                _read_page(page, number, document)
            # A page with no text at all is said by _read_page; one with a stamped line or a
            # page number only is most likely an image too, its few characters all that was read.
            faint = [number for number in little if pages[number - 1].chars]
            if faint:
                document.warnings.append(
                    gettext(
                        "Pages with very little text (each may be a scanned image with a stamp "
                        "or a page number on it): %(pages)s. Only that text was read, not the "
                        "rest of these pages."
                    )
                    % {"pages": _page_ranges(faint)}
                )
            return document
    return _read_scan(bytes(raw), total, little, document, progress)


def _little_text(page: Any) -> bool:
    return sum(1 for char in page.chars if char.get("text", "").strip()) < LITTLE_TEXT


def _is_scan(pages: int, little: list[int]) -> bool:
    # Half the pages or more: a typed plan with one scanned signature page is read as typed,
    # its image page said in a warning (no text, or very little), rather than waiting for OCR
    # of every page.
    return pages > 0 and len(little) * 2 >= pages


def _read_scan(
    data: bytes,
    pages: int,
    little: list[int],
    document: Document,
    progress: Callable[[int, int], None] | None,
) -> Document:
    from theodoi.importer.readers import ocr

    texts = ocr.read_pages(data, pages=pages, name=document.name, progress=progress)
    document.warnings.append(
        gettext(
            "The document is a scan: its text was recognised by OCR (pages %(pages)s had no "
            "text layer). OCR misreads some letters and numbers: check the titles, units and "
            "deadlines against the paper copy."
        )
        % {"pages": _page_ranges(little)}
    )
    for number, text in enumerate(texts, start=1):
        lines = recognised_lines(text)
        if not lines:
            document.warnings.append(
                gettext(
                    "Page %(number)s: OCR recognised no text on this page (a blank page, a "
                    "picture, or a scan too faint to read): the content of this page was not "
                    "read."
                )
                % {"number": number}
            )
        document.blocks.extend(
            Paragraph(line, f"page {number} line {index}")
            for index, line in enumerate(lines, start=1)
        )
    return document


def _page_ranges(numbers: list[int]) -> str:
    """ "1–3, 5" for pages 1, 2, 3 and 5."""
    ranges: list[str] = []
    for number in numbers:
        if ranges and int(ranges[-1].split("–")[-1]) == number - 1:
            ranges[-1] = f"{ranges[-1].split('–')[0]}–{number}"
        else:
            ranges.append(str(number))
    return ", ".join(ranges)


def _unreadable(name: str) -> UnsupportedDocument:
    return UnsupportedDocument(
        gettext(
            "Could not read the PDF file%(name)s: the file is damaged or password-protected. "
            "%(accepted)s"
        )
        % {"name": quoted(name), "accepted": ACCEPTED}
    )


def _read_page(page: Any, number: int, document: Document) -> None:
    if not page.chars:
        document.warnings.append(
            gettext(
                "Page %(number)s has no text layer (it may be a scanned image): the content of "
                "this page was not read."
            )
            % {"number": number}
        )
        return
    try:
        found = page.find_tables()
        placed = _tables(page, found, number) + _lines(page, found, number)
    except Exception:  # one malformed page must not lose the rest of the plan
        document.warnings.append(
            gettext("Could not read page %(number)s of the PDF file.") % {"number": number}
        )

        return
    placed.sort(key=lambda item: item[0])
    document.blocks.extend(block for _, block in placed)


def _tables(page: Any, tables: list[Any], number: int) -> list[tuple[float, Block]]:
    placed: list[tuple[float, Block]] = []
    for index, found in enumerate(tables, start=1):
        source = f"page {number} table {index}"
        table = Table(source=source)
        chars = _within(page.chars, found.bbox)
        for row_number, (texts, boxes) in enumerate(
            zip(found.extract(), (row.cells for row in found.rows), strict=False), start=1
        ):
            table.rows.append(
                Row(
                    [_cell_text(text) for text in texts],
                    source=f"{source} row {row_number}",
                    bold=_row_bold(texts, boxes, chars),
                )
            )
        _mark_header(table)
        if table.rows:
            placed.append((found.bbox[1], table))
    return placed


def _lines(page: Any, tables: list[Any], number: int) -> list[tuple[float, Block]]:
    boxes = [found.bbox for found in tables]
    outside = page.filter(lambda obj: not any(_inside(obj, box) for box in boxes))
    placed: list[tuple[float, Block]] = []
    lines = outside.extract_text_lines(return_chars=True)
    for index, line in enumerate((line for line in lines if _clean(line["text"])), start=1):
        paragraph = Paragraph(
            _clean(line["text"]), f"page {number} line {index}", bold=_all_bold(line["chars"])
        )
        placed.append((line["top"], paragraph))
    return placed


def _mark_header(table: Table) -> None:
    """A bold first row of labels is the header, repeated on each page the table runs over."""
    if table.rows:
        first = table.rows[0]
        first.is_header = first.bold and sum(1 for cell in first.cells if cell) >= 2


def _row_bold(texts: list[str | None], boxes: list[Box | None], chars: list[Any]) -> bool:
    if texts and texts[0] and all(text is None for text in texts[1:]) and len(texts) > 1:
        return True  # one cell merged across the full width: a section row
    filled = [box for text, box in zip(texts, boxes, strict=False) if text and box]
    return bool(filled) and all(_all_bold(_within(chars, box)) for box in filled)


def _within(chars: Iterable[Any], box: Box) -> list[Any]:
    return [char for char in chars if _inside(char, box)]


def _inside(obj: dict[str, Any], box: Box) -> bool:
    """Whether the centre of ``obj`` lies in ``box`` (x0, top, x1, bottom)."""
    if "x0" not in obj or "top" not in obj:
        return False
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _all_bold(chars: list[Any]) -> bool:
    visible = [char for char in chars if char.get("text", "").strip()]
    return bool(visible) and all(_BOLD_FONT.search(char.get("fontname", "")) for char in visible)


def _cell_text(text: str | None) -> str:
    """A cell's text with the lines its narrow column wrapped joined back together.

    A PDF keeps no paragraphs, only visual lines: "Đơn vị\nchủ trì" must read "Đơn vị chủ trì"
    to match a header. A line that starts a bullet or numbered item keeps its own line.
    """
    joined = ""
    for line in (_clean(part) for part in (text or "").split("\n")):
        if not line:
            continue
        if not joined:
            joined = line
        elif _ITEM.match(line):
            joined += "\n" + line
        elif joined.endswith("-") and not joined.endswith(" -"):
            joined += line  # a word broken at its hyphen: "HĐND-" + "UBND"
        else:
            joined += " " + line
    return joined


def _clean(text: str | None) -> str:
    # Decomposed Vietnamese and non-breaking spaces would defeat matching later on.
    text = unicodedata.normalize("NFC", text or "").replace("\xa0", " ").strip()
    return _BULLET.sub("- ", text)


# What OCR makes of a scan's specks and of a bullet's dash around a line's words: dots, colons,
# quotes, tildes and underscores that are not in the document.
_OCR_DASHES = "-–—~_=*•"
_OCR_PREFIX = re.compile(r"^[\s.,:;'\"`´‘’“”¡¬‹›„|" + re.escape(_OCR_DASHES) + "]+")
_OCR_TAIL = "-–—.,:;'\"`´‘’“”~_=*¡¬‹›„|"
# "Thời gian hoàn thành:", "Đơn vị thực hiện:": a label line, which a speck must not turn into a
# bullet point.
_OCR_LABEL = re.compile(r"^\w[\w ]{0,30}:")
# A quarter is written in Roman numerals ("Quý III/2026"), which OCR reads as "11", "1V", "TV".
_OCR_QUARTER = re.compile(r"\b(Quý|quý|QUÝ)(\s+)([IVX1lT|Ĩí]{1,4})(?=\s*[/.,;)\s]|$)")


def recognised_lines(page: str) -> list[str]:
    """The lines of a page of OCR text, cleaned, without the empty ones. A quarter's Roman
    numeral is put back before the page is cut into lines, since a line may end on "quý" and
    the next begin with its numeral."""
    page = unicodedata.normalize("NFC", page)
    page = _OCR_QUARTER.sub(lambda found: f"{found[1]}{found[2]}{_roman(found[3])}", page)
    return [line for line in map(_clean_recognised, page.splitlines()) if line]


def _clean_recognised(text: str | None) -> str:
    """A line of OCR text: a bullet's dash however misread ("_-", "~", "—", ".-") becomes the
    "- " the document wrote before a capital letter, specks read as punctuation before or after
    the words are dropped."""
    line = _without_specks_after(_clean(text))
    prefix = _OCR_PREFIX.match(line)
    if not prefix or prefix.group() == "- ":
        return line
    rest = line[prefix.end() :]
    dashed = any(char in _OCR_DASHES for char in prefix.group())
    if dashed and rest[:1].isupper() and not _OCR_LABEL.match(rest):
        return f"- {rest}"
    return rest


def _without_specks_after(line: str) -> str:
    """``line`` without the runs of speck punctuation standing after a space at its end ("phố.
    : :" → "phố."): punctuation touching the last word stays. One pass back from the end, in
    linear time: a regular expression with nested repeats takes quadratic time on a long
    " - - -" that ends in a letter."""
    end = len(line)
    while True:
        start = end
        while start and line[start - 1] in _OCR_TAIL:
            start -= 1
        space = start
        while space and line[space - 1].isspace():
            space -= 1
        if start == end or space == start:
            return line[:end]
        end = space


def _roman(numeral: str) -> str:
    """A quarter's numeral as OCR read it, back in Roman letters: "11" → "II", "TV" → "IV"."""
    return re.sub(r"[1lT|Ĩí]", "I", numeral)
