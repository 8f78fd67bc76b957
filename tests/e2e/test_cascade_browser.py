"""In a browser: the ward's office links a task to the province task it carries out, and the
province task leaves the list of those not made concrete yet."""

import pytest
from django.urls import reverse

from tests.cascade import hai_phong
from tests.e2e.test_browser import browser, click, live_site, sign_in, wait_for_text  # noqa: F401
from tests.factories import PlanFactory, TaskFactory
from theodoi.demo import data

pytestmark = pytest.mark.browser

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402


def test_the_office_links_a_task_and_the_list_shrinks(browser, live_site):  # noqa: F811
    hp = hai_phong()
    hp.people.office.set_password(data.PASSWORD)
    hp.people.office.save()
    plan = PlanFactory(organization=hp.le_chan)
    task = TaskFactory(plan=plan, title="Bảo đảm an toàn an ninh mạng", lead_units=[hp.unit])
    upper = hp.province_plan.tasks.get(code="4.2")
    sign_in(browser, live_site, "vanphong")
    browser.get(live_site + reverse("plan_list"))
    click(browser, browser.find_element(By.ID, "unimplemented-link"))
    wait_for_text(browser, "Nhiệm vụ cấp trên chưa cụ thể hóa")
    listed = browser.find_element(By.ID, "unimplemented").text
    assert "Bảo đảm an toàn, an ninh mạng tại cơ quan, đơn vị" in listed
    browser.get(live_site + task.get_absolute_url())
    Select(browser.find_element(By.ID, "upper-choice")).select_by_value(str(upper.pk))
    click(browser, browser.find_element(By.CSS_SELECTOR, "#upper form button[type=submit]"))
    wait_for_text(browser, "đã được gắn là cụ thể hóa nhiệm vụ 4.2")
    assert "49/KH-UBND" in browser.find_element(By.ID, "upper-task").text
    browser.get(live_site + reverse("unimplemented_upper_tasks"))
    listed = browser.find_element(By.ID, "unimplemented").text
    assert "Bảo đảm an toàn, an ninh mạng tại cơ quan, đơn vị" not in listed
    assert "Thí điểm lắp đặt điểm truy cập Wi-Fi" in listed
