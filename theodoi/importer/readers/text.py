"""Reading plan text as the seeds hold it (text converted from Word or PDF): pure functions.

Tab-separated lines are table rows, Markdown pipe lines are table rows, everything else is a
paragraph. Conversion remnants (``<b>``, ``<p>``, ``<ul><li>``, ``<br>``, LaTeX comparators) are
cleaned from the text; a row whose filled cells are all ``<b>`` is marked bold, because bold
rows are section rows or repeated headers. Tables are split wherever the source has a non-table
line; joining the pieces of one logical table is the recogniser's job.
"""

import re

from theodoi.importer.document import Document, Paragraph, Row, Table
from theodoi.plans.deadline import normalize_text

_BOLD_CELL_RE = re.compile(r"^\s*(?:<b>|\*\*)(.*?)(?:</b>|\*\*)\s*$", re.DOTALL)
_PIPE_SEPARATOR_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-*:?\s*)*\|?\s*$")
_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*)$")
_LIST_ITEM_RE = re.compile(r"<li\b[^>]*>", re.IGNORECASE)


def clean_cell(raw: str) -> str:
    """The readable text of one cell or line: remnants removed, list items kept as lines."""
    text = _LIST_ITEM_RE.sub("\n", raw)
    return normalize_text(text, keep_dashes=True).strip()


def _is_bold(raw: str) -> bool:
    return bool(_BOLD_CELL_RE.match(raw))


def _row(raw_cells: list[str], line_number: int, *, is_header: bool = False) -> Row:
    filled = [cell for cell in raw_cells if cell.strip()]
    return Row(
        cells=[clean_cell(cell) for cell in raw_cells],
        source=f"line {line_number}",
        is_header=is_header,
        bold=bool(filled) and all(_is_bold(cell) for cell in filled),
    )


def _pipe_cells(line: str) -> list[str]:
    stripped = line.strip()
    if stripped.startswith("|"):
        stripped = stripped[1:]
    if stripped.endswith("|"):
        stripped = stripped[:-1]
    return stripped.split("|")


def read_text(text: str, *, name: str = "") -> Document:
    document = Document(name=name)
    table: Table | None = None
    pipe_header_pending = False
    for line_number, line in enumerate(text.splitlines(), start=1):
        if "\t" in line:
            if table is None or pipe_header_pending:
                table = Table(source=f"line {line_number}")
                document.blocks.append(table)
                pipe_header_pending = False
            table.rows.append(_row(line.rstrip("\n").split("\t"), line_number))
            continue
        if line.lstrip().startswith("|") and line.count("|") >= 2:
            if _PIPE_SEPARATOR_RE.match(line):
                continue
            if table is None:
                table = Table(source=f"line {line_number}")
                document.blocks.append(table)
                # In Markdown the first line of a pipe table is its header.
                table.rows.append(_row(_pipe_cells(line), line_number, is_header=True))
                continue
            table.rows.append(_row(_pipe_cells(line), line_number))
            continue
        if not line.strip():
            # A blank line ends a table: pages of one table are joined later by their headers.
            table = None
            continue
        table = None
        heading = _HEADING_RE.match(line.strip())
        raw = heading.group(2) if heading else line
        document.blocks.append(
            Paragraph(
                text=clean_cell(raw),
                source=f"line {line_number}",
                heading=len(heading.group(1)) if heading else 0,
                bold=_is_bold(raw),
            )
        )
    document.blocks = [
        block for block in document.blocks if not isinstance(block, Paragraph) or block.text
    ]
    return document
