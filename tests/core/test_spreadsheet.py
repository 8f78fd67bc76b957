"""The shared cell writer: text stays the text written, numbers and dates keep their type."""

import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from theodoi.core.spreadsheet import csv_row, put, put_row

TEXTS = ['=HYPERLINK("http://x","bấm")', "=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "#DIV/0!"]


def _saved_and_read(values):
    book = Workbook()
    put_row(book.active, 1, values)
    buffer = io.BytesIO()
    book.save(buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    return [sheet.cell(row=1, column=column) for column in range(1, len(values) + 1)]


def test_texts_that_look_like_formulas_or_errors_are_read_back_as_written():
    cells = _saved_and_read(TEXTS)
    assert [cell.value for cell in cells] == TEXTS
    assert {cell.data_type for cell in cells} == {"s"}
    # What a person would have to type with a leading apostrophe is marked so in Excel too.
    assert [cell.quotePrefix for cell in cells] == [True] * 7 + [False]


def test_numbers_dates_and_empty_cells_keep_their_type():
    day = datetime.date(2026, 9, 30)
    cells = _saved_and_read([80, 0.5, day, None, "80"])
    assert [cell.data_type for cell in cells[:3]] == ["n", "n", "d"]
    assert cells[0].value == 80 and cells[1].value == 0.5 and cells[2].value.date() == day
    assert cells[3].value is None
    assert cells[4].value == "80" and cells[4].data_type == "s"


def test_a_control_character_the_file_cannot_hold_is_dropped_not_a_crash():
    book = Workbook()
    assert put(book.active, 1, 1, "Báo\x0bcáo\x00").value == "Báocáo"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_a_csv_field_that_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert csv_row([text, "Bình thường", 5, -5]) == ["'" + text, "Bình thường", 5, -5]
