"""The ward dashboard: every number against the data of ``board`` (see conftest), and who may
see it."""

import datetime
import json
import re

from django.urls import reverse

from tests.factories import PlanFactory, TaskFactory
from theodoi.dashboards import measures
from theodoi.dashboards.selectors import indicators
from theodoi.plans.models import Indicator, Plan, Task
from theodoi.plans.selectors import with_state

D = datetime.date


def page(client, url=None):
    response = client.get(url or reverse("dashboard"))
    assert response.status_code == 200
    return response


def test_state_counts(login, world, board):
    response = page(login(world.people.leader))
    assert response.context["board"].counts == {
        "done_on_time": 1,
        "done_late": 1,
        "open_not_due": 3,
        "open_overdue": 2,
    }
    assert response.context["board"].total == 7
    content = response.content.decode()
    card = re.search(r'data-testid="state-open_overdue">.*?<div[^>]*>(\d+)</div>', content, re.S)
    assert card and card.group(1) == "2"


def test_state_cards_link_to_the_tasks_behind_them(login, world, board):
    client = login(world.people.office)
    cards = page(client).context["board"].state_cards
    for state, count, link in cards:
        assert link.startswith(world.plan_a.get_absolute_url())
        listed = client.get(link).context["tasks"]
        assert len(listed) == count, state


def test_doughnut_data(login, world, board):
    doughnut = page(login(world.people.leader)).context["doughnut"]
    assert doughnut["kind"] == "doughnut"
    assert doughnut["values"] == [1, 1, 3, 2]
    assert doughnut["colours"] == ["success", "info", "secondary", "danger"]


def test_trend_at_each_month_end(login, world, board):
    response = page(login(world.people.leader))
    trend = response.context["trend"]
    assert trend["labels"] == [
        "31/01/2026",
        "28/02/2026",
        "31/03/2026",
        "30/04/2026",
        "31/05/2026",
        "15/06/2026",
    ]
    series = {row["label"]: row["values"] for row in trend["series"]}
    assert series["Hoàn thành đúng hạn"] == [0, 0, 1, 1, 1, 1]
    assert series["Hoàn thành quá hạn"] == [0, 0, 0, 1, 1, 1]
    assert series["Chưa hoàn thành quá hạn"] == [0, 0, 0, 0, 1, 2]
    assert series["Chưa hoàn thành trong hạn"] == [7, 7, 6, 5, 4, 3]
    # The chart's data is in the page as JSON for charts.js, not as an inline script.
    content = response.content.decode()
    assert '<script id="chart-trend" type="application/json">' in content
    assert 'src="/static/theodoi/charts.js"' in content
    assert "<script>" not in content


def test_trend_today_agrees_with_the_database_state(world, board):
    """The pure rule that rebuilds past states gives, for today, the database's ``state``."""
    today = D(2026, 6, 15)
    extra = [
        (None, None),
        (None, D(2026, 2, 1)),
        (today, None),
        (D(2026, 6, 14), None),
        (D(2026, 6, 14), D(2026, 6, 14)),
        (D(2026, 6, 14), today),
        (D(2026, 7, 1), D(2026, 6, 1)),
    ]
    for due, done in extra:
        TaskFactory(plan=world.plan_a, due_date=due, completed_on=done)
    rows = with_state(Task.objects.all(), today=today).values_list(
        "due_date", "completed_on", "state"
    )
    assert len(rows) == 15
    for due, done, state in rows:
        assert measures.state_on(due=due, completed_on=done, day=today) == state, (due, done)


def test_unit_state_matrix(login, world, board):
    matrix = page(login(world.people.leader)).context["board"].matrix
    cells = {
        (row.unit.name if row.unit else None): {state: count for state, count, _l in row.cells}
        for row in matrix
    }
    assert cells == {
        "Phòng Văn hóa - Xã hội": {
            "done_on_time": 1,
            "done_late": 1,
            "open_not_due": 1,
            "open_overdue": 1,
        },
        "Công an phường": {
            "done_on_time": 0,
            "done_late": 0,
            "open_not_due": 1,
            "open_overdue": 2,
        },
        None: {"done_on_time": 0, "done_late": 0, "open_not_due": 1, "open_overdue": 0},
    }
    # Units in their order (then by name), tasks without a recognised unit last.
    assert [(row.unit, row.total) for row in matrix] == [
        (world.police, 3),
        (world.vhxh, 4),
        (None, 1),
    ]


def test_each_matrix_number_equals_the_list_it_links_to(login, world, board):
    client = login(world.people.leader)
    matrix = page(client).context["board"].matrix
    checked = 0
    for row in matrix:
        for state, count, link in row.cells:
            if not link:
                continue
            assert link == (f"{world.plan_a.get_absolute_url()}?unit={row.unit.pk}&state={state}")
            assert len(client.get(link).context["tasks"]) == count
            checked += 1
        if row.link:
            assert len(client.get(row.link).context["tasks"]) == row.total
    assert checked == 8


def test_with_several_plans_the_numbers_link_to_the_wards_task_list(login, world, board):
    second = PlanFactory(organization=world.ward_a)
    TaskFactory(plan=second, due_date=D(2026, 5, 1), lead_units=[world.police])
    # A closed plan's tasks are history: not counted, not listed.
    closed = PlanFactory(organization=world.ward_a, status=Plan.Status.CLOSED)
    TaskFactory(plan=closed, due_date=D(2026, 5, 1), lead_units=[world.police])
    client = login(world.people.leader)
    dashboard = page(client).context["board"]
    assert dashboard.counts["open_overdue"] == 3
    police = next(row for row in dashboard.matrix if row.unit == world.police)
    state, count, link = police.cells[3]
    assert (state, count) == ("open_overdue", 3)
    assert link == (
        reverse("dashboard_ward_tasks", args=[world.ward_a.pk])
        + f"?unit={world.police.pk}&state=open_overdue"
    )
    response = client.get(link)
    assert response.context["page"].paginator.count == 3
    listed = {task.pk for task in response.context["page"]}
    assert board.tasks.overdue_police.pk in listed and board.tasks.overdue_shared.pk in listed


def test_overdue_list_longest_first(login, world, board):
    response = page(login(world.people.leader))
    overdue = response.context["board"].overdue
    assert [task.pk for task in overdue] == [
        board.tasks.overdue_shared.pk,
        board.tasks.overdue_police.pk,
    ]
    assert [task.days_late for task in overdue] == [46, 15]
    assert response.context["board"].overdue_total == 2
    row = re.search(
        rf'data-task="{board.tasks.overdue_shared.pk}">(.*?)</tr>', response.content.decode(), re.S
    )
    # "Quá hạn 46 ngày": the days overdue, whatever the words around the number.
    assert "30/04/2026" in row.group(1) and re.search(r"\b46\b", row.group(1))


def test_behind_schedule_list(login, world, board):
    """Expected by 15/6 for a task of 1/1–31/12: 165/364 ≈ 45.3 %; behind below half of it."""
    dashboard = page(login(world.people.leader)).context["board"]
    assert [task.pk for task in dashboard.behind] == [world.task_vhxh.pk]
    assert round(dashboard.behind[0].expected) == 45
    assert dashboard.behind_total == 1


def test_behind_schedule_waits_for_the_end_of_the_tasks_first_reporting_period(login, world, board):
    """A plan reporting yearly from 1/1 has its first report due after 31/12: on 15/6 nothing
    is behind yet. A task reporting monthly of its own is judged from 31/1, as its alert is."""
    plan = world.task_vhxh.plan
    plan.reporting_cycle = "yearly"
    plan.save()
    dashboard = page(login(world.people.leader)).context["board"]
    assert dashboard.behind == [] and dashboard.behind_total == 0
    Task.objects.filter(pk=world.task_vhxh.pk).update(reporting_cycle="monthly")
    dashboard = page(login(world.people.leader)).context["board"]
    assert [task.pk for task in dashboard.behind] == [world.task_vhxh.pk]


def test_a_task_without_a_lead_unit_is_not_listed_as_behind_schedule(login, world, board):
    """It raises the "no lead unit" alert only; the board counts it as not yet trackable."""
    world.task_vhxh.lead_links.all().delete()
    dashboard = page(login(world.people.leader)).context["board"]
    assert dashboard.behind == []
    assert dashboard.behind_total == 0


def test_open_alerts_of_the_ward_only(login, world, board):
    response = page(login(world.people.leader))
    assert [a.pk for a in response.context["board"].alerts] == [board.alerts.open.pk]
    assert response.context["board"].alert_total == 1
    content = response.content.decode()
    assert "Quá hạn 15 ngày" in content and "Của phường khác" not in content


def test_indicator_statuses(login, world, board):
    response = page(login(world.people.leader))
    dashboard = response.context["board"]
    assert dashboard.indicator_counts == {"on_track": 2, "at_risk": 2, "off_track": 1}
    status = {i.pk: i.status for i in dashboard.indicators}
    ind = board.indicators
    assert status == {
        ind.off.pk: "off_track",
        ind.risky.pk: "at_risk",
        ind.empty.pk: "at_risk",
        ind.fine.pk: "on_track",
        ind.rank.pk: "on_track",
    }
    assert dashboard.indicators[0].pk == ind.off.pk  # off track first
    assert reverse("indicator_detail", args=[ind.off.pk]) in response.content.decode()


def test_indicator_rows_read_as_the_indicator_page_reads_them(login, world, board):
    """The dashboard reads plain value and milestone rows; each indicator's latest value,
    milestone and status are those ``with_status`` gives from the prefetched objects."""
    dashboard = page(login(world.people.leader)).context["board"]
    year = dashboard.trend_days[-1].year
    reference = indicators.with_status(
        list(indicators._with_values(Indicator.objects.filter(plan__organization=world.ward_a))),
        year=year,
    )
    expected = {i.pk: (i.latest, i.expected, i.status) for i in reference}
    assert {i.pk: (i.latest, i.expected, i.status) for i in dashboard.indicators} == expected


def test_recent_directives_with_their_answers(login, world, board):
    response = page(login(world.people.leader))
    assert [d.pk for d in response.context["board"].directives] == [
        board.directives.waiting.pk,
        board.directives.answered.pk,
    ]
    content = response.content.decode()
    assert "Đã lắp 8/10 camera" in content
    assert "Chỉ đạo phường khác" not in content


def test_chart_json_is_valid(login, world, board):
    content = page(login(world.people.leader)).content.decode()
    raw = re.search(r'<script id="chart-states" type="application/json">(.*?)</script>', content)
    assert json.loads(raw.group(1))["values"] == [1, 1, 3, 2]


# --- Access ---------------------------------------------------------------------------------------


def test_leader_and_standing_office_see_their_ward(login, world, board):
    for person in (world.people.leader, world.people.office):
        response = login(person).get(reverse("dashboard"))
        assert response.status_code == 200
        assert response.context["ward"] == world.ward_a
        own = login(person).get(reverse("dashboard_ward", args=[world.ward_a.pk]))
        assert own.status_code == 200


def test_unit_roles_get_403(login, world, board):
    for person in (world.people.officer, world.people.head, world.people.ward_admin):
        client = login(person)
        assert client.get(reverse("dashboard")).status_code == 403
        assert client.get(reverse("dashboard_ward", args=[world.ward_a.pk])).status_code == 403


def test_other_ward_is_404(login, world, board):
    client = login(world.people.other_ward)
    assert client.get(reverse("dashboard_ward", args=[world.ward_a.pk])).status_code == 404
    assert client.get(reverse("dashboard_ward_tasks", args=[world.ward_a.pk])).status_code == 404
    client = login(world.people.leader)
    assert client.get(reverse("dashboard_ward", args=[world.ward_b.pk])).status_code == 404
    assert client.get(reverse("dashboard_ward", args=[world.province.pk])).status_code == 404


def test_upper_level_drills_down_into_both_wards_of_its_province(login, world, board):
    client = login(world.people.upper)
    assert client.get(reverse("dashboard")).url == reverse("province_dashboard")
    response = client.get(reverse("dashboard_ward", args=[world.ward_a.pk]))
    assert response.status_code == 200
    assert response.context["board"].counts["open_overdue"] == 2
    assert response.context["from_above"]
    other = client.get(reverse("dashboard_ward", args=[world.ward_b.pk]))
    assert other.context["board"].counts == {
        "done_on_time": 0,
        "done_late": 0,
        "open_not_due": 1,
        "open_overdue": 0,
    }
    stranger = login(world.people.other_upper)
    assert stranger.get(reverse("dashboard_ward", args=[world.ward_a.pk])).status_code == 404


def test_sign_in_required(client, world):
    for url in [reverse("dashboard"), reverse("dashboard_ward", args=[world.ward_a.pk])]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_ward_task_list_is_for_anyone_of_the_ward(login, world, board):
    response = login(world.people.officer).get(
        reverse("dashboard_ward_tasks", args=[world.ward_a.pk]), {"state": "open_overdue"}
    )
    assert response.status_code == 200
    assert {t.pk for t in response.context["page"]} == {
        board.tasks.overdue_police.pk,
        board.tasks.overdue_shared.pk,
    }
    assert not response.context["can_see_dashboard"]


def test_ward_task_list_ignores_bad_filters(login, world, board):
    response = login(world.people.leader).get(
        reverse("dashboard_ward_tasks", args=[world.ward_a.pk]),
        {"unit": "²", "state": "x", "page": "zz"},
    )
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 7


def test_empty_ward_shows_a_calm_page(login, world, settings):
    Task.objects.filter(plan=world.plan_a).delete()
    response = page(login(world.people.leader))
    assert response.context["board"].total == 0
    assert "chart-states" not in response.content.decode()


def _indicator_row(html: str, indicator) -> str:
    link = reverse("indicator_detail", args=[indicator.pk])
    rows = re.findall(r"<tr[^>]*>.*?</tr>", html, re.S)
    (row,) = [row for row in rows if f'href="{link}"' in row]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()


def test_an_indicator_value_recorded_shows_at_once(login, world, board):
    """The indicators' rows are kept in the cache with what they show: a new value, wherever
    it was recorded, is on the next page."""
    from theodoi.tracking.services import indicator_value_record

    client = login(world.people.leader)
    before = _indicator_row(page(client).content.decode(), board.indicators.off)
    assert "40" in before and "Quý I/2026" in before
    indicator_value_record(
        actor=world.people.office, indicator=board.indicators.off, period="2026-Q2", value="95"
    )
    after = _indicator_row(page(client).content.decode(), board.indicators.off)
    assert "95" in after and "Quý II/2026" in after
    assert after != before
