"""The task page lists its reports a page at a time, newest first: a weekly task gathers a
hundred reports in two years, and every one of them stays reachable, with or without
JavaScript."""

import datetime
import re

import pytest
from django.urls import reverse

from theodoi.core.access import SYSTEM
from theodoi.plans.services import task_create
from theodoi.tracking import services

D = datetime.date


@pytest.fixture
def day(settings):
    def set_day(value: str) -> None:
        settings.THEODOI_TODAY = value

    return set_day


@pytest.fixture
def weekly(world, day):
    """A standing weekly task of ward A, from Monday 5/10/2026."""
    day("2026-10-05")
    task = task_create(
        actor=SYSTEM,
        plan=world.plan_a,
        title="Rà soát an ninh mạng hằng tuần",
        lead_units=[world.vhxh],
        deadline_text="Thường xuyên",
    )
    task.reporting_cycle = "weekly"
    task.start_date = D(2026, 10, 5)
    task.save()
    return task


def _weeks(count: int) -> list[str]:
    """The ISO weeks from week 41 of 2026 on, oldest first."""
    monday = D(2026, 10, 5)
    found = []
    for week in range(count):
        iso = (monday + datetime.timedelta(weeks=week)).isocalendar()
        found.append(f"{iso.year}-W{iso.week:02d}")
    return found


@pytest.fixture
def reported(world, weekly, day):
    """25 weekly reports, one a week, each sent two days into its week."""
    periods = _weeks(25)
    for number, period in enumerate(periods):
        day((D(2026, 10, 7) + datetime.timedelta(weeks=number)).isoformat())
        services.report_submit(
            actor=world.people.officer, task=weekly, period=period, percent=min(100, 4 * number)
        )
    return periods


def _get(client, user, task, query: str = "", **headers) -> str:
    client.force_login(user)
    response = client.get(reverse("task_detail", args=[task.pk]) + query, **headers)
    assert response.status_code == 200
    return response.content.decode()


def _listed(html: str) -> list[str]:
    """The periods of the report rows shown, as their labels ("Tuần 41/2026")."""
    rows = html[html.index('id="report-list"') :]
    rows = rows[: rows.index("</table>")]
    return re.findall(r'<td class="text-nowrap">(Tuần \d+/\d+)', rows)


def _label(period: str) -> str:
    year, week = period.split("-W")
    return f"Tuần {int(week)}/{year}"


def test_every_report_is_on_one_page_of_the_list_newest_first(client, world, weekly, reported):
    office = world.people.office
    pages = [_get(client, office, weekly, f"?reports_page={n}") for n in (1, 2, 3)]
    listed = [label for html in pages for label in _listed(html)]
    assert listed == [_label(period) for period in reversed(reported)]
    assert [len(_listed(html)) for html in pages] == [10, 10, 5]
    # The first page is the page without a number, with a link to the earlier reports that
    # works without JavaScript.
    first = _get(client, office, weekly)
    assert _listed(first) == _listed(pages[0])
    assert "Báo cáo 1–10 trong tổng số 25, mới nhất trước" in first
    assert 'href="?reports_page=2#reports"' in first
    assert "Báo cáo mới hơn" not in first
    assert "Báo cáo 21–25 trong tổng số 25" in pages[2]
    assert 'href="?reports_page=2#reports"' in pages[2] and "Báo cáo cũ hơn" not in pages[2]


def test_another_page_through_htmx_sends_only_the_list(client, world, weekly, reported):
    html = _get(
        client,
        world.people.office,
        weekly,
        "?reports_page=2",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="report-list",
    )
    assert html.lstrip().startswith('<div id="report-list">')
    assert "<html" not in html and 'name="versions"' not in html
    assert _listed(html) == [_label(period) for period in reversed(reported)][10:20]
    # The office still decides on a report of an earlier page.
    assert html.count('name="action" value="accept"') == 10


def test_a_page_number_out_of_range_shows_a_page_not_an_error(client, world, weekly, reported):
    office = world.people.office
    assert _listed(_get(client, office, weekly, "?reports_page=99"))[-1] == _label(reported[0])
    assert _listed(_get(client, office, weekly, "?reports_page=abc"))[0] == _label(reported[-1])


def _paging(html: str) -> list[str]:
    """What the list says of its pages: "Reports 11–20 of 25" and the pages it links to."""
    return re.findall(r"Báo cáo \d+–\d+ trong tổng số \d+|\?reports_page=\d+#reports", html)


@pytest.mark.parametrize(
    "query",
    ["", "?reports_page=2", "?reports_page=3", "?reports_page=4", "?reports_page=0"]
    + ["?reports_page=-1", "?reports_page=abc", "?reports_page=2.0", "?reports_page=" + "9" * 30],
)
def test_a_page_swapped_in_is_the_same_page_as_the_whole_pages(
    client, world, weekly, reported, query
):
    """The list htmx swaps in reads its rows and their count in one query: the same rows, count
    and links as the list of the whole page, for a page past the end or not a number too."""
    office = world.people.office
    whole = _get(client, office, weekly, query)
    swapped = _get(
        client, office, weekly, query, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="report-list"
    )
    assert _listed(swapped) == _listed(whole)
    assert _paging(swapped) == _paging(whole) and _paging(whole)


def test_the_form_knows_the_versions_of_reports_beyond_the_first_page(
    client, world, weekly, reported
):
    """A report of an offered period that is not on the first page is still not silently
    overwritten by someone who saw an older copy."""
    html = _get(client, world.people.officer, weekly)
    versions = re.search(r'name="versions" value="([^"]*)"', html).group(1)
    seen = dict(item.split("=") for item in versions.split(";"))
    # The 15th newest report is on the second page of the list, and its period is offered.
    assert reported[-1] in seen and reported[-15] in seen
    assert set(seen.values()) == {"1"}


def test_a_task_without_reports_says_how_to_report(client, world, weekly):
    html = _get(client, world.people.officer, weekly)
    assert "Chưa có báo cáo tiến độ." in html
    assert "Báo cáo cũ hơn" not in html and "reports_page" not in html


def test_a_report_just_sent_is_the_first_row(client, world, weekly, reported, day):
    officer = world.people.officer
    before = _get(client, officer, weekly)
    assert _listed(before)[0] == _label(reported[-1])
    day("2027-04-01")
    response = client.post(
        reverse("report_submit", args=[weekly.pk]),
        {"period": "2027-W13", "percent": "97", "result": "Tuần này đã xong"},
    )
    assert response.status_code == 302
    after = _get(client, officer, weekly)
    assert _listed(after)[0] == "Tuần 13/2027"
    assert "Tuần này đã xong" in after
    assert "Báo cáo 1–10 trong tổng số 26" in after
