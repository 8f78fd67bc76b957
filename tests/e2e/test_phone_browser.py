"""theodoi on a phone, in headless Chromium at 390 px: lists as cards that never scroll
sideways, the app installable (manifest, service worker), a report written without the
network kept on the device and sent when the network returns, and a photo made smaller in
the browser before it is uploaded.

Set THEODOI_PHONE_SCREENSHOTS to a folder to keep the phone screenshots (docs/screenshots)."""

import io
import json
import os
import time
from pathlib import Path

import pytest
from django.urls import reverse

from tests.e2e.test_browser import browser, click, demo_site, live_site, sign_in, wait_for_text  # noqa: F401
from theodoi.plans.models import Task
from theodoi.reporting.models import Evidence, ProgressReport

pytestmark = pytest.mark.browser

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

SHOTS = os.environ.get("THEODOI_PHONE_SCREENSHOTS", "")
PHONE = 390
DESKTOP = 1366
SAVED = "Đã lưu nháp trên máy, sẽ gửi khi có mạng"


@pytest.fixture
def phone(browser):  # noqa: F811
    """The browser as a 390 px phone (touch, mobile viewport), back to a desktop after."""
    _width(browser, PHONE)
    yield browser
    _online(browser)
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def _width(driver, width: int) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 844, "deviceScaleFactor": 1, "mobile": width < 576},
    )


def _network(driver, conditions: dict) -> None:
    """The same network for the page and for the service worker. The page's emulation alone
    does not reach the worker's own requests (Chromium 156 sends them out): the worker would
    fetch pages from the network while the page believes it is offline."""
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", conditions)
    sessions = driver.__dict__.setdefault("_worker_sessions", {})
    for target in driver.execute_cdp_cmd("Target.getTargets", {})["targetInfos"]:
        if target["type"] != "service_worker":
            continue
        if target["targetId"] not in sessions:
            sessions[target["targetId"]] = driver.execute_cdp_cmd(
                "Target.attachToTarget", {"targetId": target["targetId"], "flatten": False}
            )["sessionId"]
        for number, (method, params) in enumerate(
            [("Network.enable", {}), ("Network.emulateNetworkConditions", conditions)]
        ):
            message = {"id": number + 1, "method": method, "params": params}
            driver.execute_cdp_cmd(
                "Target.sendMessageToTarget",
                {"sessionId": sessions[target["targetId"]], "message": json.dumps(message)},
            )


def _offline(driver) -> None:
    _network(
        driver, {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
    )


def _online(driver, upload_bytes_per_second: int = -1) -> None:
    _network(
        driver,
        {
            "offline": False,
            "latency": 0,
            "downloadThroughput": -1,
            "uploadThroughput": upload_bytes_per_second,
        },
    )


def _no_sideways_scroll(driver) -> None:
    width, inner = driver.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert width <= inner, f"the page is {width} px wide in a {inner} px window"


def _shown_in_width(driver, element) -> bool:
    """Displayed, and left and right inside the window (no sideways scroll needed to see it)."""
    box = driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});"
        "var r = arguments[0].getBoundingClientRect();"
        "return [r.left, r.right, r.top, r.bottom, r.width, innerWidth, innerHeight];",
        element,
    )
    left, right, top, bottom, width, inner_width, inner_height = box
    return (
        element.is_displayed()
        and width > 0
        and left >= 0
        and right <= inner_width
        and 0 <= top < bottom <= inner_height
    )


def _shoot(driver, name: str, anchor=None) -> None:
    """The phone's screen as a person sees it, scrolled to ``anchor``."""
    if not SHOTS:
        return
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    if anchor is not None:
        driver.execute_script(
            "arguments[0].scrollIntoView({block: 'start', behavior: 'instant'});"
            "window.scrollBy(0, -8);",
            anchor,
        )
    png = driver.get_screenshot_as_png()
    from PIL import Image

    # A 256-colour PNG: a screenshot of text and flat colours keeps every line readable.
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256)
    image.save(folder / f"{name}.png", optimize=True)


def _cards(driver, table_css: str):
    rows = driver.find_elements(By.CSS_SELECTOR, f"{table_css} > tbody > tr")
    assert rows, f"no row in {table_css}"
    assert not driver.find_element(By.CSS_SELECTOR, f"{table_css} > thead").is_displayed()
    return rows


def test_phone_lists_are_cards_showing_state_and_progress(phone, demo_site):  # noqa: F811
    """My tasks, the review queue and the ward dashboard at 390 px: each task or report a
    card with its state and progress on its first line, nothing wider than the window; at
    1366 px they are tables again."""
    sign_in(phone, demo_site, "canbo_vhxh")
    phone.get(demo_site + reverse("my_tasks"))
    _no_sideways_scroll(phone)
    rows = _cards(phone, "table.table-tasks")
    first = rows[0]
    state = first.find_element(By.CSS_SELECTOR, ".card-state .badge")
    progress = first.find_element(By.CSS_SELECTOR, ".card-progress progress")
    assert _shown_in_width(phone, state) and _shown_in_width(phone, progress)
    # The state and the progress share the card's first line, above the task's title.
    title = first.find_element(By.CSS_SELECTOR, ".task-title a")
    assert state.location["y"] < title.location["y"]
    assert abs(state.location["y"] - progress.location["y"]) < 20
    _shoot(phone, "phone-my-tasks", phone.find_element(By.CSS_SELECTOR, "table.table-tasks"))

    task = Task.objects.get(plan__number="110/KH-UBND", section__code="PL", code="2")
    phone.get(demo_site + task.get_absolute_url())
    _no_sideways_scroll(phone)
    assert _shown_in_width(phone, phone.find_element(By.CSS_SELECTOR, ".evidence-camera-button"))
    _shoot(
        phone, "phone-task-report", phone.find_element(By.CSS_SELECTOR, "form[data-offline-draft]")
    )

    sign_in(phone, demo_site, "vanphong")
    phone.get(demo_site + reverse("review_queue"))
    _no_sideways_scroll(phone)
    reason = phone.find_element(By.CSS_SELECTOR, "article input[name=reason]")
    assert _shown_in_width(phone, reason)
    # The reason box takes the card's whole width, not a sliver between two buttons.
    card = phone.find_element(By.CSS_SELECTOR, "article .card-body")
    assert reason.size["width"] > card.size["width"] * 0.8
    _shoot(phone, "phone-review-queue", phone.find_element(By.CSS_SELECTOR, "article"))
    report = _cards(phone, "table.table-cards")[0]
    for css in (".card-state", ".card-progress", "input[name=reason]", "button[value=return]"):
        assert _shown_in_width(phone, report.find_element(By.CSS_SELECTOR, css)), css

    sign_in(phone, demo_site, "lanhdao")
    phone.get(demo_site + reverse("dashboard"))
    _no_sideways_scroll(phone)
    overdue = _cards(phone, "#overdue-list")[0]
    assert _shown_in_width(phone, overdue.find_element(By.CSS_SELECTOR, ".card-state .badge"))
    assert _shown_in_width(phone, overdue.find_element(By.CSS_SELECTOR, ".card-progress"))
    matrix = _cards(phone, "#unit-matrix")[0]
    assert _shown_in_width(phone, matrix.find_element(By.CSS_SELECTOR, "td[data-state]"))
    _shoot(phone, "phone-ward-dashboard", phone.find_element(By.ID, "h-overdue"))

    # A desktop keeps the tables: headings shown, one line per task.
    _width(phone, DESKTOP)
    phone.get(demo_site + reverse("dashboard"))
    assert phone.find_element(By.CSS_SELECTOR, "#overdue-list > thead").is_displayed()
    assert not phone.find_element(By.CSS_SELECTOR, "#overdue-list .card-state").is_displayed()
    row = phone.find_element(By.CSS_SELECTOR, "#overdue-list > tbody > tr")
    cells = row.find_elements(By.CSS_SELECTOR, "td")
    assert len({cell.location["y"] for cell in cells if cell.is_displayed()}) == 1
    _no_sideways_scroll(phone)


def _worker_ready(driver) -> str:
    return driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "navigator.serviceWorker.ready.then(function (r) { done(r.scope); });"
    )


def _drafts(driver) -> list:
    return driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "window.theodoiDrafts.all().then(function (all) { done(all.map(function (d) {"
        "  return {key: d.key, pending: d.pending, files: d.files.length,"
        "          fields: Object.fromEntries(d.fields)}; })); });"
    )


def test_the_app_installs_with_its_manifest_and_service_worker(phone, demo_site):  # noqa: F811
    sign_in(phone, demo_site, "canbo_vhxh")
    phone.get(demo_site + reverse("my_tasks"))
    assert _worker_ready(phone) == demo_site + "/"
    manifest = phone.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "fetch(document.querySelector('link[rel=manifest]').href)"
        ".then(function (r) { return r.json(); }).then(done);"
    )
    assert manifest["name"] == "theodoi" and manifest["display"] == "standalone"
    # The worker kept the shell: the page's scripts and styles come from its cache.
    cached = phone.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "caches.keys().then(function (keys) { return Promise.all(keys.map(function (k) {"
        "  return caches.open(k).then(function (c) { return c.keys(); }); })); })"
        ".then(function (lists) { done([].concat.apply([], lists).map(function (r) {"
        "  return new URL(r.url).pathname; })); });"
    )
    assert "/static/theodoi/drafts.js" in cached and "/offline/" in cached


def test_report_written_offline_is_kept_on_the_phone_and_sent_when_the_network_returns(
    phone,
    demo_site,  # noqa: F811
    tmp_path,
):
    task = Task.objects.get(plan__number="110/KH-UBND", section__code="PL", code="2")
    before = ProgressReport.objects.filter(task=task).count()
    evidence_before = Evidence.objects.filter(task=task).count()
    sign_in(phone, demo_site, "canbo_vhxh")
    phone.get(demo_site + task.get_absolute_url())
    _worker_ready(phone)
    phone.refresh()  # now served through the worker, which keeps the page for offline use
    WebDriverWait(phone, 10).until(
        lambda d: d.execute_script("return !!navigator.serviceWorker.controller")
    )

    _offline(phone)
    WebDriverWait(phone, 5).until(lambda d: d.execute_script("return !navigator.onLine"))
    percent = phone.find_element(By.ID, "percent")
    percent.clear()
    percent.send_keys("70")
    phone.find_element(By.ID, "result").send_keys("Đã hoàn thành kết nối 4/5 cơ sở dữ liệu.")
    pdf = tmp_path / "bien-ban.pdf"
    pdf.write_bytes(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    phone.find_element(By.ID, "id_files-0-file").send_keys(str(pdf))
    click(
        phone, phone.find_element(By.CSS_SELECTOR, "form[data-offline-draft] button[type=submit]")
    )
    wait_for_text(phone, SAVED)
    assert ProgressReport.objects.filter(task=task).count() == before
    _shoot(phone, "phone-offline-draft", phone.find_element(By.CSS_SELECTOR, ".draft-status"))
    drafts = _drafts(phone)
    assert len(drafts) == 1 and drafts[0]["pending"] and drafts[0]["files"] == 1
    assert drafts[0]["fields"]["percent"] == "70"

    # A task never opened on the phone cannot be shown offline: the worker says so.
    other = Task.objects.get(plan__number="110/KH-UBND", section__code="PL", code="3")
    phone.get(demo_site + other.get_absolute_url())
    wait_for_text(phone, "Không có mạng")
    # The page opened again without the network: the worker's copy, the draft put back.
    phone.get(demo_site + task.get_absolute_url())
    wait_for_text(phone, SAVED)
    assert phone.find_element(By.ID, "result").get_attribute("value").startswith("Đã hoàn thành")
    assert (
        phone.execute_script("return document.getElementById('id_files-0-file').files.length") == 1
    )
    assert ProgressReport.objects.filter(task=task).count() == before

    # The network returns: the report goes by itself and the draft is gone.
    _online(phone)
    wait_for_text(phone, "Đã lưu báo cáo", timeout=20)
    report = ProgressReport.objects.get(task=task, result__startswith="Đã hoàn thành kết nối")
    assert report.percent == 70 and report.submitted_by.username == "canbo_vhxh"
    assert Evidence.objects.filter(task=task).count() == evidence_before + 1
    assert Evidence.objects.filter(task=task, original_name="bien-ban.pdf").exists()
    assert _drafts(phone) == []


def test_text_typed_is_kept_while_typing(phone, demo_site):  # noqa: F811
    task = Task.objects.get(plan__number="110/KH-UBND", section__code="PL", code="2")
    sign_in(phone, demo_site, "canbo_vhxh")
    phone.get(demo_site + task.get_absolute_url())
    phone.find_element(By.ID, "difficulties").send_keys("Thiếu kinh phí")
    WebDriverWait(phone, 5).until(lambda d: _drafts(d))
    phone.get(demo_site + task.get_absolute_url())
    wait_for_text(phone, "Đã khôi phục bản nháp")
    assert phone.find_element(By.ID, "difficulties").get_attribute("value") == "Thiếu kinh phí"
    assert not _drafts(phone)[0]["pending"]


def _big_photo(path: Path) -> int:
    """A 4000 x 3000 camera-like JPEG taken sideways (Orientation 6) with its date."""
    from PIL import Image

    image = Image.effect_noise((4000, 3000), 60).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated: the browser turns it upright when drawing it
    exif[0x0132] = "2026:12:01 09:30:00"  # DateTime
    exif[0x010F] = "Camera"
    image.save(path, "JPEG", quality=95, exif=exif.tobytes())
    return path.stat().st_size


def test_a_large_photo_is_made_smaller_before_upload_with_its_date(
    phone,
    demo_site,  # noqa: F811
    tmp_path,
):
    from PIL import Image

    task = Task.objects.get(plan__number="110/KH-UBND", section__code="PL", code="2")
    photo = tmp_path / "anh-hien-truong.jpg"
    original_size = _big_photo(photo)
    assert original_size > 1.5 * 1024 * 1024
    sign_in(phone, demo_site, "canbo_vhxh")
    phone.get(demo_site + task.get_absolute_url())
    phone.find_element(By.ID, "result").send_keys("Ảnh hiện trường buổi tập huấn.")
    phone.find_element(By.ID, "id_files-0-file").send_keys(str(photo))
    WebDriverWait(phone, 20).until(
        lambda d: (
            "thu nhỏ trước khi gửi" in d.find_element(By.CSS_SELECTOR, ".evidence-status").text
        )
    )
    sent_size = phone.execute_script(
        "return document.getElementById('id_files-0-file').files[0].size"
    )
    assert sent_size < original_size / 2

    # A slow upload (200 kB/s): the progress bar moves while the photo goes up.
    _online(phone, upload_bytes_per_second=200_000)
    click(
        phone, phone.find_element(By.CSS_SELECTOR, "form[data-offline-draft] button[type=submit]")
    )
    values = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            value = phone.execute_script(
                "var b = document.querySelector('.upload-progress');"
                "return b && !b.classList.contains('d-none') ? b.value : null;"
            )
        except Exception:
            break  # the page is being replaced: the report was saved
        if value is None and values:
            break
        if value is not None:
            values.append(value)
        if Evidence.objects.filter(task=task, original_name="anh-hien-truong.jpg").exists():
            break
        time.sleep(0.1)
    _online(phone)
    assert any(0 < value < 100 for value in values), values
    wait_for_text(phone, "Đã lưu báo cáo", timeout=30)

    stored = Evidence.objects.get(task=task, original_name="anh-hien-truong.jpg")
    data = stored.file.read()
    assert len(data) == sent_size < original_size
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert max(image.size) == 2000
    # Turned upright by the browser: the sideways 4000 x 3000 photo is now 1500 x 2000.
    assert image.size == (1500, 2000)
    exif = image.getexif()
    assert exif[0x0132] == "2026:12:01 09:30:00" and exif[0x0112] == 1


def test_assessment_evidence_goes_up_in_the_page_with_a_progress_bar(
    phone,
    demo_site,  # noqa: F811
    tmp_path,
):
    """A form without htmx (the self-assessment's evidence) is sent by XMLHttpRequest: the
    page is not reloaded, the answer replaces it, the photo arrives made smaller."""
    from theodoi.assessment.models import AnswerEvidence, Submission

    submission = Submission.objects.get(
        unit__name="Phòng Văn hóa - Xã hội", status=Submission.Status.DRAFT
    )
    photo = tmp_path / "hop-trien-khai.jpg"
    original_size = _big_photo(photo)
    sign_in(phone, demo_site, "canbo_vhxh")
    phone.get(demo_site + reverse("assessment_submission", args=[submission.pk]))
    field = phone.find_element(By.CSS_SELECTOR, "input[type=file][data-evidence-input]")
    code = field.get_attribute("name").removeprefix("file-")
    field.send_keys(str(photo))
    WebDriverWait(phone, 20).until(
        lambda d: "thu nhỏ" in d.find_element(By.CSS_SELECTOR, ".evidence-status").text
    )
    # The progress bar's values as the upload goes (the page itself stays: no reload).
    phone.execute_script(
        "window.progressSeen = [];"
        "new MutationObserver(function (changes) { changes.forEach(function (change) {"
        "  if (change.target.matches('.upload-progress')) {"
        "    window.progressSeen.push(change.target.value); } }); })"
        ".observe(document.body, {subtree: true, attributes: true, attributeFilter: ['value']});"
    )
    _online(phone, upload_bytes_per_second=300_000)
    # The criterion's own attach button, in the answers form: the answers go with the file.
    click(phone, phone.find_element(By.CSS_SELECTOR, f"button[name=attach][value='{code}']"))
    wait_for_text(phone, "Đã đính kèm tệp minh chứng", timeout=40)
    _online(phone)
    seen = phone.execute_script("return window.progressSeen")
    assert seen is not None, "the page was reloaded instead of sent in place"
    assert any(0 < value < 100 for value in seen) and seen[-1] == 100, seen
    link = AnswerEvidence.objects.get(
        answer__submission=submission, evidence__original_name="hop-trien-khai.jpg"
    )
    assert link.evidence.size < original_size / 2
