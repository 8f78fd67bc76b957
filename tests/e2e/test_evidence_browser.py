"""Evidence on its own, in a real browser: the police officer's photo was rejected, the week's
report was accepted since, and the officer still sends the signed minutes that replace the photo
(from «Cần xử lý» on the landing page), at a desktop width and at a 390 px phone width; the
standing office then sees the minutes in the review queue beside the photo and its rejection.

Set THEODOI_SCREENSHOTS to a folder to keep screenshots of the pages."""

import pytest
from django.urls import reverse

from tests.e2e.test_browser import browser, click, demo_site, live_site, sign_in, wait_for_text  # noqa: F401
from tests.e2e.test_living_plan_browser import _shoot
from theodoi.demo.evidence import WAITING
from theodoi.org.models import User
from theodoi.reporting.models import Evidence, ProgressReport
from theodoi.tracking import services

pytestmark = pytest.mark.browser

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

MINUTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _width(driver, width: int) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def _fits(driver) -> bool:
    """Nothing wider than the screen: no sideways scrolling on a phone."""
    return driver.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth + 1"
    )


@pytest.mark.parametrize("width", [1366, 390])
def test_officer_replaces_a_rejected_photo_after_the_report_was_accepted(
    browser,  # noqa: F811
    demo_site,  # noqa: F811
    tmp_path,
    width,
):
    section, code, username, photo_name, reason = WAITING
    photo = Evidence.objects.get(original_name=photo_name)
    office = User.objects.get(username="vanphong")
    for report in ProgressReport.objects.filter(task=photo.task).exclude(status="accepted"):
        services.report_accept(actor=office, report=report)
    minutes = tmp_path / "bien-ban-kiem-tra.pdf"
    minutes.write_bytes(MINUTES)
    try:
        _width(browser, width)
        sign_in(browser, demo_site, username)
        browser.get(demo_site + reverse("my_tasks"))
        panel = browser.find_element(By.CSS_SELECTOR, "[data-testid=to-act]")
        assert "Cần xử lý" in panel.text and reason in panel.text
        assert _fits(browser)
        click(browser, panel.find_element(By.LINK_TEXT, "Gửi minh chứng thay thế"))
        wait_for_text(browser, "Thêm minh chứng")
        replaces = Select(browser.find_element(By.ID, "id_files-0-replaces"))
        assert replaces.first_selected_option.get_attribute("value") == str(photo.pk)
        browser.find_element(By.ID, "id_files-0-file").send_keys(str(minutes))
        Select(browser.find_element(By.ID, "id_files-0-kind")).select_by_value("signed_document")
        browser.find_element(By.ID, "id_files-0-document_number").send_keys("07/BB-CA")
        rows = len(browser.find_elements(By.CSS_SELECTOR, "[data-row-list] [data-evidence-row]"))
        click(browser, browser.find_element(By.CSS_SELECTOR, "[data-add-row]"))
        assert (
            browser.find_element(By.ID, f"id_files-{rows}-file").get_attribute(
                "data-evidence-input"
            )
            is not None
        )
        assert _fits(browser)
        _shoot(browser, f"evidence-add-{width}")
        click(
            browser, browser.find_element(By.CSS_SELECTOR, "form button[type=submit].btn-primary")
        )
        wait_for_text(browser, "Đã thêm 1 tệp minh chứng")
        chains = " ".join(
            c.text
            for c in browser.find_elements(
                By.CSS_SELECTOR, "#evidence [data-testid=evidence-chain]"
            )
        )
        # Both ways: the minutes name the photo, the photo names the minutes waiting for review.
        assert f"Thay thế cho «{photo_name}»" in chains
        assert "Được thay bằng «bien-ban-kiem-tra.pdf»" in chains and "Chờ thẩm định" in chains
        assert _fits(browser)
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    added = Evidence.objects.get(original_name="bien-ban-kiem-tra.pdf")
    assert added.replaces == photo and added.kind == "signed_document"
    assert added.document_number == "07/BB-CA" and added.report is None

    _width(browser, width)
    try:
        sign_in(browser, demo_site, "vanphong")
        browser.get(demo_site + reverse("review_queue"))
        card = browser.find_element(
            By.XPATH, "//article[.//h3[normalize-space()='bien-ban-kiem-tra.pdf']]"
        )
        chain = card.find_element(By.CSS_SELECTOR, "[data-testid=evidence-chain]")
        assert f"Thay thế cho «{photo_name}»" in chain.text
        assert "bị từ chối ngày" in chain.text and reason in chain.text
        assert _fits(browser)
        _shoot(browser, f"evidence-queue-{width}")
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        # The queue's previews load lazily: leave the page so that no request is still being
        # served when the test database is emptied (PostgreSQL would deadlock on it).
        browser.get("about:blank")
