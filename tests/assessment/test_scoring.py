"""Scoring answers against a framework (issue 8): every rule type at and around its band edges,
not-applicable criteria lowering the maximum, unanswered and stray answers, the default
framework fully answered, the JSON shape, and a property that holds for any answers. No
database."""

import json
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.assessment.frameworks import all_rules, default, small
from theodoi.assessment import framework as fw
from theodoi.assessment import scoring
from theodoi.assessment.scoring import INVALID, NOT_APPLICABLE, SCORED, UNANSWERED, Answer

FRAMEWORK = all_rules()


def scored(code: str, value):
    result = scoring.score(FRAMEWORK, {code: value})
    return result.by_code()[code]


def assert_points(row, status, points):
    assert (row.status, row.points) == (status, Decimal(str(points))), row.message


@pytest.mark.parametrize(
    ("code", "value", "points"),
    [
        ("yn", True, 2),
        ("yn", False, 0),
        ("yn", "có", 2),
        ("yn", "Có", 2),
        ("yn", " CÓ ", 2),
        ("yn", "co", 2),
        ("yn", "đạt", 2),
        ("yn", "yes", 2),
        ("yn", 1, 2),
        ("yn", "x", 2),
        ("yn", "không", 0),
        # Typed with combining accents (a Vietnamese keyboard's "Unicode tổ hợp").
        ("yn", unicodedata.normalize("NFD", "Có"), 2),
        ("yn", unicodedata.normalize("NFD", "không"), 0),
        ("yn", "không  đạt", 0),
        ("yn", "Không", 0),
        ("yn", "không đạt", 0),
        ("yn", "chưa", 0),
        ("yn", "no", 0),
        ("yn", 0, 0),
        # Custom points: yes 1.5 of 2, no 0.5.
        ("yn2", "có", 1.5),
        ("yn2", True, 1.5),
        ("yn2", "không", 0.5),
        ("yn2", False, 0.5),
    ],
)
def test_yes_no(code, value, points):
    assert_points(scored(code, value), SCORED, points)


@pytest.mark.parametrize(
    ("value", "points"),
    [
        # Bands: ≥ 30 → 1; ≥ 25 → 0.5; ≥ 10 → 0.25; below 10 → 0.
        (100, 1),
        ("32,5", 1),
        ("30%", 1),
        ("30 %", 1),
        (30, 1),
        ("30.00", 1),
        ("29.99", 0.5),
        ("29,99", 0.5),
        (25, 0.5),
        ("24.999", 0.25),
        (10, 0.25),
        ("9,99", 0),
        (Decimal("0.01"), 0),
        (0, 0),
        ("0%", 0),
    ],
)
def test_percent_bands_at_and_around_each_edge(value, points):
    assert_points(scored("pct", value), SCORED, points)


@pytest.mark.parametrize(
    ("value", "points"),
    [
        # Bands: ≥ 5 → 3; ≥ 2 → 1; below 2 → 0.
        (1000, 3),
        (6, 3),
        (5, 3),
        ("5", 3),
        (4, 1),
        (2, 1),
        ("2,0", 1),
        (1, 0),
        (0, 0),
    ],
)
def test_count_bands_at_and_around_each_edge(value, points):
    assert_points(scored("cnt", value), SCORED, points)


def test_a_criterion_filled_from_the_tracking_data_is_not_applicable_when_nothing_is_due():
    # "nona" allows no "not applicable" but has a source: 0 of 0 is neither 100 % nor 0 %.
    assert_points(scored("nona", "n/a"), NOT_APPLICABLE, 0)


def test_a_band_starting_at_zero_gives_its_points_at_zero():
    assert_points(scored("nona", 0), SCORED, 1)
    assert_points(scored("nona", "0,0"), SCORED, 1)


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("yn", "có lẽ", "Hãy trả lời «có» hoặc «không», không phải «có lẽ»."),
        ("yn", 2, "Hãy trả lời «có» hoặc «không», không phải «2»."),
        ("pct", "100.01", "Tỷ lệ phải từ 0 đến 100%."),
        ("pct", 150, "Tỷ lệ phải từ 0 đến 100%."),
        ("pct", -1, "Giá trị không được âm."),
        ("pct", "ba mươi", "Hãy nhập một số, không phải «ba mươi»."),
        ("pct", float("nan"), "Hãy nhập một số, không phải «nan»."),
        ("cnt", "2,5", "Số lượng phải là số nguyên."),
        ("cnt", -1, "Giá trị không được âm."),
        ("ch", "d", "Phương án «d» không có; chọn một trong: a, b), c."),
        ("ch", "A", "Phương án «A» không có; chọn một trong: a, b), c."),
        ("man", "3.01", "Điểm chấm phải là số từ 0 đến 3, không phải «3.01»."),
        ("man", 4, "Điểm chấm phải là số từ 0 đến 3, không phải «4»."),
        ("man", -0.5, "Điểm chấm phải là số từ 0 đến 3, không phải «-0.5»."),
        ("man", "1,255", "Điểm chấm chỉ được có tối đa 2 chữ số thập phân."),
        ("man", "điểm", "Điểm chấm phải là số từ 0 đến 3, không phải «điểm»."),
        ("yn", "n/a", "Tiêu chí này không được đánh dấu «không áp dụng»."),
        ("ch", "không áp dụng", "Tiêu chí này không được đánh dấu «không áp dụng»."),
        ("man", {"not_applicable": True}, "Tiêu chí này không được đánh dấu «không áp dụng»."),
    ],
)
def test_answers_that_do_not_fit_score_zero_with_a_message(code, value, message):
    row = scored(code, value)
    criterion = FRAMEWORK.get(code)

    assert (row.status, row.points, row.message) == (INVALID, 0, message)
    # A wrong answer keeps the maximum: it must not raise the unit's percentage.
    assert row.max_points == criterion.max_points
    assert f"{code}: {message}" in scoring.score(FRAMEWORK, {code: value}).problems


@pytest.mark.parametrize(
    ("value", "points"),
    [("a", 3), (" b) ", 1.25), ("b)", 1.25), ("c", 0), ({"choice": "a"}, 3)],
)
def test_choice(value, points):
    assert_points(scored("ch", value), SCORED, points)


@pytest.mark.parametrize(
    ("value", "points"),
    [(0, 0), ("3", 3), (3, 3), ("2,5", 2.5), ("1.25", 1.25), ("1.250", 1.25), ({"points": 2}, 2)],
)
def test_manual_points_from_zero_to_the_maximum(value, points):
    assert_points(scored("man", value), SCORED, points)


def test_not_applicable_lowers_the_maximum_of_criterion_group_and_total():
    full = scoring.score(FRAMEWORK, {})
    result = scoring.score(FRAMEWORK, {"na": "n/a", "yn": "có"})
    row = result.by_code()["na"]

    assert (row.status, row.points, row.max_points) == (NOT_APPLICABLE, 0, 0)
    assert row.percent is None
    assert [g.max_points for g in full.groups] == [14, 10]
    assert [g.max_points for g in result.groups] == [14, 8]
    assert (full.max_points, result.max_points) == (24, 22)
    assert result.points == 2
    assert "na" not in result.unanswered
    assert result.problems == []


@pytest.mark.parametrize(
    "answer",
    [
        "n/a",
        "N/A",
        "không áp dụng",
        " Không  áp dụng ",
        unicodedata.normalize("NFD", "không áp dụng"),
        "KAD",
        "—",
        {"not_applicable": True},
        {"not_applicable": "có"},
        {"not_applicable": unicodedata.normalize("NFD", "Có")},
    ],
)
def test_the_ways_of_writing_not_applicable(answer):
    assert scored("na", answer).status == NOT_APPLICABLE


def test_a_parent_declared_not_applicable_takes_its_sub_criteria_with_it():
    result = scoring.score(FRAMEWORK, {"par": "n/a"})
    rows = result.by_code()

    assert [(rows[c].status, rows[c].max_points) for c in ("par", "par.1", "par.2")] == [
        (NOT_APPLICABLE, 0),
        (NOT_APPLICABLE, 0),
        (NOT_APPLICABLE, 0),
    ]
    assert result.groups[1].max_points == 10 - 4
    assert result.problems == []


def test_all_sub_criteria_not_applicable_make_the_parent_not_applicable():
    result = scoring.score(FRAMEWORK, {"par.1": "n/a", "par.2": "n/a"})
    rows = result.by_code()

    assert (rows["par"].status, rows["par"].max_points) == (NOT_APPLICABLE, 0)
    assert result.max_points == 24 - 4


def test_one_sub_criterion_not_applicable_lowers_only_its_own_part():
    result = scoring.score(FRAMEWORK, {"par.1": "n/a", "par.2": "2,5"})
    parent = result.by_code()["par"]

    assert (parent.status, parent.points, parent.max_points) == (SCORED, Decimal("2.5"), 3)
    assert result.groups[1].points == Decimal("2.5")
    assert result.groups[1].max_points == 10 - 1


def test_a_parent_not_allowed_to_be_not_applicable_is_reported_and_scored_by_its_parts():
    result = scoring.score(FRAMEWORK, {"par2": "n/a", "par2.1": "có", "par2.2": "không"})
    parent = result.by_code()["par2"]

    assert (parent.status, parent.points, parent.max_points) == (SCORED, 1, 2)
    assert result.problems == ["par2: Tiêu chí này không được đánh dấu «không áp dụng»."]


def test_unanswered_criteria_score_zero_of_their_maximum_and_are_listed():
    result = scoring.score(FRAMEWORK, {"yn": "có", "ch": "", "man": None})
    rows = result.by_code()

    assert (rows["ch"].status, rows["ch"].points, rows["ch"].max_points) == (UNANSWERED, 0, 3)
    assert rows["man"].status == UNANSWERED
    assert result.unanswered == [c.code for c in FRAMEWORK.leaves() if c.code != "yn"]
    assert (result.points, result.max_points) == (2, 24)
    assert result.problems == []


def test_stray_answers_are_reported_never_counted():
    result = scoring.score(FRAMEWORK, {"zz": "có", "par": 3, "yn": "có"})

    assert result.points == 2
    assert result.stray == (
        "zz: mã này không có trong bộ tiêu chí; câu trả lời không được tính.",
        "par: tiêu chí này được chấm theo các tiêu chí thành phần; hãy trả lời từng tiêu chí "
        "thành phần.",
    )
    assert result.problems == list(result.stray)


def test_answers_file_shapes():
    wrapped = scoring.answers_from({"answers": {" yn ": "có", "man": {"value": 2, "note": " ok "}}})
    bare = scoring.answers_from({"na": "n/a"})

    assert wrapped == {"yn": Answer(value="có"), "man": Answer(value=2, note="ok")}
    assert bare == {"na": Answer(not_applicable=True)}
    with pytest.raises(ValueError, match="Tệp câu trả lời cần mục «answers»"):
        scoring.answers_from(["yn"])


# The default framework fully answered; the points of each answer worked out from
# frameworks/ward-dx.yaml by hand.
DEFAULT_ANSWERS = {
    "1.1": "có",  # 4
    "1.2": "90",  # 3: at the 90 % edge
    "1.3": 5,  # 1: ≥ 1, below 6
    "2.1": "99,9",  # 3: just below 100 %
    "2.2": 100,  # 3
    "2.3": "không",  # 0
    "3.1": "89,5",  # 2
    "3.2": "b",  # 2
    "3.3.1": "n/a",  # not applicable: 3 off the maximum
    "3.3.2": True,  # 3
    "4.1": 40,  # 1: at the lowest edge
    "4.2": "có",  # 3
    "4.3": "30%",  # 1
    "4.4": 2,  # 3
    "5.1": "không áp dụng",  # not applicable: 3 off
    "5.2": "79.99",  # 1
    "5.3": "a",  # 2
    "5.4": "yes",  # 2
    "6.1": 95,  # 5
    "6.2": {"not_applicable": True},  # not applicable: 5 off
    "6.3": 49,  # 0: below the lowest band
    "6.4": "b",  # 2.5
    "6.5": "2,75",  # 2.75
    "7.1": 10,  # 1
    "7.2": "không",  # 0
    "7.3": 0,  # 0
    "8.1": "có",  # 3
    "8.2": 6,  # 3
    "8.3": 9,  # 3
}
DEFAULT_GROUPS = [
    ("1", 8, 10),
    ("2", 6, 10),
    ("3", 7, 12),
    ("4", 8, 15),
    ("5", 5, 7),
    ("6", Decimal("10.25"), 15),
    ("7", 1, 10),
    ("8", 9, 10),
]


def test_the_default_framework_fully_answered():
    framework = default()

    result = scoring.score(framework, DEFAULT_ANSWERS)

    assert [(g.code, g.points, g.max_points) for g in result.groups] == DEFAULT_GROUPS
    assert (result.points, result.max_points) == (Decimal("54.25"), 89)
    assert result.unanswered == []
    assert result.problems == []
    rows = result.by_code()
    assert (rows["3.3"].status, rows["3.3"].points, rows["3.3"].max_points) == (SCORED, 3, 3)
    data = scoring.result_as_json(framework, result)
    assert (data["total"], data["max_points"], data["percent"]) == (54.25, 89, 60.96)


def test_result_as_json_shape():
    result = scoring.score(FRAMEWORK, {"yn": "có", "na": "n/a", "man": 9, "pct": "32,5", "zz": 1})

    data = scoring.result_as_json(FRAMEWORK, result)

    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert list(data) == [
        "framework",
        "total",
        "max_points",
        "percent",
        "framework_max_points",
        "groups",
        "criteria",
        "unanswered",
        "problems",
    ]
    assert data["framework"] == {"code": "all-rules", "year": 2026, "version": 3}
    assert (data["total"], data["max_points"], data["framework_max_points"]) == (3, 22, 24)
    assert data["percent"] == 13.64
    assert data["groups"] == [
        {"code": "A", "name": "Mọi quy tắc", "points": 3, "max_points": 14},
        {"code": "B", "name": "Không áp dụng", "points": 0, "max_points": 8},
    ]
    rows = {row["code"]: row for row in data["criteria"]}
    assert [row["code"] for row in data["criteria"]] == [
        c.code for _g, c, _p in FRAMEWORK.criteria()
    ]
    assert rows["yn"] == {
        "code": "yn",
        "group": "A",
        "parent": None,
        "name": "Có/không mặc định",
        "status": "scored",
        "answer": "có",
        "points": 2,
        "max_points": 2,
    }
    assert rows["pct"]["answer"] == "32,5"
    assert rows["na"]["status"] == "not_applicable"
    assert (rows["na"]["answer"], rows["na"]["max_points"]) == ("n/a", 0)
    assert rows["man"]["message"] == "Điểm chấm phải là số từ 0 đến 3, không phải «9»."
    assert "message" not in rows["pct"]
    assert rows["par.1"]["parent"] == "par"
    assert rows["par.1"]["answer"] is None
    assert "par.1" in data["unanswered"]
    assert data["problems"] == [
        "man: Điểm chấm phải là số từ 0 đến 3, không phải «9».",
        "zz: mã này không có trong bộ tiêu chí; câu trả lời không được tính.",
    ]


def test_nothing_applicable_leaves_no_percentage():
    framework = fw.parse(small(allow_not_applicable=True))

    result = scoring.score(framework, {"1.1": "n/a"})
    data = scoring.result_as_json(framework, result)

    assert (result.points, result.max_points, result.percent) == (0, 0, None)
    assert (data["total"], data["max_points"], data["percent"]) == (0, 0, None)
    assert data["groups"][0]["max_points"] == 0
    assert data["framework_max_points"] == 2


# --- Any answers at all -----------------------------------------------------------------------

_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=200),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.floats(),
    st.text(max_size=12),
    st.sampled_from(["có", "không", "n/a", "a", "b)", "d", "30%", "29,99", "1,255", "—", ""]),
)
_ANSWERS = st.one_of(
    _VALUES,
    st.fixed_dictionaries(
        {"value": _VALUES},
        optional={
            "not_applicable": st.one_of(st.booleans(), st.text(max_size=4)),
            "note": st.text(),
        },
    ),
)


def _codes(framework):
    return [c.code for _g, c, _p in framework.criteria()] + [g.code for g in framework.groups]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    which=st.sampled_from(["all-rules", "default"]),
    data=st.data(),
)
def test_any_answers_stay_within_the_maxima_and_add_up(which, data):
    framework = FRAMEWORK if which == "all-rules" else DEFAULT
    codes = st.one_of(st.sampled_from(_codes(framework)), st.text(max_size=5))
    answers = data.draw(st.dictionaries(codes, _ANSWERS, max_size=40))

    result = scoring.score(framework, answers)

    for row in result.criteria:
        defined = framework.get(row.code).max_points
        assert 0 <= row.points <= row.max_points <= defined, row
        if row.status == NOT_APPLICABLE:
            assert row.max_points == 0
    for group in result.groups:
        top = [r for r in result.criteria if r.group == group.code and not r.parent]
        assert group.points == sum(r.points for r in top)
        assert group.max_points == sum(r.max_points for r in top)
    for parent in (r for r in result.criteria if not r.parent):
        children = [r for r in result.criteria if r.parent == parent.code]
        if children:
            assert parent.points == sum(r.points for r in children)
            assert parent.max_points == sum(r.max_points for r in children)
    assert result.points == sum(g.points for g in result.groups)
    assert result.max_points == sum(g.max_points for g in result.groups)
    assert 0 <= result.points <= result.max_points <= framework.max_points
    json.dumps(scoring.result_as_json(framework, result))


DEFAULT = default()
