"""Indicators from appendix tables (DESIGN §4, §6): seed 002's "Phụ lục I" table, seed 003's
roadmap flattened to one paragraph per line, nothing where a plan has no indicator table, and
the generic path on hand-made documents."""

from decimal import Decimal

import pytest

from tests.importer.seeds import seed_document
from theodoi.importer.document import Document, Paragraph, Row, Table
from theodoi.importer.draft import DraftIndicator
from theodoi.importer.recognise.indicator_tables import indicators_from_tables
from theodoi.importer.recognise.tables import logical_tables


def read(key: str):
    document = seed_document(key)
    return indicators_from_tables(document, logical_tables(document))


def by_code(indicators: list[DraftIndicator], code: str) -> DraftIndicator:
    matches = [indicator for indicator in indicators if indicator.code == code]
    assert len(matches) == 1, f"{code}: {len(matches)} indicators"
    return matches[0]


def d(*values: int | str) -> list[Decimal]:
    return [Decimal(str(value)) for value in values]


# --- Seed 002: "Phụ lục I - DANH MỤC CÁC CHỈ TIÊU CỤ THỂ" ----------------------------------


def test_seed_002_has_32_indicators_to_2030_and_one_to_2045():
    indicators, _, used = read("002")
    codes_2030 = ["1", "2"] + [f"3.{n}" for n in range(1, 12)] + [str(n) for n in range(4, 23)]
    assert [i.code for i in indicators if i.target_year == 2030] == codes_2030
    after_2030 = [(i.code, i.target_year) for i in indicators if i.target_year != 2030]
    assert after_2030 == [("II.1", 2045)]
    assert len(indicators) == 33
    assert len(used) == 1 and used[0].header[1] == "Chỉ tiêu"


def test_seed_002_item_3_is_a_group_of_3_1_to_3_11_not_an_indicator():
    indicators, warnings, _ = read("002")
    assert "3" not in [i.code for i in indicators]
    assert {i.group for i in indicators if i.code.startswith("3.")} == {"3"}
    assert by_code(indicators, "4").group == "I"
    assert by_code(indicators, "II.1").group == "II"
    # The group's title is kept in a warning, with its line.
    assert any("3 “Thực hiện TTHC, DVC và chỉ đạo" in w and "dòng 357" in w for w in warnings)


PVHCC = "Trung tâm phục vụ hành chính công"
PEOPLE = "Công dân, doanh nghiệp"
ALL_UNITS = "Các cơ quan, đơn vị"
KTHTDT = "Phòng Kinh tế Hạ tầng, Đô thị"
VHXH = "Phòng Văn hóa Xã hội"


@pytest.mark.parametrize(
    ("code", "comparator", "target", "unit", "year", "lead", "monitoring"),
    [
        ("3.1", ">=", "90", "%", 2030, PEOPLE, PVHCC),
        ("3.2", ">=", "100", "%", 2030, "Trung tâm PVHCC", PVHCC),
        # "công" was pushed into the repeated header by the page break: given back.
        ("3.5", ">=", "80", "%", 2030, PEOPLE, PVHCC),
        ("3.6", ">=", "80", "%", 2030, PEOPLE, PVHCC),
        ("3.8", ">=", "100", "%", 2030, ALL_UNITS, "Trung tâm PVHCC Văn phòng HĐND & UBND"),
        ("3.11", ">", "85", "%", 2030, "Các cơ quan giải quyết TTHC", "Trung tâm PVHCC"),
        ("4", ">=", "2", "%", 2030, ALL_UNITS, KTHTDT),
        ("5", ">=", "12", "người/vạn dân", 2030, "", VHXH),
        ("10", ">=", "90", "%", 2030, "Trạm y tế", "Trạm y tế phường"),
        ("11", ">=", "100", "%", 2030, "Văn phòng HĐND &UBND, Công an phường", "Công an phường"),
        ("16", ">", "25", "%", 2030, "Các doanh nghiệp trên địa bàn", "Phòng KTHTĐT"),
        ("20", ">", "0.7", "Chỉ số", 2030, PEOPLE, VHXH),
        ("II.1", ">=", "3", "%", 2045, "Phòng KTHTĐT", KTHTDT),
    ],
)
def test_seed_002_sample_indicators(code, comparator, target, unit, year, lead, monitoring):
    indicator = by_code(read("002")[0], code)
    assert indicator.comparator == comparator
    assert indicator.target == Decimal(target)
    assert indicator.unit == unit
    assert indicator.target_year == year
    assert indicator.lead_unit == lead
    assert indicator.monitoring_unit == monitoring


def test_seed_002_targets_keep_their_text_as_written():
    indicators = read("002")[0]
    assert by_code(indicators, "3.6").target_text == "≥ 80"  # "$\geq 80$" in the source
    assert by_code(indicators, "20").target_text == "> 0,7"
    assert by_code(indicators, "11").target_text.startswith("100% hệ thống thông tin trên địa bàn")
    assert by_code(indicators, "3.1").row == "line 358"


def test_seed_002_qualitative_targets_and_ranks():
    indicators = read("002")[0]
    one = by_code(indicators, "1")
    assert (one.unit, one.comparator, one.target) == ("Thứ bậc", None, None)
    assert one.target_text.startswith("Thuộc nhóm các địa phương ở mức khá về phát triển")
    assert one.name == "Tiềm lực, trình độ khoa học, công nghệ và đổi mới sáng tạo"
    dti = by_code(indicators, "2")
    assert (dti.unit, dti.comparator, dti.target) == ("Thứ bậc", None, None)
    assert dti.target_text == "Nằm trong nhóm khá trong thực hiện nhiệm vụ chuyển đổi số cấp xã"
    last = by_code(indicators, "22")
    assert (last.unit, last.comparator, last.target) == ("Thứ bậc", None, None)
    assert last.target_text == "Đạt loại tốt"


def test_seed_002_word_cut_into_the_repeated_header_goes_back_to_its_cell():
    """ "… Trung tâm phục vụ hành chính" ends on one page and "công" lands in the header
    repeated on the next: the word returns to item 3.5."""
    indicators = {i.code: i for i in read("002")[0]}
    assert indicators["3.5"].monitoring_unit == "Trung tâm phục vụ hành chính công"
    assert indicators["3.6"].monitoring_unit == "Trung tâm phục vụ hành chính công"


# --- Seed 003: the roadmap table flattened to one paragraph per line ------------------------


def test_seed_003_has_25_indicators_in_sections_i_to_v():
    indicators, _, used = read("003")
    counts = {section: 0 for section in ("I", "II", "III", "IV", "V")}
    for indicator in indicators:
        counts[indicator.group] += 1
    assert counts == {"I": 3, "II": 9, "III": 1, "IV": 1, "V": 11}
    assert [i.code for i in indicators if i.group == "V"] == [f"V.{n}" for n in range(1, 12)]
    assert all(i.target_year == 2030 and i.baseline_year in (2025, None) for i in indicators)
    # The rebuilt table is returned as used, with the lines each row was read from.
    assert len(used) == 1
    header = used[0].header
    assert header[:2] == ["Stt", "Chỉ tiêu / Mốc thời gian"]
    assert header[2:8] == [
        "Mức năm 2025 (Cơ sở)",
        "2026",
        "2027",
        "2028",
        "2029",
        "Mức năm 2030 (Đích)",
    ]
    assert header[8:] == ["Đơn vị chủ trì", "Cá nhân/Cơ quan thực hiện", "Đơn vị phối hợp"]
    v1 = next(row for row in used[0].rows if row.cells[0] == "1" and "line 1101" in row.sources)
    assert "line 1150" in v1.sources


ROADMAP = [
    # code, baseline, 2026–2029, comparator, target
    ("I.2", "60", d(70, 80, 90, 95), ">=", "100"),
    ("II.1", "3", d(3, 3, 3, 3), ">=", "3"),
    ("II.3", "80", d(90, 95, 100, 100), ">=", "100"),
    ("II.4", "80", d(83, 85, 87, 89), ">=", "90"),
    ("II.5", "75", d(85, 90, 93, 94), ">=", "95"),
    ("II.8", "80", d(90, 95, 100, 100), ">=", "100"),
    ("II.9", None, d(100, 100, 100, 100), ">=", "100"),
    ("V.1", "100", d(100, 100, 100, 100), ">=", "100"),
    ("V.2", "20", d(27, 32, 36, 38), ">=", "40"),
    ("V.4", "100", d(100, 100, 100, 100), ">=", "100"),
    ("V.8", "70", d(75, 80, 83, 84), ">=", "85"),
    ("V.9", "70", d(75, 80, 83, 84), ">=", "85"),
    ("V.10", None, d(4, 6, 8, 9), ">=", "10"),
]


@pytest.mark.parametrize(("code", "baseline", "milestones", "comparator", "target"), ROADMAP)
def test_seed_003_roadmap(code, baseline, milestones, comparator, target):
    indicator = by_code(read("003")[0], code)
    assert indicator.baseline == (Decimal(baseline) if baseline else None)
    assert indicator.milestones == dict(zip((2026, 2027, 2028, 2029), milestones, strict=True))
    assert (indicator.comparator, indicator.target) == (comparator, Decimal(target))
    assert indicator.unit == "%"


def test_seed_003_cell_texts_are_kept_as_written():
    indicators = read("003")[0]
    one = by_code(indicators, "II.1")
    assert one.name == "Tỷ lệ chi NSNN cho KHCN & CĐS (phấn đấu 3%)"
    assert (one.baseline_text, one.target_text) == ("(3%)", "(3%)")
    assert one.milestone_texts == {year: "Duy trì (3%)" for year in (2026, 2027, 2028, 2029)}
    nine = by_code(indicators, "II.9")
    assert nine.name.endswith("(Thông tư số 02/2025/TT-BGDĐT)")
    assert nine.baseline_text == "(Chưa có chỉ tiêu 2025)"
    assert nine.milestone_texts[2026] == "Đạt 100%"
    assert nine.milestone_texts[2029] == "Duy trì 100%"
    v1 = by_code(indicators, "V.1")
    assert v1.baseline_text == "100% & 97% CB"
    assert v1.milestone_texts == {
        2026: "Duy trì 100% & 98% VB",
        2027: "Duy trì 100% & 99% VB",
        2028: "Duy trì 100% & 100% VB",
        2029: "Duy trì 100%",
    }
    ten = by_code(indicators, "V.10")
    assert ten.baseline_text == "(Chưa có chỉ tiêu 2025)"
    assert ten.target_text == "10%"


def test_seed_003_qualitative_roadmaps():
    indicators = read("003")[0]
    ai = by_code(indicators, "III.1")
    assert ai.name.startswith("Ứng dụng AI, IoT, Big Data trong quản lý môi trường")
    assert ai.baseline_text == "Tăng cường ứng dụng"
    assert ai.milestone_texts == {
        2026: "Mở rộng ứng dụng",
        2027: "Ứng dụng đồng bộ",
        2028: "Tối ưu hóa",
        2029: "Nâng cao chất lượng",
    }
    assert ai.target_text == "Ứng dụng rộng rãi, hiệu quả"
    assert (ai.comparator, ai.target, ai.milestones) == (None, None, {})
    software = by_code(indicators, "V.11")
    assert software.baseline_text == "Kịp thời sử dụng"
    assert set(software.milestone_texts.values()) == {"Duy trì"}
    assert software.target_text == "Sử dụng thống nhất"
    # "(Đã đạt)" ("already reached") is a note on the 2030 level "100%", not a cell of its
    # own: the 2029 cell is the lone "Duy trì" (keep up the 2028 level).
    reached = by_code(indicators, "I.1")
    assert reached.milestone_texts[2029] == "Duy trì"
    assert reached.milestones[2029] == Decimal(100)
    assert (reached.target_text, reached.target) == ("100% (Đã đạt)", Decimal(100))


@pytest.mark.parametrize(
    ("code", "lead", "monitoring"),
    [
        ("I.1", "Phòng Văn hóa - Xã hội", "Công chức phụ trách lĩnh vực Chuyển đổi số"),
        ("II.2", "Văn phòng HĐND&UBND", "Văn phòng HĐND&UBND"),
        ("II.5", "Phòng Văn hóa - Xã hội", "Công chức phụ trách lĩnh vực Giáo dục"),
        ("V.3", "Trung tâm HCC", "Trung tâm HCC"),  # both on the line of the values
        ("V.9", "Công an phường", "Công an phường"),
    ],
)
def test_seed_003_lead_unit_and_person(code, lead, monitoring):
    indicator = by_code(read("003")[0], code)
    assert (indicator.lead_unit, indicator.monitoring_unit) == (lead, monitoring)


def test_seed_003_coordinating_units_are_kept_in_the_note():
    indicators, warnings, _ = read("003")
    # Every line of the table found its cell: no warning. "Đơn vị phối hợp" has no field of
    # its own on an indicator, so it is kept, as written, in the indicator's note.
    assert warnings == []
    assert all(i.note.startswith("Đơn vị phối hợp: ") for i in indicators)
    first = by_code(indicators, "I.1")
    assert "Phòng Kinh tế, Hạ tầng và Đô thị; Tổ dân phố; Doanh nghiệp viễn thông" in first.note
    six = by_code(indicators, "V.6")
    assert (
        "Văn phòng HĐND&UBND; Phòng Văn hóa - Xã hội; Phòng Kinh tế, Hạ tầng và Đô thị" in six.note
    )
    assert first.row == "line 550–589"


# --- Seeds without an indicator table ------------------------------------------------------


@pytest.mark.parametrize("key", ["000", "001", "004"])
def test_seeds_without_indicator_tables_yield_nothing(key):
    assert read(key) == ([], [], [])


# --- The generic path ----------------------------------------------------------------------


def tab_table(rows: list[str], first_line: int = 10) -> Table:
    """A table as a reader gives it; "|" separates the cells of a row here for brevity."""
    return Table(
        rows=[Row(row.split("|"), source=f"line {first_line + n}") for n, row in enumerate(rows)],
        source=f"line {first_line}",
    )


def test_a_tab_table_with_year_columns_is_an_indicator_table():
    table = tab_table(
        [
            "TT|Tên chỉ tiêu|Đơn vị tính|Năm 2026|Năm 2027|Năm 2028|Đơn vị chủ trì|Đơn vị phối hợp",
            "A|Chuyển đổi số||||||",
            "1|Tỷ lệ hộ gia đình có cáp quang|%|60|70,5|≥ 85|Phòng VH-XH|Doanh nghiệp viễn thông",
            "2|Xếp hạng chỉ số DTI của phường trong tỉnh|Thứ bậc|20|15|10|Phòng VH-XH|",
            "3|Số tài khoản định danh mức 2|tài khoản|1.200|1.500|2.000|Công an phường|",
        ]
    )
    document = Document(blocks=[Paragraph("PHỤ LỤC: CHỈ TIÊU", source="line 9"), table])
    tables = logical_tables(document)
    indicators, warnings, used = indicators_from_tables(document, tables)

    assert used == tables
    assert [i.code for i in indicators] == ["1", "2", "3"]
    fibre, rank, accounts = indicators
    assert fibre.group == "A"
    assert fibre.milestones == {2026: Decimal("60"), 2027: Decimal("70.5")}
    assert (fibre.comparator, fibre.target, fibre.target_year) == (">=", Decimal("85"), 2028)
    assert fibre.unit == "%"
    assert fibre.lead_unit == "Phòng VH-XH"
    # A rank aims at a ceiling: lower is better.
    assert (rank.comparator, rank.target, rank.unit) == ("<=", Decimal("10"), "Thứ bậc")
    assert accounts.milestones[2026] == Decimal("1200")
    assert accounts.target == Decimal("2000")
    assert warnings == []
    assert fibre.note == "Đơn vị phối hợp: Doanh nghiệp viễn thông"


def test_a_task_table_with_a_result_column_is_not_an_indicator_table():
    table = tab_table(
        [
            "STT|Nhiệm vụ|Đơn vị chủ trì|Kết quả|Thời gian hoàn thành",
            "1|Xây dựng kho dữ liệu|Phòng VH-XH|Kho dữ liệu|Năm 2026",
        ]
    )
    document = Document(blocks=[table])
    assert indicators_from_tables(document, logical_tables(document)) == ([], [], [])


def paragraphs(lines: str, first_line: int = 100) -> list[Paragraph]:
    """One paragraph per line of a PDF export; "|" separates the lines here for brevity."""
    return [
        Paragraph(text, source=f"line {first_line + n}") for n, text in enumerate(lines.split("|"))
    ]


# A header exported like seed 003's, with other labels: one column per line, "2026 2027" two.
FLATTENED_HEADER = (
    "TT Chỉ tiêu|Năm|2025|(Cơ sở)|2026 2027|Năm 2028|(Đích)|Đơn vị chủ trì|Đơn vị phối|hợp"
)


def test_another_plan_flattened_the_same_way_is_rebuilt():
    lines = "|".join(
        [
            "PHỤ LỤC II",
            FLATTENED_HEADER,
            "1|Tỷ lệ hộ gia đình có|cáp quang|50% 60% 70%|≥ 80%",
            "Phòng Văn|hóa - Xã hội|Tổ công nghệ|số cộng đồng",
            FLATTENED_HEADER,  # a page break repeats the header
            "2|Điểm wifi công cộng|(điểm)|5|Duy trì|5|8|10",
            "Trung tâm Dịch vụ tổng hợp Công an phường",
        ]
    )
    document = Document(blocks=paragraphs(lines))
    indicators, warnings, used = indicators_from_tables(document, logical_tables(document))

    assert [i.code for i in indicators] == ["1", "2"]
    fibre, wifi = indicators
    assert fibre.name == "Tỷ lệ hộ gia đình có cáp quang"
    assert (fibre.baseline, fibre.baseline_year) == (Decimal("50"), 2025)
    assert fibre.milestones == {2026: Decimal("60"), 2027: Decimal("70")}
    assert (fibre.comparator, fibre.target, fibre.target_year) == (">=", Decimal("80"), 2028)
    assert fibre.lead_unit == "Phòng Văn hóa - Xã hội"
    assert wifi.name == "Điểm wifi công cộng (điểm)"
    assert wifi.milestone_texts == {2026: "Duy trì 5", 2027: "8"}
    assert wifi.target == Decimal("10")
    assert wifi.lead_unit == "Trung tâm Dịch vụ tổng hợp"
    assert len(used) == 1 and used[0].source == "line 101"
    assert warnings == []
    assert "Tổ công nghệ số cộng đồng" in fibre.note
    assert "Công an phường" in wifi.note


def test_a_flattened_item_that_does_not_fit_is_warned_with_its_lines():
    lines = f"{FLATTENED_HEADER}|1|Chỉ tiêu chưa có số liệu|Phòng Kinh tế"
    document = Document(blocks=paragraphs(lines))
    indicators, warnings, _ = indicators_from_tables(document, logical_tables(document))

    assert [i.name for i in indicators] == ["Chỉ tiêu chưa có số liệu"]
    assert indicators[0].lead_unit == "Phòng Kinh tế"
    assert indicators[0].target_text == ""
    assert [w.split(":")[0] for w in warnings] == ["Dòng 110–112"] * 3
    assert "chỉ đọc được 0/4 ô số liệu" in warnings[0]
    assert "không tách chắc chắn được 2 cột đơn vị" in warnings[1]
    assert "không ghi mức cần đạt" in warnings[2]


# --- The national targets document: a unit-of-measure column, ranges, second targets --------


def national_targets():
    from tests.importer.corpus.build import HERE
    from theodoi.importer.readers.text import read_text

    return read_text((HERE / "national-targets.md").read_text(encoding="utf-8"))


def test_the_unit_of_measure_column_is_read_for_every_indicator():
    document = national_targets()
    indicators, _, _ = indicators_from_tables(document, logical_tables(document))
    assert [(i.code, i.unit) for i in indicators] == [
        ("1", "%"),
        ("2", "Người/vạn dân"),
        ("3", "Thứ hạng"),
        ("4", "Doanh nghiệp"),
        ("5", "%"),
        ("6", "%"),
    ]


def test_a_range_and_a_second_target_are_kept_and_said():
    document = national_targets()
    indicators, warnings, _ = indicators_from_tables(document, logical_tables(document))
    gii, firms = indicators[2], indicators[3]
    assert (gii.comparator, gii.target, gii.target_text) == (
        "<=",
        Decimal(3),
        "Top 3 ASEAN; ≤ 40 Thế giới",
    )
    assert (firms.comparator, firms.target, firms.target_text) == (">=", Decimal(40), "40 - 50")
    (two,) = [w for w in warnings if w.startswith("Dòng 49:")]
    assert "Top 3; ≤ 40" in two and "≤ 3" in two
    (span,) = [w for w in warnings if w.startswith("Dòng 50:")]
    assert "«40 - 50»" in span and "≥ 40" in span
    assert len(warnings) == 2


FLATTENED_WITH_MEASURE = (
    "TT Chỉ tiêu|Đơn vị tính|Năm|2025|(Cơ sở)|2026 2027|Năm 2028|(Đích)|Đơn vị chủ trì"
)


def test_a_flattened_unit_of_measure_column_is_read_for_every_indicator():
    lines = "|".join(
        [
            "PHỤ LỤC II",
            FLATTENED_WITH_MEASURE,
            "1|Tỷ lệ hộ gia đình có|cáp quang|%|50% 60% 70%|≥ 80%|Phòng Văn hóa - Xã hội",
            "2|Điểm wifi công cộng|Điểm|5|6|8|10|Trung tâm Dịch vụ tổng hợp",
            "3|Thủ tục trực tuyến toàn trình|Thủ tục|20|30|40|≥ 50|Văn phòng HĐND và UBND",
            "4|Người dân có danh tính số|Người/vạn|dân|6.000|7.000|8.000|9.000|Công an phường",
        ]
    )
    document = Document(blocks=paragraphs(lines))
    indicators, warnings, _ = indicators_from_tables(document, logical_tables(document))
    assert [(i.name, i.unit) for i in indicators] == [
        ("Tỷ lệ hộ gia đình có cáp quang", "%"),
        ("Điểm wifi công cộng", "Điểm"),
        ("Thủ tục trực tuyến toàn trình", "Thủ tục"),
        ("Người dân có danh tính số", "Người/vạn dân"),
    ]
    assert [i.baseline for i in indicators] == d(50, 5, 20, 6000)
    assert [i.target for i in indicators] == d(80, 10, 50, 9000)
    assert indicators[3].lead_unit == "Công an phường"
    assert warnings == []
