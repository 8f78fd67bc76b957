"""Alerts a person can act on, in a real browser: the standing office acknowledges an alert
with a note on the ward dashboard (desktop) and snoozes another on the alert page at a phone's
width; each form answers in place (htmx) and the alert says what was done.

Set THEODOI_SCREENSHOTS to a folder to keep screenshots at 1366 px and 390 px."""

import datetime

import pytest
from django.urls import reverse

from tests.e2e.test_browser import browser, click, demo_site, live_site, sign_in  # noqa: F401
from tests.e2e.test_living_plan_browser import _shoot
from theodoi.alerts.models import Alert
from theodoi.core.clock import today

pytestmark = pytest.mark.browser

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def _phone(driver, on: bool) -> None:
    if on:
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True},
        )
    else:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def _open_form(driver, item):
    click(driver, item.find_element(By.TAG_NAME, "summary"))
    return item.find_element(By.CSS_SELECTOR, "[data-testid=alert-form]")


def _answered(driver, alert_id: int, testid: str):
    def shown(d):
        found = d.find_elements(By.CSS_SELECTOR, f"#alert-{alert_id} [data-testid={testid}]")
        return found[0] if found else False

    return WebDriverWait(driver, 15).until(shown)


def test_the_office_acknowledges_an_alert_on_the_ward_dashboard(browser, demo_site):  # noqa: F811
    sign_in(browser, demo_site, "vanphong")
    browser.get(demo_site + reverse("dashboard"))
    section = browser.find_element(By.CSS_SELECTOR, "[data-testid=ward-alerts]")
    assert section.find_element(By.CSS_SELECTOR, "[data-testid=alert-unit-counts]").is_displayed()
    needing_before = Alert.objects.filter(closed_at__isnull=True, acknowledged_at__isnull=True)
    item = next(
        element
        for element in section.find_elements(By.CSS_SELECTOR, "[data-testid=alert]")
        if not element.find_elements(By.CSS_SELECTOR, "[data-testid=alert-acknowledged]")
    )
    alert_id = int(item.get_attribute("data-alert"))
    count = needing_before.count()
    form = _open_form(browser, item)
    form.find_element(By.NAME, "note").send_keys("Đã nhắc đơn vị tại giao ban sáng thứ Hai")
    click(browser, form.find_element(By.CSS_SELECTOR, "button[value=acknowledge]"))
    done = _answered(browser, alert_id, "alert-acknowledged")
    assert "Đã nhắc đơn vị tại giao ban sáng thứ Hai" in done.text
    assert "đã ghi nhận" in done.text
    alert = Alert.objects.get(pk=alert_id)
    assert alert.acknowledgement_note == "Đã nhắc đơn vị tại giao ban sáng thứ Hai"
    assert needing_before.count() == count - 1
    _shoot(browser, "alerts-dashboard")


def test_the_office_snoozes_an_alert_on_the_alert_page_on_a_phone(browser, demo_site):  # noqa: F811
    sign_in(browser, demo_site, "vanphong")
    _phone(browser, True)
    try:
        browser.get(demo_site + reverse("alert_list") + "?state=open")
        groups = browser.find_elements(By.CSS_SELECTOR, "[data-testid=alert-group]")
        assert groups, "the alerts are grouped by unit"
        item = groups[0].find_element(By.CSS_SELECTOR, "[data-testid=alert]")
        alert_id = int(item.get_attribute("data-alert"))
        # Fits the phone: nothing wider than the screen.
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
        form = _open_form(browser, item)
        until = today() + datetime.timedelta(days=10)
        form.find_element(By.NAME, "note").send_keys("Chờ kết quả khảo sát")
        browser.execute_script(
            "arguments[0].value = arguments[1]",
            form.find_element(By.NAME, "until"),
            until.isoformat(),
        )
        click(browser, form.find_element(By.CSS_SELECTOR, "button[value=snooze]"))
        snoozed = _answered(browser, alert_id, "alert-snoozed")
        assert until.strftime("%d/%m/%Y") in snoozed.text
        _shoot(browser, "alerts-page")
    finally:
        _phone(browser, False)
    assert Alert.objects.get(pk=alert_id).snoozed_until == until
    browser.get(demo_site + reverse("alert_list"))
    assert not browser.find_elements(By.ID, f"alert-{alert_id}")  # hidden until its day
