"""The ranking of a ward's units from data built through the reporting services: the numbers of
the page, the period filter, the fixed number of queries, who sees which lines, and the ward's
point scale (permissions, validation, audit)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import TaskFactory, UnitFactory
from tests.queues import real_queue  # noqa: F401 (fixture)
from theodoi.audit.models import AuditEvent
from theodoi.ranking import selectors, services
from theodoi.ranking.models import ScoreScale
from theodoi.ranking.scoring import DEFAULT_SCALE, ScaleError
from theodoi.tracking import services as reporting

PDF = b"%PDF-1.4\n% theodoi test evidence\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
TODAY = "2026-07-20"


@pytest.fixture
def on(settings):
    def set_day(value: str):
        settings.THEODOI_TODAY = value

    return set_day


def report(on, day, actor, task, period, percent, evidence=False):
    on(day)
    made = reporting.report_submit(actor=actor, task=task, period=period, percent=percent)
    if evidence:
        return reporting.evidence_upload(
            actor=actor, name="minh-chung.pdf", data=PDF, task=task, report=made
        )
    return made


def review(on, day, office, evidence, decision, reason=""):
    on(day)
    reporting.evidence_review(actor=office, evidence=evidence, decision=decision, reason=reason)


@pytest.fixture
def ward(world, on):
    """Ward A in the first half of 2026 (quarterly reports, due 5 days after each quarter).

    Phòng VH-XH: t1 (due 31/3) done on time; t2 (due 30/6) done late on 1/7 after a rejected
    file; its Q1 report 3 days late. The world's task (due 31/12) reported on time.
    Công an: p1 (due 31/3) done on time; the world's task's Q1 report 2 days late.
    """
    people = world.people
    t1 = TaskFactory(
        plan=world.plan_a, due_date=datetime.date(2026, 3, 31), lead_units=[world.vhxh]
    )
    t2 = TaskFactory(
        plan=world.plan_a, due_date=datetime.date(2026, 6, 30), lead_units=[world.vhxh]
    )
    p1 = TaskFactory(
        plan=world.plan_a, due_date=datetime.date(2026, 3, 31), lead_units=[world.police]
    )
    # Phòng VH-XH
    file1 = report(on, "2026-03-20", people.officer, t1, "2026-Q1", 100, evidence=True)
    review(on, "2026-03-21", people.office, file1, "accept")
    report(on, "2026-04-08", people.officer, t2, "2026-Q1", 50)
    rejected = report(on, "2026-06-20", people.officer, t2, "2026-Q2", 90, evidence=True)
    review(on, "2026-06-22", people.office, rejected, "reject", "Thiếu chữ ký")
    file2 = report(on, "2026-07-01", people.officer, t2, "2026-Q2", 100, evidence=True)
    review(on, "2026-07-02", people.office, file2, "accept")
    report(on, "2026-04-01", people.officer, world.task_vhxh, "2026-Q1", 30)
    report(on, "2026-07-03", people.officer, world.task_vhxh, "2026-Q2", 60)
    # Công an phường
    file3 = report(on, "2026-03-25", people.police_officer, p1, "2026-Q1", 100, evidence=True)
    review(on, "2026-03-26", people.office, file3, "accept")
    report(on, "2026-04-07", people.police_officer, world.task_police, "2026-Q1", 20)
    report(on, "2026-07-04", people.police_officer, world.task_police, "2026-Q2", 40)
    on(TODAY)
    return world


def facts_by_name(ward, end=datetime.date(2026, 12, 31)):
    """The facts of ward A's units from 1/1/2026 to ``end``, as of 20/7/2026."""
    return {
        f.unit_name: f
        for f in selectors.unit_facts(
            ward.people.leader,
            ward.ward_a,
            today=datetime.date(2026, 7, 20),
            start=datetime.date(2026, 1, 1),
            end=end,
        )
    }


def by_unit(rows):
    return {row.item.facts.unit_name: (row.position, row.item) for row in rows}


def test_facts_of_each_unit_for_the_year(ward):
    facts = facts_by_name(ward)

    vhxh = facts["Phòng Văn hóa - Xã hội"]
    assert (vhxh.tasks_due, vhxh.done_on_time, vhxh.done_late, vhxh.open_overdue) == (2, 1, 1, 0)
    # t1 Q1; t2 Q1 (late 3 days) and Q2; the world's task Q1 and Q2. Q3 is not due yet.
    assert (vhxh.reports_due, vhxh.reports_on_time, vhxh.reports_late) == (5, 4, 1)
    assert (vhxh.reports_missing, vhxh.late_days) == (0, 3)
    assert (vhxh.evidence_reviewed, vhxh.evidence_accepted) == (3, 2)
    police = facts["Công an phường"]
    assert (police.tasks_due, police.done_on_time) == (1, 1)
    assert (police.reports_due, police.reports_on_time, police.late_days) == (3, 2, 2)
    assert (police.evidence_reviewed, police.evidence_accepted) == (1, 1)


def test_missing_report_is_late_until_today_and_an_open_task_counts_its_overdue_days(ward):
    late = TaskFactory(
        plan=ward.plan_a,
        due_date=datetime.date(2026, 6, 30),
        start_date=datetime.date(2026, 4, 1),
        lead_units=[ward.police],
    )
    facts = facts_by_name(ward)

    police = facts["Công an phường"]
    assert late.completed_on is None
    assert (police.tasks_due, police.open_overdue, police.overdue_days) == (2, 1, 20)
    # Its Q2 report was due on 5/7 and never came: 15 days late on 20/7.
    assert (police.reports_due, police.reports_missing, police.late_days) == (4, 1, 2 + 15)


def test_facts_take_the_same_number_of_queries_however_many_tasks(
    ward, django_assert_num_queries, on
):
    args = {
        "today": datetime.date(2026, 7, 20),
        "start": datetime.date(2026, 1, 1),
        "end": datetime.date(2026, 12, 31),
    }
    with django_assert_num_queries(7):
        selectors.unit_facts(ward.people.leader, ward.ward_a, **args)
    for month in (1, 2, 3):
        task = TaskFactory(
            plan=ward.plan_a, due_date=datetime.date(2026, month, 28), lead_units=[ward.police]
        )
        report(on, "2026-04-02", ward.people.police_officer, task, "2026-Q1", 100, evidence=True)
    with django_assert_num_queries(7):
        selectors.unit_facts(ward.people.leader, ward.ward_a, **args)


def test_ranking_page_shows_scores_and_formulas_from_the_data(client, ward):
    client.force_login(ward.people.leader)
    response = client.get(reverse("ranking"))

    assert response.status_code == 200
    rows = by_unit(response.context["rows"])
    police_rank, police = rows["Công an phường"]
    vhxh_rank, vhxh = rows["Phòng Văn hóa - Xã hội"]
    assert (police_rank, police.score) == (1, 8)  # 1/1 on time → 10, 2 days late → 8
    assert (vhxh_rank, vhxh.score, vhxh.raw) == (2, 0, -3)  # 1/2 = 50 % → 0, 3 days late
    content = response.content.decode()
    assert (
        "1/1 nhiệm vụ đúng hạn = 100% → 10 điểm; "
        "2 ngày báo cáo chậm × 1 = −2 điểm (tối đa −10); tổng 8"
    ) in content
    assert (
        "1/2 nhiệm vụ đúng hạn = 50% → 0 điểm; "
        "3 ngày báo cáo chậm × 1 = −3 điểm (tối đa −10); tổng 0 − 3 = −3 → 0 điểm (mức sàn)"
    ) in content
    # The floor said beside the score, with the raw figure.
    assert "điểm (mức sàn)" in content and "tính ra −3" in content
    assert "Đồng hạng" not in content and 'id="all-tied"' not in content
    assert content.index("Công an phường") < content.index("Phòng Văn hóa - Xã hội")


def test_quarter_filter_counts_only_that_quarter(client, ward):
    client.force_login(ward.people.leader)
    response = client.get(reverse("ranking"), {"year": "2026", "quarter": "1"})

    rows = by_unit(response.context["rows"])
    _, vhxh = rows["Phòng Văn hóa - Xã hội"]
    # Q1: t1 done on time (100 % → 10); Q1 reports of t1, t2 (3 days late), world's task.
    assert (vhxh.facts.tasks_due, vhxh.facts.reports_due, vhxh.facts.late_days) == (1, 3, 3)
    assert (vhxh.facts.evidence_reviewed, vhxh.score) == (1, 7)
    _, police = rows["Công an phường"]
    assert police.score == 8
    assert rows["Phòng Văn hóa - Xã hội"][0] == 2  # 7 < 8


def test_a_year_without_anything_due_leaves_units_unrated(client, ward):
    client.force_login(ward.people.leader)
    response = client.get(reverse("ranking"), {"year": "2027"})

    assert response.status_code == 200
    assert response.context["rows"] == []
    unranked = response.context["unranked"]
    assert {item.facts.unit_name for item in unranked} == {
        "Phòng Văn hóa - Xã hội",
        "Công an phường",
    }
    assert not any(item.rated for item in unranked)
    content = response.content.decode()
    assert "Chưa xếp hạng (2 đơn vị)" in content
    assert content.count("chưa có nhiệm vụ đến hạn/kỳ báo cáo trong kỳ xếp hạng") == 2
    assert 'id="ranking"' not in content


def test_configured_scale_changes_the_scores_on_the_page(client, ward):
    services.score_scale_update(
        actor=ward.people.office,
        organization=ward.ward_a,
        bands=[{"min": "50", "points": "6"}, {"min": "0", "points": "1"}],
        late_report_penalty="0,5",
    )
    client.force_login(ward.people.leader)
    rows = by_unit(client.get(reverse("ranking")).context["rows"])

    assert rows["Công an phường"][1].score == 5  # 6 − 2 × 0,5
    assert rows["Phòng Văn hóa - Xã hội"][1].score == Decimal("4.5")  # 6 − 3 × 0,5


def test_equal_scores_share_the_rank_and_the_page_says_so(client, ward):
    services.score_scale_update(
        actor=ward.people.office,
        organization=ward.ward_a,
        bands=[{"min": "0", "points": "5"}],
        late_report_penalty="0",
    )
    client.force_login(ward.people.leader)
    response = client.get(reverse("ranking"))

    rows = response.context["rows"]
    assert [(row.position, row.tied, row.item.score) for row in rows] == [
        (1, True, 5),
        (1, True, 5),
    ]
    # Listed by name within the shared rank, not by a hidden tie-break.
    assert [row.item.facts.unit_name for row in rows] == [
        "Công an phường",
        "Phòng Văn hóa - Xã hội",
    ]
    content = response.content.decode()
    assert content.count("Đồng hạng 1<") == 2
    assert "Cả 2 đơn vị được xếp hạng cùng 5 điểm nên đồng hạng 1." in content


def test_a_forgotten_weekly_report_counts_at_most_a_week_late(client, ward):
    economy = UnitFactory(organization=ward.ward_a, name="Phòng Kinh tế, Hạ tầng và Đô thị")
    TaskFactory(
        plan=ward.plan_a,
        due_date=datetime.date(2026, 3, 31),
        start_date=datetime.date(2026, 3, 2),
        reporting_cycle="weekly",
        lead_units=[economy],
    )
    facts = facts_by_name(ward, end=datetime.date(2026, 3, 31))

    counted = facts["Phòng Kinh tế, Hạ tầng và Đô thị"]
    # Weeks 10 to 13 of 2026 end in the quarter; their reports, due 5 days after each week,
    # were never sent: each is late until today but counts one week.
    dues = [datetime.date(2026, 3, 13) + datetime.timedelta(weeks=n) for n in range(4)]
    assert counted.reports_due == counted.reports_missing == 4
    assert counted.late_days == 4 * 7
    assert counted.late_days_actual == sum((datetime.date(2026, 7, 20) - d).days for d in dues)
    assert facts["Công an phường"].late_days_actual is None  # nothing capped: nothing to show

    client.force_login(ward.people.leader)
    response = client.get(reverse("ranking"), {"year": "2026", "quarter": "1"})
    rank, item = by_unit(response.context["rows"])["Phòng Kinh tế, Hạ tầng và Đô thị"]
    assert (rank, item.penalty, item.score, item.raw) == (3, 10, 0, -10)
    content = response.content.decode()
    actual = f"{counted.late_days_actual:,}".replace(",", ".")
    assert f"tính 28 ngày báo cáo chậm (thực tế {actual}; " in content
    assert f"(thực tế {actual})" in content  # beside the days in the table, too
    assert "× 1 = −28 → −10 điểm (tối đa −10); tổng 0 − 10 = −10 → 0 điểm (mức sàn)" in content


# --- Who sees what ----------------------------------------------------------------------------


@pytest.mark.parametrize("person", ["office", "leader", "ward_admin"])
def test_ward_roles_above_the_units_see_every_unit(client, ward, person):
    client.force_login(getattr(ward.people, person))
    rows = client.get(reverse("ranking")).context["rows"]

    assert {row.item.facts.unit_name for row in rows} == {
        "Phòng Văn hóa - Xã hội",
        "Công an phường",
    }


def test_unit_officer_sees_only_own_unit_with_its_rank(client, ward):
    client.force_login(ward.people.officer)
    response = client.get(reverse("ranking"))

    assert response.status_code == 200
    assert [(row.position, row.item.facts.unit_name) for row in response.context["rows"]] == [
        (2, "Phòng Văn hóa - Xã hội")
    ]
    assert "Công an phường" not in response.content.decode()


def test_unit_head_of_the_police_sees_only_the_police(client, ward):
    ward.people.police_officer.role = "unit_head"
    ward.people.police_officer.save()
    client.force_login(ward.people.police_officer)
    rows = client.get(reverse("ranking_ward", args=[ward.ward_a.pk])).context["rows"]

    assert [(row.position, row.item.facts.unit_name) for row in rows] == [(1, "Công an phường")]


def test_upper_level_picks_a_ward_and_sees_it_whole(client, ward):
    client.force_login(ward.people.upper)
    picker = client.get(reverse("ranking"))
    assert picker.status_code == 200
    assert set(picker.context["wards"]) == {ward.ward_a, ward.ward_b}

    rows = client.get(reverse("ranking_ward", args=[ward.ward_a.pk])).context["rows"]
    assert len(rows) == 2


@pytest.mark.parametrize("person", ["other_ward", "other_upper"])
def test_another_ward_or_province_gets_404(client, ward, person):
    client.force_login(getattr(ward.people, person))

    assert client.get(reverse("ranking_ward", args=[ward.ward_a.pk])).status_code == 404
    assert client.get(reverse("ranking_scale", args=[ward.ward_a.pk])).status_code == 404


def test_ranking_needs_sign_in(client, world):
    response = client.get(reverse("ranking"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- The ward's point scale -------------------------------------------------------------------


def test_standing_office_sets_the_scale_and_it_is_audited(world):
    record = services.score_scale_update(
        actor=world.people.office,
        organization=world.ward_a,
        bands=[{"min": 100, "points": 10}, {"min": "0", "points": 2}],
        late_report_penalty="2",
    )

    assert record.bands == [{"min": 100, "points": 10}, {"min": 0, "points": 2}]
    assert record.late_report_penalty == 2 and record.updated_by == world.people.office
    event = AuditEvent.objects.get(action="ranking.scale")
    assert event.actor == world.people.office and event.organization == world.ward_a
    assert event.before is None and event.after["late_report_penalty"] == "2.00"
    scale, stored = selectors.scale_for_ward(world.ward_a)
    assert stored == record and scale.late_report_penalty == 2


def test_ward_without_a_scale_uses_the_default(world):
    assert selectors.scale_for_ward(world.ward_a) == (DEFAULT_SCALE, None)


def test_changing_the_scale_keeps_one_record_and_audits_before_and_after(world):
    for penalty in ("1", "3"):
        services.score_scale_update(
            actor=world.people.ward_admin,
            organization=world.ward_a,
            bands=[{"min": 0, "points": 5}],
            late_report_penalty=penalty,
        )

    assert ScoreScale.objects.filter(organization=world.ward_a).count() == 1
    last = AuditEvent.objects.filter(action="ranking.scale").order_by("-id").first()
    assert last.before["late_report_penalty"] == "1.00"
    assert last.after["late_report_penalty"] == "3.00"


@pytest.mark.parametrize("person", ["officer", "head", "leader", "upper", "other_ward"])
def test_others_may_not_set_the_scale(world, person):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.score_scale_update(
            actor=getattr(world.people, person),
            organization=world.ward_a,
            bands=[{"min": 0, "points": 5}],
            late_report_penalty=1,
        )
    assert not ScoreScale.objects.exists()


def test_invalid_scale_is_refused_and_nothing_is_saved(world):
    with pytest.raises(ScaleError, match="bắt đầu từ 0%"):
        services.score_scale_update(
            actor=world.people.office,
            organization=world.ward_a,
            bands=[{"min": 90, "points": 8}],
            late_report_penalty=1,
        )
    assert not ScoreScale.objects.exists()
    assert not AuditEvent.objects.filter(action="ranking.scale").exists()


def test_scale_page_saves_the_posted_bands(client, world):
    client.force_login(world.people.office)
    url = reverse("ranking_scale", args=[world.ward_a.pk])
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "min": ["100", "75", "0", ""],
            "points": ["10", "7,5", "0", ""],
            "late_report_penalty": "1",
        },
    )

    assert response.status_code == 302
    assert ScoreScale.objects.get(organization=world.ward_a).bands == [
        {"min": 100, "points": 10},
        {"min": 75, "points": 7.5},
        {"min": 0, "points": 0},
    ]


def test_scale_page_shows_the_error_and_keeps_what_was_typed(client, world):
    client.force_login(world.people.office)
    response = client.post(
        reverse("ranking_scale", args=[world.ward_a.pk]),
        {"min": ["90", "80"], "points": ["8", "6"], "late_report_penalty": "1"},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "bắt đầu từ 0%" in content
    assert 'value="80"' in content
    assert not ScoreScale.objects.exists()


@pytest.mark.parametrize("person", ["officer", "leader", "upper"])
def test_scale_page_is_forbidden_to_those_who_may_not_change_it(client, world, person):
    client.force_login(getattr(world.people, person))

    assert client.get(reverse("ranking_scale", args=[world.ward_a.pk])).status_code == 403


# --- The Excel table --------------------------------------------------------------------------


def _sheet_rows(response):
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]


def test_the_excel_table_has_the_pages_ranks_scores_formulas_and_rules(client, ward):
    client.force_login(ward.people.leader)
    response = client.get(
        reverse("ranking_export", args=[ward.ward_a.pk]), {"year": "2026", "quarter": "2"}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="xep-hang-' in response["Content-Disposition"]
    rows = _sheet_rows(response)
    text = "\n".join(" | ".join(str(cell) for cell in row if cell is not None) for row in rows)
    assert "Quý 2/2026 (01/04/2026 – 30/06/2026)" in text
    assert "Bằng điểm thì đồng hạng (1, 2, 2, 4), ghi theo tên; tiêu chí phụ duy nhất" in text
    by_name = {row[1]: row for row in rows if row and row[1] in {"Phòng Văn hóa - Xã hội"}}
    # Q2: t2 done late (0/1 on time → 0 points), no report late in Q2.
    vhxh = by_name["Phòng Văn hóa - Xã hội"]
    assert vhxh[0] == "1" and vhxh[2] == "0"
    assert vhxh[3].startswith("0/1 nhiệm vụ đúng hạn = 0% → 0 điểm")
    # Units with nothing due in Q2 listed apart with the reason.
    assert "Chưa xếp hạng" in text
    assert "Công an phường | chưa có nhiệm vụ đến hạn trong kỳ xếp hạng" in text


def test_the_excel_table_shows_the_floor_and_a_unit_officer_only_their_line(client, ward):
    client.force_login(ward.people.officer)
    response = client.get(reverse("ranking_export", args=[ward.ward_a.pk]), {"year": "2026"})

    rows = _sheet_rows(response)
    names = {"Phòng Văn hóa - Xã hội", "Công an phường"}
    units = [row[1] for row in rows if len(row) > 1 and row[1] in names]
    assert units == ["Phòng Văn hóa - Xã hội"]
    line = next(row for row in rows if len(row) > 1 and row[1] == "Phòng Văn hóa - Xã hội")
    assert line[0] == "2"
    assert line[2] == "0 điểm (mức sàn; tính ra −3)"


# --- The Excel table through the background worker --------------------------------------------


def _export_url(ward, query="year=2026&quarter=2"):
    return reverse("ranking_export", args=[ward.ward_a.pk]) + f"?{query}"


def test_the_excel_link_queues_the_table_the_page_follows_it_and_offers_it(
    client,
    ward,
    real_queue,  # noqa: F811
):
    from theodoi.exports.models import ReportExport

    client.force_login(ward.people.leader)
    with real_queue.sending():
        linked = client.get(_export_url(ward))
    export = ReportExport.objects.get()
    assert linked.status_code == 302
    assert linked["Location"] == reverse("export_status", args=[export.pk])
    assert (export.kind, export.organization, export.status) == ("ranking", ward.ward_a, "queued")
    page = client.get(linked["Location"]).content.decode()
    assert "Đang chuẩn bị bảng xếp hạng…" in page and "Quý 2/2026" in page
    assert reverse("ranking_ward", args=[ward.ward_a.pk]) + "?year=2026&amp;quarter=2" in page

    real_queue.run_worker()

    page = client.get(linked["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "Bảng xếp hạng đã sẵn sàng." in page
    download = client.get(reverse("export_download", args=[export.pk]))
    assert download.status_code == 200
    assert 'filename="xep-hang-' in download["Content-Disposition"]
    text = "\n".join(
        " | ".join(str(c) for c in row if c is not None) for row in _sheet_rows(download)
    )
    assert "Quý 2/2026 (01/04/2026 – 30/06/2026)" in text
    # The same table asked again, nothing changed since: handed out at once.
    again = client.get(_export_url(ward))
    assert again.status_code == 200 and ReportExport.objects.count() == 1
    # Another quarter is another table.
    with real_queue.sending():
        other = client.get(_export_url(ward, "year=2026&quarter=1"))
    assert other.status_code == 302 and ReportExport.objects.count() == 2


def test_the_excel_table_is_refused_outside_the_ward_and_after_a_move(client, ward):
    from theodoi.exports.models import ReportExport

    client.force_login(ward.people.other_ward)
    assert client.get(_export_url(ward)).status_code == 404
    assert not ReportExport.objects.exists()
    leader = ward.people.leader
    client.force_login(leader)
    assert client.get(_export_url(ward)).status_code == 200  # made within the request
    export = ReportExport.objects.get()
    leader.organization = ward.ward_b
    leader.save()
    client.force_login(leader)
    assert client.get(reverse("export_download", args=[export.pk])).status_code == 403
    assert client.get(reverse("export_status", args=[export.pk])).status_code == 403
    assert client.get(_export_url(ward)).status_code == 404


def test_the_excel_table_failing_says_what_to_do(client, ward, monkeypatch):
    from theodoi.core import storage

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage, "store", full_disk)
    client.force_login(ward.people.leader)
    linked = client.get(_export_url(ward))
    assert linked.status_code == 302
    page = client.get(linked["Location"]).content.decode()
    assert "Bảng xếp hạng đã lập xong nhưng không lưu được tệp" in page
    assert "quản trị viên" in page and "hx-trigger" not in page
    retry = reverse("ranking_export", args=[ward.ward_a.pk]) + "?year=2026&amp;quarter=2"
    assert f'id="export-retry" href="{retry}"' in page
    monkeypatch.undo()
    again = client.get(_export_url(ward))
    assert again.status_code == 200 and 'filename="xep-hang-' in again["Content-Disposition"]
