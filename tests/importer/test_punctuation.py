"""Cells lose the punctuation that closes them ("Trong Quý IV/2025." → "Trong Quý IV/2025"), and
their parsed deadline stays the same; cells of several sentences and prose keep theirs."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.importer.seeds import seed_path
from theodoi.importer.pipeline import draft_from_bytes
from theodoi.importer.recognise.punctuation import strip_trailing_punctuation
from theodoi.plans.deadline import parse_deadline


@pytest.mark.parametrize(
    ("text", "tidy"),
    [
        ("Trong Quý IV/2025.", "Trong Quý IV/2025"),
        ("Quý I/2030.", "Quý I/2030"),
        ("Năm 2026;", "Năm 2026"),
        ("Các cơ quan, đơn vị,", "Các cơ quan, đơn vị"),
        ("Các cơ quan, đơn vị.", "Các cơ quan, đơn vị"),
        ("Phòng Văn hóa - Xã hội ./.", "Phòng Văn hóa - Xã hội"),
        ("Thời hạn: ", "Thời hạn"),
        # Several sentences: the stops are part of how the cell reads.
        (
            "- Sổ tay đảng viên trong quý I/2026. - Hồ sơ CBCB trong năm 2026.",
            "- Sổ tay đảng viên trong quý I/2026. - Hồ sơ CBCB trong năm 2026.",
        ),
        ("Các đơn vị…", "Các đơn vị…"),
        ("Các đơn vị...", "Các đơn vị..."),
        (
            "Tháng 12/2025 (Theo KH số 92/KH-UBND của tỉnh)",
            "Tháng 12/2025 (Theo KH số 92/KH-UBND của tỉnh)",
        ),
        (".", "."),
        ("", ""),
    ],
)
def test_closing_punctuation_is_stripped_from_one_phrase_cells(text, tidy):
    assert strip_trailing_punctuation(text) == tidy


@given(st.text(max_size=40))
def test_stripping_never_adds_text_and_is_stable(text):
    tidy = strip_trailing_punctuation(text)
    assert text.startswith(tidy) or tidy == text
    assert strip_trailing_punctuation(tidy) == tidy


@pytest.mark.parametrize(
    "text", ["Trong Quý IV/2025.", "30/9/2026.", "Năm 2026;", "Tháng 02/2026.", "Quý I/2030."]
)
def test_the_parsed_deadline_is_the_same_without_the_stop(text):
    with_stop = parse_deadline(text, plan_year=2025)
    without = parse_deadline(strip_trailing_punctuation(text), plan_year=2025)
    assert (without.kind, without.due_date) == (with_stop.kind, with_stop.due_date)
    assert without.due_date is not None


def test_seed_003_deadlines_have_no_trailing_stop_and_keep_their_dates():
    draft = draft_from_bytes(seed_path("003").read_bytes(), name="003.txt")
    deadlines = [task.deadline_text for task in draft.tasks if task.deadline_text]
    assert deadlines and not [text for text in deadlines if text.endswith((".", ";", ","))]
    first = draft.tasks[0]
    assert first.deadline_text == "Trong Quý IV/2025"
    assert parse_deadline(first.deadline_text, plan_year=2025).due_date == datetime.date(
        2025, 12, 31
    )


def test_seed_001_units_lose_their_closing_comma_and_prose_keeps_its_stops():
    draft = draft_from_bytes(seed_path("001").read_bytes(), name="001.txt")
    coordinating = {task.coordinating_units_raw for task in draft.tasks}
    assert "Các cơ quan, đơn vị" in coordinating
    assert not {"Các cơ quan, đơn vị.", "Các cơ quan, đơn vị,"} & coordinating
    assert any(task.kpi.endswith("Local AI.") for task in draft.tasks)
    several = [t.deadline_text for t in draft.tasks if "Sổ tay đảng viên" in t.deadline_text]
    assert several == ["- Sổ tay đảng viên trong quý I/2026. - Hồ sơ CBCB trong năm 2026."]
