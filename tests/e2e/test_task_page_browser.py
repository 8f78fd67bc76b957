"""The task page of a weekly task with months of reports, in headless Chromium at 1366 px and
390 px: one history, its newest entries first and the rest behind a link; the periods say
whether each week was reported (a week nobody reported is not a task state); a report sent
again after a return shows both times; nothing scrolls sideways on a phone.

Set THEODOI_SCREENSHOTS to a folder to keep the screenshots (docs/screenshots)."""

import datetime
import io
import os
from pathlib import Path
from unittest import mock

import pytest
from django.urls import reverse

from tests.e2e.test_browser import browser, click, demo_site, live_site, sign_in  # noqa: F401
from theodoi.core.samplepdf import tiny_pdf
from theodoi.demo import data
from theodoi.org.models import User
from theodoi.plans.models import Task
from theodoi.reporting.models import ProgressReport
from theodoi.tracking import services

pytestmark = pytest.mark.browser

from selenium.webdriver.common.by import By  # noqa: E402

SHOTS = os.environ.get("THEODOI_SCREENSHOTS", "")
FIRST_WEEK = datetime.date(2026, 6, 1)  # Monday of week 23
WEEKS = 25  # weeks 23–47; week 48 is the demo's own report
SKIPPED = {26, 33, 41}  # nobody reported these weeks
LATE = {29, 37}  # reported a week after the week's due day
RETURNED = 44  # sent back by the office, sent again two days later


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    """``hour`` o'clock in Hà Nội on ``day``."""
    return datetime.datetime.combine(day, datetime.time(hour - 7), tzinfo=datetime.UTC)


def _send(settings, day: datetime.date, hour: int, call, **kwargs):
    """A service called on ``day`` at ``hour``, as the clocks of the records say."""
    settings.THEODOI_TODAY = day.isoformat()
    with mock.patch("django.utils.timezone.now", return_value=_at(day, hour)):
        return call(**kwargs)


def _evidence(settings, day, officer, office, task, report, *, accept: bool) -> None:
    """The week's signed minutes, sent with the report and accepted by the office on Monday
    (the last weeks are still waiting for review)."""
    week = report.period[-2:]
    evidence = _send(
        settings,
        day,
        16,
        services.evidence_upload,
        actor=officer,
        name=f"bien-ban-ra-soat-tuan-{week}.pdf",
        data=tiny_pdf(f"Biên bản rà soát tuần {week}"),
        task=task,
        report=report,
        kind="signed_document",
    )
    if accept:
        monday = day + datetime.timedelta(days=7 - day.weekday())
        _send(
            settings,
            monday,
            8,
            services.evidence_review,
            actor=office,
            evidence=evidence,
            decision="accept",
        )


@pytest.fixture
def weekly_history(demo_site, settings):  # noqa: F811
    """Half a year of weekly reports on the police's cyber-security task of the demo."""
    section, code = data.WEEKLY_TASK
    task = Task.objects.get(section__code=section, code=code)
    officer = User.objects.get(username="canbo_congan")
    office = User.objects.get(username="vanphong")
    today = settings.THEODOI_TODAY
    for offset in range(WEEKS):
        monday = FIRST_WEEK + datetime.timedelta(weeks=offset)
        week = monday.isocalendar().week
        if week in SKIPPED:
            continue
        sent = monday + datetime.timedelta(days=4 + (14 if week in LATE else 0))
        report = _send(
            settings,
            sent,
            16,
            services.report_submit,
            actor=officer,
            task=task,
            period=f"2026-W{week:02d}",
            percent=100,
            result=f"Rà soát an ninh mạng tuần {week}: không phát hiện sự cố.",
        )
        if week != RETURNED:
            _evidence(settings, sent, officer, office, task, report, accept=offset < WEEKS - 2)
        else:
            _send(
                settings,
                sent + datetime.timedelta(days=1),
                9,
                services.report_return,
                actor=office,
                report=report,
                reason="Ghi rõ số cơ quan đã rà soát.",
            )
            _send(
                settings,
                sent + datetime.timedelta(days=2),
                10,
                services.report_submit,
                actor=officer,
                task=task,
                period=f"2026-W{week:02d}",
                percent=100,
                result="Đã rà soát 12 cơ quan, đơn vị; không phát hiện sự cố.",
            )
            report.refresh_from_db()
            day = sent + datetime.timedelta(days=2)
            _evidence(settings, day, officer, office, task, report, accept=True)
    settings.THEODOI_TODAY = today
    return demo_site, task


def _width(driver, width: int) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 576},
    )


def _shoot(driver, name: str, anchor) -> None:
    """The screen scrolled to ``anchor``, as a small 256-colour PNG."""
    if not SHOTS:
        return
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    driver.execute_script(
        "arguments[0].scrollIntoView({block: 'start', behavior: 'instant'}); window.scrollBy(0, -8);",
        anchor,
    )
    from PIL import Image

    image = Image.open(io.BytesIO(driver.get_screenshot_as_png())).convert("RGB")
    image.quantize(colors=256).save(folder / f"{name}.png", optimize=True)


@pytest.mark.parametrize("width", [1366, 390], ids=["desktop", "phone"])
def test_the_page_of_a_weekly_task_with_months_of_reports(browser, weekly_history, width):  # noqa: F811
    site, task = weekly_history
    assert ProgressReport.objects.filter(task=task).count() == WEEKS - len(SKIPPED) + 1
    sign_in(browser, site, "vanphong")
    _width(browser, width)
    try:
        browser.get(site + reverse("task_detail", args=[task.pk]))
        history = browser.find_element(By.ID, "history")
        assert len(history.find_elements(By.CSS_SELECTOR, ".history-entry")) == 20
        more = history.find_element(By.PARTIAL_LINK_TEXT, "Xem thêm")
        periods = browser.find_element(By.ID, "periods")
        rows = periods.find_elements(By.CSS_SELECTOR, ".period-row")
        assert len(rows) == 12
        by_label = {row.text.split(" · ")[0]: row.text for row in rows}
        assert "Không báo cáo" in by_label["Tuần 41/2026"]
        assert "Chưa hoàn thành" not in by_label["Tuần 41/2026"]
        assert "Báo cáo chậm" in by_label["Tuần 37/2026"]
        reports = browser.find_element(By.ID, "reports").text
        assert "gửi lại lúc 01/11/2026 10:00" in reports  # week 44, sent again on Sunday
        page_width = browser.execute_script("return document.documentElement.scrollWidth")
        assert page_width <= width, "the page scrolls sideways"

        if width == 1366:
            _shoot(browser, "task-page-desktop", browser.find_element(By.TAG_NAME, "h1"))
        else:
            _shoot(browser, "phone-task-page", periods)
        click(browser, more)
        history = browser.find_element(By.ID, "history")
        assert len(history.find_elements(By.CSS_SELECTOR, ".history-entry")) > 20
        assert not history.find_elements(By.PARTIAL_LINK_TEXT, "Xem thêm")
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
