"""A province task carried out by the wards, in a real browser: the upper level opens the
province task of Hải Phòng's plan 49/KH-UBND, sees Lê Chân's row, follows it down to the ward's
own task; the ward's officer reports progress on it; the province task's progress moves. At
1366 px and on a 390 px phone, where nothing scrolls sideways.

Set THEODOI_SCREENSHOTS to a folder to keep the page at both widths."""

from pathlib import Path

import pytest

from tests.e2e.test_browser import browser, click, demo_site, live_site, sign_in, wait_for_text  # noqa: F401
from tests.e2e.test_budget_browser import _shoot, _width
from theodoi.core.access import SYSTEM
from theodoi.importer.pipeline import draft_from_bytes
from theodoi.importer.services import import_draft
from theodoi.org.models import Organization
from theodoi.plans import services as plans
from theodoi.plans.models import Task, WardAssignment

pytestmark = pytest.mark.browser

from selenium.webdriver.common.by import By  # noqa: E402

DOCUMENT = (
    Path(__file__).resolve().parents[2]
    / "theodoi"
    / "demo"
    / "documents"
    / "ke-hoach-49-ubnd-hai-phong.md"
)
DATABASES_TITLE = "Đưa vào khai thác hiệu quả các cơ sở dữ liệu quốc gia"


def _province_task() -> tuple[Task, Task]:
    """Plan 49/KH-UBND imported into Hải Phòng, its task 3.1 given to every ward, and Lê Chân's
    task of the same work linked to it."""
    province = Organization.objects.get(code="HP")
    draft = draft_from_bytes(DOCUMENT.read_bytes(), name=DOCUMENT.name, ocr=False)
    plan = import_draft(actor=SYSTEM, draft=draft, ward=province, confirm_other_issuer=True).plan
    upper = Task.objects.get(plan=plan, code="3.1")
    plans.task_assign_wards(actor=SYSTEM, task=upper, assignment=WardAssignment.ALL_WARDS)
    ward_task = Task.objects.get(plan__number="110/KH-UBND", title__startswith=DATABASES_TITLE)
    plans.task_link_upper(actor=SYSTEM, task=ward_task, upper_task=upper)
    return upper, ward_task


def _progress_shown(driver) -> int:
    return int(driver.find_element(By.ID, "rollup-progress").text.rstrip("%"))


@pytest.mark.parametrize("width", [1366, 390])
def test_province_follows_a_task_down_to_the_ward_and_sees_its_progress(
    browser,  # noqa: F811
    demo_site,  # noqa: F811
    width,
):
    upper, ward_task = _province_task()
    wards = Organization.objects.filter(
        parent__code="HP", kind__in=[Organization.Kind.WARD, Organization.Kind.COMMUNE]
    ).count()
    _width(browser, width)
    sign_in(browser, demo_site, "tinh")
    browser.get(demo_site + upper.get_absolute_url())
    wait_for_text(browser, "Các xã, phường thực hiện nhiệm vụ")
    assert browser.find_element(By.ID, "rollup-rule").text == (
        f"Tiến độ = bình quân tiến độ của {wards} xã, phường được giao (xã, phường chưa cụ thể "
        "hóa tính 0%); trạng thái theo xã, phường chậm nhất."
    )
    before = _progress_shown(browser)
    assert before == round(ward_task.progress / wards + 1e-9)
    row = browser.find_element(By.CSS_SELECTOR, "#rollup-rows tr[data-ward='HP-LECHAN']")
    assert "Phường Lê Chân" in row.text
    other = browser.find_element(By.CSS_SELECTOR, "#rollup-rows tr[data-ward='HP-THANHDONG']")
    assert "Chưa cụ thể hóa" in other.text
    assert browser.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth + 1"
    )
    _shoot(browser, f"rollup-province-task-{width}")

    # Down to the ward's own task, which the upper level may read.
    click(browser, row.find_element(By.CSS_SELECTOR, "a"))
    wait_for_text(browser, DATABASES_TITLE)
    assert browser.current_url.endswith(ward_task.get_absolute_url())

    # The ward's officer reports on it, as the task page's form does.
    percent_done = 90 if ward_task.progress != 90 else 70
    sign_in(browser, demo_site, "canbo_vhxh")
    browser.get(demo_site + ward_task.get_absolute_url())
    percent = browser.find_element(By.ID, "percent")
    percent.clear()
    percent.send_keys(str(percent_done))
    browser.find_element(By.ID, "result").send_keys("Đã khai thác dữ liệu dân cư cho 3 thủ tục.")
    click(
        browser,
        browser.find_element(By.CSS_SELECTOR, "form[data-upload-progress] button[type=submit]"),
    )
    wait_for_text(browser, "Đã lưu báo cáo")

    sign_in(browser, demo_site, "tinh")
    browser.get(demo_site + upper.get_absolute_url())
    wait_for_text(browser, "Các xã, phường thực hiện nhiệm vụ")
    # Lê Chân's share over the wards of Hải Phòng, half a percent up; the other ward counts 0.
    expected = int(percent_done / wards + 0.5)
    assert _progress_shown(browser) == expected != before
    upper.refresh_from_db()
    assert upper.progress == expected
    _shoot(browser, f"rollup-province-task-after-{width}")
