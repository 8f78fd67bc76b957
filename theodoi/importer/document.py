"""The common shape every reader produces and every recogniser reads: pure data, no Django.

A document is a sequence of blocks in reading order: paragraphs and tables. Every block and row
keeps where it came from (``source``: "line 214", "table 3 row 7", "page 12"), so the draft can
show each task beside the row it was read from, and a warning can say where to look.
"""

from dataclasses import dataclass, field


@dataclass
class Paragraph:
    text: str
    source: str = ""
    # Markdown heading level (1–6) or 0; bold text of the whole paragraph counts as emphasis.
    heading: int = 0
    bold: bool = False


@dataclass
class Row:
    cells: list[str]
    source: str = ""
    # True for a row the reader knows to be a header (Word's "repeat as header row", a row of
    # bold cells right after a page break, a Markdown header line).
    is_header: bool = False
    # True when the whole row is bold or a single merged cell: typical of section rows.
    bold: bool = False
    # How many columns each cell covers when merged across: 1 for its own column, 0 for a
    # column covered by a cell to its left. Empty when the source does not say (text). A header
    # needs it: a group label ("Thời gian") stands over the columns it spans ("Bắt đầu",
    # "Hoàn thành"), but only its first column holds the text.
    spans: list[int] = field(default_factory=list)


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)
    source: str = ""

    @property
    def width(self) -> int:
        return max((len(row.cells) for row in self.rows), default=0)


Block = Paragraph | Table


@dataclass
class Document:
    blocks: list[Block] = field(default_factory=list)
    name: str = ""
    # Problems a reader met (an unreadable cell, a skipped image): they go to the draft's warnings.
    warnings: list[str] = field(default_factory=list)

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]
