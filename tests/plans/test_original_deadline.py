"""A moved deadline: the official state follows the current deadline; "late against the
original" stays visible in the upward report's task table and in the ranking's formula."""

import datetime
import io

import openpyxl
import pytest
from django.utils import translation

from tests.factories import TaskFactory
from theodoi.exports import bundle, report
from theodoi.exports import selectors as export_selectors
from theodoi.exports.xlsx import write_xlsx
from theodoi.plans.states import TaskState, late_against_original
from theodoi.ranking import scoring
from theodoi.ranking import selectors as ranking_selectors

D = datetime.date
ORIGINAL, MOVED = D(2026, 6, 30), D(2026, 9, 30)


@pytest.mark.parametrize(
    ("completed_on", "today", "expected"),
    [
        (D(2026, 8, 15), D(2026, 10, 1), True),  # done after the original, before the new
        (D(2026, 6, 1), D(2026, 10, 1), False),  # done before the original
        (D(2026, 10, 5), D(2026, 10, 10), False),  # done late anyway: the state says it
        (None, D(2026, 7, 15), True),  # open past the original, not yet due
        (None, D(2026, 6, 15), False),  # open, before both
        (None, D(2026, 10, 15), False),  # open and overdue: the state says it
    ],
)
def test_late_against_original(completed_on, today, expected):
    assert (
        late_against_original(
            due=MOVED, original_due=ORIGINAL, completed_on=completed_on, today=today
        )
        is expected
    )


def test_a_deadline_never_moved_is_never_late_against_an_original():
    assert not late_against_original(
        due=MOVED, original_due=None, completed_on=D(2026, 12, 1), today=D(2026, 12, 2)
    )


def test_the_report_row_says_both_and_keeps_the_official_state():
    row = report.TaskRow(
        id=1,
        code="1",
        title="Số hóa hồ sơ",
        section_id=None,
        parent_id=None,
        lead_units=(),
        coordinating_units=(),
        output="",
        deadline_text="30/9/2026",
        due=MOVED,
        progress=100,
        state=TaskState.DONE_ON_TIME.value,
        completed_on=D(2026, 8, 15),
        original_due=ORIGINAL,
        original_deadline_text="30/6/2026",
        late_against_original=True,
    )

    assert row.state == TaskState.DONE_ON_TIME
    assert row.state_text == (
        "Hoàn thành đúng hạn (theo hạn điều chỉnh); quá hạn so với hạn ban đầu (30/06/2026)"
    )
    assert row.deadline_shown == "30/9/2026 (điều chỉnh từ: 30/6/2026)"


@pytest.fixture
def moved(world, settings):
    settings.THEODOI_TODAY = "2026-10-15"
    return TaskFactory(
        plan=world.plan_a,
        code="9",
        title="Số hóa hồ sơ",
        deadline_text="30/9/2026",
        due_date=MOVED,
        original_due_date=ORIGINAL,
        original_deadline_text="30/6/2026",
        completed_on=D(2026, 8, 15),
        progress=100,
        lead_units=[world.police],
    )


def test_the_upward_excel_task_table_shows_the_original_deadline(world, moved):
    office = world.people.office
    data = export_selectors.report_data(
        office, world.plan_a, report.parse_report_period("2026-Q3"), today=D(2026, 10, 15)
    )
    row = next(t for t in data.tasks if t.id == moved.pk)
    assert row.state == TaskState.DONE_ON_TIME
    assert row.late_against_original

    blob = write_xlsx(data, evidence_names=bundle.evidence_names(bundle.entries(data)))
    sheet = openpyxl.load_workbook(io.BytesIO(blob))["Nhiệm vụ"]
    cells = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "9")
    assert cells[5] == "30/9/2026 (điều chỉnh từ: 30/6/2026)"
    assert "quá hạn so với hạn ban đầu" in cells[7]
    assert cells[7].startswith("Hoàn thành đúng hạn")
    text = report.assemble(data).sections
    assert any("quá hạn so với hạn ban đầu" in section.text for section in text)


def test_the_ranking_counts_it_on_time_and_its_formula_says_the_rest(world, moved):
    facts = {
        f.unit_name: f
        for f in ranking_selectors.unit_facts(
            world.people.leader,
            world.ward_a,
            today=D(2026, 10, 15),
            start=D(2026, 1, 1),
            end=D(2026, 12, 31),
        )
    }
    police = facts["Công an phường"]
    assert (police.tasks_due, police.done_on_time, police.done_late) == (1, 1, 0)
    assert police.done_late_against_original == 1

    with translation.override("vi"):
        score = scoring.score_unit(police, scoring.DEFAULT_SCALE)
    assert score.on_time_percent == 100
    assert (
        "trong đó 1 nhiệm vụ hoàn thành đúng hạn (theo hạn điều chỉnh); quá hạn so với hạn "
        "ban đầu" in score.formula
    )
