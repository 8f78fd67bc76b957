"""Whole documents to drafts: each seed and each generated document gives the counts, codes,
sections, deadlines, units and numbers the issue lists, and reports what it cannot place."""

from collections import Counter
from decimal import Decimal

import pytest

from tests.importer import documents
from tests.importer.seeds import seed_document
from theodoi.importer.pipeline import draft_from_bytes
from theodoi.importer.readers.text import read_text
from theodoi.importer.recognise.plan import recognise

BASELINE_MISSING = ["II.9", "III.1", "IV.1", "V.10", "V.11"]


@pytest.fixture(scope="module")
def drafts():
    return {key: recognise(seed_document(key)) for key in ["000", "001", "002", "003", "004"]}


def counts(draft):
    return (
        len(draft.sections),
        sum(1 for t in draft.tasks if not t.parent),
        sum(1 for t in draft.tasks if t.parent),
        len(draft.indicators),
        len(draft.budget),
    )


def test_seed_000(drafts):
    draft = drafts["000"]
    assert counts(draft) == (5, 19, 0, 15, 0)
    assert draft.plan.issuer == "Ban Thường vụ Đảng ủy phường Chơn Thành"
    assert draft.plan.issuer_kind == "party"
    assert {i.target_year for i in draft.indicators} == {2030}


def test_seed_001(drafts):
    draft = drafts["001"]
    assert counts(draft) == (6, 22, 13, 34, 0)
    assert Counter(i.group for i in draft.indicators) == {"1.1": 2, "1.2": 5, "1.4": 2, "1.5": 25}


def test_seed_002(drafts):
    draft = drafts["002"]
    sections, tasks, subtasks, indicators, budget = counts(draft)
    assert (sections, tasks, subtasks, indicators) == (5, 33, 0, 33)
    assert budget == 9 + 15
    assert draft.plan.issuer == "UBND phường Phước Bình"
    # The proposal list after the budget tables is not silently dropped.
    assert any("Chương trình/Đề tài/Dự án" in w for w in draft.warnings)


def test_seed_003(drafts):
    draft = drafts["003"]
    assert len(draft.indicators) == 25
    assert draft.plan.issuer == "Ủy ban nhân dân phường Thành Đông"
    with_baseline = [i for i in draft.indicators if i.baseline is not None]
    # Five have no number for 2025 in the plan (qualitative, or "(Đã đạt)"-like cells).
    assert len(with_baseline) == 20
    assert sorted(i.code for i in draft.indicators if i.baseline is None) == BASELINE_MISSING
    assert all(set(i.milestones) <= {2026, 2027, 2028, 2029} for i in draft.indicators)


def test_seed_003_without_a_task_table_takes_its_tasks_from_the_body(drafts):
    """Seed 003 has no task table: its "- " lines under "III. NHIỆM VỤ VÀ GIẢI PHÁP" are the
    tasks, each with the "Thời gian hoàn thành" line that follows its group."""
    draft = drafts["003"]
    assert [s.code for s in draft.sections] == ["1", "2", "3", "4", "5"]
    assert Counter(t.section for t in draft.tasks) == {"1": 3, "2": 9, "3": 3, "4": 2, "5": 10}
    first = draft.tasks[0]
    assert first.code == "1.1" and first.deadline_text == "Trong Quý IV/2025"
    assert first.title.endswith("lắp đặt cáp quang tốc độ cao đến từng tổ dân phố.")
    last = draft.tasks[-1]
    assert last.code == "5.10" and last.deadline_text == "Trong Quý III/2030 đạt 10%"
    assert any("không có bảng nhiệm vụ" in w for w in draft.warnings)


def test_seed_004(drafts):
    draft = drafts["004"]
    assert counts(draft) == (8, 42, 0, 0, 0)
    assert draft.plan.number == "110/KH-UBND"
    assert draft.plan.issued_on.isoformat() == "2026-03-25"
    appendix = [t for t in draft.tasks if t.section == "PL"]
    assert len(appendix) == 8 and {t.accountable for t in appendix} == {"Chủ tịch UBND phường"}
    assert draft.sections[-1].title.startswith("PHỤ LỤC: NHIỆM VỤ TRỌNG TÂM")


def test_every_seed_task_has_its_source_row(drafts):
    for draft in drafts.values():
        assert all(task.row for task in draft.tasks)
        assert all(task.row_text for task in draft.tasks)


def test_generated_word_plan():
    """A .docx as a ward writes it: merged section row, a lead unit merged down over two tasks,
    a subtask row without a code, a repeated header row."""
    draft = draft_from_bytes(documents.plan_docx(), name="ke-hoach.docx")
    assert draft.plan.number == "110/KH-UBND"
    assert draft.plan.title == ""  # the test document has no title line after "KẾ HOẠCH"
    assert [(s.code, s.title) for s in draft.sections] == [("I", "Nâng cao nhận thức")]
    assert [(t.code, t.parent) for t in draft.tasks] == [
        ("1", ""),
        ("2", ""),
        ("2.1", "2"),
        ("3", ""),
    ]
    assert draft.tasks[1].lead_units_raw == "Văn phòng HĐND-UBND"
    assert draft.tasks[2].title == "Cập nhật cổng thông tin điện tử"
    assert draft.tasks[2].deadline_text == "Hằng tháng"
    assert any("nhiệm vụ con 2.1" in w for w in draft.warnings)


def test_generated_excel_budget_with_two_row_header():
    data = documents.with_cached_values(
        documents.budget_xlsx(), 1, {"C5": "20000", "C6": "100.5", "C7": "20100.5"}
    )
    draft = draft_from_bytes(data, name="du-toan.xlsx")
    lines = {line.code: line for line in draft.budget}
    assert lines["1"].by_year == {
        2026: Decimal(3000),
        2027: Decimal(4000),
        2028: Decimal(4000),
        2029: Decimal(4500),
        2030: Decimal(4500),
    }
    assert lines["1"].total == Decimal(20000)
    assert lines["2"].total == Decimal("100.5")


# --- The header: a date split over two lines, the title's end -------------------------------

SPLIT_HEADER = """ỦY BAN NHÂN DÂN
PHƯỜNG AN BÌNH

Số: 15/KH-UBND

An Bình, ngày 15 tháng 01
năm 2026

## KẾ HOẠCH

**Phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số năm 2026**

---

Ngày 22 tháng 12 năm 2024, Bộ Chính trị ban hành Nghị quyết số 57-NQ/TW. Ủy ban nhân dân phường xây dựng Kế hoạch như sau

### I. MỤC ĐÍCH, YÊU CẦU
"""


def test_a_date_split_over_two_lines_is_read():
    from theodoi.importer.recognise.header import recognise_header

    for split in (
        ("An Bình, ngày 15 tháng 01", "năm 2026"),
        ("An Bình, ngày 15", "tháng 01 năm 2026"),
        ("An Bình, ngày", "15 tháng 01 năm 2026"),
    ):
        text = SPLIT_HEADER.replace("An Bình, ngày 15 tháng 01\nnăm 2026", "\n".join(split))
        plan, warnings = recognise_header(read_text(text))
        assert plan.issued_on.isoformat() == "2026-01-15"
        assert plan.place == "An Bình"
        assert not any("ngày ban hành" in w for w in warnings)


def test_the_title_ends_at_a_horizontal_rule_and_at_plain_text_after_it():
    from theodoi.importer.recognise.header import recognise_header

    plan, _ = recognise_header(read_text(SPLIT_HEADER))
    assert plan.title == (
        "Phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số năm 2026"
    )
    # Without the rule, the plain paragraph after the bold title is not title either.
    plan, _ = recognise_header(read_text(SPLIT_HEADER.replace("---\n", "")))
    assert plan.title.endswith("chuyển đổi số năm 2026")


def test_a_programme_of_action_has_its_title_read_like_a_plan():
    from theodoi.importer.recognise.header import recognise_header

    plan, _ = recognise_header(
        read_text(SPLIT_HEADER.replace("KẾ HOẠCH", "CHƯƠNG TRÌNH HÀNH ĐỘNG"))
    )
    assert plan.title.startswith("Phát triển khoa học")
