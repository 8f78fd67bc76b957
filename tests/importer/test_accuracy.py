"""The importer's measure: matching expected tasks to a draft's, and what counts as right."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from theodoi.importer.accuracy import deadline_value, first_lead, measure
from theodoi.importer.draft import Draft, DraftPlan, DraftTask


def _draft(*tasks: DraftTask) -> Draft:
    return Draft(plan=DraftPlan(issued_on=datetime.date(2026, 3, 10)), tasks=list(tasks))


def test_a_task_matches_by_the_first_words_of_its_title_whatever_the_accents_and_case():
    draft = _draft(
        DraftTask(
            code="1",
            title="RÀ SOÁT, hoàn thiện quy chế làm việc của Ủy ban nhân dân phường.",
            lead_units_raw="Văn phòng HĐND và UBND",
            deadline_text="Quý II/2026",
        )
    )
    expected = {
        "tasks": [
            {
                "code": "1",
                "title": "Rà soát hoàn thiện quy chế làm việc",
                "lead": "Văn phòng HĐND và UBND",
                "deadline": "2026-06-30",
            }
        ]
    }

    result = measure("plan.md", draft, expected)

    assert (result.recall, result.precision, result.leads, result.deadlines) == (1, 1, 1, 1)
    assert result.codes == 1
    assert result.misses == []


def test_extra_and_missing_tasks_lower_precision_and_recall():
    draft = _draft(
        DraftTask(code="1", title="Xây dựng cơ sở dữ liệu dân cư"),
        DraftTask(code="2", title="Một đoạn văn không phải nhiệm vụ"),
    )
    expected = {
        "tasks": [
            {"title": "Xây dựng cơ sở dữ liệu", "lead": "", "deadline": ""},
            {"title": "Tổ chức tập huấn chuyển đổi số", "lead": "", "deadline": ""},
        ]
    }

    result = measure("plan.md", draft, expected)

    assert result.recall == 0.5
    assert result.precision == 0.5
    assert any("not found" in miss for miss in result.misses)


def test_one_draft_task_answers_for_one_expected_task_only():
    draft = _draft(DraftTask(code="1", title="Tuyên truyền về chuyển đổi số trên loa phường"))
    expected = {
        "tasks": [
            {"title": "Tuyên truyền về chuyển đổi số", "lead": "", "deadline": ""},
            {"title": "Tuyên truyền về chuyển đổi số", "lead": "", "deadline": ""},
        ]
    }

    assert measure("plan.md", draft, expected).matched == 1


def test_a_lead_written_short_is_the_standard_unit_it_names():
    task = DraftTask(code="1", title="x", lead_units_raw="Phòng VH-XH; Công an phường")

    assert first_lead(task) == "Phòng Văn hóa - Xã hội"


def test_a_wrong_lead_and_a_wrong_deadline_are_counted_and_said():
    draft = _draft(
        DraftTask(
            code="3",
            title="Số hóa hồ sơ hộ tịch",
            lead_units_raw="Công an phường",
            deadline_text="Thường xuyên",
        )
    )
    expected = {
        "tasks": [
            {
                "code": "2",
                "title": "Số hóa hồ sơ hộ tịch",
                "lead": "Phòng Văn hóa - Xã hội",
                "deadline": "2026-12-31",
            }
        ]
    }

    result = measure("plan.md", draft, expected)

    assert (result.matched, result.leads_right, result.deadlines_right) == (1, 0, 0)
    assert result.codes == 0
    assert len(result.misses) == 3


def test_deadlines_are_compared_by_meaning():
    def value(text: str) -> str:
        return deadline_value(DraftTask(code="1", title="x", deadline_text=text), 2026)

    assert value("Thường xuyên") == "continuous"
    assert value("hoàn thành trước 30/6/2026") == "2026-06-30"
    assert value("Quý IV") == "2026-12-31"
    assert value("") == ""


def test_a_scanned_title_may_differ_by_a_few_letters():
    misread = _draft(DraftTask(code="1", title="Trlển khal nền tàng số cấp phường đó"))
    wanted = {"title": "Triển khai nền tảng số cấp phường", "lead": "", "deadline": ""}

    assert measure("plan.md", misread, {"tasks": [wanted]}).matched == 0
    assert measure("scan.pdf", misread, {"scanned": True, "tasks": [wanted]}).matched == 1
    other = _draft(DraftTask(code="1", title="Tổ chức hội nghị sơ kết một năm"))
    assert measure("scan.pdf", other, {"scanned": True, "tasks": [wanted]}).matched == 0


PLAN = """ỦY BAN NHÂN DÂN PHƯỜNG AN BIÊN

Số: 12/KH-UBND

An Biên, ngày 10 tháng 3 năm 2026

KẾ HOẠCH Chuyển đổi số năm 2026

| STT | Nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành |
|---|---|---|---|---|
| 1 | Rà soát quy chế làm việc trên môi trường số | Văn phòng HĐND và UBND | Các phòng | Quý II/2026 |
| 2 | Số hóa hồ sơ hộ tịch còn lưu giấy | Phòng VH-XH | Công an phường | Tháng 9/2026 |
"""


def _write(tmp_path, tasks):
    (tmp_path / "plan.md").write_text(PLAN, encoding="utf-8")
    (tmp_path / "plan.expected.json").write_text(json.dumps({"tasks": tasks}), encoding="utf-8")


def test_the_command_prints_one_line_per_document(tmp_path):
    _write(
        tmp_path,
        [
            {"title": "Rà soát quy chế làm việc", "lead": "Văn phòng HĐND và UBND",
             "deadline": "2026-06-30"},
            {"title": "Số hóa hồ sơ hộ tịch", "lead": "Phòng Văn hóa - Xã hội",
             "deadline": "2026-09-30"},
        ],
    )  # fmt: skip
    out = io.StringIO()

    call_command("import_accuracy", str(tmp_path), "--check", stdout=out)

    line = next(line for line in out.getvalue().splitlines() if line.startswith("plan.md"))
    assert line.split()[1:7] == ["2", "2", "100%", "100%", "100%", "100%"]


def test_the_check_fails_below_the_goal_and_details_say_why(tmp_path):
    _write(tmp_path, [{"title": "Tập huấn kỹ năng số cho cán bộ", "lead": "", "deadline": ""}])
    out = io.StringIO()

    with pytest.raises(CommandError, match="plan.md"):
        call_command("import_accuracy", str(tmp_path), "--check", "--details", stdout=out)
    assert "Tập huấn kỹ năng số cho cán bộ: not found" in out.getvalue()


def test_a_lead_whose_name_has_commas_is_right_when_the_text_starts_with_it():
    task = DraftTask(
        code="1",
        title="Xây dựng nền tảng số về di sản",
        lead_units_raw="Bộ Văn hóa, Thể thao và Du lịch; Bộ Khoa học và Công nghệ",
    )
    wanted = {"title": "Xây dựng nền tảng số", "deadline": ""}

    right = measure(
        "plan.md", _draft(task), {"tasks": [{**wanted, "lead": "Bộ Văn hóa, Thể thao và Du lịch"}]}
    )
    other = measure(
        "plan.md", _draft(task), {"tasks": [{**wanted, "lead": "Bộ Khoa học và Công nghệ"}]}
    )

    assert (right.leads, other.leads) == (1, 0)
