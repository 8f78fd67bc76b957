"""The results of a self-assessment as a Word summary and an Excel table (issue 8)."""

from __future__ import annotations

import io
from decimal import Decimal

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from theodoi.assessment.selectors import Results, UnitResult
from theodoi.core.spreadsheet import put_row

_STATUS = {
    "draft": "Đang điền",
    "submitted": "Đã gửi, chờ duyệt",
    "returned": "Trả lại bổ sung",
    "accepted": "Đã duyệt",
}


def _number(value: Decimal | None, places: str = "0.01") -> str:
    if value is None:
        return "—"
    text = f"{value.quantize(Decimal(places)).normalize():f}"
    return text.replace(".", ",")


def _rank(unit: UnitResult) -> str:
    return str(unit.rank) if unit.rank else "—"


def _change(unit: UnitResult) -> str:
    change = unit.change
    if change is None:
        return "—"
    return ("+" if change > 0 else "") + _number(change, "0.1")


def results_docx(results: Results) -> bytes:
    campaign = results.campaign
    definition = campaign.framework.parsed
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(f"BÁO CÁO KẾT QUẢ {campaign.name.upper()}")
    run.bold = True
    intro = document.add_paragraph()
    intro.add_run(
        f"{campaign.organization.name}. Bộ tiêu chí: {definition.name} (năm {definition.year}, "
        f"phiên bản {definition.version}; tối đa {_number(definition.max_points)} điểm). "
        "Điểm tính theo quy tắc của bộ tiêu chí từ câu trả lời của đơn vị (và điều chỉnh của "
        "Văn phòng, nếu có); tiêu chí không áp dụng với đơn vị được trừ khỏi điểm tối đa của đơn "
        "vị. Chỉ xếp hạng các phiếu đã được Văn phòng duyệt."
    )
    accepted = [u for u in results.units if u.rank]
    document.add_paragraph(
        f"Số đơn vị tham gia: {len(results.units)}; đã được duyệt: {len(accepted)}."
    )

    document.add_heading("1. Điểm và xếp hạng", level=2)
    groups = definition.groups
    header = ["Hạng", "Đơn vị", "Điểm", "Tối đa", "Tỷ lệ %", "So năm trước", "Trạng thái"]
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for unit in results.units:
        cells = table.add_row().cells
        values = [
            _rank(unit),
            unit.submission.unit.name,
            _number(unit.result.points),
            _number(unit.result.max_points),
            _number(unit.result.percent, "0.1"),
            _change(unit),
            _STATUS.get(unit.submission.status, unit.submission.status),
        ]
        for cell, text in zip(cells, values, strict=True):
            cell.text = text

    document.add_heading("2. Điểm theo nhóm tiêu chí (tỷ lệ % so với tối đa)", level=2)
    table = document.add_table(rows=1, cols=len(groups) + 1)
    table.style = "Table Grid"
    table.rows[0].cells[0].text = "Đơn vị"
    for cell, group in zip(table.rows[0].cells[1:], groups, strict=True):
        cell.text = f"{group.code}. {group.name}"
    for unit in results.units:
        cells = table.add_row().cells
        cells[0].text = unit.submission.unit.name
        for cell, score in zip(cells[1:], unit.result.groups, strict=True):
            cell.text = _number(score.percent, "0.1")

    document.add_heading("3. Các tiêu chí yếu nhất", level=2)
    if not results.weakest:
        document.add_paragraph("Chưa có đơn vị nào gửi câu trả lời.")
    for row in results.weakest:
        weak = ", ".join(u.submission.unit.name for u in row.units_weak) or "không có"
        document.add_paragraph(
            f"Tiêu chí {row.code} «{row.name}»: trung bình đạt {_number(row.average_percent, '0.1')}% "
            f"điểm tối đa; đơn vị dưới ngưỡng {campaign.weak_percent}%: {weak}.",
            style="List Bullet",
        )
    if results.previous is not None:
        document.add_paragraph(
            f"So sánh với năm trước theo {results.previous.name} (cùng bộ tiêu chí {definition.code})."
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")


def results_xlsx(results: Results) -> bytes:
    """Sheet «Tổng hợp»: a row per unit with its group and total scores; sheet «Chi tiết»: a
    row per unit and criterion with the answer and the points."""
    campaign = results.campaign
    definition = campaign.framework.parsed
    book = Workbook()
    summary = book.active
    summary.title = "Tổng hợp"
    header = ["Hạng", "Đơn vị", "Trạng thái"]
    for group in definition.groups:
        header += [f"{group.code}. {group.name}", f"Tối đa {group.code}"]
    header += ["Tổng điểm", "Tối đa", "Tỷ lệ %", "Năm trước %"]
    put_row(summary, 1, header)
    for number, unit in enumerate(results.units, start=2):
        row: list[object] = [
            unit.rank,
            unit.submission.unit.name,
            _STATUS.get(unit.submission.status),
        ]
        for score in unit.result.groups:
            row += [float(score.points), float(score.max_points)]
        percent = unit.result.percent
        row += [
            float(unit.result.points),
            float(unit.result.max_points),
            round(float(percent), 2) if percent is not None else None,
            round(float(unit.previous_percent), 2) if unit.previous_percent is not None else None,
        ]
        put_row(summary, number, row)

    detail = book.create_sheet("Chi tiết")
    put_row(
        detail,
        1,
        ["Đơn vị", "Nhóm", "Mã", "Tiêu chí", "Câu trả lời", "Trạng thái", "Điểm", "Tối đa"],
    )
    names = {c.code: c.name for _g, c, _p in definition.criteria()}
    status = {
        "scored": "Đã chấm",
        "not_applicable": "Không áp dụng",
        "unanswered": "Chưa trả lời",
        "invalid": "Trả lời không hợp lệ",
    }
    number = 1
    for unit in results.units:
        for score in unit.result.criteria:
            number += 1
            put_row(
                detail,
                number,
                [
                    unit.submission.unit.name,
                    score.group,
                    score.code,
                    names.get(score.code, score.name),
                    "" if score.answer is None else str(score.answer),
                    status.get(score.status, score.status),
                    float(score.points),
                    float(score.max_points),
                ],
            )
    for sheet, widths in ((summary, {2: 36}), (detail, {1: 30, 4: 60})):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = _HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for index in range(1, sheet.max_column + 1):
            sheet.column_dimensions[get_column_letter(index)].width = widths.get(index, 14)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
