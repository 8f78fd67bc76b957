"""Indicators read from the numbered target lists in the body of a plan, and target parsing."""

from decimal import Decimal

import pytest

from tests.importer.seeds import seed_document
from theodoi.importer.draft import DraftIndicator
from theodoi.importer.readers.text import read_text
from theodoi.importer.recognise.indicator_lists import indicators_from_lists, plan_year, year_of
from theodoi.importer.recognise.targets import Target, find_target, parse_target


def _read(key: str) -> tuple[dict[str, DraftIndicator], list[str]]:
    indicators, warnings = indicators_from_lists(seed_document(key))
    by_code = {indicator.code: indicator for indicator in indicators}
    assert len(by_code) == len(indicators), "indicator codes are unique"
    return by_code, warnings


def _read_text(text: str) -> tuple[list[DraftIndicator], list[str]]:
    return indicators_from_lists(read_text(text))


# --- Seed 000: "2. Mục tiêu chủ yếu đến năm 2030", items (1)–(15) -------------------------------

# code, name, comparator, target, unit, target_text
SEED_000 = [
    ("2.2", "90% thủ tục hành chính cung cấp trực tuyến toàn trình", ">=", 90, "%", "90%"),
    (
        "2.3",
        "Hoàn thành trung tâm điều hành thông minh (IOC) của phường",
        None,
        None,
        "",
        "",
    ),
    (
        "2.4",
        "Có ít nhất 01 điểm đổi mới sáng tạo hoặc không gian sáng tạo",
        ">=",
        1,
        "",
        "ít nhất 01",
    ),
    # "xếp hạng" without a number is no rank: a qualitative aim.
    (
        "2.6",
        "Phân đầu nâng cao kết quả xếp hạng mức độ chuyên đổi số (DTI)",
        None,
        None,
        "",
        "",
    ),
    # "tối thiểu trên 70%": the word nearest the number decides, strictly above.
    (
        "2.10",
        "Tỷ lệ dân số trưởng thành có chữ ký số hoặc chữ ký điện tử phát sinh nhu cầu giao dịch",
        ">",
        70,
        "%",
        "đạt tối thiểu trên 70%",
    ),
    # "trên 1Gbps" names the service; the target is the percentage.
    (
        "2.11",
        "Tỷ lệ người sử dụng cuối có khả năng truy cập băng rộng cố định với tốc độ trên 1Gbps",
        ">=",
        100,
        "%",
        "đạt 100%",
    ),
    # "$\geq 95\%$" in the source.
    ("2.12", "Tỷ lệ người dân có hồ sơ sức khỏe điện tử", ">=", 95, "%", "≥ 95%"),
    ("2.13", "Học sinh phổ thông tiếp cận với STEM", ">=", 100, "%", "đạt tỷ lệ 100%"),
    (
        "2.14",
        "Tỷ lệ sử dụng dịch vụ công trực tuyến của người dân và doanh nghiệp",
        ">=",
        80,
        "%",
        "≥ 80%",
    ),
]


def test_seed_000_reads_the_fifteen_items_to_2030():
    indicators, _ = _read("000")
    assert list(indicators) == [f"2.{n}" for n in range(1, 16)]
    assert {i.group for i in indicators.values()} == {"2"}
    assert {i.target_year for i in indicators.values()} == {2030}
    assert indicators["2.1"].row == "line 45"
    assert indicators["2.15"].row == "line 73"


@pytest.mark.parametrize(("code", "name", "comparator", "target", "unit", "text"), SEED_000)
def test_seed_000_items(code, name, comparator, target, unit, text):
    indicator = _read("000")[0][code]
    assert indicator.name == name
    assert indicator.comparator == comparator
    assert indicator.target == (None if target is None else Decimal(target))
    assert indicator.unit == unit
    assert indicator.target_text == text


def test_seed_000_item_with_three_targets_stays_one_indicator_and_warns():
    indicators, warnings = _read("000")
    item = indicators["2.5"]
    assert item.name == (
        "100% cán bộ, công chức, viên chức có kỹ năng số cơ bản; tối thiểu 30% có kỹ năng số "
        "nâng cao; phấn đấu đạt trên 80% công dân số"
    )
    assert (item.comparator, item.target, item.unit) == (">=", Decimal(100), "%")
    assert any(w.startswith("Dòng 53: chỉ tiêu 2.5 nêu 3 mức") for w in warnings)


def test_seed_000_general_aim_is_one_warning_naming_its_lines():
    _, warnings = _read("000")
    general = [w for w in warnings if "Mục tiêu tổng quát" in w]
    assert len(general) == 1
    assert "dòng 35, dòng 37, dòng 39, dòng 41" in general[0]
    assert len(warnings) == 2


# --- Seed 001: "1. Mục tiêu: Số liệu chỉ tiêu được tính đến cuối năm 2026." ----------------------

SEED_001 = [
    # "đạt từ 60% dân số trở lên"; "5G" is a name, not a number.
    ("1.1.1", "Tỷ lệ phủ sóng 5G trên địa bàn", ">=", 60, "%", "đạt từ 60% dân số trở lên"),
    (
        "1.1.2",
        "Tỷ lệ hộ gia đình có khả năng truy cập băng rộng cố định với tốc độ 01 Gbps",
        ">=",
        70,
        "%",
        "đạt từ 70% trở lên",
    ),
    (
        "1.2.1",
        "Tỷ lệ chi ngân sách phường chi cho khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
        ">=",
        3,
        "%",
        "đạt từ 3%",
    ),
    (
        "1.2.5",
        "Tỷ lệ dân số trưởng thành tiếp cận dịch vụ số trong y tế, giáo dục, bảo hiểm, giao thông",
        ">=",
        90,
        "%",
        "≥ 90%",
    ),
    (
        "1.4.1",
        "Doanh nghiệp có hoạt động đổi mới sáng tạo trong tổng số doanh nghiệp",
        ">=",
        40,
        "%",
        "từ 40% trở lên",
    ),
    ("1.4.2", "Có sáng kiến trong khu vực công được công nhận", None, None, "", ""),
    # A rank: lower is better.
    (
        "1.5.1",
        "Xếp hạng chỉ số chuyển đổi số cấp xã/phường",
        "<=",
        10,
        "Thứ bậc",
        "trong nhóm 10 đơn vị dẫn đầu",
    ),
    ("1.5.4", "Tỷ lệ giao dịch hành chính thuộc diện “phi tiếp xúc”", ">=", 100, "%", "100%"),
    # "điện tử 100%": "tử" folds like "từ" (from) but is no comparator.
    (
        "1.5.14",
        "Tỷ lệ các cơ quan nhà nước thực hiện chỉ đạo, điều hành, quản trị nội bộ trên môi "
        "trường điện tử",
        ">=",
        100,
        "%",
        "100%",
    ),
    (
        "1.5.20",
        "Đảng ủy, UBND phường sử dụng phần mềm quản trị điều hành do tỉnh cung cấp",
        None,
        None,
        "",
        "",
    ),
    # "từ 15 tuổi trở lên" describes the population; the target is "≥ 95%".
    (
        "1.5.22",
        "Dân số từ 15 tuổi trở lên có tài khoản giao dịch tại ngân hàng hoặc các tổ chức được "
        "phép khác",
        ">=",
        95,
        "%",
        "≥ 95%",
    ),
]


def test_seed_001_reads_25_items_of_1_5_and_9_of_1_1_1_2_1_4():
    indicators, _ = _read("001")
    groups: dict[str, int] = {}
    for indicator in indicators.values():
        groups[indicator.group] = groups.get(indicator.group, 0) + 1
    assert groups == {"1.1": 2, "1.2": 5, "1.4": 2, "1.5": 25}
    assert len(indicators) == 34
    assert [code for code in indicators if code.startswith("1.5.")] == [
        f"1.5.{n}" for n in range(1, 26)
    ]


def test_seed_001_target_year_comes_from_the_heading_note():
    indicators, _ = _read("001")
    assert {i.target_year for i in indicators.values()} == {2026}


@pytest.mark.parametrize(("code", "name", "comparator", "target", "unit", "text"), SEED_001)
def test_seed_001_items(code, name, comparator, target, unit, text):
    indicator = _read("001")[0][code]
    assert indicator.name == name
    assert indicator.comparator == comparator
    assert indicator.target == (None if target is None else Decimal(target))
    assert indicator.unit == unit
    assert indicator.target_text == text


def test_seed_001_item_with_two_indicators_keeps_its_number_and_both_texts():
    """(16) holds two targets: one item, one code, the second kept in the target text."""
    indicators, warnings = _read("001")
    item = indicators["1.5.16"]
    assert item.name == "Tỷ lệ cơ sở dữ liệu được số hóa & liên thông"
    assert (item.comparator, item.target, item.unit) == (">=", Decimal(60), "%")
    assert item.target_text == (
        "≥ 60%; tỷ lệ kết nối, chia sẻ đồng bộ cơ sở dữ liệu quốc gia, cơ sở dữ liệu các ngành 80%"
    )
    assert item.row == "line 81"
    assert any(w.startswith("Dòng 81: chỉ tiêu 1.5.16 nêu 2 mức") for w in warnings)


def test_seed_001_prose_aim_of_1_3_is_a_warning_not_an_indicator():
    indicators, warnings = _read("001")
    assert not [i for i in indicators.values() if i.group == "1.3"]
    assert any(w.startswith("Dòng 41: đoạn văn trong mục chỉ tiêu 1.3") for w in warnings)
    assert len(warnings) == 2


def test_seed_001_requirements_are_not_targets():
    """ "2. Yêu cầu" sits in "I- MỤC TIÊU, YÊU CẦU" but names something else."""
    _, warnings = _read("001")
    assert not [w for w in warnings if "Dòng 103" in w or "Dòng 105" in w]


# --- Seeds 002, 003, 004 --------------------------------------------------------------------------


def test_seed_002_body_has_no_indicator_list():
    """002 states its indicators only in Appendix I (a table, read by the table recogniser).
    Its body has "III. MỤC TIÊU CHUNG" (prose: a general aim) and "IV. CÁC CHỈ TIÊU CỤ THỂ",
    which only points to the appendix. So: no indicators, so nothing duplicates the table, and
    two warnings saying why those sections gave none."""
    indicators, warnings = _read("002")
    assert indicators == {}
    assert len(warnings) == 2
    assert warnings[0].startswith("Dòng 141: mục III «MỤC TIÊU CHUNG» là mục tiêu tổng quát; 3")
    assert warnings[1].startswith("Dòng 151: mục chỉ tiêu IV dẫn tới phụ lục")


def test_seed_003_body_lists_are_read_but_not_the_appendix():
    """003 (a PDF's text, lines wrapped) lists its targets in §II "MỤC TIÊU" as "- " bullets
    under 1., 2. a)–e) and 3., and again in its Appendix I roadmap table. The body lists are
    read by the same rules as everywhere (26 indicators: 2 of §II.1 to 2025, 21 of §II.2 to
    2030, the 3 numbered pillars of §II.3 to 2035); the orchestrator uses them only when no
    indicator table is found, and the table recogniser claims the roadmap, so they do not
    duplicate it in a draft. The appendix itself (from line 516) is never read here."""
    indicators, warnings = _read("003")
    groups: dict[str, int] = {}
    for indicator in indicators.values():
        groups[indicator.group] = groups.get(indicator.group, 0) + 1
    assert groups == {"1": 2, "2.a": 2, "2.b": 9, "2.e": 10, "3": 3}
    years = {code: i.target_year for code, i in indicators.items()}
    assert (years["1.1"], years["2.a.1"], years["3.1"]) == (2025, 2030, 2035)
    assert all(int(i.row.split(",")[0].split()[1]) < 260 for i in indicators.values())
    # A bullet wrapped over two PDF lines is one indicator.
    wrapped = indicators["2.a.1"]
    assert wrapped.name == (
        "100% người sử dụng có khả năng truy cập băng thông rộng cố định với tốc độ trên 01 Gb/s"
    )
    assert wrapped.row == "line 102, line 104"
    assert (indicators["2.b.1"].target, indicators["2.b.1"].target_text) == (Decimal(3), "(3%)")
    # Bullets without a measurable target are named in warnings, not dropped.
    assert any(
        w.startswith("Dòng 200: dòng gạch đầu dòng trong mục chỉ tiêu 2.e") for w in warnings
    )


def test_seed_004_has_no_target_section():
    indicators, warnings = indicators_from_lists(seed_document("004"))
    assert (indicators, warnings) == ([], [])


# --- Rules on small documents -------------------------------------------------------------------


def test_plain_numbered_items_in_a_target_section_are_indicators():
    text = (
        "II. CHỈ TIÊU\n"
        "1. Tỷ lệ hồ sơ xử lý trực tuyến đạt 90%.\n"
        "2. Hoàn thành trung tâm điều hành thông minh.\n"
        "3. Tỷ lệ chữ ký số ≥ 70%.\n"
        "III. NHIỆM VỤ\n"
        "1. Xây dựng kế hoạch.\n"
    )
    indicators, warnings = _read_text(text)
    assert [(i.code, i.comparator, i.target) for i in indicators] == [
        ("II.1", ">=", Decimal(90)),
        ("II.2", None, None),
        ("II.3", ">=", Decimal(70)),
    ]
    assert warnings == []


def test_bullets_need_a_measurable_target_and_the_rest_is_a_warning():
    text = "1. Mục tiêu cụ thể\n- Tỷ lệ phủ sóng 5G 100%.\n- Khuyến khích doanh nghiệp đổi mới.\n"
    indicators, warnings = _read_text(text)
    assert [(i.code, i.name, i.row) for i in indicators] == [("1.1", "Tỷ lệ phủ sóng 5G", "line 2")]
    assert len(warnings) == 1
    assert warnings[0].startswith("Dòng 3: dòng gạch đầu dòng trong mục chỉ tiêu 1")
    assert "Khuyến khích doanh nghiệp đổi mới." in warnings[0]


def test_wrapped_item_is_joined_and_page_numbers_skipped():
    text = "1. Mục tiêu\n(1) Tỷ lệ người dân có tài khoản định danh\n\n7\n\nđiện tử ≥ 80%.\n"
    indicators, _ = _read_text(text)
    assert len(indicators) == 1
    assert indicators[0].name == "Tỷ lệ người dân có tài khoản định danh điện tử"
    assert indicators[0].row == "line 2, line 6"


def test_target_year_falls_back_to_the_plan_year_then_none():
    body = "I. MỤC TIÊU\n(1) Tỷ lệ hồ sơ trực tuyến 90%.\n"
    dated = "Phường An Bình, ngày 25 tháng 3 năm 2026\n" + body
    assert _read_text(dated)[0][0].target_year == 2026
    assert _read_text(body)[0][0].target_year is None


def test_item_states_its_own_year():
    text = "I. MỤC TIÊU ĐẾN NĂM 2030\n(1) Đến năm 2027, 100% hồ sơ được số hóa.\n(2) Tỷ lệ X 50%.\n"
    indicators, _ = _read_text(text)
    assert [i.target_year for i in indicators] == [2027, 2030]


def test_appendix_ends_the_body():
    text = "I. MỤC TIÊU\n(1) Tỷ lệ A 90%.\nPHỤ LỤC I\n(2) Tỷ lệ B 80%.\n"
    indicators, _ = _read_text(text)
    assert [i.code for i in indicators] == ["I.1"]


def test_repeated_item_number_gets_a_distinct_code_and_a_warning():
    text = "I. MỤC TIÊU\n(1) Tỷ lệ A 90%.\n(1) Tỷ lệ B 80%.\n"
    indicators, warnings = _read_text(text)
    assert [i.code for i in indicators] == ["I.1", "I.1-2"]
    assert warnings[0].startswith("Dòng 3: số thứ tự I.1 lặp lại")


@pytest.mark.parametrize(
    ("heading", "year"),
    [
        ("2. Mục tiêu chủ yếu đến năm 2030", 2030),
        ("1. Mục tiêu: Số liệu chỉ tiêu được tính đến cuối năm 2026.", 2026),
        ("1. Mục tiêu đến hết năm 2025", 2025),
        ("2. Mục tiêu giai đoạn: từ năm 2026 đến hết năm 2030", 2030),
        ("Mục tiêu giai đoạn 2026-2030", 2030),
        ("Mục tiêu năm 2026", 2026),
        ("Mục tiêu đến năm 2030, tầm nhìn đến năm 2045", 2030),
        ("IV. CÁC CHỈ TIÊU CỤ THỂ", None),
    ],
)
def test_year_of_a_target_heading(heading, year):
    assert year_of(heading) == year


def test_plan_year_is_never_a_cited_documents_date():
    assert plan_year(seed_document("001")) == 2026  # "… trên địa bàn phường năm 2026"
    assert plan_year(seed_document("004")) == 2026  # "Phường Lê Chân, ngày 25 tháng 3 năm 2026"
    assert plan_year(seed_document("000")) is None  # only "ngày 11/02/2026" of plan 55-KH/TU


# --- parse_target ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "comparator", "value", "unit"),
    [
        ("≥ 90", ">=", "90", ""),
        ("$\\geq 80$", ">=", "80", ""),
        ("$\\geq 95\\%$", ">=", "95", "%"),
        ("$\\ge 2$", ">=", "2", ""),
        (">= 70%", ">=", "70", "%"),
        ("=> 70", ">=", "70", ""),
        ("≤ 5", "<=", "5", ""),
        ("<= 5%", "<=", "5", "%"),
        ("$\\leq 3$", "<=", "3", ""),
        ("> 85", ">", "85", ""),
        ("$> 85$", ">", "85", ""),
        ("< 3%", "<", "3", "%"),
        ("$< 2$", "<", "2", ""),
        ("đạt từ 70% trở lên", ">=", "70", "%"),
        ("từ 60% dân số trở lên", ">=", "60", "%"),
        ("90% trở lên", ">=", "90", "%"),
        ("tối thiểu 30%", ">=", "30", "%"),
        ("ít nhất 01 điểm", ">=", "1", ""),
        ("không dưới 50%", ">=", "50", "%"),
        ("không ít hơn 20", ">=", "20", ""),
        ("không quá 5%", "<=", "5", "%"),
        ("không vượt quá 3%", "<=", "3", "%"),
        ("tối đa 10 ngày", "<=", "10", ""),
        ("5 ngày trở xuống", "<=", "5", ""),
        ("trên 80%", ">", "80", "%"),
        ("hơn 50%", ">", "50", "%"),
        ("đạt tối thiểu trên 70%", ">", "70", "%"),
        ("Trong Quý IV/2030 đạt trên 40%", ">", "40", "%"),
        ("dưới 5%", "<", "5", "%"),
        ("trong nhóm 10 đơn vị dẫn đầu", "<=", "10", ""),
        ("Top 20", "<=", "20", ""),
        ("đứng thứ 3", "<=", "3", ""),
        ("xếp hạng thứ 5 toàn tỉnh", "<=", "5", ""),
        # A bare number is a level to reach.
        ("100%", ">=", "100", "%"),
        ("95", ">=", "95", ""),
        ("(3%)", ">=", "3", "%"),
        ("12", ">=", "12", ""),
        # Vietnamese numbers: "." groups thousands, "," marks decimals.
        ("1.200", ">=", "1200", ""),
        ("2.000", ">=", "2000", ""),
        # "2000" alone is a count; a year needs words that make it one (see below).
        ("2000", ">=", "2000", ""),
        ("Đến năm 2030 đạt 80", ">=", "80", ""),
        ("2,5%", ">=", "2.5", "%"),
        ("≥ 99,5%", ">=", "99.5", "%"),
        # The percentage is the target, not the numbers in the indicator's name.
        ("tốc độ trên 1Gbps đạt 100%", ">=", "100", "%"),
        ("Dân số từ 15 tuổi trở lên có tài khoản ≥ 95%", ">=", "95", "%"),
        ("Tỷ lệ xử lý trên môi trường điện tử 100%", ">=", "100", "%"),
        ("Theo Nghị quyết 57-NQ/TW ngày 22/12/2024 đạt 80%", ">=", "80", "%"),
    ],
)
def test_parse_target(text, comparator, value, unit):
    assert parse_target(text) == Target(comparator, Decimal(value), unit, text)


@pytest.mark.parametrize(
    "text",
    [
        "Đạt loại tốt",
        "Nằm trong nhóm khá",
        "đến năm 2030",
        "giai đoạn 2026 - 2030",
        "xếp hạng năm 2025",
        "phủ sóng 5G",
        "Kế hoạch 57-NQ/TW",
        "",
    ],
)
def test_parse_target_without_a_number_is_qualitative(text):
    assert parse_target(text) == Target(None, None, "", text)


def test_find_target_gives_the_span_of_the_target_phrase():
    match = find_target("Tỷ lệ phủ sóng 5G trên địa bàn đạt từ 60% dân số trở lên.")
    assert match is not None
    assert match.clean[match.start : match.end] == "từ 60% dân số trở lên"
    assert match.measurable


def test_a_bare_count_is_not_measurable_but_a_percentage_is():
    count, percent = find_target("Triển khai 3 nền tảng"), find_target("Triển khai 30%")
    assert count is not None and not count.measurable
    assert percent is not None and percent.measurable


# --- The national targets document: dates, ranges and second targets in a list -----------------


def test_national_targets_list_reads_no_date_as_a_target_and_says_ranges_and_second_levels():
    from tests.importer.corpus.build import HERE

    indicators, warnings = _read_text((HERE / "national-targets.md").read_text(encoding="utf-8"))
    by_code = {i.code: i for i in indicators}
    # "ngày 22 tháng 12 năm 2024" is a date: the item is qualitative.
    assert (by_code["1.1"].target, by_code["1.1"].comparator) == (None, None)
    patents = by_code["1.2"]
    assert (patents.target, patents.unit) == (Decimal(16), "%")
    assert "16 - 18%" in patents.target_text
    research = by_code["1.3"]
    assert (research.target, research.target_text) == (Decimal(8), "đạt 8 - 10%")
    rank = by_code["1.4"]
    assert (rank.comparator, rank.target) == ("<=", Decimal(3))
    assert "nhóm 50" in rank.target_text
    assert [w.split(":")[0] for w in warnings] == ["Dòng 28", "Dòng 30", "Dòng 32"]
    assert "«16 - 18%»" in warnings[0] and "«8 - 10%»" in warnings[1]
    assert "2 mức" in warnings[2]
