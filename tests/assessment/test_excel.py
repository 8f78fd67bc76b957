"""Frameworks in Excel (issue 8): the workbook reads back equal to the framework it was written
from, survives the edits a person makes, and a badly edited or foreign file gives a
FrameworkError naming the row and what to do. No database."""

import dataclasses
import datetime
import io
import zipfile

import openpyxl
import pytest
from docx import Document

from tests.assessment.frameworks import all_rules, all_rules_raw, default, small
from theodoi.assessment import excel
from theodoi.assessment import framework as fw

TITLES = [title for title, _width in excel.COLUMNS]
HEADER_ROW = len(excel.IDENTITY) + 2  # identity rows, a blank row, then the table's header


def column(title: str) -> int:
    return TITLES.index(title) + 1


def open_sheet(data: bytes):
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return workbook, workbook[excel.SHEET]


def edited(framework: fw.Framework, change) -> bytes:
    """The workbook of ``framework`` after ``change(sheet)``, saved as a person would."""
    workbook, sheet = open_sheet(excel.framework_to_xlsx(framework))
    change(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row_of(sheet, code: str, level: str | None = None) -> int:
    for row in range(HEADER_ROW + 1, sheet.max_row + 1):
        if sheet.cell(row=row, column=column(excel.CODE_COL)).value == code and (
            level is None or sheet.cell(row=row, column=1).value == level
        ):
            return row
    raise AssertionError(f"no row {code}")


def put(code: str, title: str, value, level: str | None = None):
    def change(sheet):
        sheet.cell(row=row_of(sheet, code, level), column=column(title)).value = value

    return change


def problems_of(data: bytes) -> list[str]:
    with pytest.raises(fw.FrameworkError) as caught:
        excel.framework_from_xlsx(data)
    return caught.value.problems


# --- Round trips ------------------------------------------------------------------------------


def tricky() -> fw.Framework:
    """Values a careless writer would lose: text that looks like a formula or a number, many
    decimals, empty optional fields."""
    raw = all_rules_raw()
    raw["name"] = "=SUM(A1:A2) không phải công thức"
    raw["description"] = ""
    group = raw["groups"][0]
    group["code"] = "1.10"
    group["criteria"][0]["name"] = "+84 hoặc -1; @ghi chú"
    group["criteria"][2]["rule"]["bands"] = [
        {"min": "33.333", "points": "0.99"},
        {"min": "29.99", "points": "0.01"},
        {"min": 0, "points": 0},
    ]
    group["criteria"][4]["rule"]["choices"][2]["label"] = "=1+1"
    return fw.parse(raw)


@pytest.mark.parametrize(
    "make", [default, all_rules, tricky], ids=["default", "all-rules", "tricky"]
)
def test_round_trip_is_lossless(make):
    framework = make()

    again = excel.framework_from_xlsx(excel.framework_to_xlsx(framework))

    assert again == framework
    assert fw.to_dict(again) == fw.to_dict(framework)


def test_excel_and_yaml_agree():
    framework = all_rules()

    from_excel = excel.framework_from_xlsx(excel.framework_to_xlsx(framework))

    assert fw.dump_yaml(from_excel) == fw.dump_yaml(framework)


# --- What the sheet looks like ----------------------------------------------------------------


def test_the_sheet_a_person_reads():
    workbook, sheet = open_sheet(excel.framework_to_xlsx(all_rules()))

    assert workbook.sheetnames == [excel.SHEET, excel.HELP_SHEET]
    assert [sheet.cell(row=r, column=1).value for r in range(1, 7)] == [
        "Mã bộ tiêu chí",
        "Tên bộ tiêu chí",
        "Năm áp dụng",
        "Phiên bản",
        "Mô tả",
        "Tổng điểm tối đa",
    ]
    assert [sheet.cell(row=r, column=2).value for r in (1, 3, 4, 6)] == ["all-rules", 2026, 3, 24]
    header = [sheet.cell(row=HEADER_ROW, column=c).value for c in range(1, len(TITLES) + 1)]
    assert header == [
        "Cấp",
        "Mã",
        "Tên",
        "Điểm tối đa",
        "Quy tắc chấm",
        "Mức điểm",
        "Cho phép không áp dụng",
        "Nguồn dữ liệu",
        "Minh chứng",
        "Hướng dẫn",
    ]
    assert all(sheet.cell(row=HEADER_ROW, column=c).font.b for c in range(1, len(TITLES) + 1))
    assert sheet.freeze_panes == f"C{HEADER_ROW + 1}"
    assert sheet.column_dimensions["C"].width == 60
    group_row = row_of(sheet, "A")
    assert sheet.cell(row=group_row, column=3).fill.fgColor.rgb.endswith("F2F2F2")
    assert sheet.cell(row=group_row, column=3).font.b
    assert sheet.cell(row=row_of(sheet, "yn"), column=3).alignment.wrap_text

    def cells(code, level=None):
        row = row_of(sheet, code, level)
        return [sheet.cell(row=row, column=c).value for c in range(1, len(TITLES) + 1)]

    assert cells("A") == ["Nhóm", "A", "Mọi quy tắc", 14] + [None] * 6
    assert cells("pct") == [
        "Tiêu chí",
        "pct",
        "Tỷ lệ",
        1,
        "Tỷ lệ % theo mức",
        "≥ 30%: 1\n≥ 25%: 0,5\n≥ 10%: 0,25",
        None,
        "tasks_on_time",
        None,
        "Tự tính.",
    ]
    assert cells("yn")[4:6] == ["Có/Không", None]
    assert cells("yn2")[4:6] == ["Có/Không", "Có: 1,5\nKhông: 0,5"]
    assert cells("cnt")[5] == "≥ 5: 3\n≥ 2: 1"
    assert cells("ch")[4:6] == ["Chọn một phương án", None]
    assert (
        cells("b)", "Phương án")
        == [
            "Phương án",
            "b)",
            "b) một trong hai\nhoặc tạm thời",
            None,
            None,
            1.25,
        ]
        + [None] * 4
    )
    assert cells("man")[4:6] == ["Người chấm nhập điểm", None]
    assert cells("par")[3:7] == [4, None, None, "x"]
    assert cells("par.1")[0] == "Tiêu chí thành phần"
    assert sheet.cell(row=row_of(sheet, "yn"), column=2).number_format == "@"


def test_text_that_looks_like_a_formula_is_written_as_text():
    _workbook, sheet = open_sheet(excel.framework_to_xlsx(tricky()))

    assert sheet.cell(row=2, column=2).value == "=SUM(A1:A2) không phải công thức"
    assert sheet.cell(row=2, column=2).data_type == "s"
    assert sheet.cell(row=row_of(sheet, "c", "Phương án"), column=3).data_type == "s"


# --- Edits a person makes that still read ----------------------------------------------------


def test_edits_that_keep_the_meaning():
    framework = all_rules()

    def change(sheet):
        put("pct", excel.RULE_COL, "percent")(sheet)
        put("pct", excel.POINTS_COL, ">= 10: 0.25; 30%: 1;  ≥25 : 0,5")(sheet)
        put("yn2", excel.RULE_COL, "  có/không ")(sheet)
        put("yn2", excel.POINTS_COL, "không: 0,5; CÓ: 1.5")(sheet)
        put("yn2", excel.MAX_COL, "2,0")(sheet)
        put("na", excel.NA_COL, "Có")(sheet)
        put("nona", excel.SOURCE_COL, fw.SOURCES["reports_on_time"])(sheet)
        put("ch", excel.RULE_COL, "choice")(sheet)
        put("a", excel.POINTS_COL, "3", "Phương án")(sheet)
        sheet.cell(row=HEADER_ROW, column=column(excel.RULE_COL), value="Quy tắc")
        sheet.cell(row=HEADER_ROW, column=1, value=" cấp ")
        sheet.cell(row=3, column=1, value="Năm áp dụng:")
        sheet.insert_rows(row_of(sheet, "B"))  # a blank line between groups
        sheet.cell(row=row_of(sheet, "man"), column=1, value="tiêu  chí")

    assert excel.framework_from_xlsx(edited(framework, change)) == framework


def test_columns_moved_or_left_out():
    framework = all_rules()

    def change(sheet):
        sheet.delete_cols(column(excel.GUIDANCE_COL))
        # "Cấp" becomes the last column of the table; the identity rows above stay as they are.
        last = sheet.max_row
        sheet.move_range(f"A{HEADER_ROW}:A{last}", cols=len(TITLES) - 1)
        sheet.move_range(f"B{HEADER_ROW}:J{last}", cols=-1)

    again = excel.framework_from_xlsx(edited(framework, change))

    assert fw.to_dict(again) == fw.to_dict(_without_guidance(framework))


def _without_guidance(framework: fw.Framework) -> fw.Framework:
    def plain(criterion):
        return dataclasses.replace(
            criterion, guidance="", criteria=tuple(plain(c) for c in criterion.criteria)
        )

    groups = tuple(
        dataclasses.replace(g, criteria=tuple(plain(c) for c in g.criteria))
        for g in framework.groups
    )
    return dataclasses.replace(framework, groups=groups)


def test_the_table_sheet_may_be_renamed():
    framework = default()

    def change(sheet):
        sheet.title = "Sheet1"

    assert excel.framework_from_xlsx(edited(framework, change)) == framework


# --- Broken workbooks -------------------------------------------------------------------------


def _clear_header(sheet):
    sheet.cell(row=HEADER_ROW, column=1, value="Loại")


def _drop_column(title):
    def change(sheet):
        sheet.delete_cols(column(title))

    return change


def _criterion_first(sheet):
    sheet.cell(row=HEADER_ROW + 1, column=1, value="Tiêu chí")


def _sub_after_group(sheet):
    put("1.1", "Cấp", "Tiêu chí thành phần")(sheet)


def _option_under_yes_no(sheet):
    row = row_of(sheet, "1.1") + 1
    sheet.insert_rows(row)
    sheet.cell(row=row, column=1, value="Phương án")
    sheet.cell(row=row, column=2, value="a")


BROKEN = [
    (
        put("1.1", excel.MAX_COL, "bốn"),
        "Dòng 10 — Tiêu chí 1.1: «Điểm tối đa» phải là một số (ví dụ 2 hoặc 0,5), không phải "
        "«bốn».",
    ),
    (
        put("1.1", excel.MAX_COL, None),
        "Dòng 10 — Tiêu chí 1.1: thiếu «Điểm tối đa» (ví dụ 2 hoặc 0,5).",
    ),
    (
        put("1.1", excel.RULE_COL, None),
        "Dòng 10 — Tiêu chí 1.1: thiếu quy tắc chấm («Quy tắc chấm»).",
    ),
    (
        put("1.1", excel.RULE_COL, "Điểm thưởng"),
        "Dòng 10 — Tiêu chí 1.1: quy tắc chấm «Điểm thưởng» không có; dùng một trong: Có/Không, "
        "Tỷ lệ % theo mức, Số lượng theo mức, Chọn một phương án, Người chấm nhập điểm.",
    ),
    (
        put("1.1", excel.NAME_COL, None),
        "Dòng 10 — Tiêu chí 1.1: thiếu tên tiêu chí («Tên»).",
    ),
    (
        put("1.1", excel.CODE_COL, None),
        "Dòng 10 — Nhóm 1, tiêu chí 1: thiếu mã tiêu chí («Mã»).",
    ),
    (
        put("1.1", "Cấp", "Mục"),
        "Dòng 10: cột «Cấp» ghi «Mục»; hãy ghi một trong: Nhóm, Tiêu chí, Tiêu chí thành phần, "
        "Phương án.",
    ),
    (
        put("1.1", excel.CODE_COL, datetime.datetime(2026, 1, 1)),
        "Dòng 10: Excel đã đổi mã thành ngày tháng (2026-01-01 00:00:00). Hãy định dạng cột «Mã» "
        "là Văn bản (Text) rồi gõ lại mã, ví dụ 1.1.",
    ),
    (
        put("1.2", excel.POINTS_COL, "30 → 1"),
        "Dòng 11: không hiểu mức «30 → 1» ở cột «Mức điểm»; ghi mỗi mức một dòng dạng «≥ 30: 1» "
        "(từ 30 trở lên được 1 điểm).",
    ),
    (
        put("1.2", excel.POINTS_COL, "≥ chín mươi: 3"),
        "Dòng 11 — Tiêu chí 1.2, mức 1: mức bắt đầu (số sau dấu ≥) phải là một số, không phải "
        "«chín mươi».",
    ),
    (
        put("1.2", excel.POINTS_COL, "≥ 90%: 4"),
        "Dòng 11 — Tiêu chí 1.2: một mức điểm lớn hơn điểm tối đa (3).",
    ),
    (
        put("1.2", excel.POINTS_COL, None),
        "Dòng 11 — Tiêu chí 1.2: quy tắc theo mức cần cột «Mức điểm», mỗi mức một dòng dạng "
        "«≥ 30: 1».",
    ),
    (
        put("1.1", excel.POINTS_COL, "Đúng: 4"),
        "Dòng 10: quy tắc «Có/Không» chỉ ghi «Có: điểm» và/hoặc «Không: điểm» ở cột «Mức điểm», "
        "không phải «Đúng: 4».",
    ),
    (
        put("1.1", excel.POINTS_COL, "Có: bốn"),
        "Dòng 10 — Tiêu chí 1.1: «Có: …» ở cột Mức điểm phải là một số (ví dụ 2 hoặc 0,5), "
        "không phải «bốn».",
    ),
    (
        put("3.2", excel.POINTS_COL, "a = 4"),
        "Dòng 19: quy tắc «Chọn một phương án» ghi các phương án ở các dòng «Phương án» ngay bên "
        "dưới, không ở cột «Mức điểm»; hãy để trống ô này.",
    ),
    (
        put("b", excel.POINTS_COL, "hai", "Phương án"),
        "Dòng 21 — Tiêu chí 3.2, phương án 2: «Mức điểm» phải là một số (ví dụ 2 hoặc 0,5), "
        "không phải «hai».",
    ),
    (
        put("b", excel.CODE_COL, "a", "Phương án"),
        "Dòng 19 — Tiêu chí 3.2: hai phương án có cùng «Mã».",
    ),
    (
        put("6.5", excel.POINTS_COL, "3"),
        "Dòng 48: quy tắc «Người chấm nhập điểm» không có mức điểm; người chấm nhập điểm từ 0 "
        "đến điểm tối đa. Hãy để trống ô «Mức điểm».",
    ),
    (
        put("3.3", excel.POINTS_COL, "≥ 1: 1"),
        "Dòng 23: ô «Mức điểm» có nội dung nhưng chưa ghi «Quy tắc chấm»; tiêu chí có tiêu chí "
        "thành phần thì để trống cả hai ô.",
    ),
    (
        put("3.3", excel.RULE_COL, "Có/Không"),
        "Dòng 23 — Tiêu chí 3.3: tiêu chí có tiêu chí thành phần được chấm bằng tổng của chúng, "
        "không có «Quy tắc chấm» riêng.",
    ),
    (
        put("3.3", excel.MAX_COL, 7),
        "Dòng 23 — Tiêu chí 3.3: điểm tối đa ghi 7 nhưng các tiêu chí thành phần cộng lại 6.",
    ),
    (
        put("1", excel.MAX_COL, 11),
        "Dòng 9 — Nhóm 1: điểm tối đa của nhóm ghi «11» nhưng các tiêu chí cộng lại 10.",
    ),
    (
        put("1", excel.RULE_COL, "Có/Không"),
        "Dòng 9: dòng «Nhóm» chỉ ghi Mã, Tên và Điểm tối đa; các cột «Quy tắc chấm» thuộc về các "
        "dòng «Tiêu chí».",
    ),
    (
        put("1.2", excel.CODE_COL, "1.1"),
        "Mã «1.1» dùng cho hai nhóm hoặc tiêu chí; mỗi mã phải riêng.",
    ),
    (
        put("2.1", excel.SOURCE_COL, "tasks_done"),
        "Dòng 14 — Tiêu chí 2.1: nguồn «tasks_done» chỉ dùng cho quy tắc «Số lượng theo mức».",
    ),
    (
        _criterion_first,
        "Dòng 9: tiêu chí nằm trước mọi nhóm; hãy thêm một dòng «Nhóm» phía trên nó.",
    ),
    (
        _sub_after_group,
        "Dòng 10: tiêu chí thành phần phải nằm ngay dưới một dòng «Tiêu chí» của cùng nhóm.",
    ),
    (
        _option_under_yes_no,
        "Dòng 11: dòng «Phương án» phải nằm ngay dưới một tiêu chí có quy tắc «Chọn một phương "
        "án».",
    ),
    (
        _drop_column(excel.MAX_COL),
        f"Dòng {HEADER_ROW} (tiêu đề bảng): thiếu cột «Điểm tối đa». Hãy thêm lại cột với đúng "
        "tên đó như trong tệp xuất ra từ theodoi.",
    ),
    (
        _clear_header,
        "Không tìm thấy dòng tiêu đề của bảng (dòng có các cột «Cấp», «Mã», «Tên», …). Hãy giữ "
        "nguyên dòng tiêu đề như trong tệp xuất ra từ theodoi.",
    ),
    (
        lambda sheet: setattr(sheet["B1"], "value", None),
        "Thiếu mã bộ tiêu chí (ô «Mã bộ tiêu chí» ở đầu trang).",
    ),
    (
        lambda sheet: sheet.cell(row=3, column=2, value="năm nay"),
        "Năm áp dụng (ô «Năm áp dụng» ở đầu trang) phải là một năm như 2026, không phải «năm nay».",
    ),
    (
        lambda sheet: sheet.cell(row=3, column=1, value="Năm"),
        "Thiếu năm áp dụng (ô «Năm áp dụng» ở đầu trang), ví dụ 2026.",
    ),
    (
        lambda sheet: sheet.cell(row=6, column=2, value=90),
        "Ô «Tổng điểm tối đa» ghi «90» nhưng các nhóm cộng lại 100.",
    ),
]


@pytest.mark.parametrize(("change", "expected"), BROKEN)
def test_a_badly_edited_workbook_says_which_row_and_what_to_do(change, expected):
    assert expected in problems_of(edited(default(), change))


def test_the_rows_of_the_messages_are_the_rows_of_the_sheet():
    framework = default()
    _workbook, sheet = open_sheet(excel.framework_to_xlsx(framework))

    assert [row_of(sheet, code) for code in ("1", "1.1", "1.2", "2.1", "3.2", "3.3", "6.5")] == [
        9,
        10,
        11,
        14,
        19,
        23,
        48,
    ]
    assert row_of(sheet, "b", "Phương án") == 21


def test_every_mistake_is_listed_at_once():
    def change(sheet):
        put("1.1", excel.MAX_COL, "bốn")(sheet)
        put("1.3", "Cấp", "Mục")(sheet)
        put("2.2", excel.POINTS_COL, "100 → 3")(sheet)

    assert problems_of(edited(default(), change)) == [
        "Dòng 12: cột «Cấp» ghi «Mục»; hãy ghi một trong: Nhóm, Tiêu chí, Tiêu chí thành phần, "
        "Phương án.",
        "Dòng 15: không hiểu mức «100 → 3» ở cột «Mức điểm»; ghi mỗi mức một dòng dạng «≥ 30: 1» "
        "(từ 30 trở lên được 1 điểm).",
        "Dòng 10 — Tiêu chí 1.1: «Điểm tối đa» phải là một số (ví dụ 2 hoặc 0,5), không phải "
        "«bốn».",
        # The rows that could not be read are left out of the sums, which then disagree.
        "Dòng 9 — Nhóm 1: điểm tối đa của nhóm ghi «10» nhưng các tiêu chí cộng lại 3.",
        "Ô «Tổng điểm tối đa» ghi «100» nhưng các nhóm cộng lại 93.",
    ]


def test_a_mistake_excel_found_alone_still_fails():
    # The row is skipped, the rest parses: the problem must not be lost on the way.
    def change(sheet):
        put("1.2", excel.POINTS_COL, "≥ 90: 3; lạ")(sheet)

    assert problems_of(edited(default(), change)) == [
        "Dòng 11: không hiểu mức «lạ» ở cột «Mức điểm»; ghi mỗi mức một dòng dạng «≥ 30: 1» "
        "(từ 30 trở lên được 1 điểm)."
    ]


def test_too_many_rows():
    def change(sheet):
        sheet.cell(row=excel.MAX_ROWS + 1, column=1, value="Tiêu chí")

    assert problems_of(edited(default(), change)) == [
        f"Trang «{excel.SHEET}» có hơn {excel.MAX_ROWS} dòng; một bộ tiêu chí chỉ cần vài chục "
        "dòng. Hãy xóa các dòng thừa ở cuối trang rồi nhập lại."
    ]


def _zip_of_text() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "không phải Excel")
    return buffer.getvalue()


def _docx() -> bytes:
    buffer = io.BytesIO()
    Document().save(buffer)
    return buffer.getvalue()


def _truncated() -> bytes:
    data = excel.framework_to_xlsx(fw.parse(small()))
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"hello",
        b"%PDF-1.4\n%%EOF\n",
        b"code: ward-dx\n",
        _zip_of_text(),
        _docx(),
        _truncated(),
        "a string, not bytes",
        None,
    ],
    ids=["empty", "text", "pdf", "yaml", "zip", "docx", "truncated", "str", "none"],
)
def test_a_file_that_is_not_an_xlsx(data):
    assert problems_of(data) == [
        "Không đọc được tệp Excel: tệp bị hỏng hoặc không phải định dạng .xlsx. Hãy mở tệp bằng "
        "Excel, chọn «Lưu thành» kiểu «Sổ làm việc Excel (.xlsx)» rồi nhập lại."
    ]
