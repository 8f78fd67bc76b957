"""The printed layout of a sheet: rows as tall as their wrapped text, A4 landscape."""

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from theodoi.core.spreadsheet import (
    LINE_HEIGHT_POINTS,
    ROW_PADDING_POINTS,
    header_footer_text,
    row_height,
    set_print_layout,
    wrapped_lines,
)


def test_a_short_text_takes_one_line():
    assert wrapped_lines("Quý II/2026", 20) == 1


def test_words_wrap_onto_as_many_lines_as_they_need():
    # 21 characters a line at width 20: three words of ten letters need two lines.
    assert wrapped_lines("aaaaaaaaaa bbbbbbbbbb cccccccccc", 20) == 2


def test_each_line_break_starts_a_line():
    assert wrapped_lines("a.pdf\nb.pdf\nc.pdf", 20) == 3


def test_a_word_longer_than_the_line_is_cut():
    assert wrapped_lines("x" * 45, 20) == 3  # 21 + 21 + 3


def test_a_word_that_fills_the_line_exactly_takes_no_extra_line():
    assert wrapped_lines("x" * 21, 20) == 1
    assert wrapped_lines("x" * 21 + " y", 20) == 2


@given(st.text(alphabet="ab \n", max_size=200), st.integers(min_value=1, max_value=80))
def test_never_fewer_lines_than_breaks_nor_more_than_characters(text, width):
    lines = wrapped_lines(text, width)
    assert text.count("\n") + 1 <= lines <= max(1, len(text) + 1)


@given(st.text(alphabet="ab ", max_size=200), st.integers(min_value=2, max_value=60))
def test_a_wider_column_never_needs_more_lines(text, width):
    assert wrapped_lines(text, width + 1) <= wrapped_lines(text, width)


def test_the_row_is_as_tall_as_its_tallest_cell_and_numbers_take_one_line():
    height = row_height([("x" * 45, 20), (80, 8), ("ngắn", 20), (None, 10)])
    assert height == 3 * LINE_HEIGHT_POINTS + ROW_PADDING_POINTS
    assert row_height([(None, 10), (5, 8)]) == LINE_HEIGHT_POINTS + ROW_PADDING_POINTS


def test_an_ampersand_in_a_header_is_printed_not_read_as_a_code():
    assert header_footer_text("Sở KH&CN") == "Sở KH&&CN"


def test_print_layout_is_a4_landscape_one_page_wide_with_title_rows():
    sheet = Workbook().active
    set_print_layout(sheet, header="Kế hoạch 12/KH-UBND", footer="Trang &P/&N", title_rows="1:1")
    assert sheet.page_setup.paperSize == 9  # A4, in the file format's numbering
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.oddHeader.center.text == "Kế hoạch 12/KH-UBND"
    assert sheet.oddFooter.center.text == "Trang &P/&N"
