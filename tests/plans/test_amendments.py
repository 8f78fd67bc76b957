"""The change list between two snapshots of a plan's tasks (pure, no database)."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from theodoi.plans import amendments


def _row(pk, code, title, **extra):
    row = {
        "id": pk,
        "code": code,
        "title": title,
        "section": "I",
        "parent": "",
        "lead_units": ["Phòng Văn hóa - Xã hội"],
        "lead_unit_ids": [1],
        "coordinating_units": [],
        "coordinating_unit_ids": [],
        "deadline_text": "Quý II/2026",
        "due_date": "2026-06-30",
        "output": "",
        "kpi": "",
        "withdrawn": False,
        "withdraw_reason": "",
    }
    return row | extra


BEFORE = [
    _row(1, "1", "Triển khai chữ ký số"),
    _row(2, "2", "Số hóa hồ sơ hành chính"),
    _row(3, "3", "Tuyên truyền chuyển đổi số"),
]


def test_unchanged_rows_make_no_change():
    assert amendments.diff(BEFORE, [dict(r) for r in BEFORE]) == []


def test_a_moved_deadline_is_a_change_with_both_sides():
    after = [dict(r) for r in BEFORE]
    after[0] |= {"deadline_text": "30/9/2026", "due_date": "2026-09-30"}

    [change] = amendments.diff(BEFORE, after)

    assert change["kind"] == "changed"
    assert change["task"] == 1
    assert change["deadline_moved"] is True
    assert change["fields"]["deadline_text"] == {"before": "Quý II/2026", "after": "30/9/2026"}
    assert change["fields"]["due_date"] == {"before": "2026-06-30", "after": "2026-09-30"}


def test_a_changed_lead_unit_carries_the_new_unit_ids():
    after = [dict(r) for r in BEFORE]
    after[1] |= {"lead_units": ["Công an phường"], "lead_unit_ids": [7]}

    [change] = amendments.diff(BEFORE, after)

    assert change["fields"] == {
        "lead_units": {"before": ["Phòng Văn hóa - Xã hội"], "after": ["Công an phường"]}
    }
    assert change["lead_unit_ids"] == [7]
    assert change["deadline_moved"] is False


def test_withdrawn_and_added_rows():
    after = [dict(r) for r in BEFORE]
    after[2] |= {"withdrawn": True, "withdraw_reason": " Trùng nhiệm vụ 1 "}
    after.append(_row(None, "4", "Xây dựng hệ thống theo dõi"))

    changes = amendments.diff(BEFORE, after)

    assert [(c["kind"], c.get("task")) for c in changes] == [("withdrawn", 3), ("added", None)]
    assert changes[0]["reason"] == "Trùng nhiệm vụ 1"
    assert changes[1]["row"]["title"] == "Xây dựng hệ thống theo dõi"
    assert "id" not in changes[1]["row"]
    assert amendments.counts(changes) == {
        "added": 1,
        "changed": 0,
        "withdrawn": 1,
        "missing": 0,
        "deadline_moved": 0,
    }


def test_tasks_already_withdrawn_are_left_alone():
    before = BEFORE + [_row(9, "9", "Đã rút", withdrawn=True)]
    assert amendments.diff(before, [dict(r) for r in BEFORE]) == []


def test_reimported_rows_match_by_code_then_by_folded_title():
    """A re-imported document has no ids: code first, then the title without diacritics."""
    after = [
        _row(None, "1", "Triển khai chữ ký số cho toàn bộ cán bộ"),  # same code, new title
        _row(None, "2b", "SỐ HÓA HỒ SƠ HÀNH CHÍNH"),  # new code, same title
    ]

    changes = amendments.diff(BEFORE, after)

    by_task = {c.get("task"): c for c in changes}
    assert by_task[1]["kind"] == "changed"
    assert set(by_task[1]["fields"]) == {"title"}
    assert by_task[2]["kind"] == "changed"
    assert set(by_task[2]["fields"]) == {"code", "title"}
    assert by_task[3]["kind"] == "missing"
    assert [c["kind"] for c in amendments.diff(BEFORE, after, withdraw_missing=True)][-1] == (
        "withdrawn"
    )
    assert amendments.applicable(changes) == [by_task[1], by_task[2]]


def test_an_ambiguous_code_is_not_guessed():
    before = [_row(1, "1", "A", section="I"), _row(2, "1", "B", section="II")]
    after = [_row(None, "1", "C", section="")]

    changes = amendments.diff(before, after)

    assert sorted(c["kind"] for c in changes) == ["added", "missing", "missing"]


def test_a_row_that_does_not_say_a_field_leaves_it():
    after = [{"id": 1, "title": "Triển khai chữ ký số"}, {"id": 2}, {"id": 3}]
    assert amendments.diff(BEFORE, after) == []


def test_compare_shows_every_task_of_the_new_version():
    after = [dict(r) for r in BEFORE]
    after[0] |= {"title": "Mới"}
    after[2] |= {"withdrawn": True}
    after.append(_row(4, "4", "Thêm"))
    before = BEFORE + [_row(8, "8", "Rút từ trước", withdrawn=True)]
    after.append(_row(8, "8", "Rút từ trước", withdrawn=True))

    shown = amendments.compare(before, after)

    assert [(s["status"], s["row"]["id"]) for s in shown] == [
        ("changed", 1),
        ("same", 2),
        ("withdrawn", 3),
        ("added", 4),
    ]
    assert shown[0]["fields"]["title"] == {"before": "Triển khai chữ ký số", "after": "Mới"}


def test_due_date_for_follows_the_deadline_rules():
    assert amendments.due_date_for("30/9/2026", plan_year=2026, plan_end=None) == (
        datetime.date(2026, 9, 30)
    )
    assert amendments.due_date_for(
        "Thường xuyên", plan_year=2026, plan_end=datetime.date(2027, 12, 31)
    ) == datetime.date(2027, 12, 31)
    assert amendments.due_date_for("Khi có yêu cầu", plan_year=2026, plan_end=None) is None


_titles = st.text(alphabet="abcdeđêô ", min_size=1, max_size=12)


@given(st.lists(st.tuples(_titles, st.booleans(), st.booleans()), max_size=8))
def test_diff_of_edits_by_id_names_exactly_the_edited_rows(edits):
    """Whatever the edits, each row edited or withdrawn appears once, and no other."""
    before = [_row(i + 1, str(i + 1), f"Nhiệm vụ {i}") for i in range(len(edits))]
    after = []
    touched = set()
    for row, (title, change, withdraw) in zip(before, edits, strict=True):
        new = dict(row)
        if withdraw:
            new["withdrawn"] = True
            touched.add(row["id"])
        elif change and title != row["title"]:
            new["title"] = title
            touched.add(row["id"])
        after.append(new)

    changes = amendments.diff(before, after)

    assert sorted(c["task"] for c in changes) == sorted(touched)
