"""The task edit page in a real browser: the deadline typed is read as the person types (htmx),
before saving; the withdraw confirmation says what happens. At a desktop width and a phone's.

Set THEODOI_SCREENSHOTS to a folder to keep screenshots of both pages at both widths."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from tests.e2e.test_browser import (  # noqa: F401
    CHROMEDRIVER,
    CHROMIUM,
    click,
    demo_site,
    live_site,
    sign_in,
    wait_for_text,
)
from theodoi.plans.models import Task

pytestmark = pytest.mark.browser

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

SHOTS = os.environ.get("THEODOI_SCREENSHOTS", "")


def _shoot(driver, name: str) -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.body.scrollHeight")
    width = driver.get_window_size()["width"]
    driver.set_window_size(width, min(height + 120, 4000))
    driver.save_screenshot(str(Path(SHOTS) / f"{name}.png"))


@pytest.fixture(params=[1366, 390], ids=["desktop", "phone"])
def browser(request):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        f"--window-size={request.param},900",
        "--lang=vi",
    ]:
        options.add_argument(argument)
    if request.param < 500:
        # A desktop window cannot be made this narrow: the phone is emulated.
        options.add_experimental_option(
            "mobileEmulation",
            {"deviceMetrics": {"width": request.param, "height": 844, "pixelRatio": 1}},
        )
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(2)
    driver.width = request.param
    yield driver
    driver.quit()


def test_the_office_edits_a_task_and_sees_the_deadline_read_before_saving(
    browser,
    demo_site,  # noqa: F811
):
    # A task of vanphong's ward (the city's plan, imported first, is not the ward's).
    task = (
        Task.objects.filter(subtasks__isnull=True, plan__organization__kind="ward")
        .order_by("pk")
        .first()
    )
    sign_in(browser, demo_site, "vanphong")
    browser.get(demo_site + reverse("task_edit", args=[task.pk]))
    box = browser.find_element(By.ID, "id_deadline_text")
    box.clear()
    box.send_keys("Trước 30/6/2026")
    WebDriverWait(browser, 10).until(
        lambda b: "30/06/2026" in b.find_element(By.ID, "deadline-reading").text
    )
    assert "Hệ thống hiểu là" in browser.find_element(By.ID, "deadline-reading").text
    # The page fits a phone: nothing wider than the window.
    overflow = browser.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1
    _shoot(browser, f"task-edit-{browser.width}")
    click(browser, browser.find_element(By.CSS_SELECTOR, "button[value=save]"))
    wait_for_text(browser, "Đã lưu nhiệm vụ")
    task.refresh_from_db()
    assert task.deadline_text == "Trước 30/6/2026"

    browser.get(demo_site + reverse("task_withdraw", args=[task.pk]))
    wait_for_text(browser, "Rút nhiệm vụ này khỏi kế hoạch?")
    _shoot(browser, f"task-withdraw-{browser.width}")
    browser.get(demo_site + reverse("plan_withdraw", args=[task.plan_id]))
    wait_for_text(browser, "Thu hồi kế hoạch này?")
    _shoot(browser, f"plan-withdraw-{browser.width}")
