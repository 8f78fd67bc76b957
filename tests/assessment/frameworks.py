"""Frameworks the assessment tests share: the default one, and a small one that uses every rule
type and every optional field, whose points are easy to add up by hand."""

import copy
from pathlib import Path
from typing import Any

from theodoi.assessment import framework as fw

DEFAULT_PATH = Path(fw.__file__).parent / "frameworks" / "ward-dx.yaml"

# Group A (14 points): one criterion per rule type.
# Group B (10 points): not-applicable criteria and sub-criteria.
ALL_RULES: dict[str, Any] = {
    "code": "all-rules",
    "name": "Bộ tiêu chí thử: mọi quy tắc",
    "year": 2026,
    "version": 3,
    "description": "Dùng cho kiểm thử.\nDòng thứ hai; có «dấu» = và ).",
    "max_points": 24,
    "groups": [
        {
            "code": "A",
            "name": "Mọi quy tắc",
            "max_points": 14,
            "criteria": [
                {"code": "yn", "name": "Có/không mặc định", "max_points": 2, "rule": "yes_no"},
                {
                    "code": "yn2",
                    "name": "Có/không điểm riêng",
                    "max_points": 2,
                    "rule": {"type": "yes_no", "yes_points": 1.5, "no_points": 0.5},
                    "evidence": "Văn bản; số = ngày)",
                },
                {
                    "code": "pct",
                    "name": "Tỷ lệ",
                    "max_points": 1,
                    "rule": {
                        "type": "percent",
                        "bands": [
                            {"min": 30, "points": 1},
                            {"min": 25, "points": 0.5},
                            {"min": 10, "points": 0.25},
                        ],
                    },
                    "source": "tasks_on_time",
                    "guidance": "Tự tính.",
                },
                {
                    "code": "cnt",
                    "name": "Số lượng",
                    "max_points": 3,
                    "rule": {
                        "type": "count",
                        "bands": [{"min": 5, "points": 3}, {"min": 2, "points": 1}],
                    },
                    "source": "tasks_done",
                },
                {
                    "code": "ch",
                    "name": "Chọn",
                    "max_points": 3,
                    "rule": {
                        "type": "choice",
                        "choices": [
                            {"code": "a", "label": "Cả hai; đủ = 3 điểm", "points": 3},
                            {
                                "code": "b)",
                                "label": "b) một trong hai\nhoặc tạm thời",
                                "points": 1.25,
                            },
                            {"code": "c", "label": "= chưa có", "points": 0},
                        ],
                    },
                },
                {
                    "code": "man",
                    "name": "Người chấm nhập",
                    "max_points": 3,
                    "rule": {"type": "manual"},
                },
            ],
        },
        {
            "code": "B",
            "name": "Không áp dụng",
            "criteria": [
                {
                    "code": "na",
                    "name": "Được không áp dụng",
                    "max_points": 2,
                    "rule": "yes_no",
                    "allow_not_applicable": True,
                },
                {
                    "code": "nona",
                    "name": "Không được không áp dụng",
                    "max_points": 2,
                    "rule": {"type": "percent", "bands": [{"min": 0, "points": 1}]},
                    "source": "reports_on_time",
                },
                {
                    "code": "par",
                    "name": "Có tiêu chí thành phần, được không áp dụng",
                    "max_points": 4,
                    "allow_not_applicable": True,
                    "criteria": [
                        {
                            "code": "par.1",
                            "name": "Thành phần 1",
                            "max_points": 1,
                            "rule": "yes_no",
                            "allow_not_applicable": True,
                        },
                        {
                            "code": "par.2",
                            "name": "Thành phần 2",
                            "max_points": 3,
                            "rule": "manual",
                            "allow_not_applicable": True,
                        },
                    ],
                },
                {
                    "code": "par2",
                    "name": "Có tiêu chí thành phần, không được không áp dụng",
                    "criteria": [
                        {
                            "code": "par2.1",
                            "name": "Thành phần 1",
                            "max_points": 1,
                            "rule": "yes_no",
                            "allow_not_applicable": True,
                        },
                        {
                            "code": "par2.2",
                            "name": "Thành phần 2",
                            "max_points": 1,
                            "rule": "yes_no",
                        },
                    ],
                },
            ],
        },
    ],
}


def all_rules_raw() -> dict[str, Any]:
    return copy.deepcopy(ALL_RULES)


def all_rules() -> fw.Framework:
    return fw.parse(all_rules_raw())


def default() -> fw.Framework:
    return fw.load_yaml(DEFAULT_PATH.read_text(encoding="utf-8"))


def small(**criterion: Any) -> dict[str, Any]:
    """A framework of one group and one criterion, the criterion's keys replaced by ``criterion``
    (a key given None is removed)."""
    item: dict[str, Any] = {"code": "1.1", "name": "Tiêu chí", "max_points": 2, "rule": "yes_no"}
    item.update(criterion)
    item = {key: value for key, value in item.items() if value is not None}
    return {
        "code": "small",
        "name": "Bộ nhỏ",
        "year": 2026,
        "groups": [{"code": "1", "name": "Nhóm", "criteria": [item]}],
    }
