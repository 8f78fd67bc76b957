"""The rule of a ward's periodic report to the level above not sent in time: pure, no
database."""

import datetime

from theodoi.alerts import rules

D = datetime.date
START = D(2026, 1, 15)


def facts(today, sent=(), start=START, cycle="quarterly", due_days=10, soon=14):
    return rules.UpwardFacts(
        today=today,
        start=start,
        cycle=cycle,
        due_days=due_days,
        sent_periods=frozenset(sent),
        due_soon_days=soon,
    )


def test_not_late_on_the_due_day_late_the_day_after():
    # Q1/2026 ends 31/03, due 10 days later: 10/04.
    on_due_day = rules.upward_reports(facts(D(2026, 4, 10)))
    assert [f.rule for f in on_due_day] == [rules.Rule.UPWARD_REPORT_DUE_SOON]
    assert (
        "hôm nay đến hạn"
        in rules.shown_reason(rules.combine(on_due_day).reasons[0], D(2026, 4, 10))[0]
    )
    late = rules.upward_reports(facts(D(2026, 4, 11)))
    assert [(f.rule, f.key) for f in late] == [(rules.Rule.UPWARD_REPORT_LATE, "2026-Q1")]
    assert late[0].numbers == {"period": "2026-Q1", "due_on": "2026-04-10"}
    assert "Quý I/2026" in late[0].message and "10/04/2026" in late[0].message


def test_due_soon_only_within_the_warning_days():
    # Q2 is due 10/07: 24 days before it nothing, 14 days before it a warning.
    sent_q1 = ["2026-Q1"]
    assert rules.upward_reports(facts(D(2026, 6, 16), sent_q1)) == []
    soon = rules.upward_reports(facts(D(2026, 6, 26), sent_q1))
    left = [rules.shown_numbers(f.rule, f.numbers, D(2026, 6, 26))["days_left"] for f in soon]
    assert [(f.rule, f.key) for f in soon] == [(rules.Rule.UPWARD_REPORT_DUE_SOON, "2026-Q2")]
    assert left == [14]


def test_a_sent_period_raises_nothing():
    assert rules.upward_reports(facts(D(2026, 10, 20), ["2026-Q1", "2026-Q2", "2026-Q3"])) == []
    left = rules.upward_reports(facts(D(2026, 10, 20), ["2026-Q1", "2026-Q3"]))
    assert [f.key for f in left] == ["2026-Q2"]


def test_monthly_cycle_and_the_plans_start():
    found = rules.upward_reports(facts(D(2026, 4, 20), cycle="monthly", start=D(2026, 2, 3)))
    # February and March are late (due 10/03 and 10/04); April is running, not yet due soon.
    assert [(f.rule, f.key) for f in found] == [
        (rules.Rule.UPWARD_REPORT_LATE, "2026-02"),
        (rules.Rule.UPWARD_REPORT_LATE, "2026-03"),
    ]
    assert rules.upward_reports(facts(D(2026, 1, 1), start=D(2026, 2, 1))) == []


def test_several_late_periods_make_one_reason_and_the_alert_is_urgent():
    combined = rules.combine(rules.upward_reports(facts(D(2026, 10, 5))))
    assert combined is not None
    assert combined.rule == rules.Rule.UPWARD_REPORT_LATE
    assert combined.severity == rules.Severity.HIGH
    late, soon = combined.reasons
    assert late["keys"] == ["2026-Q1", "2026-Q2"]
    assert late["numbers"]["due_on"] == ["2026-04-10", "2026-07-10"]
    assert "Quý I, Quý II/2026" in late["message"]
    assert soon["rule"] == rules.Rule.UPWARD_REPORT_DUE_SOON and soon["keys"] == ["2026-Q3"]
    # Once every period is sent, nothing holds: the alert closes.
    sent = ["2026-Q1", "2026-Q2", "2026-Q3"]
    assert rules.combine(rules.upward_reports(facts(D(2026, 10, 5), sent))) is None
