"""Budget tables (DESIGN §1, §6): lines with their years, the document's own sums checked, every
mismatch a warning; seed 002's Appendix III read exactly."""

from decimal import Decimal

import pytest

from tests.importer.seeds import seed_document
from theodoi.importer.document import Document, Paragraph, Row, Table
from theodoi.importer.draft import DraftBudgetLine
from theodoi.importer.recognise.budget import (
    budget_from_tables,
    check_sums,
    format_amount,
    read_budget_table,
)
from theodoi.importer.recognise.tables import LogicalTable, logical_tables

TITLE_2025 = "Biểu 1 — DỰ TOÁN KINH PHÍ ĐÃ ĐĂNG KÝ THỰC HIỆN NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2025"
TITLE_2030 = "DỰ TOÁN KINH PHÍ ĐÃ ĐĂNG KÝ THỰC HIỆN NHIỆM VỤ CHUYỂN ĐỔI SỐ GIAI ĐOẠN 2026-2030"


def _seed_tables(prefix: str) -> list[LogicalTable]:
    return logical_tables(seed_document(prefix))


def _d(**years: int) -> dict[int, Decimal]:
    return {int(year[1:]): Decimal(value) for year, value in years.items()}


def _line(code: str, total: int | None, row: str = "", **years: int) -> DraftBudgetLine:
    return DraftBudgetLine(
        item=f"Việc {code}",
        code=code,
        total=None if total is None else Decimal(total),
        by_year=_d(**years),
        row=row,
    )


# --- Seed 002, Appendix III -----------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_002() -> list[LogicalTable]:
    return _seed_tables("002")


def _by_title(tables: list[LogicalTable], words: str) -> LogicalTable:
    return next(t for t in tables if any(words in text for text in t.context))


def test_seed_002_claims_the_two_budget_tables_and_not_the_proposal_table(seed_002):
    _, _, claimed = budget_from_tables(seed_002)

    assert [table.source for table in claimed] == ["line 460", "line 474"]
    proposal = _by_title(seed_002, "ĐỀ XUẤT NHU CẦU")
    assert not any(table is proposal for table in claimed)


def test_seed_002_lines_per_table_and_titles(seed_002):
    lines, _, _ = budget_from_tables(seed_002)

    assert [line.code for line in lines if line.table == TITLE_2025] == [
        "1", "2", "3", "4", "5", "7", "8", "9", "10",
    ]  # fmt: skip
    assert [line.code for line in lines if line.table == TITLE_2030] == [
        str(n) for n in range(1, 16)
    ]
    assert len(lines) == 24


def test_seed_002_stated_totals_read_exactly(seed_002):
    _, _, claimed = budget_from_tables(seed_002)
    first, second = (read_budget_table(table) for table in claimed)

    assert [(t.item, t.total, t.by_year, t.row) for t in first.totals] == [
        ("Tổng nhu cầu kinh phí", Decimal(3792), _d(y2025=2842, y2026=950), "line 461")
    ]
    assert [(t.item, t.total, t.by_year, t.row) for t in second.totals] == [
        (
            "Tổng nhu cầu kinh phí",
            Decimal(33298),
            _d(y2026=7313, y2027=8305, y2028=7580, y2029=5600, y2030=4500),
            "line 476",
        )
    ]


def test_seed_002_lines_read_exactly(seed_002):
    lines, _, _ = budget_from_tables(seed_002)
    found = {(line.table, line.code): line for line in lines}

    def seen(table: str, code: str) -> tuple:
        line = found[(table, code)]
        return (line.item, line.total, line.by_year, line.period_text, line.row)

    assert seen(TITLE_2025, "5") == (
        "Mua sắm máy tính, máy in, thiết bị mạng cho chi bộ (cơ sở khu phố) chi phí vận hành, "
        "bảo dưỡng...(Triển khai lắp đặt trang bị cho 28 khu phố trên địa bàn)",
        Decimal(870),
        _d(y2025=420, y2026=450),
        "2025 -2026",
        "line 466",
    )
    assert seen(TITLE_2025, "7") == (
        "Tổ công nghệ số cộng đồng các khu phố trên địa bàn phường phát triển công dân số cơ sở "
        "- Hỗ trợ kinh phí Tổ công nghệ số cộng đồng (28x3) các khu phố là lực lượng nòng cốt để "
        "thường xuyên xuyên hướng dẫn, hỗ trợ cho người dân (nếu có)",
        Decimal(800),
        _d(y2025=300, y2026=500),
        "2025-2026",
        "line 467",
    )
    assert seen(TITLE_2025, "1") == (
        "Đăng tin trên tạp chí, nhuận bút trang thông tin điện tử",
        Decimal(240),
        _d(y2025=240),
        "2025",
        "line 462",
    )
    assert seen(TITLE_2030, "1") == (
        "Đăng tin trên tạp chí, nhuận bút trang thông tin điện tử",
        Decimal(1010),
        _d(y2026=300, y2027=350, y2028=360),
        "",
        "line 477",
    )
    assert seen(TITLE_2030, "8") == (
        "Đầu tư các thiết bị khoa học công nghệ phục vụ chuyển đổi số và giảng dạy các trường "
        "TH, THCS giai đoạn 2026-2030",
        Decimal(20000),
        _d(y2026=3000, y2027=4000, y2028=4000, y2029=4500, y2030=4500),
        "",
        "line 484",
    )
    # The first row after the page break, without a repeated header.
    assert seen(TITLE_2030, "10") == (
        "Trung tâm học tập cộng đồng số - phát triển công dân số cơ sở giai đoạn 2026-2030",
        Decimal(800),
        _d(y2027=800),
        "",
        "line 487",
    )
    assert seen(TITLE_2030, "13")[1:3] == (Decimal(1800), _d(y2027=600, y2028=600, y2029=600))
    assert seen(TITLE_2030, "15")[1:3] == (Decimal(1200), _d(y2027=600, y2028=600))


def test_seed_002_sums_agree_and_the_missing_row_6_is_reported(seed_002):
    """Every line, year column and grand total of both tables adds up; the only warning is the
    2025 table's numbering, which jumps from 5 to 7."""
    _, warnings, _ = budget_from_tables(seed_002)

    assert warnings == [
        f"Bảng «{TITLE_2025}»: sau mục 5 (dòng 466) là mục 7 (dòng 467), không có mục 6; "
        "kiểm tra xem văn bản có thiếu dòng không"
    ]


@pytest.mark.parametrize("seed", ["000", "001", "003", "004"])
def test_other_seeds_have_no_budget(seed):
    lines, warnings, claimed = budget_from_tables(_seed_tables(seed))

    assert (lines, warnings, claimed) == ([], [], [])


# --- Hand-made tables -----------------------------------------------------------------------


def _table(rows: list[list[str]], *, title: str = "DỰ TOÁN KINH PHÍ NĂM 2026") -> LogicalTable:
    """One table as a reader would give it, with its title paragraph before it."""
    table = Table(
        rows=[Row(cells=cells, source=f"line {10 + n}") for n, cells in enumerate(rows)],
        source="line 10",
    )
    document = Document(blocks=[Paragraph(text=title, source="line 8"), table])
    [logical] = logical_tables(document)
    return logical


HEADER = ["STT", "Nội dung", "Tổng kinh phí", "Năm 2026", "Năm 2027"]


def _budget(cell_2_2027: str = "150", total_2026: str = "300") -> LogicalTable:
    return _table(
        [
            HEADER,
            ["", "Tổng cộng", "550", total_2026, "250"],
            ["1", "Mua máy tính", "200", "100", "100"],
            ["2", "Thuê đường truyền", "350", "200", cell_2_2027],
        ]
    )


def test_hand_made_table_that_adds_up_gives_no_warning():
    lines, warnings, claimed = budget_from_tables([_budget()])

    assert warnings == []
    assert len(claimed) == 1
    assert [(line.code, line.item, line.total, line.by_year) for line in lines] == [
        ("1", "Mua máy tính", Decimal(200), _d(y2026=100, y2027=100)),
        ("2", "Thuê đường truyền", Decimal(350), _d(y2026=200, y2027=150)),
    ]
    assert {line.table for line in lines} == {"DỰ TOÁN KINH PHÍ NĂM 2026"}


def test_one_wrong_cell_is_named_by_its_row_and_its_column():
    """A wrong cell in a full grid breaks one row sum and one column sum: both say where."""
    _, warnings, _ = budget_from_tables([_budget(cell_2_2027="140")])

    assert warnings == [
        "Bảng «DỰ TOÁN KINH PHÍ NĂM 2026», mục 2 (dòng 13): tổng 350 khác cộng các năm "
        "200 + 140 = 340 (lệch 10)",
        "Bảng «DỰ TOÁN KINH PHÍ NĂM 2026», cột Năm 2027: mục «Tổng cộng» (dòng 11) ghi 250, "
        "cộng các dòng được 240 (lệch 10)",
    ]


def test_wrong_stated_total_without_row_totals_gives_exactly_that_warning():
    table = _table(
        [
            ["TT", "Nội dung", "Năm 2026", "Năm 2027"],
            ["1", "Mua máy tính", "100", "1.100"],
            ["2", "Thuê đường truyền", "200", "150"],
            ["", "Tổng cộng", "300", "1.200"],
        ]
    )

    _, warnings, _ = budget_from_tables([table])

    assert warnings == [
        "Bảng «DỰ TOÁN KINH PHÍ NĂM 2026», cột Năm 2027: mục «Tổng cộng» (dòng 13) ghi 1.200, "
        "cộng các dòng được 1.250 (lệch 50)"
    ]


def test_unreadable_amount_keeps_the_line_with_none_and_warns():
    table = _table(
        [
            HEADER,
            ["1", "Mua máy tính", "Theo dự toán", "100", ""],
            ["2", "Tập huấn", "", "", ""],
        ]
    )

    lines, warnings, _ = budget_from_tables([table])

    assert [(line.item, line.total, line.by_year) for line in lines] == [
        ("Mua máy tính", None, _d(y2026=100)),
        ("Tập huấn", None, {}),
    ]
    assert warnings == [
        "Bảng «DỰ TOÁN KINH PHÍ NĂM 2026», mục 1 (dòng 11): không đọc được số tiền «Theo dự "
        "toán» ở cột «Tổng kinh phí»; dòng vẫn được giữ, thiếu số tiền này",
        "Bảng «DỰ TOÁN KINH PHÍ NĂM 2026», mục 2 (dòng 12): không có số tiền; dòng vẫn được "
        "giữ để bổ sung",
    ]


def test_subtotals_are_checked_against_their_lines_and_sources_kept():
    table = _table(
        [
            ["TT", "Nội dung", "Kinh phí (triệu đồng)", "Nguồn vốn"],
            ["I", "Hạ tầng số", "1.000,5", ""],
            ["1", "Wi-Fi công cộng", "600,5", "Ngân sách phường"],
            ["2", "Camera", "300", "Xã hội hóa"],
            ["II", "Đào tạo", "50", ""],
            ["1", "Tập huấn kỹ năng số", "50", "Ngân sách phường"],
        ]
    )

    read = read_budget_table(table)

    assert [(line.code, line.total, line.source) for line in read.lines] == [
        ("1", Decimal("600.5"), "Ngân sách phường"),
        ("2", Decimal(300), "Xã hội hóa"),
        ("1", Decimal(50), "Ngân sách phường"),
    ]
    assert [line.code for line in read.subtotals] == ["I", "II"]
    assert read.warnings == [
        "Bảng «DỰ TOÁN KINH PHÍ NĂM 2026», cột tổng kinh phí: mục I (dòng 11) ghi 1.000,5, "
        "cộng các dòng được 900,5 (lệch 100)"
    ]


def test_amounts_in_thousand_dong_become_million():
    table = _table(
        [["TT", "Nội dung", "Năm 2026"], ["1", "Mua máy tính", "25.500"]],
        title="DỰ TOÁN KINH PHÍ (Đơn vị tính: nghìn đồng)",
    )

    [line] = budget_from_tables([table])[0]

    assert line.by_year == {2026: Decimal("25.5")}


def test_indicator_and_task_tables_are_not_budget_tables():
    indicators = _table(
        [
            ["STT", "Chỉ tiêu", "Đơn vị tính", "Năm 2026", "Năm 2027"],
            ["1", "Tỷ lệ hồ sơ trực tuyến", "%", "80", "90"],
        ],
        title="DANH MỤC CHỈ TIÊU",
    )
    tasks = _table(
        [
            ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Kinh phí"],
            ["1", "Xây dựng hệ thống", "Phòng VHXH", "Công an phường", "100"],
        ],
        title="DANH MỤC NHIỆM VỤ",
    )

    assert budget_from_tables([indicators, tasks]) == ([], [], [])


def test_check_sums_on_its_own():
    stated = _line("", 1000, "line 5", y2026=600, y2027=400)
    stated.item = "Tổng cộng"
    lines = [_line("1", 700, "line 6", y2026=400, y2027=300), _line("2", 300, "line 7", y2026=200)]

    assert check_sums("T", lines, stated, [2026, 2027]) == [
        "Bảng «T», mục 2 (dòng 7): tổng 300 khác cộng các năm 200 = 200 (lệch 100)",
        "Bảng «T», cột Năm 2027: mục «Tổng cộng» (dòng 5) ghi 400, cộng các dòng được 300 "
        "(lệch 100)",
    ]
    lines[1].by_year[2027] = Decimal(100)
    assert check_sums("T", lines, stated, [2026, 2027]) == []


def test_check_sums_flags_a_stated_row_that_does_not_add_up_itself():
    stated = _line("", 1001, "line 5", y2026=1000)
    stated.item = "Tổng cộng"

    assert check_sums("T", [_line("1", 1000, y2026=1000)], stated, [2026]) == [
        "Bảng «T», mục «Tổng cộng» (dòng 5): tổng 1.001 khác cộng các năm 1.000 = 1.000 (lệch 1)",
        "Bảng «T», cột tổng kinh phí: mục «Tổng cộng» (dòng 5) ghi 1.001, cộng các dòng được "
        "1.000 (lệch 1)",
    ]


def test_amounts_are_written_the_vietnamese_way():
    assert [format_amount(Decimal(v)) for v in ("3792", "33298", "2.5", "950", "-1200")] == [
        "3.792", "33.298", "2,5", "950", "-1.200",
    ]  # fmt: skip
