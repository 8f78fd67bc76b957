"""The draft page's coverage in a real browser: a long plan whose tasks are bullet points says
so at the top, lists every block it left out with its line, and a left-out block becomes a
task with one click, at 1366 px and on a 390 px phone, where nothing scrolls sideways.

Set THEODOI_SCREENSHOTS to a folder to keep the page at both widths."""

import os

import pytest
from django.urls import reverse

from tests.e2e.test_browser import browser, click, demo_site, live_site, sign_in, wait_for_text  # noqa: F401
from tests.e2e.test_budget_browser import _shoot, _width
from tests.importer.test_coverage import bullet_plan
from theodoi.demo import data

pytestmark = pytest.mark.browser

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

SHOTS = os.environ.get("THEODOI_SCREENSHOTS", "")


@pytest.mark.parametrize("width", [1366, 390])
def test_left_out_blocks_are_listed_and_one_is_added_as_a_task(
    browser,  # noqa: F811
    demo_site,  # noqa: F811
    width,
    tmp_path,
):
    text, bullets = bullet_plan(ward=data.WARD["name"].removeprefix("Phường "), marked=False)
    document = tmp_path / "ke-hoach-chuyen-doi-so-2026.txt"
    document.write_text(text, encoding="utf-8")
    _width(browser, width)
    sign_in(browser, demo_site, "vanphong")
    browser.get(demo_site + reverse("import_upload"))
    browser.find_element(By.ID, "document").send_keys(str(document))
    click(browser, browser.find_element(By.CSS_SELECTOR, "form button[type=submit].btn-primary"))
    wait_for_text(browser, "Văn bản của tài liệu đã được đọc thành gì")
    alert = browser.find_element(By.ID, "few-tasks")
    assert "Số nhiệm vụ đọc được quá ít so với độ dài tài liệu" in alert.text
    blocks = browser.find_elements(By.CSS_SELECTOR, "#coverage .left-out-block")
    assert len(blocks) >= len(bullets) // 2
    assert "dòng" in blocks[0].text
    # Nothing scrolls sideways but the task table, which scrolls inside its own box.
    assert browser.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth + 1"
    )
    _shoot(browser, f"import-coverage-{width}")
    first = next(b for b in blocks if "chủ trì" in b.text)
    source = first.find_element(By.CSS_SELECTOR, "button[name=add_block]").get_attribute("value")
    click(browser, first.find_element(By.CSS_SELECTOR, "button[name=add_block]"))
    wait_for_text(browser, "đã được thêm thành nhiệm vụ")
    added = browser.find_element(By.ID, "added-task")
    title = added.find_element(By.CSS_SELECTOR, "textarea").get_attribute("value")
    assert "chủ trì" in title and title in text and not title.startswith("-")
    listed = [
        b.get_attribute("value")
        for b in browser.find_elements(By.CSS_SELECTOR, "button[name=add_block]")
    ]
    assert source not in listed
    _shoot(browser, f"import-coverage-added-{width}")
    # Enter in a field still means "save" (which asks first), never "add a block".
    tasks = len(browser.find_elements(By.CSS_SELECTOR, "textarea[name$='-title']"))
    browser.find_element(By.ID, "plan-number").send_keys(Keys.ENTER)
    WebDriverWait(browser, 5).until(EC.alert_is_present())
    browser.switch_to.alert.dismiss()
    assert len(browser.find_elements(By.CSS_SELECTOR, "textarea[name$='-title']")) == tasks
