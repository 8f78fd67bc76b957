"""The province receives a ward's quarterly report in a real browser: the ward's office sends
it (through the services, as its pages would), the province's upper level sees it arrive,
returns it with a reason typed on the page, the ward's office reads why, sends it again, and
the province accepts it. At a laptop's width and on a 390 px phone; set THEODOI_SCREENSHOTS to
a folder to keep screenshots."""

import io
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from tests.e2e.test_browser import (  # noqa: F401
    browser,
    click,
    demo_site,
    live_site,
    sign_in,
    wait_for_text,
)
from tests.e2e.test_evidence_checks_browser import _at_width
from tests.e2e.test_living_plan_browser import SHOTS
from theodoi.core import clock
from theodoi.dashboards.selectors.upward import last_ended_quarter
from theodoi.notifications.models import Kind, Notification
from theodoi.org.models import User
from theodoi.plans.models import Plan
from theodoi.reporting.models import UpwardReport
from theodoi.reporting.upward import upward_report_prepare, upward_report_send

pytestmark = pytest.mark.browser

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

REASON = "Thiếu biên bản kiểm tra an toàn thông tin của quý"


def _package() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("bao-cao.txt", "Báo cáo định kỳ quý")
    return buffer.getvalue()


def _payload(period, version: int) -> dict:
    return {
        "schema": "theodoi.upward-report/1",
        "period": {"key": str(period), "label": period.label_vi()},
        "version": version,
        "summary": {
            "tasks_total": 42,
            "done": 20,
            "done_on_time": 18,
            "overdue": 3,
            "in_progress": 15,
            "not_started": 4,
            "average_progress": 61.5,
        },
        "sections": [
            {
                "code": "I",
                "title": "Kết quả thực hiện",
                "text": f"Lần gửi {version}: phường đã triển khai các nhiệm vụ của quý.",
            }
        ],
        "tasks": [],
        "indicators": [],
        "evidence": [],
    }


def _send(office, report, period, version):
    return upward_report_send(
        actor=office,
        report=report,
        payload=_payload(period, version + 1),
        package=_package(),
        version=version,
    )


def _shoot(driver, name: str, width: int) -> None:
    """The whole page at the width the test runs at, which stays set afterwards."""
    if not SHOTS:
        return
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {
            "width": width,
            "height": min(height, 6000),
            "deviceScaleFactor": 1,
            "mobile": width < 500,
        },
    )
    driver.save_screenshot(str(folder / f"{name}-{width}.png"))
    _at_width(driver, width)


def _row(driver, ward_id):
    return driver.find_element(By.CSS_SELECTOR, f"#upward-table tr[data-ward='{ward_id}']")


def _fits(driver, width):
    assert driver.execute_script("return document.documentElement.scrollWidth") <= width + 1


@pytest.mark.parametrize("width", [1366, 390])
def test_the_province_returns_then_accepts_a_wards_report(browser, demo_site, width):  # noqa: F811
    office = User.objects.get(username="vanphong")
    ward = office.organization
    plan = Plan.objects.filter(organization=ward, number__startswith="110").get()
    period = last_ended_quarter(clock.today())
    report = upward_report_prepare(actor=office, plan=plan, period=period)
    report = _send(office, report, period, 0)

    sign_in(browser, demo_site, "tinh")
    _at_width(browser, width)
    try:
        browser.get(demo_site + reverse("upward_received"))
        wait_for_text(browser, "Báo cáo của xã, phường")
        row = _row(browser, ward.pk)
        assert row.get_attribute("data-state") == "received"
        assert "Đã nhận, chờ trả lời" in row.text
        # The other ward of the province has sent nothing, past the due day.
        late = browser.find_element(By.CSS_SELECTOR, "#upward-table tr[data-state='late']")
        assert "Phường Thành Đông" in late.text and "trễ hạn" in late.text
        assert browser.find_element(By.CSS_SELECTOR, "[data-count=arrived]").text == "1"
        _fits(browser, width)
        _shoot(browser, "upward-received", width)

        click(browser, row.find_element(By.LINK_TEXT, "Xem báo cáo"))
        wait_for_text(browser, "Lần gửi 1: phường đã triển khai")
        _fits(browser, width)
        # Returning without a reason is refused, and says what to write.
        click(browser, browser.find_element(By.CSS_SELECTOR, "#upward-return button"))
        browser.switch_to.alert.accept()
        wait_for_text(browser, "Hãy ghi lý do trả lại")
        browser.find_element(By.ID, "id_reason").send_keys(REASON)
        click(browser, browser.find_element(By.CSS_SELECTOR, "#upward-return button"))
        browser.switch_to.alert.accept()
        wait_for_text(browser, "Đã trả lại báo cáo")
        assert _row(browser, ward.pk).get_attribute("data-state") == "returned"

        # The ward's office is told, with the reason, and reads it on the report's page.
        # (The demo's own reports of earlier quarters were answered too.)
        note = Notification.objects.get(
            recipient=office,
            kind=Kind.UPWARD_REPORT_ANSWERED,
            body__contains=REASON,
        )
        assert "bị trả lại" in note.title and REASON in note.body
        sign_in(browser, demo_site, "vanphong")
        browser.get(demo_site + reverse("notifications"))
        wait_for_text(browser, "Báo cáo định kỳ bị trả lại")
        # The link opens the ward's own page of the report, where it is corrected and resent.
        browser.get(demo_site + note.link)
        wait_for_text(browser, REASON)
        returned = browser.find_element(By.CSS_SELECTOR, "[data-testid=upward-returned]")
        assert REASON in returned.text
        assert not browser.find_elements(By.ID, "upward-answer")  # the ward cannot answer

        report.refresh_from_db()
        _send(office, report, period, 1)
        sign_in(browser, demo_site, "tinh")
        browser.get(demo_site + reverse("upward_received_report", args=[report.pk]))
        wait_for_text(browser, "Lần gửi 2: phường đã triển khai")
        _shoot(browser, "upward-report", width)
        click(browser, browser.find_element(By.CSS_SELECTOR, "#upward-accept button"))
        browser.switch_to.alert.accept()
        wait_for_text(browser, "Đã chấp nhận báo cáo")
        WebDriverWait(browser, 10).until(
            EC.presence_of_element_located(
                (By.CSS_SELECTOR, f"#upward-table tr[data-ward='{ward.pk}'][data-state='accepted']")
            )
        )
        assert "Đã chấp nhận" in _row(browser, ward.pk).text
        report.refresh_from_db()
        assert (report.status, report.version) == (UpwardReport.Status.ACCEPTED, 2)
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
