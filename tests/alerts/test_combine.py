"""One alert per task or indicator (DESIGN.md §4): the pure combiner that turns a subject's
findings into one alert with ordered reasons, a summary, a severity and the most urgent rule,
and the test of whether its reasons got worse."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from theodoi.alerts import rules
from theodoi.alerts.rules import Finding, Rule

OVERDUE = Finding(
    Rule.OVERDUE,
    "",
    {"due": "2026-09-30", "days_late": 5, "progress": 40},
    "Quá hạn 5 ngày (hạn 30/09/2026), tiến độ 40%.",
)
BEHIND = Finding(
    Rule.BEHIND_SCHEDULE,
    "",
    {"progress": 40, "expected": 100.0, "start": "2026-01-01", "due": "2026-09-30"},
    "Chậm tiến độ: mới đạt 40%, theo kế hoạch đến nay cần khoảng 100% (hạn 30/09/2026).",
)


def missing(period: str, due: str) -> Finding:
    return Finding(
        Rule.MISSING_REPORT,
        period,
        {"period": period, "report_due": due},
        f"Chưa có báo cáo {period}.",
    )


Q1, Q2, Q3 = (
    missing("2026-Q1", "2026-04-05"),
    missing("2026-Q2", "2026-07-05"),
    missing("2026-Q3", "2026-10-05"),
)


def test_nothing_holds_means_no_alert():
    assert rules.combine([]) is None


def test_the_issue_example_reads_as_one_line_most_urgent_first():
    # Given in any order, the reasons come out in the order of urgency.
    combined = rules.combine([BEHIND, Q1, Q2, OVERDUE, Q3])
    assert combined.message == "Quá hạn · thiếu báo cáo 3 kỳ · chậm tiến độ"
    shown, _texts = rules.shown(combined.reasons, combined.message, datetime.date(2026, 10, 5))
    assert shown == "Quá hạn 5 ngày · thiếu báo cáo 3 kỳ · chậm tiến độ"
    assert combined.rule is Rule.OVERDUE
    assert combined.severity is rules.Severity.HIGH
    assert [reason["rule"] for reason in combined.reasons] == [
        "overdue",
        "missing_report",
        "behind_schedule",
    ]
    assert combined.numbers == OVERDUE.numbers


def test_missing_reports_collapse_into_one_reason_with_the_year_once():
    combined = rules.combine([Q1, Q2, Q3])
    (reason,) = combined.reasons
    assert reason["message"] == "Thiếu báo cáo 3 kỳ (Quý I, Quý II, Quý III/2026)."
    assert reason["keys"] == ["2026-Q1", "2026-Q2", "2026-Q3"]
    assert reason["numbers"]["report_due"] == ["2026-04-05", "2026-07-05", "2026-10-05"]
    assert combined.severity is rules.Severity.MEDIUM


def test_periods_of_two_years_keep_their_years():
    combined = rules.combine([missing("2025-Q4", "2026-01-05"), Q1])
    assert combined.reasons[0]["message"] == "Thiếu báo cáo 2 kỳ (Quý IV/2025, Quý I/2026)."


def test_one_reason_keeps_its_whole_sentence():
    combined = rules.combine([BEHIND])
    assert combined.message == BEHIND.message
    assert combined.rule is Rule.BEHIND_SCHEDULE


def test_no_lead_unit_comes_first():
    no_lead = Finding(Rule.NO_LEAD_UNIT, "", {"due": None}, "Nhiệm vụ chưa được giao…")
    combined = rules.combine([BEHIND, no_lead])
    assert combined.rule is Rule.NO_LEAD_UNIT
    assert combined.message.startswith("Chưa có đơn vị chủ trì · ")


ALL = [OVERDUE, BEHIND, Q1, Q2, Q3]


@given(st.lists(st.sampled_from(range(len(ALL))), min_size=1, unique=True))
def test_any_findings_make_one_alert_ordered_by_urgency(indexes):
    findings = [ALL[index] for index in indexes]
    combined = rules.combine(findings)
    order = [rules.URGENCY.index(Rule(reason["rule"])) for reason in combined.reasons]
    assert order == sorted(order) and len(set(order)) == len(order)
    assert combined.rule.value == combined.reasons[0]["rule"]
    assert {reason["rule"] for reason in combined.reasons} == {f.rule.value for f in findings}
    # The rules give the periods in their order; the other rules may come in any order and
    # make the same alert, so nothing is rewritten for it.
    periods = [f for f in findings if f.rule is Rule.MISSING_REPORT]
    others = [f for f in findings if f.rule is not Rule.MISSING_REPORT]
    assert rules.combine(list(reversed(others)) + periods).reasons == combined.reasons


def test_a_new_reason_or_period_is_worse_and_growing_day_counts_are_not():
    before = rules.combine([OVERDUE, Q1]).reasons
    later = Finding(Rule.OVERDUE, "", {**OVERDUE.numbers, "days_late": 30}, "Quá hạn 30 ngày.")
    assert not rules.got_worse(before, rules.combine([later, Q1]).reasons)
    assert not rules.got_worse(before, rules.combine([OVERDUE]).reasons)  # one fewer
    assert rules.got_worse(before, rules.combine([OVERDUE, Q1, Q2]).reasons)
    assert rules.got_worse(before, rules.combine([OVERDUE, Q1, BEHIND]).reasons)


def test_a_new_rejected_file_is_worse():
    def rejected(*ids):
        return Finding(
            Rule.EVIDENCE_REJECTED,
            "",
            {"files": [{"evidence": i, "file": f"{i}.pdf"} for i in ids]},
            "…",
        )

    one = rules.combine([rejected(1)]).reasons
    assert not rules.got_worse(one, rules.combine([rejected(1)]).reasons)
    assert rules.got_worse(one, rules.combine([rejected(1, 2)]).reasons)
    assert rules.combine([rejected(1, 2)]).message.startswith("…")
    assert rules.combine([rejected(1, 2), BEHIND]).message == (
        "2 minh chứng không hợp lệ · chậm tiến độ"
    )
