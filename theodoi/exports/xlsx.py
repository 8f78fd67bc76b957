"""The task and indicator tables in Excel, for upward reporting.

Sheet "Nhiệm vụ" keeps the column order of a plan's appendix (STT, task, lead and coordinating
units, output, deadline) and adds progress, state and the period's result; sections are merged
bold rows. Sheet "Chỉ tiêu" sets each indicator's latest value against this year's milestone
and the target. Sheet "Tổng hợp" counts the four states with their shares.
"""

# The Vietnamese text here stays Vietnamese whatever the interface language: the report sent
# upward is an administrative document under Decree 30/2020/ND-CP, in Vietnamese by law.

import io
from collections.abc import Mapping, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from theodoi.core.spreadsheet import put, put_row
from theodoi.plans.numbering import is_numbered
from theodoi.plans.periods import label_vi_of

from .report import (
    COMPARATOR_SIGNS,
    INDICATOR_STATUS_VI,
    ReportData,
    section_results,
    state_counts,
)

TASK_COLUMNS: tuple[tuple[str, float], ...] = (
    ("STT", 8),
    ("Nhiệm vụ", 60),
    ("Đơn vị chủ trì", 24),
    ("Đơn vị phối hợp", 24),
    ("Sản phẩm", 30),
    ("Thời hạn", 20),
    ("Tiến độ (%)", 11),
    ("Tình trạng", 24),
    ("Hạn hoàn thành", 14),
    ("Ngày hoàn thành", 14),
    ("Kết quả trong kỳ", 40),
    ("Khó khăn, vướng mắc", 40),
    ("Minh chứng", 36),
)
INDICATOR_COLUMNS: tuple[tuple[str, float], ...] = (
    ("STT", 8),
    ("Chỉ tiêu", 60),
    ("Đơn vị tính", 12),
    ("Cơ sở", 12),
    ("Năm cơ sở", 10),
    ("So sánh", 8),
    ("Lộ trình năm", 14),
    ("Giá trị mới nhất", 14),
    ("Kỳ số liệu", 12),
    ("Mục tiêu", 12),
    ("Năm mục tiêu", 12),
    ("Đánh giá", 20),
    ("Đơn vị chủ trì", 24),
    ("Minh chứng", 36),
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
    for index, (title, width) in enumerate(columns, start=1):
        cell = put(sheet, 1, index, title)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}1"


def _row(sheet, row: int, values: Sequence) -> None:
    for cell in put_row(sheet, row, values):
        cell.border = _BORDER
        cell.alignment = _WRAP


EvidenceNames = Mapping[tuple[str, int], Sequence[str]]


def _tasks_sheet(sheet, data: ReportData, evidence_names: EvidenceNames) -> None:
    sheet.title = "Nhiệm vụ"
    _header(sheet, TASK_COLUMNS)
    row = 2
    width = len(TASK_COLUMNS)
    for number, section in enumerate(section_results(data), start=1):
        _row(sheet, row, [section.code or str(number), section.title] + [None] * (width - 2))
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
        put(sheet, row, 1, label).font = Font(bold=True)
        cell = put(sheet, row, 2, value)
        if label == "Số liệu tính đến ngày":
            cell.number_format = DATE_FORMAT
            cell.alignment = Alignment(horizontal="left")
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


def write_xlsx(
    data: ReportData, *, evidence_names: EvidenceNames | None = None, audit_anchor: str = ""
) -> bytes:
    """The workbook; ``evidence_names`` lists, per ("task", id) and ("indicator", id), the file
    names in the zip package (``bundle.evidence_names``)."""
    workbook = Workbook()
    _tasks_sheet(workbook.active, data, evidence_names or {})
    _indicators_sheet(workbook.create_sheet(), data, evidence_names or {})
    summary = workbook.create_sheet()
    _summary_sheet(summary, data)
    if audit_anchor:
        put_row(summary, summary.max_row + 2, ["Mốc nhật ký kiểm tra", audit_anchor])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
