"""The Excel tables as a ward prints them: the summary first, every sheet on A4 in landscape as
wide as the page, the header row repeated, the plan's name above and "Trang x/y" below each
page, and rows as tall as their text so that nothing is printed over the next row."""

import io
from pathlib import Path

import openpyxl
import pdfplumber
import pytest

from tests.exports.conftest import PERIOD
from tests.factories import TaskFactory
from theodoi.core.clock import today
from theodoi.core.spreadsheet import LINE_HEIGHT_POINTS, ROW_PADDING_POINTS
from theodoi.exports import bundle, pdf, report, selectors
from theodoi.exports.xlsx import HEADER_LIMIT, write_xlsx

A4 = (595, 842)  # points, portrait
NO_CALC = "LibreOffice Calc is not installed (Debian: apt-get install libreoffice-calc)"


def workbook_bytes(user, plan) -> bytes:
    data = selectors.report_data(user, plan, report.parse_report_period(PERIOD), today=today())
    return write_xlsx(data, evidence_names=bundle.evidence_names(bundle.entries(data)))


def calc_installed() -> bool:
    """LibreOffice with its spreadsheet part (Debian ships Writer and Calc apart)."""
    program = pdf.converter()
    return bool(program) and (Path(program).resolve().parent / "libsclo.so").exists()


def test_summary_is_the_first_sheet_and_the_one_that_opens(quarter):
    book = openpyxl.load_workbook(
        io.BytesIO(workbook_bytes(quarter.world.people.office, quarter.plan))
    )
    assert book.sheetnames[0] == "Tổng hợp"
    assert book.active.title == "Tổng hợp"


def test_every_sheet_prints_a4_landscape_one_page_wide(quarter):
    book = openpyxl.load_workbook(
        io.BytesIO(workbook_bytes(quarter.world.people.office, quarter.plan))
    )
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert int(sheet.page_setup.paperSize) == 9, sheet.title  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert (int(sheet.page_setup.fitToWidth), int(sheet.page_setup.fitToHeight)) == (1, 0)


def test_tables_repeat_their_header_row_on_each_page(quarter):
    book = openpyxl.load_workbook(
        io.BytesIO(workbook_bytes(quarter.world.people.office, quarter.plan))
    )
    assert book["Nhiệm vụ"].print_title_rows == "$1:$1"
    assert book["Chỉ tiêu"].print_title_rows == "$1:$1"


def test_each_page_names_the_plan_above_and_its_number_below(quarter):
    plan = quarter.plan
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(quarter.world.people.office, plan)))
    for sheet in book.worksheets:
        assert plan.title in sheet.oddHeader.center.text
        assert sheet.oddFooter.center.text == "Trang &P/&N"


def test_a_long_plan_name_is_cut_in_the_page_header_and_an_ampersand_kept(quarter):
    plan = quarter.plan
    plan.number, plan.title = "", "Kế hoạch KH&CN " + "rất dài " * 40
    plan.save()
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(quarter.world.people.office, plan)))
    header = book["Nhiệm vụ"].oddHeader.center.text
    assert header.startswith("Kế hoạch KH&&CN rất dài")
    assert header.endswith("…")
    assert len(header.replace("&&", "&")) <= HEADER_LIMIT


def test_a_task_row_is_as_tall_as_its_longest_text(quarter):
    long_title = "Triển khai nền tảng số dùng chung cho toàn phường " * 6
    TaskFactory(plan=quarter.plan, code="9", order=9, title=long_title)
    book = openpyxl.load_workbook(
        io.BytesIO(workbook_bytes(quarter.world.people.office, quarter.plan))
    )
    sheet = book["Nhiệm vụ"]
    heights = {
        row[0].value: sheet.row_dimensions[row[0].row].height for row in sheet.iter_rows(min_row=2)
    }
    assert heights["9"] >= 6 * LINE_HEIGHT_POINTS
    # "Lắp đặt camera giám sát" fits one line; its state "Chưa hoàn thành trong hạn" takes two.
    assert heights["2.1"] == 2 * LINE_HEIGHT_POINTS + ROW_PADDING_POINTS


def test_libreoffice_prints_the_workbook_on_landscape_a4_pages(quarter):
    if not calc_installed():
        pytest.skip(NO_CALC)
    for code in range(10, 70):  # more tasks than one page holds
        TaskFactory(plan=quarter.plan, code=str(code), order=code, title=f"Nhiệm vụ số {code}")
    printed = pdf.office_to_pdf(
        workbook_bytes(quarter.world.people.office, quarter.plan), suffix="xlsx"
    )
    with pdfplumber.open(io.BytesIO(printed)) as document:
        pages = document.pages
        assert {(round(p.width), round(p.height)) for p in pages} == {A4[::-1]}
        texts = [page.extract_text() for page in pages]
    count = len(texts)
    assert 3 <= count <= 5  # the summary, the tasks over two or three pages, the indicators
    assert "Kỳ báo cáo" in texts[0]  # the summary comes first
    for number, text in enumerate(texts, start=1):
        assert f"Trang {number}/{count}" in text
        assert quarter.plan.title[:30] in text
    task_pages = [text for text in texts if "Nhiệm vụ số" in text]
    assert len(task_pages) >= 2
    assert all("Đơn vị chủ trì" in text for text in task_pages)  # the header row, repeated
