"""The six alert rules (DESIGN.md §4) as pure functions: each fires when its condition holds and
stays silent otherwise."""

import datetime
from decimal import Decimal

import pytest

from theodoi.alerts import rules
from theodoi.alerts.rules import EvidenceFacts, IndicatorFacts, Rule, TaskFacts

D = datetime.date


def at(day: str, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{hour:02d}:00:00+07:00")


def task(**changes) -> TaskFacts:
    base = {
        "today": D(2026, 11, 24),
        "due": D(2026, 12, 31),
        "start": D(2026, 1, 1),
        "progress": 90,
        "reporting_cycle": "quarterly",
        "reported_periods": frozenset({"2026-Q1", "2026-Q2", "2026-Q3"}),
    }
    base.update(changes)
    return TaskFacts(**base)


def rules_of(findings) -> set[str]:
    return {finding.rule.value for finding in findings}


@pytest.mark.parametrize(
    ("facts", "fires"),
    [
        (task(due=D(2026, 11, 23), progress=40), True),
        (task(due=D(2026, 9, 30), progress=100, completed_on=None), True),
        (task(due=D(2026, 11, 24)), False),  # due today is not yet past due
        (task(due=D(2026, 9, 30), completed_on=D(2026, 10, 2)), False),  # done late, not open
        (task(due=None), False),  # no deadline, never late
    ],
)
def test_overdue(facts, fires):
    assert (rules.overdue(facts) is not None) is fires


def test_overdue_says_how_late_and_how_far():
    finding = rules.overdue(task(today=D(2026, 7, 12), due=D(2026, 6, 30), progress=40))
    # Stored without the count, which would change every day; counted when shown.
    assert finding.message == "Quá hạn (hạn 30/06/2026), tiến độ 40%."
    assert finding.numbers == {"due": "2026-06-30", "progress": 40}
    reason = rules.combine([finding]).reasons[0]
    assert rules.shown_reason(reason, D(2026, 7, 12))[0] == (
        "Quá hạn 12 ngày (hạn 30/06/2026), tiến độ 40%."
    )
    assert rules.shown_numbers("overdue", finding.numbers, D(2026, 7, 13))["days_late"] == 13


# A task from 1/1 to 11/4/2026 (100 days) seen on 2/3/2026 (day 60) should be at 60 %; it reports
# monthly, so its first period (January) is over and it is judged.
SIXTY = {
    "start": D(2026, 1, 1),
    "due": D(2026, 4, 11),
    "today": D(2026, 3, 2),
    "reporting_cycle": "monthly",
}


@pytest.mark.parametrize(
    ("facts", "fires"),
    [
        (task(**SIXTY, progress=20), True),  # the case: 20 % when 60 % is expected
        (task(**SIXTY, progress=29), True),
        (task(**SIXTY, progress=30), False),  # exactly half is not behind
        (task(**SIXTY, progress=100), False),
        (task(**SIXTY, progress=0, completed_on=D(2026, 2, 1)), False),  # complete
        (task(start=D(2026, 3, 2), due=D(2026, 4, 11), today=D(2026, 3, 2), progress=0), False),
        (task(start=None, due=D(2026, 4, 11), progress=0), False),  # expected unknown
        (task(due=None, progress=0), False),
        (task(start=D(2026, 1, 1), due=D(2026, 6, 30), today=D(2026, 8, 1), progress=10), True),
    ],
)
def test_behind_schedule(facts, fires):
    assert (rules.behind_schedule(facts) is not None) is fires
    # The ward board's cheaper question gives the same answer, with the progress expected.
    expected = rules.behind_expected(facts)
    assert (expected is not None) is fires
    if fires:
        finding = rules.behind_schedule(facts)
        shown = rules.shown_numbers(finding.rule, finding.numbers, facts.today)
        assert round(expected, 1) == shown["expected"]


def test_behind_schedule_carries_expected_progress():
    finding = rules.behind_schedule(task(**SIXTY, progress=20))
    assert finding.numbers["progress"] == 20
    assert (
        rules.shown_numbers("behind_schedule", finding.numbers, SIXTY["today"])["expected"] == 60.0
    )
    shown = rules.shown_reason(rules.combine([finding]).reasons[0], SIXTY["today"])[0]
    assert "mới đạt 20%" in shown and "khoảng 60%" in shown
    assert "khoảng" not in finding.message  # the stored text does not change day by day


def evidence(id, decision, uploaded, reviewed=None, reason="", replaces=None) -> EvidenceFacts:
    return EvidenceFacts(
        replaces=replaces,
        id=id,
        name=f"minh-chung-{id}.pdf",
        uploaded_at=at(uploaded),
        decision=decision,
        reason=reason,
        reviewed_at=at(reviewed) if reviewed else None,
        reviewed_on=D.fromisoformat(reviewed) if reviewed else None,
        review_id=id,
    )


@pytest.mark.parametrize(
    ("files", "fires"),
    [
        ((), False),
        ((evidence(1, None, "2026-10-01"),), False),  # not reviewed yet
        ((evidence(1, "rejected", "2026-10-01", "2026-10-03", "Thiếu chữ ký"),), True),
        ((evidence(1, "accepted", "2026-10-01", "2026-10-03"),), False),
        (  # a file that replaces the rejected one is accepted
            (
                evidence(1, "rejected", "2026-10-01", "2026-10-03", "Mờ"),
                evidence(2, "accepted", "2026-10-05", "2026-10-06", replaces=1),
            ),
            False,
        ),
        (  # an unrelated file of the task is accepted: the rejected one still needs answering
            (
                evidence(1, "rejected", "2026-10-01", "2026-10-03", "Mờ"),
                evidence(2, "accepted", "2026-10-05", "2026-10-06"),
            ),
            True,
        ),
        (  # the replacement was rejected too, and its own replacement accepted
            (
                evidence(1, "rejected", "2026-10-01", "2026-10-03", "Mờ"),
                evidence(2, "rejected", "2026-10-05", "2026-10-06", "Vẫn mờ", replaces=1),
                evidence(3, "accepted", "2026-10-07", "2026-10-08", replaces=2),
            ),
            False,
        ),
        (  # a new file uploaded but not yet reviewed: the rejection still stands
            (
                evidence(1, "rejected", "2026-10-01", "2026-10-03", "Mờ"),
                evidence(2, None, "2026-10-05"),
            ),
            True,
        ),
        (  # an accepted file, then a later file rejected
            (
                evidence(1, "accepted", "2026-10-01", "2026-10-02"),
                evidence(2, "rejected", "2026-10-05", "2026-10-06", "Sai nội dung"),
            ),
            True,
        ),
        (  # the office rejects an old file after accepting its replacement: answered
            (
                evidence(1, "rejected", "2026-10-01", "2026-10-09", "Cũ"),
                evidence(2, "accepted", "2026-10-05", "2026-10-06", replaces=1),
            ),
            False,
        ),
    ],
)
def test_evidence_rejected(files, fires):
    assert (rules.evidence_rejected(task(evidence=files)) is not None) is fires


def test_evidence_rejected_gives_the_reason():
    finding = rules.evidence_rejected(
        task(evidence=(evidence(7, "rejected", "2026-10-01", "2026-10-03", "Thiếu chữ ký"),))
    )
    assert finding.numbers["files"] == [
        {
            "evidence": 7,
            "file": "minh-chung-7.pdf",
            "reason": "Thiếu chữ ký",
            "reviewed_on": "2026-10-03",
        }
    ]
    assert "Lý do: Thiếu chữ ký." in finding.message


def test_several_rejected_files_are_one_finding_listing_them():
    finding = rules.evidence_rejected(
        task(
            evidence=(
                evidence(1, "rejected", "2026-10-01", "2026-10-03", "Mờ"),
                evidence(2, "rejected", "2026-10-02", "2026-10-04", "Thiếu chữ ký"),
                evidence(3, "rejected", "2026-10-05", "2026-10-06", "Vẫn mờ", replaces=1),
            )
        )
    )
    # File 1 is answered by its replacement's row (3), which is still rejected.
    assert [item["evidence"] for item in finding.numbers["files"]] == [2, 3]
    assert finding.message == (
        "2 minh chứng bị đánh giá không hợp lệ: «minh-chung-2.pdf» (Thiếu chữ ký); "
        "«minh-chung-3.pdf» (Vẫn mờ). Cần bổ sung minh chứng thay thế."
    )


MONTHLY = {"reporting_cycle": "monthly", "report_due_days": 5, "start": D(2026, 1, 1)}


@pytest.mark.parametrize(
    ("facts", "missing"),
    [
        # On 10/3 January and February have ended and their reports were due on 5/2 and 5/3.
        (
            task(**MONTHLY, today=D(2026, 3, 10), reported_periods=frozenset()),
            ["2026-01", "2026-02"],
        ),
        (
            task(**MONTHLY, today=D(2026, 3, 10), reported_periods=frozenset({"2026-02"})),
            ["2026-01"],
        ),
        (
            task(**MONTHLY, today=D(2026, 3, 5), reported_periods=frozenset()),
            ["2026-01"],
        ),  # due today
        (task(**MONTHLY, today=D(2026, 1, 31), reported_periods=frozenset()), []),  # not ended
        (
            task(
                **MONTHLY,
                today=D(2026, 3, 10),
                reported_periods=frozenset(),
                completed_on=D(2026, 2, 1),
            ),
            [],
        ),
        (
            task(**MONTHLY, today=D(2026, 3, 10), reported_periods=frozenset(), has_subtasks=True),
            [],
        ),
        (
            task(**{**MONTHLY, "start": None}, today=D(2026, 3, 10), reported_periods=frozenset()),
            [],
        ),
        (
            task(
                **{**MONTHLY, "start": D(2026, 2, 15)},
                today=D(2026, 3, 10),
                reported_periods=frozenset(),
            ),
            ["2026-02"],
        ),
        (
            task(today=D(2026, 11, 24), reported_periods=frozenset({"2026-Q1", "2026-Q3"})),
            ["2026-Q2"],
        ),
    ],
)
def test_missing_reports(facts, missing):
    assert [finding.key for finding in rules.missing_reports(facts)] == missing


def test_missing_report_names_the_period():
    (finding,) = rules.missing_reports(
        task(**MONTHLY, today=D(2026, 2, 10), reported_periods=frozenset())
    )
    assert finding.rule is Rule.MISSING_REPORT
    # The due day, not a count of days that would change the alert every day.
    assert finding.message == "Chưa có báo cáo Tháng 1/2026 (hạn nộp 05/02/2026)."
    assert finding.numbers == {"period": "2026-01", "report_due": "2026-02-05"}


@pytest.mark.parametrize(
    ("facts", "fires"),
    [
        (task(due=D(2026, 12, 8)), True),  # 14 days left
        (task(due=D(2026, 12, 9)), False),  # 15 days left
        (task(due=D(2026, 12, 9), due_soon_days=30), True),
        (task(due=D(2026, 11, 24)), True),  # due today
        (task(due=D(2026, 11, 23)), False),  # past due: overdue instead
        (task(due=D(2026, 12, 1), completed_on=D(2026, 11, 20)), False),
        (task(due=None), False),
    ],
)
def test_due_soon(facts, fires):
    assert (rules.due_soon(facts) is not None) is fires


def test_due_soon_message():
    finding = rules.due_soon(task(due=D(2026, 11, 29), progress=40))
    shown = rules.shown_reason(rules.combine([finding]).reasons[0], D(2026, 11, 24))[0]
    assert shown == "Sắp đến hạn: còn 5 ngày đến hạn (29/11/2026), tiến độ 40%."
    assert rules.shown_reason(rules.combine([finding]).reasons[0], D(2026, 11, 29))[0] == (
        "Sắp đến hạn: đến hạn hôm nay (29/11/2026), tiến độ 40%."
    )


def test_all_task_rules_together():
    facts = task(due=D(2026, 9, 30), progress=10, reported_periods=frozenset({"2026-Q1"}))
    assert rules_of(rules.task_findings(facts)) == {"overdue", "behind_schedule", "missing_report"}
    assert rules.task_findings(task(completed_on=D(2026, 10, 1), progress=100)) == []


def indicator(comparator, values, **changes) -> IndicatorFacts:
    base = {
        "today": D(2026, 11, 24),
        "comparator": comparator,
        "values": [(period, Decimal(value)) for period, value in values],
        "milestones": {2025: Decimal(50), 2026: Decimal(80), 2027: Decimal(90)},
        "unit_of_measure": "%",
    }
    base.update(changes)
    return IndicatorFacts(**base)


@pytest.mark.parametrize(
    ("facts", "fires"),
    [
        (indicator(">=", [("2026-Q3", "75")]), True),
        (indicator(">=", [("2026-Q3", "80")]), False),
        (indicator(">=", [("2026-Q2", "60"), ("2026-Q3", "85")]), False),  # latest counts
        (indicator(">=", [("2026-Q3", "85"), ("2026-Q2", "60")]), False),  # in any order
        (indicator(">=", [("2026-Q2", "85"), ("2026-Q3", "60")]), True),
        (indicator(">", [("2026-Q3", "80")]), True),  # "trên 80%" is not met by 80
        (indicator("<=", [("2026-Q3", "81")]), True),  # lower is better: above misses
        (indicator("<=", [("2026-Q3", "80")]), False),
        (indicator("<", [("2026-Q3", "80")]), True),
        (indicator("<", [("2026-Q3", "79.5")]), False),
        (indicator("=", [("2026-Q3", "79")]), True),
        (indicator("=", [("2026-Q3", "80")]), False),
        (indicator(">=", []), False),  # nothing measured yet
        (indicator(">=", [("2026-Q3", "10")], milestones={}), False),  # no milestone, no target
        (  # no milestone this year, but the target is due this year
            indicator(
                ">=", [("2026-Q3", "10")], milestones={}, target=Decimal(40), target_year=2026
            ),
            True,
        ),
        (
            indicator(
                ">=", [("2026-Q3", "10")], milestones={}, target=Decimal(40), target_year=2030
            ),
            False,
        ),
        (indicator(">=", [("2026-Q2", "70"), ("2026-11", "90")]), False),  # by date, not spelling
    ],
)
def test_indicator_off_track(facts, fires):
    assert (rules.indicator_off_track(facts) is not None) is fires


def test_indicator_off_track_message_in_vietnamese_numbers():
    finding = rules.indicator_off_track(
        indicator(
            ">=", [("2026-Q3", "1150.5")], milestones={2026: Decimal(1200)}, unit_of_measure="hộ"
        )
    )
    assert finding.message == (
        "Chưa đạt lộ trình năm 2026: Quý III/2026 đạt 1.150,5 hộ, yêu cầu ≥ 1.200 hộ."
    )
    assert finding.numbers == {
        "period": "2026-Q3",
        "value": 1150.5,
        "expected": 1200,
        "comparator": ">=",
        "year": 2026,
    }


@pytest.mark.parametrize(
    ("value", "text"),
    [(Decimal("1200"), "1.200"), (Decimal("2.5"), "2,5"), (Decimal("0.333"), "0,33"), (7, "7")],
)
def test_vietnamese_number_format(value, text):
    assert rules.format_number(value) == text
