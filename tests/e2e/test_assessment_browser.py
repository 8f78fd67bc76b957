"""A self-assessment campaign end to end in headless Chromium with the demo ward (issue 8): the
standing office opens it, the culture unit answers with an evidence file and sends it, the
office accepts the file and the answers, and the results show the unit ranked with its radar."""

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.e2e.test_browser import (  # noqa: F401 (fixtures)
    browser,
    click,
    demo_site,
    live_site,
    sign_in,
    wait_for_text,
)
from theodoi.assessment.models import Submission

pytestmark = pytest.mark.browser

NAME = "Đợt thử trên trình duyệt"
UNIT = "Phòng Văn hóa - Xã hội"


def _fill_the_form(driver):
    """Answer every criterion the unit answers itself, as a person would."""
    for radio in driver.find_elements(By.CSS_SELECTOR, "input[type=radio][value=yes]"):
        click(driver, radio)
    for select in driver.find_elements(By.CSS_SELECTOR, "select[name^='a-']"):
        Select(select).select_by_index(1)
    for field in driver.find_elements(By.CSS_SELECTOR, "input[name^='a-'][inputmode=decimal]"):
        kind = driver.find_element(By.ID, field.get_attribute("aria-describedby")).text
        value = "80" if kind == "%" else "3" if kind == "số lượng" else "2"
        field.clear()
        field.send_keys(value)


def test_a_campaign_runs_end_to_end_with_the_demo_ward(browser, demo_site, tmp_path):  # noqa: F811
    # The standing office opens an assessment for the culture unit only.
    sign_in(browser, demo_site, "vanphong")
    browser.get(demo_site + reverse("assessment_home"))
    click(browser, browser.find_element(By.LINK_TEXT, "Mở đợt tự đánh giá"))
    browser.find_element(By.ID, "name").send_keys(NAME)
    for box in browser.find_elements(By.CSS_SELECTOR, "input[name=units]"):
        label = browser.find_element(By.CSS_SELECTOR, f"label[for='{box.get_attribute('id')}']")
        if box.is_selected() != (label.text == UNIT):
            click(browser, box)
    click(browser, browser.find_element(By.CSS_SELECTOR, "#campaign-form button[type=submit]"))
    wait_for_text(browser, "Đã mở đợt tự đánh giá")
    submission = Submission.objects.get(campaign__name=NAME)
    assert submission.unit.name == UNIT

    # The unit attaches evidence, answers and sends.
    sign_in(browser, demo_site, "canbo_vhxh")
    browser.get(demo_site + reverse("assessment_home"))
    click(browser, browser.find_element(By.PARTIAL_LINK_TEXT, NAME))
    pdf = tmp_path / "ke-hoach-cds.pdf"
    pdf.write_bytes(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    browser.find_element(By.ID, "file-1.1").send_keys(str(pdf))
    click(browser, browser.find_element(By.CSS_SELECTOR, "button[name=attach][value='1.1']"))
    wait_for_text(browser, "Đã đính kèm tệp minh chứng")
    _fill_the_form(browser)
    click(browser, browser.find_element(By.CSS_SELECTOR, "button[name=action][value=submit]"))
    WebDriverWait(browser, 5).until(lambda b: b.switch_to.alert).accept()
    wait_for_text(browser, "Đã gửi Văn phòng thẩm định")
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    assert "ke-hoach-cds.pdf" in browser.page_source

    # The office accepts the file, then the answers.
    sign_in(browser, demo_site, "vanphong")
    browser.get(demo_site + reverse("assessment_campaign", args=[submission.campaign_id]))
    click(browser, browser.find_element(By.CSS_SELECTOR, "#submissions a"))
    click(browser, browser.find_element(By.CSS_SELECTOR, "button[value=evidence-accept]"))
    wait_for_text(browser, "Đã ghi nhận kết quả thẩm định")
    click(browser, browser.find_element(By.CSS_SELECTOR, "button[name=action][value=accept]"))
    wait_for_text(browser, "Đã duyệt phiếu tự đánh giá")
    submission.refresh_from_db()
    assert submission.status == Submission.Status.ACCEPTED

    # The results rank the unit and draw its radar.
    browser.get(demo_site + reverse("assessment_results", args=[submission.campaign_id]))
    row = browser.find_element(By.CSS_SELECTOR, f"#results tr[data-unit='{submission.unit_id}']")
    assert row.find_element(By.CSS_SELECTOR, "[data-rank]").text == "1"
    canvas = browser.find_element(By.CSS_SELECTOR, "canvas[data-chart='radar-0']")
    drawn = WebDriverWait(browser, 10).until(
        lambda b: b.execute_script(
            "return window.Chart && Chart.getChart(arguments[0])"
            " && Chart.getChart(arguments[0]).config.type;",
            canvas,
        )
    )
    assert drawn == "radar"
