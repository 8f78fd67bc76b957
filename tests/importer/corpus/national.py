"""The national task table of the corpus as a spreadsheet, built from its Markdown form."""

import io
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent


def national_140_xlsx() -> bytes:
    """The appendix of national-140.md as a spreadsheet: the same 140 tasks, a merged title
    row over the header, section rows in bold, whole numbers as numbers and dotted or
    lettered codes as text (as a person types them into Excel)."""
    lines = (HERE / "national-140.md").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| STT |"))
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in lines[start:]
        if line.startswith("|") and not line.startswith("|---")
    ]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Phụ lục"
    width = len(rows[0])
    sheet.append(["DANH MỤC NHIỆM VỤ THỰC HIỆN NGHỊ QUYẾT SỐ 57-NQ/TW"])
    sheet.append(["(Kèm theo Nghị quyết số 12/NQ-CP ngày 15 tháng 01 năm 2026 của Chính phủ)"])
    for number in (1, 2):
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=width)
        sheet.cell(number, 1).alignment = Alignment(horizontal="center")
    sheet.cell(1, 1).font = Font(bold=True)
    for index, cells in enumerate(rows):
        bold = index == 0 or all(c.startswith("**") for c in cells if c)
        values: list[object] = [cell.strip("*") for cell in cells]
        if str(values[0]).isdigit():
            values[0] = int(str(values[0]))
        sheet.append(values)
        if bold:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
