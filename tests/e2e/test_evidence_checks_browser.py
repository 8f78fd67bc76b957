"""The reviewer opens the demo's review queue in a real browser and sees, beside each file,
what the checks found: the copy of a rejected file with a link to it, and a signature's
verdict, at a desktop width and on a 390 px phone. Set THEODOI_SCREENSHOTS to a folder to keep
screenshots of the queue at both widths."""

import pytest
from django.urls import reverse

from tests.e2e.test_browser import browser, demo_site, live_site, sign_in  # noqa: F401
from tests.e2e.test_living_plan_browser import _shoot
from theodoi.reporting.models import Evidence

pytestmark = pytest.mark.browser

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def _at_width(driver, width: int) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 500},
    )


def _flag(driver, code: str):
    return driver.find_element(By.CSS_SELECTOR, f"li[data-check='{code}']")


@pytest.mark.parametrize("width", [1366, 390])
def test_reviewer_sees_a_rejected_copy_and_a_signature(browser, demo_site, width):  # noqa: F811
    sign_in(browser, demo_site, "vanphong")
    _at_width(browser, width)
    try:
        browser.get(demo_site + reverse("review_queue"))
        WebDriverWait(browser, 15).until(
            EC.presence_of_element_located((By.CSS_SELECTOR, "li[data-check]"))
        )
        copy = _flag(browser, "duplicate-rejected")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", copy)
        assert copy.is_displayed()
        assert "Trùng với tệp đã bị từ chối ngày" in copy.text
        assert "Báo cáo chưa có chữ ký và đóng dấu của đơn vị." in copy.text
        link = copy.find_element(By.TAG_NAME, "a")
        rejected = Evidence.objects.get(
            reviews__decision="rejected", original_name__startswith="bao-cao-"
        )
        assert link.get_attribute("href").endswith(reverse("evidence_file", args=[rejected.pk]))
        # The flag sits in the card of the file that repeats the rejected one.
        card = copy.find_element(By.XPATH, "ancestor::article")
        assert "bao-cao-da-bo-sung.pdf" in card.text

        signature = _flag(browser, "signature-valid")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", signature)
        assert signature.is_displayed()
        assert signature.text.startswith(
            "Chữ ký số hợp lệ — người ký Trần Văn Hùng (UBND phường Lê Chân), lúc"
        )
        assert "quyet-dinh-ky-so.pdf" in signature.find_element(By.XPATH, "ancestor::article").text
        assert _flag(browser, "number-bad").is_displayed()
        # Long flags wrap inside the phone's width instead of widening the page.
        for element in (copy, signature):
            right = browser.execute_script(
                "return arguments[0].getBoundingClientRect().right", element
            )
            assert right <= width + 1
        assert browser.execute_script("return document.documentElement.scrollWidth") <= width + 1
        _shoot(browser, f"evidence-checks-queue-{width}")
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
