"""End to end in a real headless Chromium against a live server: what a person actually does.

Needs Debian's chromium and chromium-driver (.ci/run installs them); without them these tests
are skipped with that reason.
"""

import shutil
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from theodoi.demo import data
from theodoi.demo.services import load_demo

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
if not (CHROMIUM and CHROMEDRIVER):
    pytest.skip(
        "chromium and chromedriver are not installed (Debian: apt-get install chromium "
        "chromium-driver)",
        allow_module_level=True,
    )

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import (  # noqa: E402
    NoSuchElementException,
    StaleElementReferenceException,
    WebDriverException,
)
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

DOWNLOADS = Path(tempfile.mkdtemp(prefix="theodoi-downloads-"))
# Headless, quiet (no updates, sync or first-run pages), a laptop's window, English.
CHROMIUM_ARGUMENTS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1366,900",
    "--lang=en-US",
)


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(DOWNLOADS), "download.prompt_for_download": False},
    )
    for argument in CHROMIUM_ARGUMENTS:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(2)
    yield driver
    driver.quit()


class _RequestsInFlight:
    """The live server's application, counting the requests it is still serving: a page left
    behind by a test may still be loading (a preview, a file), and a request that runs while
    the test database is emptied finds no tables and keeps the flush from running."""

    def __init__(self, application):
        self.application = application
        self.count = 0
        self.idle = threading.Condition()

    def __call__(self, environ, start_response):
        with self.idle:
            self.count += 1
        try:
            response = self.application(environ, start_response)
        except BaseException:
            self._finished()
            raise
        return _ClosedThen(response, self._finished)

    def _finished(self):
        with self.idle:
            self.count -= 1
            self.idle.notify_all()

    def wait(self, timeout: float) -> bool:
        with self.idle:
            return self.idle.wait_for(lambda: self.count == 0, timeout=timeout)


class _ClosedThen:
    """A response whose close() (which the server calls once the body is sent, and in which
    Django ends the request and its database work) also says the request has finished."""

    def __init__(self, response, finished):
        self.response = response
        self.finished = finished

    def __iter__(self):
        return iter(self.response)

    def close(self):
        try:
            close = getattr(self.response, "close", None)
            if close is not None:
                close()
        finally:
            self.finished()


def _requests_in_flight(live_server) -> _RequestsInFlight:
    server = live_server.thread.httpd
    application = server.get_app()
    if not isinstance(application, _RequestsInFlight):
        application = _RequestsInFlight(application)
        server.set_app(application)
    return application


@pytest.fixture
def live_site(transactional_db, live_server, browser):
    """The live server's address. Afterwards the browser leaves the page and the server
    finishes what it is still serving before the database is emptied."""
    in_flight = _requests_in_flight(live_server)
    yield live_server.url
    browser.get("about:blank")
    assert in_flight.wait(timeout=30), "the live server was still serving a request after 30 s"


@pytest.fixture
def demo_site(live_site):
    load_demo()
    return live_site


def wait_for_text(browser, text, timeout=15):
    """Wait until the page's main part shows ``text``; a page being replaced meanwhile (an
    HTMX redirect, a form post) is not an error, just not yet."""

    def shown(b):
        try:
            return text in b.find_element(By.TAG_NAME, "main").text
        except (StaleElementReferenceException, NoSuchElementException):
            return False
        except WebDriverException as exc:
            # Chromium's other words for an element replaced while it was being read.
            if "does not belong to the document" in str(exc):
                return False
            raise

    WebDriverWait(browser, timeout).until(shown)


def click(browser, element):
    """Click as a person would, after scrolling the element into view."""
    # Bootstrap turns on smooth scrolling; an instant jump keeps the click where the element is.
    browser.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element
    )
    element.click()


def sign_in(browser, base_url, username):
    browser.delete_all_cookies()
    browser.get(base_url + reverse("login"))
    browser.find_element(By.ID, "id_username").send_keys(username)
    browser.find_element(By.ID, "id_password").send_keys(data.PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit].w-100").click()
    WebDriverWait(browser, 10).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, "nav form[action$='/logout/']"))
    )


def test_officer_signs_in_and_lands_on_own_units_tasks(browser, demo_site):
    sign_in(browser, demo_site, "canbo_congan")
    assert browser.current_url.endswith(reverse("my_tasks"))
    assert "Việc của đơn vị tôi" in browser.find_element(By.TAG_NAME, "h1").text
    assert "Bảo đảm an toàn an ninh mạng" in browser.page_source


def test_search_without_diacritics_filters_the_table_in_place(browser, demo_site):
    sign_in(browser, demo_site, "vanphong")
    browser.get(demo_site + reverse("plan_list"))
    click(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Thực hiện Nghị quyết số 57-NQ/TW"))
    rows = browser.find_elements(By.CSS_SELECTOR, "#task-rows tr:not(.table-secondary)")
    assert len(rows) == 42  # seed 004: 34 tasks in the body and 8 in the appendix
    marker = browser.execute_script("window.__same_page = true; return window.__same_page;")
    assert marker is True
    browser.find_element(By.ID, "q").send_keys("tri tue nhan tao du lieu lon")
    WebDriverWait(browser, 10).until(
        lambda b: len(b.find_elements(By.CSS_SELECTOR, "#task-rows tr")) == 1
    )
    row = browser.find_element(By.CSS_SELECTOR, "#task-rows tr")
    assert "Tổ chức ứng dụng trí tuệ nhân tạo dựa trên dữ liệu lớn" in row.text
    # HTMX swapped the rows: the page was not reloaded, and the address keeps the filter.
    assert browser.execute_script("return window.__same_page === true;")
    assert parse_qs(urlparse(browser.current_url).query)["q"] == ["tri tue nhan tao du lieu lon"]


def test_leader_sends_a_directive_from_the_task_page(browser, demo_site):
    sign_in(browser, demo_site, "lanhdao")
    browser.get(demo_site + reverse("plan_list"))
    click(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Thực hiện Nghị quyết số 57-NQ/TW"))
    click(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Bảo đảm an toàn an ninh mạng"))
    browser.find_element(By.ID, "directive-text").send_keys(
        "Báo cáo kết quả rà soát an ninh mạng quý IV."
    )
    click(browser, browser.find_element(By.CSS_SELECTOR, "form[action*='/directives/'] button"))
    assert "Đã gửi ý kiến chỉ đạo" in browser.find_element(By.CSS_SELECTOR, ".alert").text
    assert "Báo cáo kết quả rà soát an ninh mạng quý IV." in browser.page_source


def test_standing_office_imports_a_plan_document(browser, demo_site):
    """Upload → check the draft beside the source rows → confirm → the plan page."""
    from tests.importer.seeds import seed_path

    sign_in(browser, demo_site, "vanphong")
    browser.get(demo_site + reverse("plan_list"))
    click(browser, browser.find_element(By.LINK_TEXT, "Nhập kế hoạch"))
    browser.find_element(By.ID, "document").send_keys(str(seed_path("000")))
    click(browser, browser.find_element(By.CSS_SELECTOR, "form[data-busy] button[type=submit]"))
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.ID, "h-tasks")))
    assert "Kiểm tra bản nháp" in browser.find_element(By.TAG_NAME, "h1").text
    assert "Phối hợp xây dựng Đề án thí điểm cơ chế đặt hàng công nghệ" in browser.page_source
    rows = browser.find_elements(By.CSS_SELECTOR, "section[aria-labelledby=h-tasks] tbody tr")
    assert len(rows) == 19
    # The seed is Phường Chơn Thành's plan, uploaded into Lê Chân: said, and confirmed on purpose.
    assert "Chơn Thành" in browser.find_element(By.ID, "other-issuer").text
    click(browser, browser.find_element(By.ID, "confirm_other_issuer"))
    click(browser, browser.find_element(By.CSS_SELECTOR, "button.btn-primary[value=save]"))
    browser.switch_to.alert.accept()
    WebDriverWait(browser, 15).until(EC.url_contains("/plans/"))
    assert (
        "Đã lưu kế hoạch: 19 nhiệm vụ, 15 chỉ tiêu"
        in browser.find_element(By.CSS_SELECTOR, ".alert").text
    )
    assert len(browser.find_elements(By.CSS_SELECTOR, "#task-rows tr:not(.table-secondary)")) == 19


def test_officer_reports_with_a_file_and_the_office_accepts_it(browser, demo_site, tmp_path):
    """The whole loop in the browser: report at 100 % with a PDF, review in the queue with the
    PDF shown in the page, the task becomes done."""
    from theodoi.plans.models import Task

    pdf = tmp_path / "bao-cao.pdf"
    pdf.write_bytes(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    task = Task.objects.get(plan__number="110/KH-UBND", section__code="PL", code="2")
    sign_in(browser, demo_site, "canbo_vhxh")
    browser.get(demo_site + task.get_absolute_url())
    percent = browser.find_element(By.ID, "percent")
    percent.clear()
    percent.send_keys("100")
    browser.find_element(By.ID, "result").send_keys("Đã kết nối, chia sẻ dữ liệu với 5 hệ thống.")
    browser.find_element(By.ID, "id_files-0-file").send_keys(str(pdf))
    click(
        browser,
        browser.find_element(By.CSS_SELECTOR, "form[data-upload-progress] button[type=submit]"),
    )
    wait_for_text(browser, "Đã lưu báo cáo")
    assert "bao-cao.pdf" in browser.page_source

    sign_in(browser, demo_site, "vanphong")
    browser.get(demo_site + reverse("review_queue"))
    card = browser.find_element(By.XPATH, "//article[.//h3[normalize-space()='bao-cao.pdf']]")
    assert card.find_element(By.CSS_SELECTOR, "iframe.evidence-preview")
    click(browser, card.find_element(By.CSS_SELECTOR, "button[name=decision][value=accept]"))
    wait_for_text(browser, "hợp lệ")
    task.refresh_from_db()
    assert task.progress == 100 and task.completed_on is not None


def test_leader_lands_on_the_dashboard_and_the_office_downloads_the_word_report(
    browser, demo_site, settings
):
    """Sign-in → the ward dashboard with its numbers and charts → the periodic report in Word,
    made by the background worker while the page waits for it (htmx asks again until the file
    is offered)."""
    import zipfile
    from io import StringIO

    from django.core.management import call_command

    from tests.queues import signals_kept
    from theodoi.core.clock import today
    from theodoi.plans.models import Plan, Task
    from theodoi.plans.selectors import with_state

    sign_in(browser, demo_site, "lanhdao")
    assert browser.current_url.endswith(reverse("dashboard"))
    plan = Plan.objects.get(number="110/KH-UBND")
    expected = with_state(Task.objects.filter(plan__organization=plan.organization), today=today())
    overdue = expected.filter(state="open_overdue").count()
    card = browser.find_element(By.CSS_SELECTOR, "[data-testid=state-open_overdue]")
    assert str(overdue) in card.text
    # Chart.js drew into the canvases (served by the app, no CDN).
    WebDriverWait(browser, 10).until(
        lambda b: b.execute_script(
            "return window.Chart && Chart.instances && Object.keys(Chart.instances).length >= 2"
        )
    )

    sign_in(browser, demo_site, "vanphong")
    browser.get(demo_site + reverse("export_report", args=[plan.pk]) + "?period=2026-Q3")
    for old in DOWNLOADS.glob("*"):
        old.unlink()
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    click(browser, browser.find_element(By.CSS_SELECTOR, "button[name=format][value=docx]"))
    wait_for_text(browser, "Đang chuẩn bị báo cáo…")
    with signals_kept():
        call_command("worker", "--once", stdout=StringIO(), stderr=StringIO())
    link = WebDriverWait(browser, 15).until(EC.element_to_be_clickable((By.ID, "export-download")))
    click(browser, link)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not [p for p in DOWNLOADS.glob("*.docx")]:
        time.sleep(0.2)
    files = list(DOWNLOADS.glob("*.docx"))
    assert len(files) == 1
    with zipfile.ZipFile(files[0]) as document:
        body = document.read("word/document.xml").decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in body and "BÁO CÁO" in body


def test_the_excel_link_leads_to_the_page_that_offers_the_file_once_made(
    browser, demo_site, settings
):
    """The report's Excel link: the table is made by the background worker while its page
    waits (htmx asks again until the file is offered), then downloaded from there."""
    from io import StringIO

    import openpyxl
    from django.core.management import call_command

    from tests.queues import signals_kept
    from theodoi.plans.models import Plan

    plan = Plan.objects.get(number="110/KH-UBND")
    sign_in(browser, demo_site, "lanhdao")
    browser.get(demo_site + reverse("export_report", args=[plan.pk]) + "?period=2026-Q3")
    for old in DOWNLOADS.glob("*"):
        old.unlink()
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    link = browser.find_element(
        By.CSS_SELECTOR, f"a[href^='{reverse('export_report_file', args=[plan.pk, 'xlsx'])}']"
    )
    click(browser, link)
    wait_for_text(browser, "Đang chuẩn bị báo cáo…")
    assert not list(DOWNLOADS.glob("*"))  # the page, not a file saved under the link's name
    with signals_kept():
        call_command("worker", "--once", stdout=StringIO(), stderr=StringIO())
    download = WebDriverWait(browser, 15).until(
        EC.element_to_be_clickable((By.ID, "export-download"))
    )
    click(browser, download)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not list(DOWNLOADS.glob("*.xlsx")):
        time.sleep(0.2)
    files = list(DOWNLOADS.glob("*.xlsx"))
    assert len(files) == 1
    assert "Nhiệm vụ" in openpyxl.load_workbook(files[0]).sheetnames

    # The ranking's Excel table the same way (its link no longer a plain download).
    files[0].unlink()
    browser.get(demo_site + reverse("ranking_ward", args=[plan.organization_id]))
    click(browser, browser.find_element(By.ID, "ranking-export"))
    wait_for_text(browser, "Đang chuẩn bị bảng xếp hạng…")
    with signals_kept():
        call_command("worker", "--once", stdout=StringIO(), stderr=StringIO())
    download = WebDriverWait(browser, 15).until(
        EC.element_to_be_clickable((By.ID, "export-download"))
    )
    click(browser, download)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not list(DOWNLOADS.glob("xep-hang-*.xlsx")):
        time.sleep(0.2)
    assert len(list(DOWNLOADS.glob("xep-hang-*.xlsx"))) == 1


def test_report_form_refused_by_the_server_says_so_and_can_be_sent_again(browser, demo_site):
    """htmx swaps nothing when the answer is an error: the page must not stay "sending" for
    ever. A file name the server cannot read (5,000 characters) gets its 400 page's words
    above the button, the button works again, and what was typed is still there."""
    from theodoi.plans.models import Task
    from theodoi.reporting.models import ProgressReport

    task = Task.objects.get(plan__number="110/KH-UBND", section__code="PL", code="2")
    sign_in(browser, demo_site, "canbo_vhxh")
    browser.get(demo_site + task.get_absolute_url())
    typed = "Đã kết nối, chia sẻ dữ liệu với 5 hệ thống."
    browser.find_element(By.ID, "result").send_keys(typed)
    # No file system allows such a name, so the browser builds the file itself.
    browser.execute_script(
        """const transfer = new DataTransfer();
        transfer.items.add(new File(["%PDF-1.4\\n%%EOF\\n"], "a".repeat(5000) + ".pdf",
                                    {type: "application/pdf"}));
        document.getElementById("id_files-0-file").files = transfer.files;"""
    )
    button = browser.find_element(By.CSS_SELECTOR, "form[data-upload-progress] button[type=submit]")
    click(browser, button)
    alert = WebDriverWait(browser, 15).until(
        EC.visibility_of_element_located(
            (By.CSS_SELECTOR, "form[data-upload-progress] .send-error")
        )
    )
    assert "đổi tên tệp cho ngắn hơn" in alert.text and "Nội dung bạn nhập vẫn còn." in alert.text
    assert button.is_enabled()
    assert not browser.find_element(By.CSS_SELECTOR, ".busy-indicator").is_displayed()
    assert browser.find_element(By.ID, "result").get_attribute("value") == typed
    assert not ProgressReport.objects.filter(task=task, result=typed).exists()

    # Without the file it goes through, with what was typed before.
    browser.execute_script(
        "document.getElementById('id_files-0-file').files = new DataTransfer().files;"
    )
    click(browser, button)
    wait_for_text(browser, "Đã lưu báo cáo")
    assert ProgressReport.objects.filter(task=task, result=typed).count() == 1
