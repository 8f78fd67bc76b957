"""The inbox in a real browser: the office rejects the file still waiting in the demo; its
officer sees the bell's count go up, opens the inbox, follows the rejection to its task (read on
the way) and marks the rest read. At a desktop's width and at a 390 px phone's, where the bell
stays outside the collapsed menu. THEODOI_SCREENSHOTS keeps screenshots of the inbox."""

import pytest
from django.urls import reverse

from tests.e2e.test_browser import browser, click, demo_site, live_site, sign_in  # noqa: F401
from tests.e2e.test_living_plan_browser import _shoot
from theodoi.notifications.models import Notification
from theodoi.org.models import User
from theodoi.reporting.models import Evidence
from theodoi.tracking import services

pytestmark = pytest.mark.browser

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def _bell_count(driver) -> int:
    counts = driver.find_elements(By.CSS_SELECTOR, "[data-testid=bell-count]")
    return int(counts[0].text) if counts else 0


@pytest.mark.parametrize("width", [1366, 390])
def test_officer_sees_the_rejection_opens_it_and_marks_all_read(browser, demo_site, width):  # noqa: F811
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 500},
    )
    try:
        # The report file the demo's activity left waiting for review.
        waiting = Evidence.objects.get(
            task__plan__number="110/KH-UBND",
            original_name="bao-cao-PL-5.pdf",
            reviews__isnull=True,
        )
        officer = waiting.uploaded_by
        sign_in(browser, demo_site, officer.username)
        before = _bell_count(browser)
        assert before == Notification.objects.filter(recipient=officer, read_at=None).count()

        services.evidence_review(
            actor=User.objects.get(username="vanphong"),
            evidence=waiting,
            decision="reject",
            reason="Thiếu trang ký duyệt",
        )
        browser.refresh()
        bell = browser.find_element(By.ID, "nav-bell")
        assert bell.is_displayed()  # on a phone too: outside the collapsed menu
        assert _bell_count(browser) == before + 1

        click(browser, bell)
        WebDriverWait(browser, 10).until(lambda b: b.current_url.endswith(reverse("notifications")))
        assert browser.find_element(By.TAG_NAME, "h1").text == "Thông báo"
        unread = browser.find_elements(By.CSS_SELECTOR, "#notification-list .notification-unread")
        assert len(unread) == before + 1
        first = unread[0]
        assert waiting.original_name in first.text and "Thiếu trang ký duyệt" in first.text
        _shoot(browser, f"notifications-inbox-{width}")

        click(browser, first.find_element(By.TAG_NAME, "a"))
        WebDriverWait(browser, 10).until(
            lambda b: b.current_url.endswith(waiting.task.get_absolute_url())
        )
        assert _bell_count(browser) == before

        browser.get(demo_site + reverse("notifications"))
        assert len(browser.find_elements(By.CSS_SELECTOR, ".notification-unread")) == before
        click(browser, browser.find_element(By.ID, "mark-all-read"))
        WebDriverWait(browser, 10).until(
            lambda b: "Đã đánh dấu tất cả thông báo là đã đọc" in b.page_source
        )
        assert _bell_count(browser) == 0
        assert not browser.find_elements(By.CSS_SELECTOR, ".notification-unread")
        assert not Notification.objects.filter(recipient=officer, read_at=None).exists()
        width_used = browser.execute_script("return document.documentElement.clientWidth")
        scroll = browser.execute_script("return document.documentElement.scrollWidth")
        assert scroll <= width_used  # nothing wider than the screen
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
