"""The budget page in a real browser: the standing office adds a line (a refused amount comes
back with what was typed and says what to type), corrects an imported one and deletes a wrong
one after a confirmation page, and the totals follow. At 1366 px and on a 390 px phone, where
the lines become cards and nothing scrolls sideways.

Set THEODOI_SCREENSHOTS to a folder to keep the page at both widths (docs/screenshots)."""

import io
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image

from tests.e2e.test_browser import browser, click, demo_site, live_site, sign_in, wait_for_text  # noqa: F401
from theodoi.budget.models import BudgetLine
from theodoi.budget.services import budget_lines_create
from theodoi.core.access import SYSTEM
from theodoi.demo import data
from theodoi.plans.models import Plan

pytestmark = pytest.mark.browser

from selenium.webdriver.common.by import By  # noqa: E402

SHOTS = os.environ.get("THEODOI_SCREENSHOTS", "")
D = Decimal


def _width(driver, width: int, height: int = 900) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 576},
    )


def _shoot(driver, name: str) -> None:
    """The whole page, as tall as it is."""
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    width = driver.execute_script("return window.innerWidth")
    height = driver.execute_script("return document.documentElement.scrollHeight")
    _width(driver, width, min(height, 4000))
    png = driver.get_screenshot_as_png()
    _width(driver, width)
    # A 256-colour PNG: text and flat colours stay readable at a fraction of the size.
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256)
    image.save(Path(SHOTS) / f"{name}.png", optimize=True)


def _type(driver, field_id: str, text: str) -> None:
    field = driver.find_element(By.ID, field_id)
    field.clear()
    field.send_keys(text)


def _row(driver, line: BudgetLine):
    return driver.find_element(By.ID, f"line-{line.pk}")


def test_the_office_adds_corrects_and_deletes_budget_lines(browser, demo_site):  # noqa: F811
    plan = Plan.objects.get(organization__code=data.WARD["code"])
    # The appendix of a document, as the import leaves it: the page shows both sources.
    (imported, _) = budget_lines_create(
        actor=SYSTEM,
        plan=plan,
        code="1",
        content="Nâng cấp hệ thống camera giám sát an ninh trật tự",
        by_year={2026: D("850"), 2027: D("400")},
        note="Phụ lục: Dự toán kinh phí",
    )
    wrong = BudgetLine.objects.get(plan=plan, content__startswith="Thiết bị ký số")
    _width(browser, 1366)
    sign_in(browser, demo_site, "vanphong")
    page = demo_site + reverse("plan_budget", args=[plan.pk])
    browser.get(page)
    assert "nhập từ văn bản" in _row(browser, imported).text
    click(browser, browser.find_element(By.CSS_SELECTOR, "a[data-add-line]"))

    _type(browser, "id_content", "Thuê đường truyền cho điểm Wi-Fi công cộng")
    _type(browser, "id_estimate", "một tỷ rưỡi")
    click(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    wait_for_text(browser, "hãy ghi số tiền bằng triệu đồng, ví dụ 1.200.000 hoặc 12,5")
    assert browser.find_element(By.ID, "id_estimate").get_attribute("value") == "một tỷ rưỡi"
    assert "Wi-Fi công cộng" in browser.find_element(By.ID, "id_content").get_attribute("value")
    _shoot(browser, "budget-line-refused")
    _type(browser, "id_estimate", "1,5 tỷ")
    click(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    wait_for_text(browser, "Đã thêm dòng kinh phí.")
    added = BudgetLine.objects.get(plan=plan, content__startswith="Thuê đường truyền")
    assert added.estimate == D("1500")
    assert "thêm trên web bởi" in _row(browser, added).text

    # Correct the imported line: its origin stays, who corrected it is said beside it.
    click(browser, _row(browser, imported).find_element(By.LINK_TEXT, "Sửa"))
    assert browser.find_element(By.ID, "id_estimate").get_attribute("value") == "850"
    _type(browser, "id_estimate", "1.200")
    click(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    wait_for_text(browser, "Đã sửa dòng kinh phí.")
    text = _row(browser, imported).text
    assert "nhập từ văn bản" in text and "sửa bởi" in text and "1.200" in text

    # Delete a wrong line: a confirmation page first, nothing gone until it is confirmed.
    click(browser, _row(browser, wrong).find_element(By.LINK_TEXT, "Xóa"))
    wait_for_text(browser, "Xóa dòng kinh phí này?")
    _shoot(browser, "budget-line-delete")
    assert BudgetLine.objects.filter(pk=wrong.pk).exists()
    click(browser, browser.find_element(By.CSS_SELECTOR, "main form button.btn-danger"))
    wait_for_text(browser, "Đã xóa dòng kinh phí.")
    assert not BudgetLine.objects.filter(pk=wrong.pk).exists()

    # The totals follow: 45,5 (demo) + 1.200 and 400 (imported) + 1.500 (added) = 3.145,5.
    totals = browser.find_element(By.CSS_SELECTOR, "#line-table tr[data-line-totals]").text
    assert "3.145,5" in totals
    assert "3.145,5" in browser.find_element(By.CSS_SELECTOR, "#estimate [data-overall]").text
    browser.get(page)
    _shoot(browser, "budget-desktop")

    _width(browser, 390)
    browser.get(page)
    width, inner = browser.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert width <= inner, f"the page is {width} px wide in a {inner} px window"
    card = _row(browser, added)
    assert card.find_element(By.LINK_TEXT, "Sửa").is_displayed()
    assert card.size["width"] <= inner
    _shoot(browser, "phone-budget")

    # With no line at all the page says what to do, and how to begin.
    plan.budget_lines.all().delete()
    browser.get(page)
    wait_for_text(browser, "Kế hoạch này chưa có dòng kinh phí nào.")
    assert browser.find_element(By.CSS_SELECTOR, "a[data-add-line]").is_displayed()
    _shoot(browser, "phone-budget-empty")
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
