"""Build the test documents in code, so nothing binary is committed.

Each builder mirrors what real ward plans contain (see shared/seeds): a header with the plan
number, "Căn cứ" paragraphs, then appendix tables of tasks, indicators and budget lines.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import docx
import openpyxl
from docx.oxml import OxmlElement
from docx.table import _Row
from openpyxl.styles import Font

TASK_HEADER = [
    "STT",
    "Nhiệm vụ",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Sản phẩm",
    "Thời gian hoàn thành",
]
YEARS = ["Năm 2026", "Năm 2027", "Năm 2028", "Năm 2029", "Năm 2030"]


# Word ------------------------------------------------------------------------------------------


def plan_docx() -> bytes:
    """A plan: title, numbers, a task table with every kind of merge, a nested table."""
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH", style="Title")
    document.add_paragraph("Số: 110/KH-UBND")
    document.add_paragraph("Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị;")
    document.add_heading("I. MỤC TIÊU, YÊU CẦU", level=1)
    document.add_paragraph("Phổ cập kỹ năng số cho người dân", style="List Bullet")
    document.add_paragraph("Rà soát thủ tục hành chính", style="List Number")
    document.add_paragraph("Số hóa hồ sơ lưu trữ", style="List Number")
    document.add_paragraph().add_run("PHỤ LỤC I: NHIỆM VỤ TRỌNG TÂM").bold = True
    _task_table(document)
    document.add_paragraph("Nơi nhận:")
    _nested_table(document)
    return _save(document)


def _task_table(document: docx.document.Document) -> None:
    table = document.add_table(rows=6, cols=6)
    table.style = "Table Grid"
    _fill(table.rows[0], TASK_HEADER, bold=True)
    _repeat_as_header(table.rows[0])
    section = table.rows[1].cells[0].merge(table.rows[1].cells[5])
    section.paragraphs[0].add_run("I. Nâng cao nhận thức").bold = True
    _fill(
        table.rows[2],
        ["1", "Tổ chức quán triệt Nghị quyết 57", "Văn phòng HĐND-UBND", "Các đoàn thể"]
        + ["Hội nghị", "Quý I/2026"],
    )
    table.rows[2].cells[1].add_paragraph("(theo Kế hoạch 469-KH/TU)")
    _fill(table.rows[3], ["2", "Tuyên truyền về chuyển đổi số", "", "Các đoàn thể", "Tin bài"])
    _fill(table.rows[3], ["Thường xuyên"], start=5)
    # The lead unit of tasks 1 and 2 is one cell merged down.
    table.rows[2].cells[2].merge(table.rows[3].cells[2])
    subtask = table.rows[4].cells[1]
    subtask.paragraphs[0].style = document.styles["List Bullet"]
    subtask.paragraphs[0].add_run("Cập nhật cổng thông tin điện tử")
    _fill(table.rows[4], ["Công an phường", "", "Bài viết", "Hằng tháng"], start=2)
    _fill(table.rows[5], ["3", "Số hóa hồ sơ", "Phòng Văn hóa - Xã hội", "Các cơ quan, đơn vị"])
    # Product and deadline share one cell across two columns.
    merged = table.rows[5].cells[4].merge(table.rows[5].cells[5])
    merged.paragraphs[0].add_run("Năm 2026")


def _nested_table(document: docx.document.Document) -> None:
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].paragraphs[0].add_run("Kinh phí")
    inner = table.rows[0].cells[1].add_table(rows=2, cols=2)
    _fill(inner.rows[0], ["Năm 2026", "100"])
    _fill(inner.rows[1], ["Năm 2027", "200"])


def _fill(row: _Row, texts: list[str], *, start: int = 0, bold: bool = False) -> None:
    for cell, text in zip(row.cells[start:], texts, strict=False):
        if text:
            cell.paragraphs[0].add_run(text).bold = bold or None


def _repeat_as_header(row: _Row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


def _save(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# Excel -----------------------------------------------------------------------------------------


def budget_xlsx() -> bytes:
    """A budget sheet under a two-row merged header, and an indicator sheet of values."""
    workbook = openpyxl.Workbook()
    _budget_sheet(workbook.active)
    _indicator_sheet(workbook.create_sheet("Chỉ tiêu"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _budget_sheet(sheet: openpyxl.worksheet.worksheet.Worksheet) -> None:
    sheet.title = "Kinh phí"
    sheet["A1"] = "PHỤ LỤC III: KINH PHÍ THỰC HIỆN"
    sheet.merge_cells("A1:H1")
    for column, label in zip("ABC", ["TT", "Nhiệm vụ", "Tổng kinh phí"], strict=True):
        sheet[f"{column}2"] = label
        sheet.merge_cells(f"{column}2:{column}3")
    sheet["D2"] = "Giai đoạn triển khai thực hiện"
    sheet.merge_cells("D2:H2")
    for column, year in zip("DEFGH", YEARS, strict=True):
        sheet[f"{column}3"] = year
    for cell in (*sheet[2], *sheet[3]):
        cell.font = Font(bold=True)
    sheet["A4"] = "I. Hạ tầng số"
    sheet["A4"].font = Font(bold=True)
    sheet.merge_cells("A4:H4")
    sheet.append([1, "Đầu tư thiết bị dạy học số", "=SUM(D5:H5)", 3000, 4000, 4000, 4500, 4500])
    sheet.append([2, "Hỗ trợ Tổ công nghệ số cộng đồng", "=SUM(D6:H6)", 100.5, 0, 0, 0, 0])
    sheet.append([None, "Tổng cộng", "=SUM(C5:C6)"])
    # A formatted but empty cell far away: Excel files are full of them.
    sheet["K30"].font = Font(bold=True)


def _indicator_sheet(sheet: openpyxl.worksheet.worksheet.Worksheet) -> None:
    sheet.append(["STT", "Chỉ tiêu", "Đơn vị tính", "Kết quả", "Hạn", "Đạt"])
    sheet.append([1, "Tỷ lệ hồ sơ xử lý trực tuyến", "%", 0.85, dt.date(2026, 12, 31), True])
    sheet.append([2, "Tỷ lệ thanh toán trực tuyến", "%", 0.905, dt.date(2026, 6, 30), False])
    sheet["D2"].number_format = "0%"
    sheet["D3"].number_format = "0.0%"


def with_cached_values(xlsx: bytes, sheet: int, values: dict[str, str]) -> bytes:
    """Write the values Excel would have computed for some formula cells of sheet ``sheet``.

    openpyxl saves formulas without results, as a generated workbook never opened in Excel.
    """
    part = f"xl/worksheets/sheet{sheet}.xml"
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == part:
                content = _set_cached(content.decode(), values).encode()
            target.writestr(item, content)
    return output.getvalue()


def _set_cached(xml: str, values: dict[str, str]) -> str:
    for coordinate, value in values.items():
        cell = re.compile(rf'(<c r="{coordinate}"[^>]*>\s*<f>[^<]*</f>)\s*(<v\s*/>|<v>\s*</v>)?')
        xml, count = cell.subn(rf"\g<1><v>{value}</v>", xml)
        assert count == 1, f"formula cell {coordinate} not found"
    return xml


# PDF -------------------------------------------------------------------------------------------


def plan_pdf() -> bytes | None:
    """A PDF with a text layer and a ruled table, or None when nothing here can make one.

    LibreOffice converts the Word plan as a ward would; otherwise reportlab draws a similar page.
    """
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office:
        return _convert_with_office(office, plan_docx())
    try:
        import reportlab  # noqa: F401
    except ImportError:
        return None
    return _draw_with_reportlab()


def _convert_with_office(office: str, data: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "plan.docx"
        source.write_bytes(data)
        subprocess.run(
            [office, "--headless", "--convert-to", "pdf", "--outdir", folder, str(source)],
            check=True,
            capture_output=True,
            timeout=180,
            env={"HOME": folder, "PATH": "/usr/bin:/bin"},
        )
        return (Path(folder) / "plan.pdf").read_bytes()


_FONTS = [
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
]


def vietnamese_fonts() -> tuple[Path, Path] | None:
    """A regular and a bold TrueType font with Vietnamese letters, if the machine has one."""
    for regular, bold in _FONTS:
        path = Path(regular)
        if path.exists() and (path.parent / bold).exists():
            return path, path.parent / bold
    return None


def _draw_with_reportlab() -> bytes | None:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    fonts = vietnamese_fonts()
    if fonts is None:
        return None
    pdfmetrics.registerFont(TTFont("PlanSans", str(fonts[0])))
    pdfmetrics.registerFont(TTFont("PlanSans-Bold", str(fonts[1])))
    text = ParagraphStyle("text", fontName="PlanSans", fontSize=11, leading=15)
    title = ParagraphStyle("title", parent=text, fontName="PlanSans-Bold", fontSize=14)
    rows = [
        TASK_HEADER,
        ["I. Nâng cao nhận thức", "", "", "", "", ""],
        ["1", "Tổ chức quán triệt Nghị quyết 57", "Văn phòng HĐND-UBND", "Các đoàn thể"]
        + ["Hội nghị", "Quý I/2026"],
        ["2", "Tuyên truyền về chuyển đổi số", "", "Các đoàn thể", "Tin bài", "Thường xuyên"],
    ]
    table = Table(rows, colWidths=[30, 180, 130, 110, 70, 150])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "PlanSans", 10),
                ("FONT", (0, 0), (-1, 0), "PlanSans-Bold", 10),
                ("FONT", (0, 1), (-1, 1), "PlanSans-Bold", 10),
                ("SPAN", (0, 1), (-1, 1)),
                ("SPAN", (2, 2), (2, 3)),
                ("GRID", (0, 0), (-1, -1), 0.5, "black"),
            ]
        )
    )
    buffer = io.BytesIO()
    story = [
        Paragraph("KẾ HOẠCH", title),
        Paragraph("Số: 110/KH-UBND", text),
        Paragraph("Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị;", text),
        Spacer(1, 12),
        table,
        Spacer(1, 12),
        Paragraph("Nơi nhận:", text),
    ]
    SimpleDocTemplate(buffer, pagesize=landscape(A4)).build(story)
    return buffer.getvalue()


def scanned_pdf() -> bytes:
    """A one-page PDF holding only a drawn rectangle, as a scan holds only an image."""
    content = b"0.5 g 72 72 451 698 re f"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    return pdf_of(objects)


def pdf_of(objects: list[bytes]) -> bytes:
    """A PDF file of ``objects`` (numbered from 1, the first the catalogue), with its
    cross-reference table."""
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(pdf)
