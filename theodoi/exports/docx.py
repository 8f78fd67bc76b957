"""The periodic report as a Word file in the official layout.

A People's Committee writes in the format of Nghị định 30/2020/NĐ-CP (Phụ lục I): A4, margins
20 mm top and bottom, 30 mm left, 15 mm right; Times New Roman; the issuing body and the number
on the left and the Quốc hiệu and Tiêu ngữ, place and date on the right of a borderless table;
page numbers centred at the top from the second page; the signature and "Nơi nhận" at the end.
A Party committee writes in the Party's format (Hướng dẫn 36-HD/VPTW): the upper Party body and
the committee on the left with a star below, "ĐẢNG CỘNG SẢN VIỆT NAM" on the right, and
"Số …-BC/ĐU".
"""

# The Vietnamese text here stays Vietnamese whatever the interface language: the report sent
# upward is an administrative document under Decree 30/2020/ND-CP, in Vietnamese by law.

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from theodoi.core.text import format_date

from .report import ReportContent, with_unit

FONT = "Times New Roman"
BODY_PT = 14
HEADER_PT = 13
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_WIDTH_CM = (PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"]) / 10
# Points between the line above a rule and the rule's paragraph.
RULE_GAP_PT = 6

# The elements that follow w:pBdr in w:pPr, and w:tblBorders in w:tblPr (w:tblCellMar is the
# third of them), in the order the schema fixes.
_PPR_AFTER_BORDER = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
_TBLPR_AFTER_BORDERS = (
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
    "w:tblPrChange",
)  # fmt: skip


def _font(run, size: float, *, bold=False, italic=False, underline=False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.underline = underline
    # Word picks the font per script: Vietnamese letters must not fall back to another face.
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)


def _paragraph(
    container,
    text: str = "",
    *,
    size: float = BODY_PT,
    bold=False,
    italic=False,
    underline=False,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = False,
    before: float = 0,
    after: float = 6,
):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = 1.0
    if indent:
        fmt.first_line_indent = Cm(1.27)
    if text:
        _font(paragraph.add_run(text), size, bold=bold, italic=italic, underline=underline)
    return paragraph


def _cell_paragraph(cell, text: str, **kwargs):
    """A centred line in a header cell; the cell's own empty first paragraph is used first."""
    kwargs.setdefault("align", WD_ALIGN_PARAGRAPH.CENTER)
    kwargs.setdefault("size", HEADER_PT)
    kwargs.setdefault("after", 0)
    first = cell.paragraphs[0]
    if len(cell.paragraphs) == 1 and not first.text and not first.runs:
        first._element.getparent().remove(first._element)
    return _paragraph(cell, text, **kwargs)


def _rule(container, width_cm: float, container_width_cm: float) -> None:
    """A solid line of ``width_cm`` centred under the text above (Nghị định 30 draws one under
    the issuing body, one under the Tiêu ngữ and one under the subject).

    The line is the top border of an empty paragraph, drawn where that paragraph begins: right
    at the bottom of the line above, through its descenders and the dots under Vietnamese
    vowels ("Hạnh", "Kế hoạch") unless the paragraph starts lower. Its space before
    (outside the border in Word and LibreOffice alike) puts the line clearly under the text."""
    if hasattr(container, "add_table"):
        paragraph = _paragraph(container, "", size=2, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    else:
        paragraph = _cell_paragraph(container, "", size=2)
    paragraph.paragraph_format.space_before = Pt(RULE_GAP_PT)
    side = max((container_width_cm - width_cm) / 2, 0)
    paragraph.paragraph_format.left_indent = Cm(side)
    paragraph.paragraph_format.right_indent = Cm(side)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        top.set(qn(key), value)
    borders.append(top)
    # Word insists on the schema's order of paragraph properties.
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_PPR_AFTER_BORDER)


def _widths(table, widths_cm: list[float]) -> None:
    """Fixed column widths that both Word and LibreOffice keep."""
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # a fixed layout
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def _borders(table, value: str) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), value)
        if value != "nil":
            for key, setting in (("w:sz", "4"), ("w:space", "0"), ("w:color", "auto")):
                element.set(qn(key), setting)
        borders.append(element)
    table._tbl.tblPr.insert_element_before(borders, *_TBLPR_AFTER_BORDERS)


def _borderless(table, widths_cm: list[float], *, indent_cm: float = 0) -> None:
    """A layout table: no borders, narrow cell margins so that the header lines fit; a negative
    indent lets it reach into the wide left margin, as official templates do."""
    _borders(table, "nil")
    if indent_cm:
        indent = OxmlElement("w:tblInd")
        indent.set(qn("w:w"), str(round(indent_cm / 2.54 * 1440)))
        indent.set(qn("w:type"), "dxa")
        table._tbl.tblPr.insert_element_before(indent, "w:tblBorders", *_TBLPR_AFTER_BORDERS)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), "28")  # twentieths of a point: 0.05 cm
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.insert_element_before(margins, *_TBLPR_AFTER_BORDERS[3:])
    _widths(table, widths_cm)
    if indent_cm:
        table.alignment = WD_TABLE_ALIGNMENT.LEFT


def _grid(table, widths_cm: list[float]) -> None:
    """A data table: thin borders on every cell."""
    _borders(table, "single")
    _widths(table, widths_cm)


def _page_number_header(section) -> None:
    """Page numbers centred in the top margin, from the second page on."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    _font(run, HEADER_PT)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _page_setup(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(PAGE_WIDTH_MM)
    section.page_height = Mm(PAGE_HEIGHT_MM)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    _page_number_header(section)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)


def _header_block(document, content: ReportContent) -> None:
    """The two-column borderless table at the top of the first page."""
    # The Party's names and its place line are longer: its table reaches 1 cm into the margin.
    widths = [8.2, 9.3] if content.is_party else [6.5, 10.0]
    table = document.add_table(rows=2, cols=2)
    _borderless(table, widths, indent_cm=-1.0 if content.is_party else 0)
    left, right = table.rows[0].cells
    if content.is_party:
        if content.parent_body.strip():
            _cell_paragraph(left, content.parent_body.strip())
        for line in content.issuing_body.splitlines():
            if line.strip():
                _cell_paragraph(left, line.strip(), bold=True)
        _cell_paragraph(left, "*")
        _cell_paragraph(right, content.national_title[0], size=15, bold=True)
        _rule(right, 7.0, widths[1])
    else:
        if content.parent_body.strip():
            _cell_paragraph(left, content.parent_body.strip())
        for line in content.issuing_body.splitlines():
            if line.strip():
                _cell_paragraph(left, line.strip(), bold=True)
        _rule(left, 2.2, widths[0])
        _cell_paragraph(right, content.national_title[0], size=12, bold=True)
        _cell_paragraph(right, content.national_title[1], bold=True)
        _rule(right, 6.2, widths[1])
    left, right = table.rows[1].cells
    _cell_paragraph(left, content.number_line, before=6)
    _cell_paragraph(right, content.date_line, italic=True, before=6)


def _body_text(document, text: str) -> None:
    """Free text as paragraphs: one a line, the first line indented as in an official letter."""
    for line in text.splitlines():
        if line.strip():
            _paragraph(document, line.strip(), indent=True)


def _heading(document, text: str, *, italic=False) -> None:
    _paragraph(document, text, bold=True, italic=italic, indent=True, before=6)


def _state_table(document, content: ReportContent) -> None:
    rows = content.state_table
    total = rows[0].total if rows else 0
    table = document.add_table(rows=len(rows) + 2, cols=3)
    _grid(table, [9.0, 3.5, 3.5])
    for index, header in enumerate(("Tình trạng", "Số nhiệm vụ", "Tỷ lệ")):
        _cell_paragraph(table.cell(0, index), header, bold=True)
    for number, row in enumerate(rows, start=1):
        _cell_paragraph(table.cell(number, 0), row.label, align=WD_ALIGN_PARAGRAPH.LEFT)
        _cell_paragraph(table.cell(number, 1), str(row.count))
        _cell_paragraph(table.cell(number, 2), row.percent_text)
    last = len(rows) + 1
    _cell_paragraph(table.cell(last, 0), "Tổng số", bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    _cell_paragraph(table.cell(last, 1), str(total), bold=True)
    _cell_paragraph(table.cell(last, 2), "100%" if total else "0%", bold=True)
    _paragraph(document, "", after=0)


def _indicator_table(document, content: ReportContent) -> None:
    rows = content.indicator_table
    if not rows:
        return
    year = content.as_of.year
    headers = ("STT", "Chỉ tiêu", f"Lộ trình năm {year}", "Kết quả", "Đánh giá")
    table = document.add_table(rows=len(rows) + 1, cols=len(headers))
    _grid(table, [1.7, 6.8, 2.6, 2.6, 2.8])
    # Cells by row: ``table.cell(r, c)`` walks the whole table on every call.
    table_rows = table.rows
    for cell, header in zip(table_rows[0].cells, headers, strict=True):
        _cell_paragraph(cell, header, size=12, bold=True)
    for number, (row, table_row) in enumerate(zip(rows, table_rows[1:], strict=True), start=1):
        sign = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}.get(row.comparator, "")
        cells = (
            row.code or str(number),
            row.name,
            f"{sign} {with_unit(row.milestone, row.unit_of_measure)}"
            if row.milestone is not None
            else "—",
            with_unit(row.latest, row.unit_of_measure),
            row.status_vi,
        )
        for index, (cell, text) in enumerate(zip(table_row.cells, cells, strict=True)):
            align = WD_ALIGN_PARAGRAPH.LEFT if index == 1 else WD_ALIGN_PARAGRAPH.CENTER
            _cell_paragraph(cell, text, size=12, align=align)
    _paragraph(document, "", after=0)


def _signature_block(document, content: ReportContent) -> None:
    """ "Nơi nhận" on the left, the signer on the right (Nghị định 30, ô 7 and ô 9)."""
    widths = [8.0, 8.5]
    table = document.add_table(rows=1, cols=2)
    _borderless(table, widths)
    left, right = table.rows[0].cells
    if content.is_party:
        _cell_paragraph(
            left, "Nơi nhận:", size=14, underline=True, align=WD_ALIGN_PARAGRAPH.LEFT, before=6
        )
    else:
        _cell_paragraph(
            left,
            "Nơi nhận:",
            size=12,
            bold=True,
            italic=True,
            align=WD_ALIGN_PARAGRAPH.LEFT,
            before=6,
        )
    for line in content.recipient_lines:
        _cell_paragraph(
            left, line, size=11 if not content.is_party else 12, align=WD_ALIGN_PARAGRAPH.LEFT
        )
    _cell_paragraph(right, content.signer_authority, size=BODY_PT, bold=True, before=6)
    _cell_paragraph(right, content.signer_title, size=BODY_PT, bold=True)
    for _ in range(4):
        _cell_paragraph(right, "", size=BODY_PT)
    if content.signer_name.strip():
        _cell_paragraph(right, content.signer_name.strip(), size=BODY_PT, bold=True)


def write_docx(content: ReportContent, *, audit_anchor: str = "") -> bytes:
    document = Document()
    _page_setup(document)
    _header_block(document, content)
    _paragraph(
        document,
        "BÁO CÁO",
        bold=True,
        size=BODY_PT,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        before=18,
        after=0,
    )
    for line in content.subject.splitlines():
        if line.strip():
            _paragraph(document, line.strip(), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    if content.is_party:
        _paragraph(document, "-----", align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    else:
        _rule(document, 3.0, TEXT_WIDTH_CM)
    _paragraph(document, "", after=0)

    _body_text(document, content.intro)
    _heading(document, "I. KẾT QUẢ THỰC HIỆN")
    _heading(document, "1. Kết quả chung")
    _body_text(document, content.summary)
    _state_table(document, content)
    _heading(document, "2. Kết quả thực hiện theo nhóm nhiệm vụ")
    for section in content.sections:
        if section.heading.strip():
            _heading(document, section.heading, italic=True)
        _body_text(document, section.text)
    _heading(document, "3. Kết quả thực hiện các chỉ tiêu")
    _body_text(document, content.indicators)
    _indicator_table(document, content)
    _heading(document, "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN")
    _body_text(document, content.shortcomings)
    _heading(document, "III. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI")
    _body_text(document, content.next_steps)
    _heading(document, "IV. ĐỀ XUẤT, KIẾN NGHỊ")
    _body_text(document, content.proposals)
    _paragraph(
        document,
        f"(Số liệu tính đến ngày {format_date(content.as_of)}, tổng hợp từ hệ thống theo dõi.)",
        italic=True,
        size=13,
        indent=True,
    )
    _signature_block(document, content)
    if audit_anchor:
        _paragraph(
            document,
            f"Mốc nhật ký kiểm tra: {audit_anchor}",
            size=9,
            align=WD_ALIGN_PARAGRAPH.LEFT,
            before=12,
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
