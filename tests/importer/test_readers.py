"""The document readers: each format comes out as the same Document of paragraphs and tables."""

import io
import sys
import types
import zipfile

import pytest

from tests.importer import documents
from theodoi.importer.document import Document, Paragraph, Table
from theodoi.importer.readers import NeedsOcr, UnsupportedDocument, ocr, read_document
from theodoi.importer.readers.docx import read_docx
from theodoi.importer.readers.pdf import read_pdf
from theodoi.importer.readers.xlsx import read_xlsx


def texts(table: Table) -> list[list[str]]:
    return [row.cells for row in table.rows]


# Word ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def word() -> Document:
    return read_docx(documents.plan_docx(), name="kehoach.docx")


def test_docx_paragraphs_keep_headings_lists_and_bold(word):
    paragraphs = word.paragraphs()
    assert [p.text for p in paragraphs[:8]] == [
        "KẾ HOẠCH",
        "Số: 110/KH-UBND",
        "Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị;",
        "I. MỤC TIÊU, YÊU CẦU",
        "- Phổ cập kỹ năng số cho người dân",
        "1. Rà soát thủ tục hành chính",
        "2. Số hóa hồ sơ lưu trữ",
        "PHỤ LỤC I: NHIỆM VỤ TRỌNG TÂM",
    ]
    assert [p.heading for p in paragraphs[:4]] == [1, 0, 0, 1]
    assert paragraphs[7].bold and not paragraphs[1].bold
    assert paragraphs[1].source == "paragraph 2"
    assert word.name == "kehoach.docx"


def test_docx_tables_stay_between_their_paragraphs(word):
    kinds = [
        block.text if isinstance(block, Paragraph) else block.source for block in word.blocks[7:]
    ]
    assert kinds == ["PHỤ LỤC I: NHIỆM VỤ TRỌNG TÂM", "table 1", "Nơi nhận:", "table 2"]


def test_docx_task_table_has_one_text_per_grid_column(word):
    table = word.tables()[0]
    assert table.width == 6
    assert all(len(row.cells) == 6 for row in table.rows)
    assert texts(table) == [
        documents.TASK_HEADER,
        # A section row merged across the table: its text once, then blanks.
        ["I. Nâng cao nhận thức", "", "", "", "", ""],
        [
            "1",
            "Tổ chức quán triệt Nghị quyết 57\n(theo Kế hoạch 469-KH/TU)",
            "Văn phòng HĐND-UBND",
            "Các đoàn thể",
            "Hội nghị",
            "Quý I/2026",
        ],
        # The lead unit merged down from task 1 leads task 2 as well: its text is repeated.
        [
            "2",
            "Tuyên truyền về chuyển đổi số",
            "Văn phòng HĐND-UBND",
            "Các đoàn thể",
            "Tin bài",
            "Thường xuyên",
        ],
        # A subtask: no code, its bullet kept.
        ["", "- Cập nhật cổng thông tin điện tử", "Công an phường", "", "Bài viết", "Hằng tháng"],
        # Product and deadline merged across two columns.
        ["3", "Số hóa hồ sơ", "Phòng Văn hóa - Xã hội", "Các cơ quan, đơn vị", "Năm 2026", ""],
    ]
    assert [row.is_header for row in table.rows] == [True, False, False, False, False, False]
    assert [row.bold for row in table.rows] == [True, True, False, False, False, False]
    assert [row.source for row in table.rows[:2]] == ["table 1 row 1", "table 1 row 2"]


def test_docx_nested_table_is_flattened_with_a_warning(word):
    nested = word.tables()[1]
    assert texts(nested) == [["Kinh phí", "Năm 2026 | 100\nNăm 2027 | 200"]]
    assert word.warnings == [
        "Bảng 2, hàng 1: ô có bảng lồng bên trong; nội dung bảng lồng đã được gộp thành "
        "văn bản của ô."
    ]


def test_docx_reads_from_a_file_object():
    document = read_docx(io.BytesIO(documents.plan_docx()))
    assert document.paragraphs()[0].text == "KẾ HOẠCH"


# Excel -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbook() -> Document:
    # Task 1's and 2's totals as Excel computed them; the grand total was never computed.
    data = documents.with_cached_values(documents.budget_xlsx(), 1, {"C5": "20000", "C6": "100.5"})
    return read_xlsx(data, name="kinhphi.xlsx")


def test_xlsx_one_titled_table_per_sheet(workbook):
    kinds = [
        (type(block).__name__, getattr(block, "text", block.source)) for block in workbook.blocks
    ]
    # A sheet's own title row above its table is its title; the sheet's name stands in for a
    # title only when the sheet writes none.
    assert kinds == [
        ("Paragraph", "PHỤ LỤC III: KINH PHÍ THỰC HIỆN"),
        ("Table", "sheet Kinh phí"),
        ("Paragraph", "Chỉ tiêu"),
        ("Table", "sheet Chỉ tiêu"),
    ]


def test_xlsx_two_row_merged_header_and_values(workbook):
    budget = workbook.tables()[0]
    # Trailing empty rows and columns (a formatted blank K30) are dropped.
    assert budget.width == 8
    assert workbook.paragraphs()[0].source == "sheet Kinh phí row 1"
    assert texts(budget) == [
        ["TT", "Nhiệm vụ", "Tổng kinh phí", "Giai đoạn triển khai thực hiện", "", "", "", ""],
        ["", "", "", *documents.YEARS],
        ["I. Hạ tầng số", "", "", "", "", "", "", ""],
        ["1", "Đầu tư thiết bị dạy học số", "20000", "3000", "4000", "4000", "4500", "4500"],
        ["2", "Hỗ trợ Tổ công nghệ số cộng đồng", "100,5", "100,5", "0", "0", "0", "0"],
        ["", "Tổng cộng", "", "", "", "", "", ""],
    ]
    assert [row.is_header for row in budget.rows] == [True, True] + [False] * 4
    assert [row.bold for row in budget.rows] == [True, True, True, False, False, False]
    # The group cell "Giai đoạn triển khai thực hiện" covers the five year columns.
    assert budget.rows[0].spans == [1, 1, 1, 5, 0, 0, 0, 0]
    assert budget.rows[2].spans == [8, 0, 0, 0, 0, 0, 0, 0]
    assert budget.rows[3].source == "sheet Kinh phí row 5"


def test_xlsx_formula_without_a_computed_value_is_blank_with_a_warning(workbook):
    assert len(workbook.warnings) == 1
    assert "“Kinh phí”, ô C7" in workbook.warnings[0]


def test_xlsx_percent_date_and_boolean_as_a_reader_sees_them(workbook):
    indicators = workbook.tables()[1]
    assert texts(indicators) == [
        ["STT", "Chỉ tiêu", "Đơn vị tính", "Kết quả", "Hạn", "Đạt"],
        ["1", "Tỷ lệ hồ sơ xử lý trực tuyến", "%", "85%", "31/12/2026", "TRUE"],
        ["2", "Tỷ lệ thanh toán trực tuyến", "%", "90,5%", "30/06/2026", "FALSE"],
    ]
    assert [row.is_header for row in indicators.rows] == [True, False, False]


# PDF -------------------------------------------------------------------------------------------


def test_pdf_text_lines_and_tables_in_reading_order():
    data = documents.plan_pdf()
    if data is None:
        pytest.skip(
            "neither LibreOffice nor reportlab with a Vietnamese font is available "
            "(Debian: apt-get install libreoffice-writer, or fonts-dejavu-core)"
        )
    document = read_pdf(data, name="kehoach.pdf")
    assert document.warnings == []
    lines = [p.text for p in document.paragraphs()]
    assert lines[:3] == [
        "KẾ HOẠCH",
        "Số: 110/KH-UBND",
        "Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị;",
    ]
    assert document.paragraphs()[0].source == "page 1 line 1"
    table = document.tables()[0]
    assert table.source == "page 1 table 1"
    # Lines wrapped in narrow columns are joined back: the header reads as in the Word file.
    assert table.rows[0].cells == documents.TASK_HEADER
    assert table.rows[0].is_header and table.rows[0].bold
    assert table.rows[1].cells == ["I. Nâng cao nhận thức", "", "", "", "", ""]
    assert table.rows[1].bold and not table.rows[1].is_header
    task = table.rows[2]
    assert task.cells[0] == "1" and task.cells[1].startswith("Tổ chức quán triệt Nghị quyết 57")
    assert task.cells[2:] == ["Văn phòng HĐND-UBND", "Các đoàn thể", "Hội nghị", "Quý I/2026"]
    assert table.rows[3].cells[2] == ""  # merged down from task 1
    assert task.source == "page 1 table 1 row 3"
    # The text after the table comes after it.
    table_index = document.blocks.index(table)
    assert "Nơi nhận:" in [
        b.text for b in document.blocks[table_index:] if isinstance(b, Paragraph)
    ]


def test_pdf_without_text_layer_needs_ocr_and_says_what_to_install(monkeypatch):
    # A scan is read by OCR (tests/importer/test_ocr.py); without the programs, the message
    # names the Debian packages.
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    with pytest.raises(UnsupportedDocument) as raised:
        read_pdf(documents.scanned_pdf(), name="scan.pdf")
    assert raised.value.message == (
        "Tệp PDF “scan.pdf” là bản quét, không có lớp văn bản: muốn đọc cần nhận dạng chữ "
        "(OCR), nhưng máy chủ chưa cài ocrmypdf. Quản trị viên cài bằng lệnh: apt-get install "
        "ocrmypdf tesseract-ocr-vie"
    )


# Choosing the reader ---------------------------------------------------------------------------


def test_read_document_sniffs_content_not_name():
    document = read_document(documents.plan_docx(), name="plan.txt")
    assert document.tables()[0].rows[0].cells == documents.TASK_HEADER
    assert read_document(documents.budget_xlsx(), name="plan.pdf").tables()[0].source == (
        "sheet Kinh phí"
    )
    # A scan named like a Word file is still a PDF to be read by OCR.
    with pytest.raises(NeedsOcr):
        read_document(documents.scanned_pdf(), name="plan.docx", ocr=False)


@pytest.fixture
def text_reader(monkeypatch):
    """Stands in for the text reader, recording what read_document hands it."""
    calls: list[tuple[str, str]] = []

    def read_text(text: str, *, name: str = "") -> Document:
        calls.append((text, name))
        return Document(name=name)

    module = types.ModuleType("theodoi.importer.readers.text")
    module.read_text = read_text  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "theodoi.importer.readers.text", module)
    return calls


@pytest.mark.parametrize(
    "data",
    [
        "KẾ HOẠCH\tSố: 110/KH-UBND\n".encode(),
        "\ufeffKẾ HOẠCH\tSố: 110/KH-UBND\n".encode(),
        "\ufeffKẾ HOẠCH\tSố: 110/KH-UBND\n".encode("utf-16-le"),
    ],
    ids=["utf-8", "utf-8 with BOM", "utf-16 with BOM"],
)
def test_read_document_hands_text_to_the_text_reader(text_reader, data):
    read_document(data, name="kehoach.md")
    assert text_reader == [("KẾ HOẠCH\tSố: 110/KH-UBND\n", "kehoach.md")]


def _zip(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (bytes(range(256)) * 4, "Không đọc được tệp “x”."),
        (b"", "rỗng"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), ".doc/.xls"),
        (_zip("notes/readme.txt", b"hello"), "không phải tài liệu Word hay Excel"),
        (documents.plan_docx()[:3000], "Word (.docx)"),
        (documents.budget_xlsx()[:2000], "Excel (.xlsx)"),
        (_zip("word/document.xml", b"<not xml"), "tệp Word “x”"),
        (_zip("xl/workbook.xml", b"<not xml"), "tệp Excel “x”"),
        (b"%PDF-1.4\nthis is not a PDF", "tệp PDF “x”"),
    ],
    ids=["garbage", "empty", "old doc", "other zip", "truncated docx", "truncated xlsx"]
    + ["broken docx", "broken xlsx", "broken pdf"],
)
def test_unreadable_files_say_what_to_upload(text_reader, data, says):
    with pytest.raises(UnsupportedDocument) as raised:
        read_document(data, name="x")
    assert says in raised.value.message
    assert raised.value.message.endswith(
        "Hãy tải lên tệp .docx, .xlsx, PDF có lớp văn bản hoặc tệp văn bản."
    )
    assert text_reader == []
