"""Tables whose header takes two rows: group cells merged across above the column names
("Đơn vị thực hiện" over "Chủ trì | Phối hợp"), in Excel, Word and text; and a workbook whose
plan identity stands in merged cells above its table."""

import datetime as dt
import io
from decimal import Decimal

import docx
import openpyxl
import pytest

from tests.importer.corpus.two_row import two_row_header_docx, workbook_two_row
from theodoi.importer.document import Document, Paragraph, Row, Table
from theodoi.importer.draft import Draft
from theodoi.importer.pipeline import draft_from_bytes
from theodoi.importer.readers import read_document
from theodoi.importer.readers.text import read_text
from theodoi.importer.recognise.indicator_tables import indicator_columns
from theodoi.importer.recognise.plan import recognise
from theodoi.importer.recognise.tables import logical_tables

# Excel -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbook() -> bytes:
    return workbook_two_row()


@pytest.fixture(scope="module")
def workbook_draft(workbook) -> Draft:
    return draft_from_bytes(workbook, name="kehoach.xlsx")


def test_workbook_identity_above_the_table_is_read(workbook_draft):
    plan = workbook_draft.plan
    assert plan.number == "45/KH-UBND"
    assert plan.issued_on == dt.date(2026, 3, 10)
    assert plan.place == "Hòa Khánh"
    assert plan.issuer == "Ủy ban nhân dân phường Hòa Khánh"
    assert plan.issuer_kind == "peoples_committee"
    # The title ends where the table begins: neither the sheet's name nor the signature.
    assert plan.title == (
        "Thực hiện Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học, công nghệ, đổi mới "
        "sáng tạo và chuyển đổi số quốc gia trên địa bàn phường Hòa Khánh năm 2026"
    )


def test_workbook_identity_reaches_the_recogniser_as_paragraphs_in_reading_order(workbook):
    document = read_document(workbook, name="kehoach.xlsx")
    head = [(p.text, p.source) for p in document.paragraphs()[:8]]
    # The left column of the page head (issuer, number) before the right one (motto, date).
    assert head == [
        ("ỦY BAN NHÂN DÂN", "sheet Kế hoạch row 1"),
        ("PHƯỜNG HÒA KHÁNH", "sheet Kế hoạch row 2"),
        ("Số: 45/KH-UBND", "sheet Kế hoạch row 3"),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "sheet Kế hoạch row 1"),
        ("Độc lập - Tự do - Hạnh phúc", "sheet Kế hoạch row 2"),
        ("Hòa Khánh, ngày 10 tháng 3 năm 2026", "sheet Kế hoạch row 3"),
        ("KẾ HOẠCH", "sheet Kế hoạch row 5"),
        (head[7][0], "sheet Kế hoạch row 6"),
    ]
    first_table = document.tables()[0]
    assert first_table.rows[0].source == "sheet Kế hoạch row 8"
    assert [row.is_header for row in first_table.rows[:4]] == [True, True, True, False]


def _sheet_bytes(rows: dict[str, object]) -> bytes:
    book = openpyxl.Workbook()
    for coordinate, value in rows.items():
        book.active[coordinate] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_workbook_identity_in_cells_not_merged():
    data = _sheet_bytes(
        {
            "A1": "UBND PHƯỜNG AN BÌNH",
            "D1": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "A2": "Số: 12/KH-UBND",
            "D2": "An Bình, ngày 5 tháng 1 năm 2026",
            "A4": "KẾ HOẠCH",
            "A5": "Chuyển đổi số năm 2026",
            **dict(zip(["A7", "B7", "C7", "D7", "E7"], ["TT", "Nhiệm vụ", "Chủ trì", "Phối hợp",
                                                        "Thời hạn"], strict=True)),
            **dict(zip(["A8", "B8", "C8", "D8", "E8"], [1, "Rà soát quy chế", "Công an phường",
                                                        "", "Quý II/2026"], strict=True)),
        }
    )  # fmt: skip
    document = read_document(data, name="kehoach.xlsx")
    assert [p.text for p in document.paragraphs()] == [
        "UBND PHƯỜNG AN BÌNH",
        "Số: 12/KH-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "An Bình, ngày 5 tháng 1 năm 2026",
        "KẾ HOẠCH",
        "Chuyển đổi số năm 2026",
    ]
    draft = recognise(document)
    assert (draft.plan.number, draft.plan.title) == ("12/KH-UBND", "Chuyển đổi số năm 2026")
    assert [(t.code, t.lead_units_raw) for t in draft.tasks] == [("1", "Công an phường")]


def test_a_sheet_of_two_columns_stays_a_table():
    data = _sheet_bytes({"A1": "STT", "B1": "Nội dung", "A2": 1, "B2": "Rà soát quy chế"})
    document = read_document(data, name="danhsach.xlsx")
    assert [p.text for p in document.paragraphs()] == ["Sheet"]
    assert [row.cells for row in document.tables()[0].rows] == [
        ["STT", "Nội dung"],
        ["1", "Rà soát quy chế"],
    ]


def test_workbook_signature_block_is_text_not_rows(workbook, workbook_draft):
    document = read_document(workbook, name="kehoach.xlsx")
    texts = [p.text for p in document.paragraphs()]
    assert "Nơi nhận:" in texts and "TM. ỦY BAN NHÂN DÂN" in texts
    assert not any(row.cells[0] == "Nơi nhận:" for t in document.tables() for row in t.rows)
    titles = {task.title for task in workbook_draft.tasks}
    assert not titles & {"Nơi nhận:", "Tổng cộng", "CHỦ TỊCH"}
    # The total row is said, not dropped silently.
    assert any("Tổng cộng | 780 | 250" in warning for warning in workbook_draft.warnings)


def test_workbook_header_labels_join_the_group_and_the_column_name(workbook):
    tables = logical_tables(read_document(workbook, name="kehoach.xlsx"))
    assert tables[0].header == [
        "STT",
        "Nội dung nhiệm vụ",
        "Sản phẩm",
        "Đơn vị thực hiện — Chủ trì",
        "Đơn vị thực hiện — Phối hợp",
        "Thời gian — Bắt đầu",
        "Thời gian — Hoàn thành",
        "Kinh phí (triệu đồng) — Năm 2026",
        "Kinh phí (triệu đồng) — Năm 2027",
        "Ghi chú",
    ]
    assert tables[1].header[3:9] == [
        "Năm 2025 (cơ sở)",
        "Mục tiêu — 2026",
        "Mục tiêu — 2027",
        "Mục tiêu — 2028",
        "Mục tiêu — 2029",
        "Mục tiêu — 2030",
    ]


def test_workbook_sections_and_tasks(workbook_draft):
    assert [(s.code, s.title) for s in workbook_draft.sections] == [
        ("I", "NÂNG CAO NHẬN THỨC, ĐỔI MỚI TƯ DUY VỀ PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ, ĐỔI MỚI "
         "SÁNG TẠO VÀ CHUYỂN ĐỔI SỐ"),
        ("II", "HOÀN THIỆN THỂ CHẾ, CƠ CHẾ, CHÍNH SÁCH"),
        ("III", "PHÁT TRIỂN HẠ TẦNG SỐ, DỮ LIỆU SỐ"),
        ("IV", "CHUYỂN ĐỔI SỐ TRONG HOẠT ĐỘNG CỦA CƠ QUAN NHÀ NƯỚC"),
        ("V", "PHÁT TRIỂN KINH TẾ SỐ, XÃ HỘI SỐ"),
        ("VI", "BẢO ĐẢM AN NINH, AN TOÀN THÔNG TIN"),
    ]  # fmt: skip
    assert len(workbook_draft.tasks) == 32
    tasks = {task.code: task for task in workbook_draft.tasks}
    subtask = tasks["3.2"]
    assert (subtask.parent, subtask.section) == ("3", "I")
    assert subtask.lead_units_raw == "Công an phường"
    assert subtask.coordinating_units_raw == "Tổ công nghệ số cộng đồng"
    # The due date is the "Hoàn thành" column; "Bắt đầu" and the money stay in the note.
    assert subtask.deadline_text == "30/06/2026"
    assert tasks["1"].deadline_text == "Tháng 4/2026"
    assert tasks["1"].note.split("\n") == [
        "Thời gian — Bắt đầu: Tháng 3/2026",
        "Kinh phí (triệu đồng) — Năm 2026: 10",
    ]
    assert tasks["25"].row == "sheet Kế hoạch row 48"


def test_workbook_indicators_with_unit_baseline_and_yearly_targets(workbook_draft):
    indicators = {indicator.code: indicator for indicator in workbook_draft.indicators}
    assert sorted(indicators, key=int) == [str(n) for n in range(1, 9)]
    first = indicators["1"]
    assert first.name.startswith("Tỷ lệ hồ sơ thủ tục hành chính được giải quyết trực tuyến")
    assert first.group == "I"
    assert (first.unit, first.baseline, first.baseline_year) == ("%", Decimal(62), 2025)
    assert first.milestones == {2026: 70, 2027: 75, 2028: 80, 2029: 85}
    assert (first.target, first.target_year, first.comparator) == (Decimal(90), 2030, ">=")
    assert first.monitoring_unit == "Trung tâm Phục vụ hành chính công"
    people = indicators["4"]
    assert (people.unit, people.baseline, people.target) == ("Người", 35, 65)
    written = indicators["5"]
    assert (written.target_text, written.comparator_written) == ("≥ 95%", True)
    assert indicators["7"].baseline == 0 and indicators["7"].group == "II"


# Word ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def word_document() -> Document:
    return read_document(two_row_header_docx(), name="kehoach.docx")


def test_word_header_of_two_rows(word_document):
    table = logical_tables(word_document)[0]
    assert table.header == [
        "TT",
        "Nội dung công việc",
        "Đơn vị thực hiện — Chủ trì",
        "Đơn vị thực hiện — Phối hợp",
        "Thời gian thực hiện — Bắt đầu",
        "Thời gian thực hiện — Hoàn thành",
        "Sản phẩm",
    ]
    # Only the first header row is marked "repeat as header row"; the second is found anyway.
    raw = word_document.tables()[0]
    assert [row.is_header for row in raw.rows[:2]] == [True, False]
    assert raw.rows[0].spans == [1, 1, 2, 0, 2, 0, 1]
    # Table 1 of the file lays out the page head; the task table is table 2.
    assert table.rows[0].source == "table 2 row 3"


def test_word_page_head_and_signature_tables_are_read_as_paragraphs(word_document):
    texts = [(p.text, p.source) for p in word_document.paragraphs()]
    assert texts[:6] == [
        ("ỦY BAN NHÂN DÂN", "table 1 row 1"),
        ("XÃ ĐẠI LỘC", "table 1 row 1"),
        ("Số: 112/KH-UBND", "table 1 row 1"),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "table 1 row 1"),
        ("Độc lập - Tự do - Hạnh phúc", "table 1 row 1"),
        ("Đại Lộc, ngày 02 tháng 4 năm 2026", "table 1 row 1"),
    ]
    assert ("Nơi nhận:", "table 3 row 1") in texts
    assert len(word_document.tables()) == 1
    draft = recognise(word_document)
    assert (draft.plan.number, draft.plan.issued_on) == ("112/KH-UBND", dt.date(2026, 4, 2))
    assert draft.plan.issuer == "Ủy ban nhân dân xã Đại Lộc"
    assert draft.plan.title.startswith("Triển khai phong trào “Bình dân học vụ số”")
    assert not any("not recognised" in w or "không được nhận dạng" in w for w in draft.warnings)


def test_word_tasks_take_the_completion_column_as_deadline(word_document):
    draft = recognise(word_document)
    assert [s.code for s in draft.sections] == ["I", "II", "III", "IV", "V", "VI"]
    tasks = {task.code: task for task in draft.tasks}
    assert tasks["11.2"].deadline_text == "Quý II/2027"
    assert tasks["11.2"].note == "Thời gian thực hiện — Bắt đầu: Quý III/2026"
    assert tasks["1"].lead_units_raw == "Văn phòng Đảng ủy"
    assert tasks["1"].coordinating_units_raw == "Văn phòng HĐND và UBND"


# Text and plain tables -------------------------------------------------------------------------


def test_text_table_group_label_over_empty_cells():
    document = read_text(
        "STT\tNhiệm vụ\tĐơn vị thực hiện\t\tThời gian\t\tGhi chú\n"
        "\t\tChủ trì\tPhối hợp\tBắt đầu\tHoàn thành\t\n"
        "1\tRà soát quy chế\tVăn phòng HĐND và UBND\tCông an phường\tQuý I/2026\tQuý II/2026\t\n"
    )
    table = logical_tables(document)[0]
    assert table.header == [
        "STT",
        "Nhiệm vụ",
        "Đơn vị thực hiện — Chủ trì",
        "Đơn vị thực hiện — Phối hợp",
        "Thời gian — Bắt đầu",
        "Thời gian — Hoàn thành",
        "Ghi chú",
    ]
    (task,) = recognise(document).tasks
    assert (task.lead_units_raw, task.deadline_text) == ("Văn phòng HĐND và UBND", "Quý II/2026")


def test_a_data_row_under_a_one_row_header_is_no_header_row():
    header = Row(["STT", "Nhiệm vụ", "Chủ trì", "", "Thời gian"])
    data = Row(["1", "Rà soát quy chế", "Văn phòng", "Công an", "Quý I/2026"])
    table = logical_tables(Document([Paragraph("PHỤ LỤC"), Table([header, data])]))[0]
    assert table.header == ["STT", "Nhiệm vụ", "Chủ trì", "", "Thời gian"]
    assert [row.cells for row in table.rows] == [data.cells]


@pytest.mark.parametrize(
    ("labels", "baseline", "milestones", "target"),
    [
        (["Chỉ tiêu", "Năm 2025 (cơ sở)", "Mục tiêu — 2026", "Mục tiêu — 2030"], 1, {2026: 2}, 3),
        (["Chỉ tiêu", "Năm cơ sở — 2025", "Lộ trình thực hiện — 2026", "Kết quả — 2030"], 1,
         {2026: 2}, 3),
    ],
)  # fmt: skip
def test_indicator_years_under_a_group_cell(labels, baseline, milestones, target):
    columns = indicator_columns(labels)
    assert columns is not None
    assert (columns.baseline, columns.baseline_year) == (baseline, 2025)
    assert columns.milestones == milestones
    assert (columns.target, columns.target_year) == (target, 2030)


def test_word_indicator_table_with_years_under_a_group_cell():
    document = docx.Document()
    document.add_paragraph("PHỤ LỤC: CHỈ TIÊU CHUYỂN ĐỔI SỐ")
    table = document.add_table(rows=4, cols=7)
    top, bottom = table.rows[0].cells, table.rows[1].cells
    for index, label in enumerate(["STT", "Chỉ tiêu", "Đơn vị tính", "Hiện trạng năm 2025"]):
        top[index].merge(bottom[index]).paragraphs[0].add_run(label)
    top[4].merge(top[6]).paragraphs[0].add_run("Lộ trình thực hiện")
    for cell, year in zip(bottom[4:], ["2026", "2027", "2028"], strict=True):
        cell.paragraphs[0].add_run(year)
    rows = [
        ["1", "Tỷ lệ người dân có tài khoản định danh điện tử", "%", "70", "80", "90", "95"],
        ["2", "Số điểm wifi công cộng miễn phí", "Điểm", "3", "5", "8", "10"],
    ]
    for row, values in zip(table.rows[2:], rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.paragraphs[0].add_run(value)
    buffer = io.BytesIO()
    document.save(buffer)
    draft = draft_from_bytes(buffer.getvalue(), name="chitieu.docx")
    first, second = draft.indicators
    assert (first.unit, first.baseline, first.baseline_year) == ("%", 70, 2025)
    assert first.milestones == {2026: 80, 2027: 90}
    assert (first.target, first.target_year) == (95, 2028)
    assert (second.unit, second.target, second.row) == ("Điểm", 10, "table 1 row 4")


def test_a_page_that_repeats_only_the_group_row_continues_the_table():
    header = ["TT", "Nội dung", "Đơn vị thực hiện", "", "Thời gian", "", "Sản phẩm"]
    names = ["", "", "Chủ trì", "Phối hợp", "Bắt đầu", "Hoàn thành", ""]
    first = ["1", "Rà soát quy chế", "Công an phường", "", "Quý I/2026", "Quý II/2026", "Quy chế"]
    second = ["2", "Lắp camera", "Phòng Kinh tế", "", "Quý II/2026", "Quý IV/2026", "Camera"]
    document = Document(
        [
            Table([Row(header, "page 1 row 1", is_header=True), Row(names), Row(first)]),
            # The next page repeats the row marked as header, not the column names under it.
            Table([Row(header, "page 2 row 1", is_header=True), Row(second, "page 2 row 2")]),
        ]
    )
    (table,) = logical_tables(document)
    assert [row.cells[0] for row in table.rows] == ["1", "2"]
    tasks = recognise(document).tasks
    assert [(t.lead_units_raw, t.deadline_text) for t in tasks] == [
        ("Công an phường", "Quý II/2026"),
        ("Phòng Kinh tế", "Quý IV/2026"),
    ]


def test_a_sheet_with_two_tables_one_under_the_other():
    data = _sheet_bytes(
        {
            **dict(zip(["A1", "B1", "C1", "D1"], ["STT", "Nhiệm vụ", "Chủ trì", "Thời hạn"],
                       strict=True)),
            **dict(zip(["A2", "B2", "C2", "D2"], [1, "Rà soát quy chế", "Công an phường",
                                                  "Quý II/2026"], strict=True)),
            "A4": "PHỤ LỤC II: CHỈ TIÊU NĂM 2026",
            **dict(zip(["A5", "B5", "C5", "D5"], ["STT", "Chỉ tiêu", "Đơn vị tính", "Mục tiêu"],
                       strict=True)),
            **dict(zip(["A6", "B6", "C6", "D6"], [1, "Tỷ lệ hồ sơ trực tuyến", "%", 90],
                       strict=True)),
        }
    )  # fmt: skip
    document = read_document(data, name="kehoach.xlsx")
    tasks, indicators = logical_tables(document)
    assert tasks.header == ["STT", "Nhiệm vụ", "Chủ trì", "Thời hạn"]
    assert [row.source for row in tasks.rows] == ["sheet Sheet row 2"]
    assert indicators.context[-1] == "PHỤ LỤC II: CHỈ TIÊU NĂM 2026"
    assert indicators.source == "sheet Sheet row 5"
    draft = recognise(document)
    assert [(t.code, t.title) for t in draft.tasks] == [("1", "Rà soát quy chế")]
    [indicator] = draft.indicators
    assert (indicator.name, indicator.unit, indicator.target) == ("Tỷ lệ hồ sơ trực tuyến", "%", 90)
