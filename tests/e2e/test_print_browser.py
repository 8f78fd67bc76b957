"""Pages a ward prints, and the top bar, in headless Chromium.

Printed on A4, the ward board, a task and the generated report carry their content under a line
naming the ward and the day, without the bar, the buttons, the forms or the footer; a chart is
never cut between two pages and a long table repeats its header row on each page. The top bar
holds one line at 1366 and 1280 px for every role, the person's own links in a menu under their
name that the keyboard opens and that signs out with a POST; on a phone the bar folds.

Set THEODOI_SCREENSHOTS to a folder to keep the first printed pages and the bar as PNGs."""

import base64
import io
import os
import re
from pathlib import Path

import pdfplumber
import pytest
from django.urls import reverse

from tests.e2e.test_browser import browser, click, demo_site, live_site, sign_in  # noqa: F401
from theodoi.demo import data
from theodoi.plans.models import Plan, Task

pytestmark = pytest.mark.browser

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.common.print_page_options import PrintOptions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

SHOTS = os.environ.get("THEODOI_SCREENSHOTS", "")
A4_POINTS = (595, 842)
PRINTED_ON = "In ngày 24/11/2026"  # THEODOI_TODAY of the test settings
# Words only the top bar, the person's menu and the footer show.
SCREEN_ONLY = (
    "Xếp hạng thi đua",
    "Tự đánh giá CĐS",
    "Đăng xuất",
    "Đổi mật khẩu",
    "Tiếng Việt",
    "theo dõi thực hiện các kế hoạch",
)
USERNAMES = [username for username, *_rest in data.USERS]


def _width(driver, width: int, height: int = 900) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 576},
    )


@pytest.fixture
def sized(browser):  # noqa: F811
    """The browser, its window size back to the default laptop after the test."""
    yield browser
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def _print(driver) -> bytes:
    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7  # A4, in centimetres
    return base64.b64decode(driver.print_page(options))


def _pages(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            # Chromium rounds A4's 595.3 points to whole CSS pixels.
            assert abs(page.width - A4_POINTS[0]) <= 1 and abs(page.height - A4_POINTS[1]) <= 1
        return [page.extract_text() or "" for page in document.pages]


def _keep_first_page(pdf: bytes, name: str) -> None:
    """The first printed page as a small PNG (its text still readable when looked at)."""
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        image = document.pages[0].to_image(resolution=72).original
    image.convert("RGB").quantize(colors=64).save(Path(SHOTS) / f"{name}.png", optimize=True)


def _shoot(driver, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(SHOTS) / f"{name}.png"))


def _assert_printed_cleanly(pages: list[str], heading: str, ward: str) -> None:
    text = "\n".join(pages)
    assert heading in pages[0]
    assert ward in pages[0] and PRINTED_ON in pages[0]
    for words in SCREEN_ONLY:
        assert words not in text, words


def _images_per_page(pdf: bytes) -> list[int]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [len(page.images) for page in document.pages]


def test_the_ward_board_prints_without_the_bar_and_no_chart_cut(sized, demo_site):  # noqa: F811
    sign_in(sized, demo_site, "lanhdao")
    sized.get(demo_site + reverse("dashboard"))
    WebDriverWait(sized, 10).until(
        lambda b: b.execute_script(
            "return !!(window.Chart && Chart.getChart(document.querySelector('canvas')))"
        )
    )
    pdf = _print(sized)
    pages = _pages(pdf)
    _assert_printed_cleanly(pages, data.WARD["name"], data.WARD["name"])
    assert len(pages) <= 4
    # Both charts are printed, each whole on one page: a chart cut in two would print twice.
    assert sum(_images_per_page(pdf)) == 2
    # The state cards and both charts on the first page, above the units.
    first = " ".join(pages[0].split())
    for heading in ("Tỷ lệ nhiệm vụ", "Tình trạng vào cuối mỗi tháng"):
        assert heading in first
    _keep_first_page(pdf, "print-dashboard")


def test_a_task_prints_its_details_reports_and_evidence_without_forms(sized, demo_site):  # noqa: F811
    task = Task.objects.get(plan__number="110/KH-UBND", section__code="PL", code="8")
    sign_in(sized, demo_site, "vanphong")  # the office: review forms on the page
    sized.get(demo_site + task.get_absolute_url())
    assert sized.find_elements(By.CSS_SELECTOR, "form[action*='/review/']")
    pdf = _print(sized)
    pages = _pages(pdf)
    _assert_printed_cleanly(pages, task.title[:40], data.WARD["name"])
    text = "\n".join(pages)
    assert "Đã rà soát an ninh mạng tại 12 cơ quan, đơn vị" in text  # the report
    # The office's buttons and the return form are screen only (the history may say that a
    # report was returned: "Trả lại báo cáo: …").
    assert not re.search(r"Trả lại(?! báo cáo)", text), text
    for form_text in ("Rút khỏi kế hoạch", "Thêm nhiệm vụ con"):
        assert form_text not in text, form_text
    # The report form's heading goes with the form: "Báo cáo tiến độ" heads the reports only.
    assert text.count("Báo cáo tiến độ") == 1, text
    _keep_first_page(pdf, "print-task")


def test_the_report_prints_its_text_whole_without_the_period_form(sized, demo_site):  # noqa: F811
    plan = Plan.objects.get(number="110/KH-UBND")
    sign_in(sized, demo_site, "vanphong")
    sized.get(demo_site + reverse("export_report", args=[plan.pk]) + "?period=2026-Q4")
    intro = sized.find_element(By.CSS_SELECTOR, "form.print-keep textarea")
    assert intro.get_attribute("value")
    pdf = _print(sized)
    pages = _pages(pdf)
    _assert_printed_cleanly(pages, "Báo cáo định kỳ", data.WARD["name"])
    text = " ".join(" ".join(pages).split())
    # A textarea's last words too: the field prints its whole text, not a scrolled box.
    last_words = " ".join(intro.get_attribute("value").split()[-6:])
    assert last_words in text
    for screen_text in ("Kỳ báo cáo (tháng", "Tải về bản Word", "Nhiệm vụ và chỉ tiêu (Excel)"):
        assert screen_text not in text, screen_text


def test_a_long_task_table_repeats_its_header_row_on_each_page(sized, demo_site):  # noqa: F811
    plan = Plan.objects.get(number="110/KH-UBND")
    sign_in(sized, demo_site, "vanphong")
    sized.get(demo_site + plan.get_absolute_url())
    # The header's first two cells, which never wrap: "Mã Nhiệm vụ".
    header = " ".join(
        th.text
        for th in sized.find_elements(
            By.XPATH, "//tbody[@id='task-rows']/preceding-sibling::thead//th"
        )[:2]
    )
    codes = [
        row.find_element(By.TAG_NAME, "a").text[:25]
        for row in sized.find_elements(By.CSS_SELECTOR, "#task-rows tr:not(.table-secondary)")
    ]
    pages = [" ".join(page.split()) for page in _pages(_print(sized))]
    table_pages = [page for page in pages if any(code in page for code in codes)]
    assert len(table_pages) >= 2
    for page in table_pages:
        assert header in page


def _bar(driver) -> dict:
    return driver.execute_script(
        """
        const nav = document.querySelector('nav.navbar');
        const style = getComputedStyle(nav);
        const brand = document.querySelector('.navbar-brand').getBoundingClientRect();
        const items = [...nav.querySelectorAll('.navbar-brand, .navbar-nav .nav-link, #user-menu, #nav-bell')]
          .filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect());
        return {
          height: nav.getBoundingClientRect().height,
          line: brand.height + parseFloat(style.paddingTop) + parseFloat(style.paddingBottom),
          tallest: Math.max(...items.map(r => r.height)),
          rows: new Set(items.map(r => Math.round(r.top + r.height / 2))).size,
          right: Math.max(...items.map(r => r.right)),
          width: document.documentElement.clientWidth,
        };
        """
    )


@pytest.mark.parametrize("width", [1366, 1280])
def test_the_bar_holds_one_line_for_every_role(sized, demo_site, width):  # noqa: F811
    _width(sized, width)
    for username in USERNAMES:
        sign_in(sized, demo_site, username)
        sized.get(demo_site + reverse("plan_list"))
        bar = _bar(sized)
        assert bar["height"] == bar["line"], (username, bar)
        assert bar["tallest"] <= bar["line"], (username, bar)  # no link on two lines either
        assert bar["right"] <= bar["width"], (username, bar)
        assert sized.find_element(By.ID, "user-menu").text
    if width == 1366:  # the office has the most links of a ward's people
        sign_in(sized, demo_site, "vanphong")
        _width(sized, width, 360)
        sized.get(demo_site + reverse("plan_list"))
        click(sized, sized.find_element(By.ID, "user-menu"))
        _shoot(sized, "navbar-desktop")


def test_the_persons_menu_opens_with_the_keyboard_and_signs_out_with_a_post(sized, demo_site):  # noqa: F811
    sign_in(sized, demo_site, "admin")  # an administrator: two-step sign-in is offered
    sized.get(demo_site + reverse("plan_list"))
    toggle = sized.find_element(By.ID, "user-menu")
    sized.execute_script("arguments[0].focus();", toggle)
    toggle.send_keys(Keys.ENTER)
    menu = sized.find_element(By.CSS_SELECTOR, "[aria-labelledby=user-menu]")
    WebDriverWait(sized, 5).until(lambda b: menu.is_displayed())
    items = [item.text for item in menu.find_elements(By.CSS_SELECTOR, ".dropdown-item")]
    assert items == [
        "Tài khoản",
        "Đổi mật khẩu",
        "Cài đặt thông báo",
        "Xác thực hai bước",
        "Đăng xuất",
    ]
    assert "Quản trị hệ thống" in menu.text  # the person's name
    for _item in items:
        sized.switch_to.active_element.send_keys(Keys.ARROW_DOWN)
    active = sized.switch_to.active_element
    assert active.text == "Đăng xuất"
    assert active.find_element(By.XPATH, "ancestor::form").get_attribute("method") == "post"
    active.send_keys(Keys.ENTER)
    WebDriverWait(sized, 10).until(
        lambda b: b.current_url.endswith(reverse("login")) or "/login/" in b.current_url
    )
    assert not sized.find_elements(By.ID, "user-menu")


def test_on_a_phone_the_bar_folds_and_the_menu_fits_the_screen(sized, demo_site):  # noqa: F811
    sign_in(sized, demo_site, "vanphong")
    _width(sized, 390, 844)
    sized.get(demo_site + reverse("plan_list"))
    bar = _bar(sized)
    assert bar["height"] == bar["line"]  # brand, bell and menu button on one line
    assert not sized.find_element(By.ID, "user-menu").is_displayed()
    click(sized, sized.find_element(By.CSS_SELECTOR, ".navbar-toggler"))
    toggle = sized.find_element(By.ID, "user-menu")
    WebDriverWait(sized, 5).until(lambda b: toggle.is_displayed())
    click(sized, toggle)
    menu = sized.find_element(By.CSS_SELECTOR, "[aria-labelledby=user-menu]")
    WebDriverWait(sized, 5).until(lambda b: menu.is_displayed())
    box = sized.execute_script("return arguments[0].getBoundingClientRect().toJSON();", menu)
    assert box["left"] >= 0 and box["right"] <= 390
    assert "Đăng xuất" in menu.text and "Hôm nay: 24/11/2026" in menu.text
    _shoot(sized, "phone-navbar")
