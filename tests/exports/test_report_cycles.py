"""Reports of a finer cycle than the periodic report's: each week and each month is summed up in
exactly one month, quarter or year. No database."""

import datetime

import pytest

from theodoi.exports import report
from theodoi.plans.periods import Period, parse_period

D = datetime.date


def task(id):
    return report.TaskRow(
        id=id,
        code=str(id),
        title=f"Nhiệm vụ {id}",
        section_id=None,
        parent_id=None,
        lead_units=("Phòng Văn hóa - Xã hội",),
        coordinating_units=(),
        output="",
        deadline_text="",
        due=None,
        progress=0,
        state="open_not_due",
    )


def result_for(reports, period_text):
    period = report.parse_report_period(period_text)
    [row] = report.attach_reports([task(1)], reports, period)
    return row


def week(text, result="", **extra):
    return report.ReportFacts(1, text, 50, result=result, **extra)


@pytest.mark.parametrize(
    ("week_text", "inside", "outside"),
    [
        # 27/4–3/5/2026: four days in April, three in May.
        ("2026-W18", "2026-04", "2026-05"),
        # 30/3–5/4/2026: three days in March, four in April, so April and the second quarter.
        ("2026-W14", "2026-04", "2026-03"),
        ("2026-W14", "2026-Q2", "2026-Q1"),
        # 29/6–5/7/2026: the third quarter and the second half.
        ("2026-W27", "2026-Q3", "2026-Q2"),
        ("2026-W27", "2026-H2", "2026-H1"),
        # 29/12/2025–4/1/2026 is week 1 of 2026, and summed up in 2026.
        ("2026-W01", "2026-01", "2025-12"),
        ("2026-W01", "2026", "2025"),
        # 28/12/2020–3/1/2021 is week 53 of 2020, and stays in 2020.
        ("2020-W53", "2020", "2021"),
        ("2020-W53", "2020-12", "2021-01"),
    ],
)
def test_a_week_is_summed_up_once_where_most_of_its_days_are(week_text, inside, outside):
    reports = [week(week_text, result=week_text)]
    assert result_for(reports, inside).result == week_text
    assert result_for(reports, outside).result == ""


def test_the_quarter_takes_the_last_week_that_falls_in_it_not_the_straddling_one():
    reports = [
        week("2026-W13", result="Tuần 13"),  # 23–29/3
        week("2026-W14", result="Tuần 14"),  # 30/3–5/4: mostly April
    ]
    assert result_for(reports, "2026-Q1").result == "Tuần 13"
    assert result_for(reports, "2026-Q2").result == "Tuần 14"


def test_a_month_is_summed_up_in_its_own_quarter_only():
    reports = [report.ReportFacts(1, "2026-03", 40, result="Tháng 3")]
    assert result_for(reports, "2026-Q1").result == "Tháng 3"
    assert result_for(reports, "2026-Q2").result == ""
    assert result_for(reports, "2026-03").result == "Tháng 3"


def test_a_weeks_proposals_are_not_repeated_in_the_next_month():
    reports = [week("2026-W18", result="Tuần 18", proposals="Bổ sung máy tính")]
    assert result_for(reports, "2026-04").proposals == ("Bổ sung máy tính",)
    assert result_for(reports, "2026-05").proposals == ()


def test_the_reason_for_delay_comes_from_weeks_summed_up_by_the_period_end():
    reports = [
        week("2026-W17", difficulties="Thiếu kinh phí"),  # 20–26/4
        week("2026-W18", difficulties="Chờ hướng dẫn"),  # 27/4–3/5, summed up in April
        week("2026-W19", difficulties="Sau kỳ"),  # 4–10/5
    ]
    assert result_for(reports, "2026-04").difficulties == "Chờ hướng dẫn"
    assert result_for(reports, "2026-03").difficulties == ""


def test_a_coarser_report_still_speaks_for_every_month_it_covers():
    """A unit that reports by quarter gave no word about February but the quarter's."""
    reports = [report.ReportFacts(1, "2026-Q1", 60, result="Quý I")]
    for month in ("2026-01", "2026-02", "2026-03"):
        assert result_for(reports, month).result == "Quý I"
    assert result_for(reports, "2026-04").result == ""


def test_the_anchor_of_a_week_is_its_thursday():
    assert report.anchor_day(parse_period("2026-W14", "weekly")) == D(2026, 4, 2)
    assert report.anchor_day(Period("quarterly", 2026, 2)) == D(2026, 4, 1)
