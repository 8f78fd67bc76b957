"""Logical tables: the pieces of one table, split by page breaks, joined back together.

Readers give the tables as the source shows them: a page break starts a new piece, often with the
header repeated, and a cell cut by the break continues in the first row of the next piece. This
module joins the pieces, finds each table's header (one or two rows) and merges the continued
rows, so the recognisers see one table with one header and whole rows. Pure functions.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from theodoi.core.text import fold
from theodoi.importer.document import Block, Document, Paragraph, Row, Table

# Words that mark a header cell, folded. A header row has several such cells.
HEADER_WORDS = (
    "stt",
    "tt",
    "ma nhiem vu",
    "nhiem vu",
    "noi dung",
    "chi tieu",
    "don vi",
    "co quan",
    "chu tri",
    "phoi hop",
    "san pham",
    "ket qua",
    "thoi gian",
    "thoi han",
    "kpi",
    "ghi chu",
    "kinh phi",
    "tong",
    "nguoi dung dau",
    "moc thoi gian",
    "giai doan",
    "nguon",
    "du toan",
)
_YEAR_HEADER_RE = re.compile(r"^(nam\s+)?20\d\d$")
_COLUMN_NUMBER_RE = re.compile(r"^\(?\d{1,2}\)?$")
_CODE_RE = re.compile(r"^\s*(\d+(\.\d+)*\.?|[IVXLC]+\.?|[a-zđ]\))(\s|$)", re.IGNORECASE)
_LOWER_START_RE = re.compile(r"^[a-zà-ỹđ(,;.…-]")


@dataclass
class LogicalRow:
    cells: list[str]
    sources: list[str]
    bold: bool = False

    @property
    def source(self) -> str:
        return ", ".join(self.sources)

    def cell(self, index: int | None) -> str:
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index]


@dataclass
class LogicalTable:
    header: list[str]
    rows: list[LogicalRow] = field(default_factory=list)
    source: str = ""
    # The paragraphs just before the table ("PHỤ LỤC III", "DỰ TOÁN KINH PHÍ …", "Biểu 1"):
    # they tell what the table is.
    context: list[str] = field(default_factory=list)

    @property
    def width(self) -> int:
        return len(self.header)

    def column(self, *words: str) -> int | None:
        """Index of the first column whose folded header contains any of ``words``."""
        for index, label in enumerate(self.header):
            folded = fold(label)
            if any(word in folded for word in words):
                return index
        return None


def _is_header_cell(text: str) -> bool:
    folded = fold(text)
    if not folded or len(folded) > 90:
        return False
    if _YEAR_HEADER_RE.match(folded):
        return True
    return any(
        folded == word or folded.startswith(word + " ") or f" {word}" in f" {folded}"
        for word in HEADER_WORDS
    )


def is_header_row(row: Row) -> bool:
    if row.is_header:
        return True
    filled = [cell for cell in row.cells if cell.strip()]
    if len(filled) < 2:
        return False
    headerish = sum(1 for cell in filled if _is_header_cell(cell))
    return headerish >= 2 and headerish * 2 >= len(filled)


def _is_column_numbers(row: Row) -> bool:
    """A row that only numbers the columns ("1 2 3" or "(1) (2) (3)") under a header."""
    filled = [cell.strip() for cell in row.cells if cell.strip()]
    return len(filled) >= 2 and all(_COLUMN_NUMBER_RE.match(cell) for cell in filled)


# Between the parts of a label read from a header of several rows: the group cell above, then
# the column's own name ("Đơn vị thực hiện — Chủ trì"), so finders of either part still match.
GROUP_SEPARATOR = " — "


def lowest_label(label: str) -> str:
    """The column's own name in a label of several header rows: "2026" of "Mục tiêu — 2026"."""
    return label.rsplit(GROUP_SEPARATOR, 1)[-1]


def _header_labels(rows: list[Row], width: int) -> list[str]:
    """One label per column from the header rows: a group cell merged across ("Thời gian")
    stands over each column it spans, before the column's own name below it ("Thời gian —
    Hoàn thành"); a label merged down and repeated in the row below counts once."""
    rows = [row for row in rows if not _is_column_numbers(row)]
    parts: list[list[str]] = [[] for _ in range(width)]
    for position, row in enumerate(rows):
        below = rows[position + 1] if position + 1 < len(rows) else None
        for index, text in enumerate(_spread(row, below)[:width]):
            if text and (not parts[index] or parts[index][-1] != text):
                parts[index].append(text)
    return [GROUP_SEPARATOR.join(labels) for labels in parts]


def _group_ends(row: Row, below: Row | None) -> dict[int, int]:
    """For each group cell of ``row`` (merged across), the index after its last column. The
    reader says which cells are merged; for text, a label followed by empty cells over labels
    in the row below is a group over them."""
    ends: dict[int, int] = {}
    if row.spans:
        for index, span in enumerate(row.spans):
            if span > 1:
                ends[index] = index + span
        return ends
    if below is None:
        return ends
    lower = [cell.strip() for cell in below.cells]
    for index, text in enumerate(row.cells):
        text = text.strip()
        if not text or index >= len(lower) or not lower[index] or lower[index] == text:
            continue
        end = index + 1
        while (
            end < len(row.cells) and end < len(lower) and not row.cells[end].strip() and lower[end]
        ):
            end += 1
        if end > index + 1:
            ends[index] = end
    return ends


def _spread(row: Row, below: Row | None) -> list[str]:
    labels = [cell.strip() for cell in row.cells]
    for index, end in _group_ends(row, below).items():
        for covered in range(index + 1, min(end, len(labels))):
            labels[covered] = labels[index]
    return labels


def _is_lower_header(row: Row, upper: Row) -> bool:
    """The second row of a header: the column names under the group cells of ``upper``, beside
    labels merged down from it, and nothing that reads as data (a task code)."""
    ends = _group_ends(upper, row)
    under = {c for index, end in ends.items() for c in range(index, end)}
    filled = [(i, cell.strip()) for i, cell in enumerate(row.cells) if cell.strip()]
    if not under or not filled or any(_CODE_RE.match(text) for _, text in filled[:1]):
        return False
    if not any(i in under for i, _ in filled):
        return False
    return all(
        i in under
        or (i < len(upper.cells) and upper.cells[i].strip() == text)
        or _is_header_cell(text)
        for i, text in filled
    )


def same_header(first: list[str], second: list[str]) -> bool:
    """True when two header rows are the same header, repeated after a page break. A repeated
    header may carry a word cut from the page before ("…, đánh giá công"), so a label that
    extends the other still matches; and it may repeat only the group row of a header of two
    rows ("Đơn vị thực hiện" over "Chủ trì | Phối hợp"), when only that row repeats."""
    if not first or len(first) != len(second):
        return False
    if _agree(first, second):
        return True
    return _same_groups(first, second) or _same_groups(second, first)


def _same_groups(whole: list[str], repeated: list[str]) -> bool:
    """True when ``repeated`` is the group row of the header ``whole`` of several rows."""
    groups = [label.split(GROUP_SEPARATOR, 1)[0] for label in whole]
    if groups == whole:
        return False
    tops = [label.split(GROUP_SEPARATOR, 1)[0] for label in repeated]
    for index in range(1, len(tops)):
        # The group's text stands in its first column only.
        if not tops[index] and groups[index] and groups[index] == groups[index - 1]:
            tops[index] = tops[index - 1]
    return _agree(groups, tops)


def _agree(first: list[str], second: list[str]) -> bool:
    agree = 0
    for a, b in zip(first, second, strict=True):
        a, b = fold(a), fold(b)
        if a == b or (a and b and (a.startswith(b) or b.startswith(a))):
            agree += 1
    return agree >= len(first) - 1 and agree >= 2


def _padded(cells: list[str], width: int) -> list[str]:
    return (cells + [""] * width)[:width] if len(cells) < width else cells


def is_continuation(row: LogicalRow) -> bool:
    """A row that carries on the previous row's cells after a page break: no code of its own
    and text that starts in the middle of a sentence."""
    filled = [cell.strip() for cell in row.cells if cell.strip()]
    if not filled:
        return False
    if any(_CODE_RE.match(cell) for cell in row.cells[:2] if cell.strip()):
        return False
    return bool(_LOWER_START_RE.match(filled[0]))


def _merge_into(previous: LogicalRow, row: LogicalRow) -> None:
    for index, cell in enumerate(row.cells):
        if not cell.strip():
            continue
        if index >= len(previous.cells):
            previous.cells.extend([""] * (index + 1 - len(previous.cells)))
        joined = f"{previous.cells[index]} {cell.strip()}" if previous.cells[index] else cell
        previous.cells[index] = joined.strip()
    previous.sources.extend(row.sources)


def logical_tables(document: Document) -> list[LogicalTable]:
    """Join the document's table pieces into logical tables with headers and whole rows."""
    result: list[LogicalTable] = []
    context: list[str] = []
    current: LogicalTable | None = None
    paragraphs_since_table = 0
    for block in _unstacked(document.blocks):
        if isinstance(block, Paragraph):
            context = (context + [block.text])[-4:]
            paragraphs_since_table += 1
            continue
        if not isinstance(block, Table) or not block.rows:
            continue
        header_rows: list[Row] = []
        body = list(block.rows)
        # A title row inside the table (a spreadsheet's first merged row "PHỤ LỤC III …")
        # belongs to the context, when a header follows it.
        while (
            len(body) > 1
            and _is_title_row(body[0])
            and any(is_header_row(row) for row in body[1:3])
        ):
            context = (context + [next(c for c in body.pop(0).cells if c.strip())])[-4:]
        while body and (
            is_header_row(body[0])
            or (header_rows and _is_column_numbers(body[0]))
            or (header_rows and _is_lower_header(body[0], header_rows[-1]))
        ):
            header_rows.append(body.pop(0))
        # A second header row may hold only the lower labels ("Năm 2026 …" under a merged cell).
        while header_rows and body and _is_subheader(body[0]):
            header_rows.append(body.pop(0))
        width = max(block.width, current.width if current else 0)
        labels = _header_labels(header_rows, block.width) if header_rows else []
        continues = current is not None and (
            (labels and same_header(labels, current.header))
            or (not labels and paragraphs_since_table == 0 and block.width <= current.width)
        )
        if continues and current is not None and current.rows:
            _restore_cut_words(labels, current)
        if not continues or current is None:
            current = LogicalTable(
                header=labels or [""] * block.width, source=block.source, context=context
            )
            result.append(current)
            width = current.width
            piece_start = True
        else:
            piece_start = True
        for position, raw in enumerate(body):
            # "1 2 3 …" numbers the columns only right under a header; elsewhere a row of
            # small numbers is data.
            if position == 0 and header_rows and _is_column_numbers(raw):
                continue
            row = LogicalRow(
                cells=_padded(list(raw.cells), width), sources=[raw.source], bold=raw.bold
            )
            if piece_start and current.rows and is_continuation(row):
                _merge_into(current.rows[-1], row)
            elif any(cell.strip() for cell in row.cells):
                current.rows.append(row)
            piece_start = False
        paragraphs_since_table = 0
        context = []
    return result


def _restore_cut_words(labels: list[str], table: LogicalTable) -> None:
    """A word a page break pushed into the repeated header ("… đánh giá công") goes back to the
    cell it was cut from: the same column of the last row before the break."""
    last = table.rows[-1]
    for index, (label, first) in enumerate(zip(labels, table.header, strict=False)):
        label, first = label.strip(), first.strip()
        if first and label.startswith(first) and len(label) > len(first):
            tail = label[len(first) :].strip()
            if index < len(last.cells) and not last.cells[index].endswith(tail):
                last.cells[index] = f"{last.cells[index]} {tail}".strip()


def _unstacked(blocks: list[Block]) -> Iterator[Block]:
    """The blocks, with the tables a sheet holds one under the other told apart: after rows of
    data, title rows ("PHỤ LỤC II: CHỈ TIÊU …") followed by a header start another table. The
    titles become paragraphs before it, as they would be in a Word file."""
    for block in blocks:
        if not isinstance(block, Table):
            yield block
            continue
        rows = block.rows
        filled = [i for i, row in enumerate(rows) if any(cell.strip() for cell in row.cells)]
        start, source, data_seen = 0, block.source, False
        position = 0
        while position < len(filled):
            index = filled[position]
            titles = position
            while titles < len(filled) and _is_title_row(rows[filled[titles]]):
                titles += 1
            starts_table = (
                data_seen
                and titles > position
                and titles - position <= 3
                and titles < len(filled)
                and is_header_row(rows[filled[titles]])
            )
            if not starts_table:
                data_seen = data_seen or not is_header_row(rows[index])
                position += 1
                continue
            yield Table(rows[start:index], source=source)
            for title in filled[position:titles]:
                text = next(cell for cell in rows[title].cells if cell.strip())
                yield Paragraph(text.strip(), rows[title].source)
            start = filled[titles]
            source, data_seen = rows[start].source, False
            position = titles
        yield Table(rows[start:], source=source) if start else block


def _is_title_row(row: Row) -> bool:
    filled = [cell for cell in row.cells if cell.strip()]
    return len(filled) == 1 and not is_header_row(row) and not _CODE_RE.match(filled[0])


def _is_subheader(row: Row) -> bool:
    filled = [cell for cell in row.cells if cell.strip()]
    return bool(filled) and not row.cells[0].strip() and all(_is_header_cell(c) for c in filled)
