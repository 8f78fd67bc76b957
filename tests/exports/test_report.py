"""The report's content from plain data: periods, picking the reports of the period, the
numbers, the indicators and the words. No database."""

import datetime
from decimal import Decimal

import pytest

from theodoi.exports import report
from theodoi.plans.periods import Period

D = datetime.date


def task(id, state, *, section=None, parent=None, progress=0, due=None, **extra):
    return report.TaskRow(
        id=id,
        code=extra.pop("code", str(id)),
        title=extra.pop("title", f"Nhiệm vụ {id}"),
        section_id=section,
        parent_id=parent,
        lead_units=extra.pop("lead_units", ("Phòng Văn hóa - Xã hội",)),
        coordinating_units=(),
        output="",
        deadline_text=extra.pop("deadline_text", ""),
        due=due,
        progress=progress,
        state=state,
        **extra,
    )


PLAN = report.PlanFacts(
    id=7,
    number="110/KH-UBND",
    title="Thực hiện Nghị quyết số 57-NQ/TW năm 2026",
    issuer="UBND phường Lê Chân",
    issuer_kind=report.PEOPLES_COMMITTEE,
    issued_on=D(2026, 3, 25),
    ward="Phường Lê Chân",
    province="Thành phố Hải Phòng",
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03", Period("monthly", 2026, 3)),
        ("2026-Q1", Period("quarterly", 2026, 1)),
        ("2026-q3", Period("quarterly", 2026, 3)),
        ("2026-H1", Period("half_yearly", 2026, 1)),
        ("2026", Period("yearly", 2026, 1)),
    ],
)
def test_a_report_period_is_a_month_quarter_half_or_year(text, expected):
    assert report.parse_report_period(text) == expected


@pytest.mark.parametrize("text", ["2026-W14", "2026-13", "2026-Q5", "quý 1", ""])
def test_other_periods_are_refused_with_the_forms_to_use(text):
    with pytest.raises(report.ReportError, match="2026-Q1"):
        report.parse_report_period(text)


def test_states_are_counted_at_the_end_of_a_past_period_and_today_in_a_running_one():
    quarter = Period("quarterly", 2026, 3)
    assert report.as_of_day(quarter, D(2026, 10, 10)) == D(2026, 9, 30)
    assert report.as_of_day(quarter, D(2026, 8, 1)) == D(2026, 8, 1)
    with pytest.raises(report.ReportError, match="chưa bắt đầu"):
        report.as_of_day(quarter, D(2026, 6, 30))


def test_the_result_is_the_latest_report_of_the_period_and_the_reason_may_be_older():
    reports = [
        report.ReportFacts(1, "2026-Q2", 30, result="Quý II", difficulties="Thiếu người"),
        report.ReportFacts(1, "2026-07", 40, result="Tháng 7", proposals="Bổ sung người"),
        report.ReportFacts(1, "2026-08", 50, result="Tháng 8", proposals="Bổ sung người"),
        report.ReportFacts(1, "2026-Q4", 90, result="Quý IV", difficulties="Sau kỳ"),
    ]
    [row] = report.attach_reports([task(1, "open_overdue")], reports, Period("quarterly", 2026, 3))
    assert row.result == "Tháng 8"
    assert row.difficulties == "Thiếu người"  # the later "Sau kỳ" is after the period
    assert row.proposals == ("Bổ sung người",)  # the same proposal twice is said once


def test_state_counts_follow_the_official_order_with_shares():
    rows = [task(1, "done_on_time"), task(2, "open_overdue"), task(3, "open_overdue")]
    counts = report.state_counts(rows)
    assert [(c.label, c.count, c.percent_text) for c in counts] == [
        ("Hoàn thành đúng hạn", 1, "33,3%"),
        ("Hoàn thành quá hạn", 0, "0%"),
        ("Chưa hoàn thành trong hạn", 0, "0%"),
        ("Chưa hoàn thành quá hạn", 2, "66,7%"),
    ]
    assert counts[3].share == pytest.approx(2 / 3)


def test_section_progress_is_the_mean_of_its_top_level_tasks():
    data = report.ReportData(
        plan=PLAN,
        period=Period("quarterly", 2026, 3),
        as_of=D(2026, 9, 30),
        today=D(2026, 10, 10),
        sections=(report.SectionFacts(1, "I", "Nhận thức"),),
        tasks=report.with_depth(
            [
                task(1, "open_not_due", section=1, progress=50),
                task(2, "open_not_due", section=1, parent=1, progress=100),  # rolled up in 1
                task(3, "done_on_time", section=1, progress=100),
                task(4, "open_not_due", progress=10),  # no section
            ]
        ),
        indicators=(),
    )
    first, other = report.section_results(data)
    assert (first.heading, len(first.tasks), first.mean_progress) == ("I. Nhận thức", 3, 75)
    assert (other.title, [t.id for t in other.tasks]) == ("Nhiệm vụ khác", [4])
    assert [t.depth for t in first.tasks] == [0, 1, 0]


def indicator(comparator=">=", values=(), milestones=None, target=None, target_year=None):
    return report.IndicatorInput(
        id=1,
        code="1",
        name="Chỉ tiêu",
        unit_of_measure="%",
        comparator=comparator,
        baseline=None,
        baseline_year=None,
        baseline_text="",
        milestones=milestones or {},
        target=target,
        target_year=target_year,
        target_text="",
        values=tuple((p, Decimal(v)) for p, v in values),
    )


def test_an_indicator_is_judged_on_its_latest_value_up_to_the_period_end():
    quarter = Period("quarterly", 2026, 2)
    row = report.assess_indicator(
        indicator(
            values=[("2026-Q1", 50), ("2026-Q2", 65), ("2026-Q3", 10)], milestones={2026: 60}
        ),
        period=quarter,
        as_of=D(2026, 6, 30),
    )
    assert (row.latest, row.latest_period, row.milestone, row.status) == (
        Decimal(65),
        "2026-Q2",
        Decimal(60),
        report.ON_TRACK,
    )


def test_lower_is_better_indicators_are_off_track_above_the_milestone():
    row = report.assess_indicator(
        indicator("<=", values=[("2026-Q1", 12)], target=Decimal(10), target_year=2026),
        period=Period("quarterly", 2026, 1),
        as_of=D(2026, 3, 31),
    )
    assert (row.milestone, row.status, row.status_vi) == (
        Decimal(10),
        report.OFF_TRACK,
        "Chưa đạt lộ trình",
    )


def test_an_indicator_without_values_or_without_a_milestone_says_so():
    period, as_of = Period("yearly", 2026, 1), D(2026, 12, 31)
    empty = report.assess_indicator(indicator(milestones={2026: 1}), period=period, as_of=as_of)
    unplanned = report.assess_indicator(
        indicator(values=[("2026", 3)], milestones={2027: 5}), period=period, as_of=as_of
    )
    assert (empty.status, unplanned.status) == (report.NO_DATA, report.NO_MILESTONE)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 1, 5), "Phường Lê Chân, ngày 05 tháng 01 năm 2026"),
        (D(2026, 2, 28), "Phường Lê Chân, ngày 28 tháng 02 năm 2026"),
        (D(2026, 11, 9), "Phường Lê Chân, ngày 09 tháng 11 năm 2026"),
        (D(2026, 3, 25), "Phường Lê Chân, ngày 25 tháng 3 năm 2026"),
    ],
)
def test_dates_are_written_as_nghi_dinh_30_asks(day, expected):
    assert report.vietnamese_date("Phường Lê Chân", day) == expected


def test_overdue_tasks_are_listed_with_units_deadline_and_the_units_reason():
    data = report.ReportData(
        plan=PLAN,
        period=Period("quarterly", 2026, 3),
        as_of=D(2026, 9, 30),
        today=D(2026, 10, 10),
        sections=(),
        tasks=(
            task(
                1,
                "open_overdue",
                code="1.2",
                title="Bồi dưỡng kỹ năng số",
                due=D(2026, 8, 31),
                deadline_text="Tháng 8/2026",
                progress=40,
                difficulties="Thiếu kinh phí",
            ),
            task(2, "open_overdue", code="2", title="Lắp camera", lead_units=()),
        ),
        indicators=(),
    )
    text = report.assemble(data).shortcomings
    assert "Còn 2 nhiệm vụ chưa hoàn thành quá hạn:" in text
    assert (
        "- 1.2. Bồi dưỡng kỹ năng số (đơn vị chủ trì: Phòng Văn hóa - Xã hội; thời hạn: "
        "Tháng 8/2026 (31/08/2026); tiến độ 40%). Lý do: Thiếu kinh phí." in text
    )
    assert "- 2. Lắp camera (đơn vị chủ trì: chưa phân công" in text
    assert "Lý do: Đơn vị chưa báo cáo lý do." in text


def test_the_heading_of_each_format():
    base = report.ReportData(
        plan=PLAN,
        period=Period("half_yearly", 2026, 1),
        as_of=D(2026, 6, 30),
        today=D(2026, 7, 3),
        sections=(),
        tasks=(),
        indicators=(),
    )
    committee = report.assemble(base)
    assert committee.issuing_body == "ỦY BAN NHÂN DÂN\nPHƯỜNG LÊ CHÂN"
    assert committee.number_line.startswith("Số: ") and committee.number_line.endswith("/BC-UBND")
    assert committee.subject == (
        "Kết quả thực hiện Kế hoạch số 110/KH-UBND ngày 25/03/2026, 6 tháng đầu năm 2026"
    )
    assert (committee.signer_authority, committee.signer_title) == (
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
    )
    assert committee.recipient_lines[0] == "- UBND thành phố Hải Phòng (để báo cáo);"

    party_plan = report.PlanFacts(
        **{**PLAN.__dict__, "issuer_kind": report.PARTY, "number": "KH/ĐU"}
    )
    party = report.assemble(report.ReportData(**{**base.__dict__, "plan": party_plan}))
    assert (party.parent_body, party.issuing_body) == (
        "ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG",
        "ĐẢNG ỦY PHƯỜNG LÊ CHÂN",
    )
    assert party.number_line.startswith("Số ") and party.number_line.endswith("-BC/ĐU")
    assert party.national_title == ("ĐẢNG CỘNG SẢN VIỆT NAM",)
    assert (party.signer_authority, party.signer_title) == ("T/M BAN THƯỜNG VỤ", "BÍ THƯ")
    assert party.recipient_lines[0] == "- Ban Thường vụ Thành ủy Hải Phòng (để báo cáo);"
    # A blank number ("KH/ĐU") is not a number: the plan is named by its title instead.
    assert party.subject.startswith("Kết quả thực hiện Kế hoạch ngày 25/03/2026 thực hiện Nghị")


def test_file_names_are_ascii():
    assert report.file_stem(PLAN, Period("quarterly", 2026, 1)) == "bao-cao-110-kh-ubnd-2026-q1"
    unnumbered = report.PlanFacts(**{**PLAN.__dict__, "number": "-KH/ĐU"})
    assert report.file_stem(unnumbered, Period("yearly", 2026, 1)) == "bao-cao-ke-hoach-7-2026"
