"""The task and indicator tables in Excel, for upward reporting.

Sheet "Nhiệm vụ" keeps the column order of a plan's appendix (STT, task, lead and coordinating
units, output, deadline) and adds progress, state and the period's result; sections are merged
bold rows. Sheet "Chỉ tiêu" sets each indicator's latest value against this year's milestone
and the target. Sheet "Tổng hợp", the first, counts the four states with their shares.

Each sheet prints on A4 in landscape, as wide as the page, its header row repeated on every
page, the plan's name above and the page number below; each row is as tall as its text.
"""

# The Vietnamese text here stays Vietnamese whatever the interface language: the report sent
# upward is an administrative document under Decree 30/2020/ND-CP, in Vietnamese by law.

import io
from collections.abc import Mapping, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from theodoi.core.spreadsheet import put, put_row, row_height, set_print_layout
from theodoi.plans.numbering import is_numbered
from theodoi.plans.periods import label_vi_of

from .report import (
    COMPARATOR_SIGNS,
    INDICATOR_STATUS_VI,
    ReportData,
    section_results,
    state_counts,
)

# Widths in characters. Each table is printed as wide as an A4 page in landscape, so the sum
# of its widths sets the print scale: about 210 characters keep the text near 8 pt on paper.
TASK_COLUMNS: tuple[tuple[str, float], ...] = (
    ("STT", 6),
    ("Nhiệm vụ", 38),
    ("Đơn vị chủ trì", 16),
    ("Đơn vị phối hợp", 16),
    ("Sản phẩm", 20),
    ("Thời hạn", 13),
    ("Tiến độ (%)", 8),
    ("Tình trạng", 14),
    ("Hạn hoàn thành", 11),
    ("Ngày hoàn thành", 11),
    ("Kết quả trong kỳ", 24),
    ("Khó khăn, vướng mắc", 20),
    ("Minh chứng", 20),
)
INDICATOR_COLUMNS: tuple[tuple[str, float], ...] = (
    ("STT", 6),
    ("Chỉ tiêu", 38),
    ("Đơn vị tính", 10),
    ("Cơ sở", 10),
    ("Năm cơ sở", 8),
    ("So sánh", 8),
    ("Lộ trình năm", 11),
    ("Giá trị mới nhất", 11),
    ("Kỳ số liệu", 10),
    ("Mục tiêu", 10),
    ("Năm mục tiêu", 8),
    ("Đánh giá", 14),
    ("Đơn vị chủ trì", 16),
    ("Minh chứng", 20),
)

DATE_FORMAT = "dd/mm/yyyy"
PROGRESS_FORMAT = '0"%"'  # the cell holds 80 and shows "80%", as the column's name says
SHARE_FORMAT = "0.0%"
NUMBER_FORMAT = "#,##0.####"

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _header(sheet, columns: Sequence[tuple[str, float]]) -> None:
    sheet.row_dimensions[1].height = row_height(columns)
    for index, (title, width) in enumerate(columns, start=1):
        cell = put(sheet, 1, index, title)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}1"


def _row(sheet, row: int, values: Sequence, widths: Sequence[float] = ()) -> None:
    """A table row; with the columns' ``widths``, the row is as tall as its longest text."""
    for cell in put_row(sheet, row, values):
        cell.border = _BORDER
        cell.alignment = _WRAP
    if widths:
        sheet.row_dimensions[row].height = row_height(list(zip(values, widths, strict=False)))


EvidenceNames = Mapping[tuple[str, int], Sequence[str]]


def _tasks_sheet(sheet, data: ReportData, evidence_names: EvidenceNames) -> None:
    sheet.title = "Nhiệm vụ"
    _header(sheet, TASK_COLUMNS)
    row = 2
    width = len(TASK_COLUMNS)
    widths = [w for _title, w in TASK_COLUMNS]
    # A section's title spans every column after the number.
    section_widths = [widths[0], sum(widths[1:])]
    for number, section in enumerate(section_results(data), start=1):
        _row(sheet, row, [section.code or str(number), section.title] + [None] * (width - 2))
        sheet.row_dimensions[row].height = row_height(
            list(zip([section.code or str(number), section.title], section_widths, strict=True))
        )
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=width)
        for column in range(1, width + 1):
            cell = sheet.cell(row=row, column=column)
            cell.font = Font(bold=True)
            cell.fill = _SECTION_FILL
        row += 1
        for task in section.tasks:
            _row(
                sheet,
                row,
                [
                    task.code,
                    task.title,
                    "; ".join(task.lead_units),
                    "; ".join(task.coordinating_units),
                    task.output,
                    task.deadline_shown,
                    task.progress,
                    task.state_text,
                    task.due,
                    task.completed_on,
                    task.result,
                    task.difficulties,
                    "\n".join(evidence_names.get(("task", task.id), ())),
                ],
                widths,
            )
            sheet.cell(row=row, column=2).alignment = Alignment(
                wrap_text=True, vertical="top", indent=task.depth
            )
            sheet.cell(row=row, column=7).number_format = PROGRESS_FORMAT
            sheet.cell(row=row, column=9).number_format = DATE_FORMAT
            sheet.cell(row=row, column=10).number_format = DATE_FORMAT
            row += 1


def _indicators_sheet(sheet, data: ReportData, evidence_names: EvidenceNames) -> None:
    sheet.title = "Chỉ tiêu"
    _header(sheet, INDICATOR_COLUMNS)
    year = data.as_of.year
    put(sheet, 1, 7, f"Lộ trình năm {year}")
    widths = [w for _title, w in INDICATOR_COLUMNS]
    for row, indicator in enumerate(data.indicators, start=2):
        _row(
            sheet,
            row,
            [
                indicator.code or str(row - 1),
                indicator.name,
                indicator.unit_of_measure,
                indicator.baseline,
                indicator.baseline_year,
                COMPARATOR_SIGNS.get(indicator.comparator, ""),
                indicator.milestone,
                indicator.latest,
                label_vi_of(indicator.latest_period) if indicator.latest_period else None,
                indicator.target,
                indicator.target_year,
                INDICATOR_STATUS_VI[indicator.status],
                indicator.lead_unit,
                "\n".join(evidence_names.get(("indicator", indicator.id), ())),
            ],
            widths,
        )
        for column in (4, 7, 8, 10):
            sheet.cell(row=row, column=column).number_format = NUMBER_FORMAT


def _plan_heading(number: str, title: str) -> str:
    """ "110/KH-UBND — title"; a number the document left blank ("-KH/ĐU") is shown as such,
    never as if it were the number."""
    number = number.strip()
    if is_numbered(number):
        return f"{number} — {title}"
    return f"(chưa đánh số) {number} — {title}" if number else title


def _summary_sheet(sheet, data: ReportData) -> None:
    sheet.title = "Tổng hợp"
    plan = data.plan
    facts = [
        ("Kế hoạch", _plan_heading(plan.number, plan.title)),
        ("Cơ quan ban hành", plan.issuer),
        ("Phường, xã", plan.ward),
        ("Kỳ báo cáo", data.period.label_vi()),
        ("Số liệu tính đến ngày", data.as_of),
    ]
    for row, (label, value) in enumerate(facts, start=1):
        label_cell = put(sheet, row, 1, label)
        label_cell.font = Font(bold=True)
        label_cell.alignment = Alignment(vertical="top")
        cell = put(sheet, row, 2, value)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        sheet.row_dimensions[row].height = row_height([(label, 28), (value, 70)])
        if label == "Số liệu tính đến ngày":
            cell.number_format = DATE_FORMAT
    start = len(facts) + 2
    for column, title in enumerate(("Tình trạng", "Số nhiệm vụ", "Tỷ lệ"), start=1):
        cell = put(sheet, start, column, title)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
    counts = state_counts(data.tasks)
    for offset, count in enumerate(counts, start=1):
        _row(sheet, start + offset, [count.label, count.count, count.share])
        sheet.cell(row=start + offset, column=3).number_format = SHARE_FORMAT
    total_row = start + len(counts) + 1
    _row(sheet, total_row, ["Tổng số", len(data.tasks), 1 if data.tasks else 0])
    sheet.cell(row=total_row, column=1).font = Font(bold=True)
    sheet.cell(row=total_row, column=3).number_format = SHARE_FORMAT
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 70
    sheet.column_dimensions["C"].width = 12


HEADER_LIMIT = 120  # characters of the plan's name above each printed page


def page_header(data: ReportData) -> str:
    """The plan's number and name, as printed above each page, cut to fit one line."""
    plan = data.plan
    name = f"{plan.number} — {plan.title}" if plan.number else plan.title
    if len(name) > HEADER_LIMIT:
        name = name[: HEADER_LIMIT - 1].rstrip() + "…"
    return name


PAGE_FOOTER = "Trang &P/&N"  # "&P" and "&N": the page number and the number of pages


def write_xlsx(
    data: ReportData, *, evidence_names: EvidenceNames | None = None, audit_anchor: str = ""
) -> bytes:
    """The workbook; ``evidence_names`` lists, per ("task", id) and ("indicator", id), the file
    names in the zip package (``bundle.evidence_names``). The summary comes first: it is what
    opens, and what is printed first."""
    workbook = Workbook()
    summary = workbook.active
    _summary_sheet(summary, data)
    if audit_anchor:
        put_row(summary, summary.max_row + 2, ["Mốc nhật ký kiểm tra", audit_anchor])
    tasks = workbook.create_sheet()
    _tasks_sheet(tasks, data, evidence_names or {})
    indicators = workbook.create_sheet()
    _indicators_sheet(indicators, data, evidence_names or {})
    header = page_header(data)
    set_print_layout(summary, header=header, footer=PAGE_FOOTER)
    for sheet in (tasks, indicators):
        set_print_layout(sheet, header=header, footer=PAGE_FOOTER, title_rows="1:1")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
