"""A living plan, end to end in a real browser, as a ward works with it.

The standing office imports a plan whose tasks name no lead unit and asks for weekly reports,
gives every task a lead unit and a deadline on the "6 rõ" page, records an amendment (one
deadline moved, one task added) after previewing it; the culture office's officer finds the
tasks among their unit's, reports on one for a week; the ward's numbers follow.

Everything goes through the pages, clicked and typed. Set THEODOI_SCREENSHOTS to a folder to
keep screenshots of the completeness page, the amendment preview and the weekly report form at
a desktop width and a phone's."""

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.e2e.test_browser import browser, click, demo_site, live_site, sign_in, wait_for_text  # noqa: F401
from tests.importer.seeds import seed_path
from theodoi.plans.models import Plan, PlanAmendment
from theodoi.reporting.models import ProgressReport

pytestmark = pytest.mark.browser

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

SHOTS = os.environ.get("THEODOI_SCREENSHOTS", "")
UNIT = "Phòng Văn hóa - Xã hội"
UNIT_SHORT = "Phòng VH-XH"  # how task lists name it
AMENDMENT = "35/KH-UBND"
NEW_TASK = "Tổ chức tuần lễ chuyển đổi số cho người dân tại các tổ dân phố"


def _shoot(driver, name: str) -> None:
    """The whole page at 1366 px, then as a 390 px phone, and back to the window as it was."""
    if not SHOTS:
        return
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    for width, mobile in ((1366, False), (390, True)):
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": mobile},
        )
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": min(height, 6000), "deviceScaleFactor": 1, "mobile": mobile},
        )
        driver.save_screenshot(str(folder / f"{name}-{width}.png"))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def _number(element) -> int:
    """The first whole number a person reads in an element."""
    return int(re.search(r"\d+", element.text).group())


def _not_trackable_on_dashboard(driver, base_url) -> int:
    driver.get(base_url + reverse("dashboard"))
    WebDriverWait(driver, 10).until(EC.presence_of_element_located((By.ID, "unit-matrix")))
    banners = driver.find_elements(By.CSS_SELECTOR, "[data-testid=not-trackable]")
    return _number(banners[0].find_element(By.TAG_NAME, "strong")) if banners else 0


def _unit_total_on_dashboard(driver) -> int:
    row = driver.find_element(
        By.XPATH, f"//table[@id='unit-matrix']//tr[th[normalize-space()='{UNIT}']]"
    )
    return int(row.find_elements(By.TAG_NAME, "td")[-1].text)


def _row_of(driver, title_part: str):
    return driver.find_element(
        By.XPATH, f"//tbody[@id='task-rows']/tr[.//a[contains(., '{title_part}')]]"
    )


def test_a_ward_imports_completes_amends_and_reports_on_a_weekly_plan(browser, demo_site):  # noqa: F811
    # --- The numbers before: the ward board as the standing office sees it ----------------
    sign_in(browser, demo_site, "vanphong")
    gaps_before = _not_trackable_on_dashboard(browser, demo_site)
    unit_before = _unit_total_on_dashboard(browser)

    # --- 1. Import the plan document, weekly reports ---------------------------------------
    browser.get(demo_site + reverse("plan_list"))
    click(browser, browser.find_element(By.LINK_TEXT, "Nhập kế hoạch"))
    browser.find_element(By.ID, "document").send_keys(str(seed_path("003")))
    click(browser, browser.find_element(By.CSS_SELECTOR, "form[data-busy] button[type=submit]"))
    WebDriverWait(browser, 20).until(EC.presence_of_element_located((By.ID, "h-tasks")))
    assert "Chế độ báo cáo" in browser.find_element(By.CSS_SELECTOR, "#draft-form").text
    Select(browser.find_element(By.ID, "plan-reporting_cycle")).select_by_visible_text("Hằng tuần")
    # Another ward's document (seed 003) used as Lê Chân's plan: the draft asks to confirm it.
    click(browser, browser.find_element(By.ID, "confirm_other_issuer"))
    click(browser, browser.find_element(By.CSS_SELECTOR, "button.btn-primary[value=save]"))
    browser.switch_to.alert.accept()
    WebDriverWait(browser, 20).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=not-trackable]"))
    )
    assert "Đã lưu kế hoạch: 27 nhiệm vụ" in browser.find_element(By.CSS_SELECTOR, ".alert").text
    assert "hằng tuần" in browser.find_element(By.TAG_NAME, "main").text
    plan_url = browser.current_url.split("?")[0]
    plan = Plan.objects.get(pk=int(re.search(r"/plans/(\d+)/", plan_url).group(1)))
    banner = browser.find_element(By.CSS_SELECTOR, "[data-testid=not-trackable]")
    on_plan_page = _number(banner.find_element(By.TAG_NAME, "strong"))
    assert on_plan_page == 27

    # --- 2. The "6 rõ" page: every task gets the culture office, the undated a deadline ------
    click(browser, banner.find_element(By.LINK_TEXT, "Hoàn thiện 6 rõ"))
    # A plan without a number is named by its title on the way back.
    assert (
        "Thực hiện Kế hoạch hành động" in browser.find_element(By.CSS_SELECTOR, ".breadcrumb").text
    )
    summary = browser.find_element(By.CSS_SELECTOR, "[data-testid=completeness-summary]")
    assert _number(summary.find_element(By.TAG_NAME, "strong")) == on_plan_page
    undated = _number(browser.find_element(By.CSS_SELECTOR, "a[data-gap=deadline] .badge"))
    assert 0 < undated < on_plan_page
    listed = browser.find_elements(By.CSS_SELECTOR, "input[name=tasks]")
    assert len(listed) == on_plan_page
    click(browser, browser.find_element(By.CSS_SELECTOR, "label[for=check-all]"))
    WebDriverWait(browser, 5).until(
        lambda b: all(box.is_selected() for box in b.find_elements(By.NAME, "tasks"))
    )
    chosen = browser.find_element(By.CSS_SELECTOR, "#bulk-assign [data-checked-count]")
    assert chosen.text == str(on_plan_page)
    Select(browser.find_element(By.ID, "id_lead_unit")).select_by_visible_text(UNIT)
    click(browser, browser.find_element(By.CSS_SELECTOR, ".complete-panel button[type=submit]"))
    wait_for_text(browser, f"Đã giao {on_plan_page} nhiệm vụ")
    # Led now, but the tasks the document gave no deadline still cannot be tracked.
    summary = browser.find_element(By.CSS_SELECTOR, "[data-testid=completeness-summary]")
    assert _number(summary.find_element(By.TAG_NAME, "strong")) == undated

    click(browser, browser.find_element(By.CSS_SELECTOR, "a[data-gap=deadline]"))
    WebDriverWait(browser, 10).until(EC.url_contains("gap=deadline"))
    assert len(browser.find_elements(By.NAME, "tasks")) == undated
    # They are in one section: ticking the section ticks them.
    click(
        browser, browser.find_element(By.CSS_SELECTOR, "#bulk-assign [data-check-section] + label")
    )
    WebDriverWait(browser, 5).until(
        lambda b: (
            b.find_element(By.CSS_SELECTOR, "#bulk-assign [data-checked-count]").text
            == str(undated)
        )
    )
    browser.find_element(By.ID, "id_deadline_text").send_keys("Quý IV/2026")
    # How the deadline is read shows before anything is saved.
    WebDriverWait(browser, 10).until(
        lambda b: "31/12/2026" in b.find_element(By.ID, "deadline-preview").text
    )
    assert "Quý" in browser.find_element(By.ID, "deadline-preview").text
    _shoot(browser, "complete")
    click(browser, browser.find_element(By.CSS_SELECTOR, ".complete-panel button[type=submit]"))
    wait_for_text(browser, f"Đã giao {undated} nhiệm vụ")
    summary = browser.find_element(By.CSS_SELECTOR, "[data-testid=completeness-summary]")
    assert _number(summary.find_element(By.TAG_NAME, "strong")) == 0
    browser.get(plan_url)
    assert not browser.find_elements(By.CSS_SELECTOR, "[data-testid=not-trackable]")
    first_row = browser.find_element(By.CSS_SELECTOR, "#task-rows tr:not(.table-secondary)")
    assert UNIT_SHORT in first_row.text
    moved_title = first_row.find_element(By.CSS_SELECTOR, "td.task-title a").text
    moved_code = first_row.find_element(By.TAG_NAME, "td").text
    original_text, original_due = first_row.find_elements(By.TAG_NAME, "td")[3].text.split("\n")

    # --- 3. An amendment: one deadline moved, one task added, previewed, then recorded -------
    click(browser, browser.find_element(By.LINK_TEXT, "Điều chỉnh kế hoạch"))
    browser.find_element(By.ID, "id_number").send_keys(AMENDMENT)
    issued = browser.find_element(By.ID, "id_issued_on")
    # A date input takes the digits as a person types them, in the browser's order (m/d/y).
    issued.send_keys("12012026")
    browser.find_element(By.ID, "id_note").send_keys(
        "Lùi thời hạn một nhiệm vụ, bổ sung một nhiệm vụ."
    )
    deadline = browser.find_element(
        By.CSS_SELECTOR, "#amendment-form tbody tr:first-child input[name$='-deadline_text']"
    )
    deadline.clear()
    deadline.send_keys("Quý II/2027")
    browser.find_element(By.NAME, "n0-code").send_keys("28")
    browser.find_element(By.NAME, "n0-title").send_keys(NEW_TASK)
    browser.find_element(By.NAME, "n0-deadline_text").send_keys("Quý IV/2026")
    Select(browser.find_element(By.NAME, "n0-lead_unit")).select_by_visible_text(UNIT)
    click(browser, browser.find_element(By.CSS_SELECTOR, "button[name=action][value=preview]"))
    wait_for_text(browser, "Chưa có gì được lưu.")
    changed = browser.find_element(By.CSS_SELECTOR, ".amendment-changes .change-changed")
    assert "Đổi thời hạn" in changed.text
    # The task is named by its code once, not under its section's number again.
    assert changed.find_element(By.TAG_NAME, "strong").text == moved_code
    assert original_text in changed.text and "Quý II/2027" in changed.text
    assert original_due in changed.text and "30/06/2027" in changed.text
    added = browser.find_element(By.CSS_SELECTOR, ".amendment-changes .change-added")
    assert NEW_TASK in added.text and UNIT in added.text
    assert "1 bổ sung" in browser.find_element(By.CSS_SELECTOR, ".alert-info").text
    assert not PlanAmendment.objects.filter(plan=plan).exists()
    _shoot(browser, "amendment-preview")
    click(browser, browser.find_element(By.CSS_SELECTOR, "button[name=action][value=confirm]"))
    browser.switch_to.alert.accept()
    wait_for_text(browser, f"Đã ghi nhận văn bản điều chỉnh {AMENDMENT} là phiên bản 1")

    browser.get(demo_site + reverse("plan_versions", args=[plan.pk]))
    rows = browser.find_elements(By.CSS_SELECTOR, "main table tbody tr")
    assert [row.find_element(By.TAG_NAME, "td").text for row in rows] == ["0", "1"]
    assert AMENDMENT in rows[1].text and "01/12/2026" in rows[1].text
    assert rows[1].find_elements(By.TAG_NAME, "td")[-1].text == "28"

    browser.get(plan_url)
    click(browser, browser.find_element(By.PARTIAL_LINK_TEXT, moved_title[:60]))
    moved = browser.find_element(By.CSS_SELECTOR, ".deadline-moved")
    assert f"điều chỉnh từ {original_due} theo KH số {AMENDMENT}" in moved.text
    assert "30/06/2027" in browser.find_element(By.TAG_NAME, "main").text

    # --- 4. The culture office's officer reports for a week --------------------------------
    sign_in(browser, demo_site, "canbo_vhxh")
    assert browser.current_url.endswith(reverse("my_tasks"))
    click(browser, browser.find_element(By.PARTIAL_LINK_TEXT, NEW_TASK[:60]))
    period = Select(browser.find_element(By.ID, "period"))
    assert period.first_selected_option.text.startswith("Tuần ")
    assert all(option.text.startswith("Tuần ") for option in period.options)
    week = period.first_selected_option.text.split(" (")[0]
    percent = browser.find_element(By.ID, "percent")
    percent.clear()
    percent.send_keys("40")
    browser.find_element(By.ID, "result").send_keys(
        "Đã tổ chức tuần lễ chuyển đổi số tại 4 tổ dân phố, hướng dẫn 320 người dân."
    )
    _shoot(browser, "weekly-report")
    click(
        browser,
        browser.find_element(By.CSS_SELECTOR, "form[data-upload-progress] button[type=submit]"),
    )
    wait_for_text(browser, f"Đã lưu báo cáo kỳ {week} (40%)")
    reports = (
        browser.find_element(By.ID, "reports")
        if browser.find_elements(By.ID, "reports")
        else browser.find_element(By.TAG_NAME, "main")
    )
    assert week in reports.text and "40%" in reports.text
    assert ProgressReport.objects.filter(task__plan=plan, percent=40).count() == 1

    # --- 5. The ward's numbers follow -------------------------------------------------------
    sign_in(browser, demo_site, "vanphong")
    assert _not_trackable_on_dashboard(browser, demo_site) == gaps_before
    assert _unit_total_on_dashboard(browser) == unit_before + 28
    browser.get(plan_url)
    row = _row_of(browser, NEW_TASK[:60])
    assert "40%" in row.text
    assert not browser.find_elements(By.CSS_SELECTOR, "[data-testid=not-trackable]")
