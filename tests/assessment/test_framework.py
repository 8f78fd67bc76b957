"""Parsing frameworks (issue 8): each mistake a person can make gives its own Vietnamese message
saying where, and the YAML form writes and reads back without loss. No database."""

from decimal import Decimal

import pytest

from tests.assessment.frameworks import ALL_RULES, all_rules, default, small
from theodoi.assessment import framework as fw


def problems_of(raw) -> list[str]:
    with pytest.raises(fw.FrameworkError) as caught:
        fw.parse(raw)
    assert str(caught.value) == "\n".join(caught.value.problems)
    return caught.value.problems


def without(key: str) -> dict:
    raw = small()
    del raw[key]
    return raw


def with_group(**group) -> dict:
    raw = small()
    raw["groups"][0].update(group)
    return raw


SUB_SUB = {
    "code": "1.1",
    "name": "Cha",
    "criteria": [
        {
            "code": "1.1.1",
            "name": "Con",
            "criteria": [{"code": "1.1.1.1", "name": "Cháu", "max_points": 1, "rule": "yes_no"}],
        }
    ],
}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (without("code"), "Thiếu mã bộ tiêu chí («code»)."),
        (without("name"), "Thiếu tên bộ tiêu chí («name»)."),
        (without("year"), "Thiếu năm áp dụng («year»), ví dụ 2026."),
        (
            {**small(), "year": "năm nay"},
            "Năm áp dụng («year») phải là một năm như 2026, không phải «năm nay».",
        ),
        (
            {**small(), "year": 1999},
            "Năm áp dụng («year») phải là một năm như 2026, không phải «1999».",
        ),
        ({**small(), "version": 0}, "Phiên bản («version») phải là số nguyên từ 1 đến 32767."),
        ({**small(), "version": "1.5"}, "Phiên bản («version») phải là số nguyên từ 1 đến 32767."),
        ({**small(), "version": 99999}, "Phiên bản («version») phải là số nguyên từ 1 đến 32767."),
        ({**small(), "code": "x" * 61}, "Mã bộ tiêu chí dài quá 60 ký tự."),
        ({**small(), "groups": []}, "Bộ tiêu chí cần ít nhất một nhóm («groups»)."),
        (
            {**small(), "max_points": 3},
            "Tổng điểm tối đa ghi «3» nhưng các nhóm cộng lại 2.",
        ),
        (with_group(code=""), "Nhóm 1: nhóm cần mã («code») và tên («name»)."),
        (with_group(criteria=[]), "Nhóm 1: nhóm cần ít nhất một tiêu chí («criteria»)."),
        (
            with_group(max_points=5),
            "Nhóm 1: điểm tối đa của nhóm ghi «5» nhưng các tiêu chí cộng lại 2.",
        ),
        (small(code=""), "Nhóm 1, tiêu chí 1: thiếu mã tiêu chí («code»)."),
        (small(name=" "), "Tiêu chí 1.1: thiếu tên tiêu chí («name»)."),
        (small(max_points=None), "Tiêu chí 1.1: thiếu «max_points» (ví dụ 2 hoặc 0,5)."),
        (
            small(max_points="hai"),
            "Tiêu chí 1.1: «max_points» phải là một số (ví dụ 2 hoặc 0,5), không phải «hai».",
        ),
        (small(max_points=-1), "Tiêu chí 1.1: «max_points» phải từ 0 đến 10000."),
        (
            small(max_points="1,125"),
            "Tiêu chí 1.1: «max_points» chỉ được có tối đa 2 chữ số thập phân.",
        ),
        (small(rule=None), "Tiêu chí 1.1: thiếu quy tắc chấm («rule»)."),
        (
            small(rule="score"),
            "Tiêu chí 1.1: quy tắc chấm «score» không có; dùng một trong: yes_no, percent, count, "
            "choice, manual.",
        ),
        (
            small(rule={"bands": []}),
            "Tiêu chí 1.1: quy tắc chấm «None» không có; dùng một trong: yes_no, percent, count, "
            "choice, manual.",
        ),
        (
            small(rule={"type": "percent"}),
            "Tiêu chí 1.1: quy tắc theo mức cần danh sách «bands» (mỗi mức có min và points).",
        ),
        (
            small(rule={"type": "count", "bands": [{"min": 3, "points": 3}]}),
            "Tiêu chí 1.1: một mức điểm lớn hơn điểm tối đa (2).",
        ),
        (
            small(
                rule={
                    "type": "percent",
                    "bands": [{"min": 30, "points": 2}, {"min": "30%", "points": 1}],
                }
            ),
            "Tiêu chí 1.1: hai mức có cùng «min»; mỗi mức phải bắt đầu ở một giá trị khác.",
        ),
        (
            small(rule={"type": "percent", "bands": [{"min": 101, "points": 2}]}),
            "Tiêu chí 1.1, mức 1: «min» phải từ 0 đến 100.",
        ),
        (
            small(rule={"type": "count", "bands": [{"min": -1, "points": 2}]}),
            "Tiêu chí 1.1, mức 1: «min» phải không âm.",
        ),
        (
            small(rule={"type": "count", "bands": [{"min": "nhiều", "points": 2}]}),
            "Tiêu chí 1.1, mức 1: «min» phải là một số, không phải «nhiều».",
        ),
        (
            small(rule={"type": "count", "bands": [{"min": 1}]}),
            "Tiêu chí 1.1, mức 1: thiếu «points» (ví dụ 2 hoặc 0,5).",
        ),
        (
            small(rule={"type": "count", "bands": [5]}),
            "Tiêu chí 1.1, mức 1: mỗi mức phải có «min» và «points».",
        ),
        (
            small(rule={"type": "choice", "choices": [{"code": "a", "label": "A", "points": 1}]}),
            "Tiêu chí 1.1: quy tắc «choice» cần ít nhất hai phương án trong «choices».",
        ),
        (
            small(
                rule={
                    "type": "choice",
                    "choices": [
                        {"code": "a", "label": "A", "points": 1},
                        {"code": "a", "label": "B", "points": 2},
                    ],
                }
            ),
            "Tiêu chí 1.1: hai phương án có cùng «code».",
        ),
        (
            small(
                rule={
                    "type": "choice",
                    "choices": [
                        {"code": "a", "points": 1},
                        {"code": "b", "label": "B", "points": 2},
                    ],
                }
            ),
            "Tiêu chí 1.1, phương án 1: phương án cần «code» và «label».",
        ),
        (
            small(
                rule={
                    "type": "choice",
                    "choices": [
                        {"code": "a", "label": "A", "points": 3},
                        {"code": "b", "label": "B", "points": 0},
                    ],
                }
            ),
            "Tiêu chí 1.1: một mức điểm lớn hơn điểm tối đa (2).",
        ),
        (
            small(rule={"type": "yes_no", "yes_points": 2.5}),
            "Tiêu chí 1.1: một mức điểm lớn hơn điểm tối đa (2).",
        ),
        (
            small(rule={"type": "yes_no", "no_points": "nửa"}),
            "Tiêu chí 1.1: «no_points» phải là một số (ví dụ 2 hoặc 0,5), không phải «nửa».",
        ),
        (
            small(source="tasks_on_time"),
            "Tiêu chí 1.1: nguồn «tasks_on_time» chỉ dùng cho quy tắc «Tỷ lệ % theo mức».",
        ),
        (
            small(
                rule={"type": "percent", "bands": [{"min": 1, "points": 1}]}, source="tasks_done"
            ),
            "Tiêu chí 1.1: nguồn «tasks_done» chỉ dùng cho quy tắc «Số lượng theo mức».",
        ),
        (
            small(source="budget"),
            "Tiêu chí 1.1: nguồn dữ liệu «budget» không có; dùng một trong: tasks_on_time, "
            "reports_on_time, tasks_done.",
        ),
        (
            with_group(criteria=[SUB_SUB]),
            "Tiêu chí 1.1.1: tiêu chí thành phần không được có tiêu chí con nữa.",
        ),
        (
            with_group(
                criteria=[
                    {
                        "code": "1.1",
                        "name": "Cha",
                        "max_points": 3,
                        "criteria": [
                            {"code": "1.1.1", "name": "Con", "max_points": 2, "rule": "manual"}
                        ],
                    }
                ]
            ),
            "Tiêu chí 1.1: điểm tối đa ghi 3 nhưng các tiêu chí thành phần cộng lại 2.",
        ),
        (
            with_group(
                criteria=[
                    {
                        "code": "1.1",
                        "name": "Cha",
                        "rule": "manual",
                        "criteria": [
                            {"code": "1.1.1", "name": "Con", "max_points": 2, "rule": "manual"}
                        ],
                    }
                ]
            ),
            "Tiêu chí 1.1: tiêu chí có tiêu chí thành phần được chấm bằng tổng của chúng, không có "
            "«rule» riêng.",
        ),
        (
            with_group(criteria=[{"code": "1.1", "name": "Cha", "criteria": {"code": "x"}}]),
            "Tiêu chí 1.1: «criteria» phải là một danh sách tiêu chí thành phần.",
        ),
        (
            with_group(criteria=[small()["groups"][0]["criteria"][0]] * 2),
            "Mã «1.1» dùng cho hai nhóm hoặc tiêu chí; mỗi mã phải riêng.",
        ),
        (
            with_group(code="1.1"),
            "Mã «1.1» dùng cho hai nhóm hoặc tiêu chí; mỗi mã phải riêng.",
        ),
        (
            with_group(criteria=["1.1"]),
            "Nhóm 1, tiêu chí 1: mỗi tiêu chí phải có ít nhất «code», «name» và «max_points».",
        ),
        (["a list"], "Tệp không chứa một bộ tiêu chí (cần các mục code, name, year, groups)."),
    ],
)
def test_each_mistake_has_its_own_message(raw, expected):
    assert expected in problems_of(raw)


def test_every_mistake_is_listed_at_once():
    raw = small(max_points="hai", source="budget")
    del raw["name"]
    raw["groups"].append(
        {"code": "1", "name": "Trùng mã", "criteria": [small()["groups"][0]["criteria"][0]]}
    )

    problems = problems_of(raw)

    assert problems == [
        "Thiếu tên bộ tiêu chí («name»).",
        "Tiêu chí 1.1: «max_points» phải là một số (ví dụ 2 hoặc 0,5), không phải «hai».",
        "Mã «1» dùng cho hai nhóm hoặc tiêu chí; mỗi mã phải riêng.",
    ]


def test_two_groups_without_code_are_not_reported_as_duplicates():
    raw = with_group(code="")
    raw["groups"].append(
        {
            "code": "",
            "name": "Nhóm hai",
            "criteria": [{"code": "2.1", "name": "T", "max_points": 1, "rule": "manual"}],
        }
    )

    problems = problems_of(raw)

    assert problems == [
        "Nhóm 1: nhóm cần mã («code») và tên («name»).",
        "Nhóm 2: nhóm cần mã («code») và tên («name»).",
    ]


def test_yaml_syntax_error_says_on_which_line():
    text = "code: x\nname: y\ngroups:\n  - code: 1\n   name: lệch\n"

    with pytest.raises(fw.FrameworkError) as caught:
        fw.load_yaml(text)

    assert caught.value.problems == [
        "Tệp YAML viết sai cú pháp (dòng 5, cột 4). Hãy kiểm tra thụt lề và dấu «:»."
    ]


def test_parse_reads_what_a_person_writes():
    framework = fw.parse(
        small(
            max_points="2,5",
            rule={
                "type": "percent",
                "bands": [{"min": "25%", "points": "0,5"}, {"min": "30", "points": 2.5}],
            },
            allow_not_applicable="có",
            evidence="  Văn bản  ",
        )
    )
    criterion = framework.get("1.1")

    assert criterion.max_points == Decimal("2.5")
    # Bands are kept highest minimum first, whatever order they were written in.
    assert criterion.rule.bands == (
        fw.Band(Decimal(30), Decimal("2.5")),
        fw.Band(Decimal(25), Decimal("0.5")),
    )
    assert criterion.allow_not_applicable is True
    assert criterion.evidence == "Văn bản"
    assert framework.version == 1
    assert criterion.rule.yes_points is None


def test_the_default_framework_is_what_its_comment_says():
    framework = default()

    assert framework.code == "ward-dx"
    assert framework.max_points == 100
    assert len(framework.groups) == 8
    assert len(list(framework.leaves())) == 29
    assert [g.max_points for g in framework.groups] == [10, 10, 15, 15, 10, 20, 10, 10]
    assert {c.source for c in framework.leaves() if c.source} == set(fw.SOURCES)


@pytest.mark.parametrize("make", [default, all_rules], ids=["default", "all-rules"])
def test_yaml_round_trip_is_lossless(make):
    framework = make()

    again = fw.load_yaml(fw.dump_yaml(framework))

    assert again == framework
    assert fw.to_dict(again) == fw.to_dict(framework)
    assert fw.parse(fw.to_dict(framework)) == framework


def test_yaml_keeps_every_optional_field():
    data = fw.to_dict(all_rules())
    group_a, group_b = data["groups"]
    by_code = {c["code"]: c for g in data["groups"] for c in g["criteria"]}

    assert data["version"] == 3
    assert data["description"] == ALL_RULES["description"]
    assert data["max_points"] == 24
    assert (group_a["max_points"], group_b["max_points"]) == (14, 10)
    assert by_code["yn"]["rule"] == {"type": "yes_no"}
    assert by_code["yn2"]["rule"] == {"type": "yes_no", "yes_points": 1.5, "no_points": 0.5}
    assert by_code["yn2"]["evidence"] == "Văn bản; số = ngày)"
    assert by_code["pct"]["source"] == "tasks_on_time"
    assert by_code["pct"]["guidance"] == "Tự tính."
    assert by_code["ch"]["rule"]["choices"][1] == {
        "code": "b)",
        "label": "b) một trong hai\nhoặc tạm thời",
        "points": 1.25,
    }
    assert by_code["par"]["allow_not_applicable"] is True
    assert by_code["par"]["max_points"] == 4
    assert [c["code"] for c in by_code["par"]["criteria"]] == ["par.1", "par.2"]
    assert "allow_not_applicable" not in by_code["nona"]


def test_a_criterion_code_longer_than_the_database_holds_is_refused():
    raw = small()
    raw["groups"][0]["criteria"][0]["code"] = "c" * 41
    with pytest.raises(fw.FrameworkError) as caught:
        fw.parse(raw)
    assert any("mã tiêu chí dài quá 40 ký tự" in p for p in caught.value.problems)


def test_a_file_built_to_be_huge_or_deep_is_refused_with_a_message():
    criterion = "{code: a, name: A, max_points: 1, rule: yes_no}"
    aliases = (
        f"c: &c [{', '.join([criterion] * 50)}]\n"
        "code: x\nname: X\nyear: 2026\ngroups:\n"
        + "".join(f"  - {{code: 'g{i}', name: G, criteria: *c}}\n" for i in range(60))
    )
    with pytest.raises(fw.FrameworkError) as caught:
        fw.load_yaml(aliases)
    assert "quá lớn" in caught.value.problems[0]
    with pytest.raises(fw.FrameworkError) as caught:
        fw.load_yaml("[" * 5000)
    assert "lồng nhau quá sâu" in caught.value.problems[0]
