"""Read a Word (.docx) file into a Document: body paragraphs and tables in reading order.

python-docx gives the package and the styles; the body is walked as XML because its public API
lists paragraphs and tables separately (losing their order), repeats a merged cell's text in
every grid column it spans, and does not render list numbers.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import docx
from django.utils.translation import gettext
from docx.oxml.ns import qn

from theodoi.core.text import fold
from theodoi.importer.document import Document, Paragraph, Row, Table
from theodoi.importer.readers import ACCEPTED, UnsupportedDocument, quoted

_P, _TBL, _TR, _TC, _R = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:r")
_SDT, _SDT_CONTENT, _CUSTOM_XML = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
_SYM = qn("w:sym")
_MATH = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
# Children of a paragraph whose text is not shown: properties, tracked deletions, moved-away text.
_HIDDEN = {qn("w:pPr"), qn("w:del"), qn("w:moveFrom"), qn("w:rPr")}
_FALSE = {"0", "false", "off", "none"}
_HEADING = re.compile(r"heading\s*([1-9])", re.IGNORECASE)
# Characters of the Symbol and Wingdings fonts that plans use (≥ 90%, ticks in tables).
_SYMBOLS = {
    "F0B3": "≥",
    "F0A3": "≤",
    "F0B1": "±",
    "F0B4": "×",
    "F0B9": "≠",
    "F0AE": "→",
    "F0B8": "÷",
    "F0BB": "≈",
    "F0B7": "•",
    "F0FC": "✓",
}


def read_docx(data: bytes | BinaryIO, *, name: str = "") -> Document:
    """Read a .docx; raise UnsupportedDocument when the package cannot be opened."""
    stream = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    try:
        word = docx.Document(stream)
    except Exception as exc:  # python-docx raises many kinds for a broken package
        raise UnsupportedDocument(
            gettext(
                "Could not read the Word file%(name)s: the file is damaged or not in the .docx "
                "format. Open the file in Word, save it as .docx and upload it again. %(accepted)s"
            )
            % {"name": quoted(name), "accepted": ACCEPTED}
        ) from exc
    return _DocxReader(word, name).read()


def _clean(text: str) -> str:
    # Decomposed Vietnamese (typed with "Unicode tổ hợp") and non-breaking spaces would defeat
    # matching later on.
    return unicodedata.normalize("NFC", text).replace("\xa0", " ")


def _flag(element: Any, default: bool = True) -> bool:
    """An on/off property such as <w:b/> or <w:tblHeader w:val="0"/>."""
    if element is None:
        return False
    value = element.get(qn("w:val"))
    return default if value is None else value.lower() not in _FALSE


def _val(parent: Any, tag: str) -> str | None:
    """The w:val of ``parent``'s child ``tag``, None when either is missing."""
    child = parent.find(qn(tag)) if parent is not None else None
    return child.get(qn("w:val")) if child is not None else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _blocks(parent: Any, tags: frozenset[str] = frozenset({_P, _TBL})) -> Iterator[Any]:
    """Children with one of ``tags``, looking through content controls and custom XML."""
    for child in parent.iterchildren():
        if child.tag in tags:
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _blocks(content, tags)
        elif child.tag == _CUSTOM_XML:
            yield from _blocks(child, tags)


@dataclass
class _Style:
    name: str
    based_on: str | None
    bold: bool | None
    numbering: tuple[str, int] | None
    outline: int | None


def _parse_style(element: Any) -> _Style:
    bold = element.find(f"{qn('w:rPr')}/{qn('w:b')}")
    ppr = element.find(qn("w:pPr"))
    outline = _val(ppr, "w:outlineLvl")
    return _Style(
        name=_val(element, "w:name") or "",
        based_on=_val(element, "w:basedOn"),
        bold=_flag(bold) if bold is not None else None,
        numbering=_numbering_of(ppr),
        outline=_int(outline, 9) if outline is not None else None,
    )


def _numbering_of(ppr: Any) -> tuple[str, int] | None:
    """(numId, level) of a paragraph or style's <w:numPr>, if any."""
    num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
    if num_pr is None:
        return None
    return _val(num_pr, "w:numId") or "", _int(_val(num_pr, "w:ilvl"), 0)


class _Styles:
    """Style properties resolved along the basedOn chain (what Word would show)."""

    def __init__(self, word: Any) -> None:
        self._styles: dict[str, _Style] = {}
        self.default_paragraph: str | None = None
        for element in word.styles.element.findall(qn("w:style")):
            style_id = element.get(qn("w:styleId"), "")
            self._styles[style_id] = _parse_style(element)
            is_default = (element.get(qn("w:default")) or "").lower() in ("1", "true", "on")
            if element.get(qn("w:type")) == "paragraph" and is_default:
                self.default_paragraph = style_id

    def chain(self, style_id: str | None) -> Iterator[_Style]:
        seen: set[str] = set()
        while style_id and style_id in self._styles and style_id not in seen:
            seen.add(style_id)
            style = self._styles[style_id]
            yield style
            style_id = style.based_on

    def bold(self, style_id: str | None) -> bool | None:
        return next((s.bold for s in self.chain(style_id) if s.bold is not None), None)

    def numbering(self, style_id: str | None) -> tuple[str, int] | None:
        return next((s.numbering for s in self.chain(style_id) if s.numbering), None)

    def heading(self, style_id: str | None) -> int:
        for style in self.chain(style_id):
            if style.name.lower() == "title":
                return 1
            match = _HEADING.fullmatch(style.name.strip())
            if match:
                return min(int(match.group(1)), 6)
            if style.outline is not None and style.outline < 9:
                return min(style.outline + 1, 6)
        return 0


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class _List:
    abstract: str
    starts: dict[int, int] = field(default_factory=dict)


class _Numbering:
    """Renders list labels ("1.", "a)", "- ") that Word computes and never stores as text.

    Auto-numbered STT columns are common in plans: without this their cells would be empty.
    """

    def __init__(self, word: Any) -> None:
        self._levels: dict[str, dict[int, _Level]] = {}
        self._lists: dict[str, _List] = {}
        self._counters: dict[str, dict[int, int]] = {}
        try:
            root = word.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.findall(qn("w:abstractNum")):
            levels = {
                _int(lvl.get(qn("w:ilvl")), 0): self._level(lvl)
                for lvl in abstract.findall(qn("w:lvl"))
            }
            self._levels[abstract.get(qn("w:abstractNumId"), "")] = levels
        for num in root.findall(qn("w:num")):
            entry = _List(_val(num, "w:abstractNumId") or "")
            for override in num.findall(qn("w:lvlOverride")):
                start = _val(override, "w:startOverride")
                if start is not None:
                    entry.starts[_int(override.get(qn("w:ilvl")), 0)] = _int(start, 1)
            self._lists[num.get(qn("w:numId"), "")] = entry

    @staticmethod
    def _level(lvl: Any) -> _Level:
        return _Level(
            fmt=_val(lvl, "w:numFmt") or "decimal",
            text=_val(lvl, "w:lvlText") or "",
            start=_int(_val(lvl, "w:start"), 1),
        )

    def label(self, num_id: str, level: int) -> str:
        """The next label of list ``num_id`` at ``level``, advancing its counter."""
        entry = self._lists.get(num_id)
        levels = self._levels.get(entry.abstract, {}) if entry else {}
        if entry is None or level not in levels:
            return ""
        if levels[level].fmt == "bullet":
            return "-"
        if levels[level].fmt == "none":
            return ""
        # Lists sharing an abstract definition continue each other's numbers in Word, unless
        # one restarts with a startOverride.
        key = num_id if entry.starts else f"abstract:{entry.abstract}"
        counters = self._counters.setdefault(key, {})
        start = entry.starts.get(level, levels[level].start)
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        return self._render(levels, counters, level, entry)

    @staticmethod
    def _render(
        levels: dict[int, _Level], counters: dict[int, int], level: int, entry: _List
    ) -> str:
        def value(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            spec = levels.get(index, _Level())
            count = counters.get(index, entry.starts.get(index, spec.start))
            return _format_number(count, spec.fmt)

        return re.sub(r"%([1-9])", value, levels[level].text).strip()


def _format_number(number: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        while number > 0:
            number, rest = divmod(number - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(number)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt == "decimalZero" and number < 10:
        return f"0{number}"
    return str(number)


def _roman(number: int) -> str:
    parts = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC")]
    parts += [(50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    result = ""
    for value, letters in parts:
        count, number = divmod(number, value)
        result += letters * count
    return result


_MAX_COLUMNS = 63


@dataclass
class _Cell:
    text: str
    bold: bool
    span: int = 1
    # A cell merged down from the row above: the same value holds for this row too.
    merged_down: bool = False


class _DocxReader:
    def __init__(self, word: Any, name: str) -> None:
        self.word = word
        self.styles = _Styles(word)
        self.numbering = _Numbering(word)
        self.document = Document(name=name)

    def read(self) -> Document:
        paragraphs = tables = 0
        for element in _blocks(self.word.element.body):
            if element.tag == _P:
                text, bold, heading = self._paragraph(element)
                if text:
                    paragraphs += 1
                    self.document.blocks.append(
                        Paragraph(text, f"paragraph {paragraphs}", heading=heading, bold=bold)
                    )
            else:
                tables += 1
                table = self._table(element, tables)
                if _is_page_layout(table):
                    self._layout_paragraphs(table)
                else:
                    self.document.blocks.append(table)
        return self.document

    def _layout_paragraphs(self, table: Table) -> None:
        """A table that only lays out the page head or the signature gives its lines as
        paragraphs, as a person reads them: the left column down, then the right."""
        for column in range(table.width):
            for row in table.rows:
                text = row.cells[column] if column < len(row.cells) else ""
                for line in text.split("\n"):
                    if line.strip():
                        self.document.blocks.append(Paragraph(line.strip(), row.source))

    # Paragraphs -------------------------------------------------------------------------------

    def _paragraph(self, p: Any) -> tuple[str, bool, int]:
        """Text (with its list label), whether all of it is bold, and its heading level."""
        ppr = p.find(qn("w:pPr"))
        style_id = self._style_id(ppr)
        pieces = list(self._pieces(p, self.styles.bold(style_id)))
        text = _clean("".join(piece for piece, _ in pieces)).strip()
        visible = [bold for piece, bold in pieces if piece.strip() and bold is not None]
        bold = bool(text) and bool(visible) and all(visible)
        label = self._label(ppr, style_id)
        if label:
            text = f"{label} {text}".strip()
        return text, bold, self._heading(ppr, style_id) if text else 0

    def _style_id(self, ppr: Any) -> str | None:
        return _val(ppr, "w:pStyle") or self.styles.default_paragraph

    def _label(self, ppr: Any, style_id: str | None) -> str:
        numbering = _numbering_of(ppr) or self.styles.numbering(style_id)
        if numbering is None or numbering[0] in ("", "0"):
            return ""
        return self.numbering.label(*numbering)

    def _heading(self, ppr: Any, style_id: str | None) -> int:
        outline = _val(ppr, "w:outlineLvl")
        if outline is not None:
            level = _int(outline, 9)
            return min(level + 1, 6) if level < 9 else 0
        return self.styles.heading(style_id)

    def _pieces(self, parent: Any, style_bold: bool | None) -> Iterator[tuple[str, bool | None]]:
        """(text, bold) of each run in reading order, through hyperlinks, insertions, fields.

        Bold is None for text whose weight is unknown (equations), so it does not count.
        """
        for child in parent.iterchildren():
            tag = child.tag
            if tag == _R:
                yield self._run_text(child), self._run_bold(child, style_bold)
            elif tag in (f"{_MATH}oMath", f"{_MATH}oMathPara"):
                yield "".join(t.text or "" for t in child.iter(f"{_MATH}t")), None
            elif tag not in _HIDDEN and isinstance(tag, str):
                yield from self._pieces(child, style_bold)

    @staticmethod
    def _run_text(run: Any) -> str:
        text = run.text  # python-docx renders <w:t>, tabs and line breaks
        for sym in run.iterchildren(_SYM):
            text += _SYMBOLS.get((sym.get(qn("w:char")) or "").upper(), "")
        return text

    def _run_bold(self, run: Any, style_bold: bool | None) -> bool:
        rpr = run.find(qn("w:rPr"))
        if rpr is not None:
            direct = rpr.find(qn("w:b"))
            if direct is not None:
                return _flag(direct)
            bold = self.styles.bold(_val(rpr, "w:rStyle"))
            if bold is not None:
                return bold
        return bool(style_bold)

    # Tables -----------------------------------------------------------------------------------

    def _table(self, tbl: Any, index: int) -> Table:
        grid = len(tbl.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}"))
        rows = [(tr, self._row_cells(tr, index, number)) for number, tr in self._rows(tbl)]
        width = max([grid, *(sum(cell.span for cell in cells) for _, cells in rows)])
        table = Table(source=f"table {index}")
        above: list[str] = [""] * width
        for number, (tr, cells) in enumerate(rows, start=1):
            texts: list[str] = []
            spans: list[int] = []
            for cell in cells:
                column = len(texts)
                # A lead unit merged down over two tasks leads both: the text is repeated.
                first = above[column] if cell.merged_down and column < width else cell.text
                texts.extend([first] + [""] * (cell.span - 1))
                spans.extend([cell.span] + [0] * (cell.span - 1))
            texts += [""] * (width - len(texts))
            spans += [1] * (width - len(spans))
            above = texts
            table.rows.append(
                Row(
                    texts,
                    source=f"table {index} row {number}",
                    is_header=self._repeats_as_header(tr),
                    bold=_row_bold(cells, width),
                    spans=spans,
                )
            )
        return table

    @staticmethod
    def _rows(tbl: Any) -> Iterator[tuple[int, Any]]:
        return enumerate(_blocks(tbl, frozenset({_TR})), start=1)

    @staticmethod
    def _repeats_as_header(tr: Any) -> bool:
        trpr = tr.find(qn("w:trPr"))
        return trpr is not None and _flag(trpr.find(qn("w:tblHeader")))

    def _row_cells(self, tr: Any, table: int, row: int) -> list[_Cell]:
        """The row's cells in grid order, with blanks for skipped grid columns."""
        trpr = tr.find(qn("w:trPr"))
        cells = [_Cell("", False, self._grid(trpr, "w:gridBefore"))]
        for tc in _blocks(tr, frozenset({_TC})):
            cells.append(self._cell(tc, table, row))
        cells.append(_Cell("", False, self._grid(trpr, "w:gridAfter")))
        return [cell for cell in cells if cell.span > 0]

    @staticmethod
    def _grid(trpr: Any, tag: str) -> int:
        return min(max(_int(_val(trpr, tag), 0), 0), _MAX_COLUMNS)

    def _cell(self, tc: Any, table: int, row: int) -> _Cell:
        tcpr = tc.find(qn("w:tcPr"))
        # Word tables have at most 63 columns; a larger span is a crafted file.
        span = min(max(_int(_val(tcpr, "w:gridSpan"), 1), 1), _MAX_COLUMNS)
        if self._continues_merge(tcpr, "w:hMerge"):
            # The text of a block merged across stays in its first cell; Word hides the rest.
            return _Cell("", False, span)
        if self._continues_merge(tcpr, "w:vMerge"):
            return _Cell("", False, span, merged_down=True)
        lines: list[str] = []
        bolds: list[bool] = []
        for element in _blocks(tc):
            if element.tag == _P:
                text, bold, _ = self._paragraph(element)
                if text:
                    lines.append(text)
                    bolds.append(bold)
            else:
                lines.extend(self._flatten(element))
                bolds.append(False)
                self.document.warnings.append(
                    gettext(
                        "Table %(table)s, row %(row)s: the cell holds a nested table; the nested "
                        "table's content was merged into the cell's text."
                    )
                    % {"table": table, "row": row}
                )

        return _Cell("\n".join(lines), bool(lines) and all(bolds), span)

    @staticmethod
    def _continues_merge(tcpr: Any, tag: str) -> bool:
        if tcpr is None:
            return False
        element = tcpr.find(qn(tag))
        return element is not None and element.get(qn("w:val"), "continue") != "restart"

    def _flatten(self, tbl: Any) -> list[str]:
        """A nested table as lines of text, one per row, its cells separated by " | "."""
        lines = []
        for _, tr in self._rows(tbl):
            texts = []
            for tc in _blocks(tr, frozenset({_TC})):
                paragraphs = [self._paragraph(p)[0] for p in _blocks(tc, frozenset({_P}))]
                nested = [line for t in _blocks(tc, frozenset({_TBL})) for line in self._flatten(t)]
                text = " ".join(part for part in paragraphs + nested if part)
                if text:
                    texts.append(text)
            if texts:
                lines.append(" | ".join(texts))
        return lines


# Lines that only the page head or the signature of an administrative document holds, folded:
# its number, the national or the Party's motto, the list of recipients.
_LAYOUT_LINE = re.compile(
    r"^(so\s*:|cong hoa xa hoi chu nghia viet nam|dang cong san viet nam|noi nhan\s*:?)"
)


def _is_page_layout(table: Table) -> bool:
    """True for the borderless table Word plans use to set the issuing body beside the motto
    (number under the one, place and date under the other), or the recipients beside the
    signature: a few cells side by side, holding such a line."""
    if len(table.rows) > 4 or table.width > 3:
        return False
    lines = [fold(line) for row in table.rows for cell in row.cells for line in cell.split("\n")]
    return any(_LAYOUT_LINE.match(line) for line in lines)


def _row_bold(cells: list[_Cell], width: int) -> bool:
    filled = [cell for cell in cells if cell.text]
    if not filled:
        return False
    merged_across = len(cells) == 1 and cells[0].span == width and width > 1
    return merged_across or all(cell.bold for cell in filled)
