"""The self-assessment form never loses what a person typed, in headless Chromium with the demo
ward, at a desktop width and at a 390 px phone's: attaching an evidence file to one criterion
keeps (and saves) the answers typed in the others, and leaving the page with answers typed but
not saved asks first."""

import pytest
from django.urls import reverse
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.e2e import test_browser
from tests.e2e.test_browser import (  # noqa: F401 (fixtures)
    click,
    demo_site,
    live_site,
    sign_in,
    wait_for_text,
)
from tests.e2e.test_living_plan_browser import _shoot
from theodoi.assessment.models import Submission
from theodoi.plans.models import Task

pytestmark = pytest.mark.browser

UNIT = "Phòng Văn hóa - Xã hội"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(scope="module")
def browser():
    """Chromium as the shared fixture starts it, except that the question a page asks before it
    is left stays open for the test to see: WebDriver otherwise answers it at once ("leave")."""
    options = webdriver.ChromeOptions()
    options.binary_location = test_browser.CHROMIUM
    # Chromium keeps the question open only for a WebDriver BiDi session told to ignore it.
    options.set_capability("webSocketUrl", True)
    options.set_capability(
        "unhandledPromptBehavior", {"default": "dismiss and notify", "beforeUnload": "ignore"}
    )
    for argument in test_browser.CHROMIUM_ARGUMENTS:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(test_browser.CHROMEDRIVER), options=options)
    driver.implicitly_wait(2)
    yield driver
    driver.quit()


@pytest.fixture(params=[1366, 390], ids=["desktop", "phone"])
def width(request, browser):
    """The page as a laptop shows it, and as a 390 px phone does."""
    mobile = request.param < 500
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": request.param, "height": 900, "deviceScaleFactor": 1, "mobile": mobile},
    )
    yield request.param
    question = _alert(browser)
    if question:  # a test that stopped halfway leaves no question open for the next one
        question.accept()
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def _criterion(driver, code):
    return driver.find_element(By.CSS_SELECTOR, f"li[id='c-{code}']")


def _open_the_form(driver, base_url):
    # The demo's open assessment, which the culture unit is still filling in.
    submission = Submission.objects.get(campaign__status="open", unit__name=UNIT, status="draft")
    sign_in(driver, base_url, "canbo_vhxh")
    driver.get(base_url + reverse("assessment_submission", args=[submission.pk]))
    return submission


def _type(driver, field, text):
    click(driver, field)
    field.clear()
    field.send_keys(text)


def _alert(driver):
    try:
        return driver.switch_to.alert
    except NoAlertPresentException:
        return False


def test_attaching_a_file_keeps_and_saves_the_typed_answers(browser, demo_site, width, tmp_path):  # noqa: F811
    submission = _open_the_form(browser, demo_site)
    click(browser, browser.find_element(By.ID, "a-1.1-yes"))
    _type(browser, browser.find_element(By.ID, "a-1.2"), "85")
    _type(browser, browser.find_element(By.NAME, "note-1.2"), "Hội nghị ngày 12/3")
    _type(browser, browser.find_element(By.ID, "a-1.3"), "7")
    pdf = tmp_path / "ke-hoach-cds.pdf"
    pdf.write_bytes(PDF)
    row = _criterion(browser, "1.1")
    row.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(pdf))
    click(browser, row.find_element(By.XPATH, ".//button[contains(., 'Đính kèm')]"))
    wait_for_text(browser, "Đã đính kèm tệp minh chứng")
    if width == 1366:  # THEODOI_SCREENSHOTS: the page at both widths, once
        _shoot(browser, "assessment-attached")

    # Still on the form, still filled in, and stored.
    assert browser.find_element(By.ID, "a-1.1-yes").is_selected()
    assert browser.find_element(By.ID, "a-1.2").get_attribute("value") == "85"
    assert browser.find_element(By.NAME, "note-1.2").get_attribute("value") == "Hội nghị ngày 12/3"
    assert browser.find_element(By.ID, "a-1.3").get_attribute("value") == "7"
    assert "ke-hoach-cds.pdf" in _criterion(browser, "1.1").text
    stored = {a.code: a for a in submission.answers.all()}
    assert stored["1.1"].value == "yes"
    assert stored["1.2"].value == "85" and stored["1.2"].note == "Hội nghị ngày 12/3"
    assert stored["1.3"].value == "7"
    assert stored["1.1"].evidence.get().original_name == "ke-hoach-cds.pdf"


def test_leaving_with_typed_answers_asks_first(browser, demo_site, width):  # noqa: F811
    submission = _open_the_form(browser, demo_site)
    # Nothing typed yet: a link leaves at once.
    click(browser, browser.find_element(By.CSS_SELECTOR, ".breadcrumb a[href$='/assessment/']"))
    WebDriverWait(browser, 10).until(lambda b: b.current_url.endswith("/assessment/"))
    browser.back()
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.ID, "a-1.3"))

    _type(browser, browser.find_element(By.ID, "a-1.3"), "9")
    click(browser, browser.find_element(By.CSS_SELECTOR, ".breadcrumb a[href$='/assessment/']"))
    dialog = WebDriverWait(browser, 5).until(_alert)
    dialog.dismiss()  # stay: the page and what was typed are still there
    assert "/assessment/submissions/" in browser.current_url
    assert browser.find_element(By.ID, "a-1.3").get_attribute("value") == "9"

    browser.refresh()  # a reload asks too
    WebDriverWait(browser, 5).until(_alert).dismiss()
    assert browser.find_element(By.ID, "a-1.3").get_attribute("value") == "9"

    # Saving the form itself does not ask.
    click(
        browser,
        browser.find_element(By.CSS_SELECTOR, ".sticky-bottom button[name=action][value=save]"),
    )
    wait_for_text(browser, "Đã lưu câu trả lời")
    assert not _alert(browser)
    assert submission.answers.get(code="1.3").value == "9"

    # Typed again, then leaving is confirmed: the browser goes.
    _type(browser, browser.find_element(By.ID, "a-1.3"), "10")
    click(browser, browser.find_element(By.CSS_SELECTOR, ".breadcrumb a[href$='/assessment/']"))
    WebDriverWait(browser, 5).until(_alert).accept()
    WebDriverWait(browser, 10).until(lambda b: b.current_url.endswith("/assessment/"))
    assert submission.answers.get(code="1.3").value == "9"


def _leave_by(driver, link):
    """Click a link away from the page; the question asked, if any (already open)."""
    url = driver.current_url
    click(driver, link)
    try:
        return WebDriverWait(driver, 3).until(_alert)
    except TimeoutException:
        WebDriverWait(driver, 10).until(lambda b: b.current_url != url)
        return None


def test_the_task_edit_form_asks_only_for_a_real_change(browser, demo_site, width):  # noqa: F811
    task = Task.objects.get(plan__number="110/KH-UBND", section__code="PL", code="2")
    edit = demo_site + reverse("task_edit", args=[task.pk])
    sign_in(browser, demo_site, "vanphong")
    browser.get(edit)
    deadline = browser.find_element(By.ID, "id_deadline_text")
    original = deadline.get_attribute("value")
    # Typed and erased again: the deadline's reading is fetched and swapped into the form by
    # htmx, yet nothing changed, so the page is left without a question.
    browser.execute_script("document.querySelector('#deadline-reading > *').dataset.before = '1';")
    click(browser, deadline)
    deadline.send_keys(Keys.END, " x", Keys.BACKSPACE, Keys.BACKSPACE)
    WebDriverWait(browser, 10).until(
        lambda b: not b.find_elements(By.CSS_SELECTOR, "#deadline-reading > [data-before]")
    )
    assert deadline.get_attribute("value") == original
    assert _leave_by(browser, browser.find_element(By.CSS_SELECTOR, ".breadcrumb a")) is None

    # A changed title asks; staying keeps it; saving the form does not ask.
    browser.get(edit)
    title = browser.find_element(By.ID, "id_title")
    click(browser, title)
    title.send_keys(Keys.CONTROL, Keys.END)  # the end of the text, not of its first line
    title.send_keys(" (sửa)")
    _leave_by(browser, browser.find_element(By.LINK_TEXT, "Hủy")).dismiss()
    assert title.get_attribute("value").endswith(" (sửa)")
    click(browser, browser.find_element(By.CSS_SELECTOR, "button[name=action][value=save]"))
    wait_for_text(browser, "Đã lưu nhiệm vụ")
    assert not _alert(browser)
    task.refresh_from_db()
    assert task.title.endswith(" (sửa)")


def test_the_report_form_sent_by_htmx_does_not_ask(browser, demo_site, width):  # noqa: F811
    task = Task.objects.get(plan__number="110/KH-UBND", section__code="PL", code="2")
    sign_in(browser, demo_site, "canbo_vhxh")
    browser.get(demo_site + task.get_absolute_url())
    _type(browser, browser.find_element(By.ID, "result"), "Đã rà soát dữ liệu dân cư.")
    _leave_by(browser, browser.find_element(By.CSS_SELECTOR, ".breadcrumb a")).dismiss()
    assert browser.find_element(By.ID, "result").get_attribute("value").startswith("Đã rà soát")
    _type(browser, browser.find_element(By.ID, "percent"), "40")
    click(
        browser,
        browser.find_element(By.CSS_SELECTOR, "form[data-upload-progress] button[type=submit]"),
    )
    wait_for_text(browser, "Đã lưu báo cáo")
    assert not _alert(browser)
    assert task.reports.get().result == "Đã rà soát dữ liệu dân cư."
