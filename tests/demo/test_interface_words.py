"""Every page a demo user can reach reads in Vietnamese: no English text of the catalogue left
untranslated, no period written as a code ("2026-Q4") where a person reads it.

The demo is loaded once for the module (inside a transaction rolled back at the end) and each
role walks the site from its home page, following the links it is shown, one page per URL name.
"""

import gettext
import json
import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import Resolver404, resolve, reverse

import theodoi
from theodoi.demo.services import load_demo
from theodoi.importer.pipeline import draft_from_bytes
from theodoi.importer.services import import_draft_create
from theodoi.org.models import User
from theodoi.plans.models import Plan

ROLES = ("admin", "tinh", "lanhdao", "vanphong", "canbo_vhxh", "canbo_congan", "qtphuong")

# Links that leave the page, end the session or change the language; the API answers JSON.
_SKIPPED_PREFIXES = ("/static/", "/media/", "/api/", "/i18n/", "/logout/")
# A file to download is not a page to read (its words are tested with its exporter): not
# asked for when its name says so, not read when its type does.
_FILE_NAMES = re.compile(r".*(file|export|download|template)$")
_SKIPPED_CONTENT = ("application/", "image/", "text/csv", "text/plain", "text/calendar")
# Pages each role must have reached, or the walk proves little.
_MUST_SEE = {"plan_list", "plan_detail", "task_detail", "notifications", "alert_list"}
_MUST_SEE_BY_ROLE = {
    "admin": {
        "admin:index",
        "admin:org_user_changelist",
        "admin:otp_totp_totpdevice_changelist",
        # Lê Chân's plan has no indicator table; the other wards' plans have.
        "indicator_detail",
    },
    "vanphong": {"import_review", "plan_budget", "assessment_submission"},
    "qtphuong": {"ward_users", "ward_units"},
}


class _Page(HTMLParser):
    """The words a person sees on a page, and the links they can follow."""

    _HIDDEN = {"script", "style", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self.links: list[str] = []
        self._hidden = 0
        self._closing: list[str] = []

    def handle_starttag(self, tag, attrs):
        # translate="no" (HTML's own mark) is text for a machine shown to be copied: a key, an
        # address for an authenticator app.
        if tag in self._HIDDEN or ("translate", "no") in attrs:
            self._hidden += 1
            self._closing.append(tag)
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag):
        if self._closing and self._closing[-1] == tag:
            self._closing.pop()
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip() and not _is_json(data):
            self.words.append(" ".join(data.split()))

    @property
    def text(self) -> str:
        return "\n".join(self.words)


def _is_json(text: str) -> bool:
    """A record's raw data as the admin shows it (an audit event's before and after): a
    machine's words, for whoever checks the trail."""
    text = text.strip()
    if not text.startswith(("{", "[")):
        return False
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _english_phrases() -> dict[str, re.Pattern]:
    """The catalogue's English texts that have a different Vietnamese translation, each as a
    pattern of its longest literal run (placeholders cut it), matched as whole words."""
    mo = Path(theodoi.__file__).parent / "locale/vi/LC_MESSAGES/django.mo"
    with mo.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    phrases = {}
    for key, translated in catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid or msgid == translated or "\x04" in msgid:
            continue
        runs = re.split(r"%\(\w+\)[sd]|%[sd]|\{\{[^}]*\}\}|\{\w*\}", msgid)
        literal = max((run.strip(" .,:;«»()—-") for run in runs), key=len)
        # A run must be English words to look for: not a symbol, a number or an abbreviation
        # the translation keeps ("API", "PDF").
        if len(re.findall(r"[A-Za-z]{2,}", literal)) < 1 or literal.isupper():
            continue
        phrases[literal] = re.compile(rf"(?<![\w-]){re.escape(literal)}(?![\w-])")
    return phrases


# English words that are a key's name, a header's name or the demo's data, not interface text.
_NOT_INTERFACE = {"theodoi", "Enter", "Accept"}

# A decimal point where Vietnamese write a comma ("0.0%", "47.6 %").
_ENGLISH_PERCENT = re.compile(r"(?<![\d.,])\d+\.\d+\s?%")
_PERIOD_CODE = re.compile(
    r"(?<![\w/-])\d{4}-(?:Q[1-4]|W\d{1,2}|H[12]|M?(?:0[1-9]|1[0-2]))(?![\w-])"
)


@pytest.fixture(scope="module")
def _media_root(tmp_path_factory):
    """The demo's files stay where every page of the module reads them."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, _media_root):
    with django_db_blocker.unblock(), transaction.atomic():
        ward, _ = load_demo()
        office = User.objects.get(username="vanphong")
        seed = sorted((Path(theodoi.__file__).parent / "demo/seeds").glob("*.txt"))[0]
        content = seed.read_bytes()
        import_draft_create(
            actor=office,
            ward=ward,
            draft=draft_from_bytes(content, name=seed.name),
            source_name=seed.name,
            sha256="0" * 64,
        )
        yield ward
        transaction.set_rollback(True)


def _starts() -> list[str]:
    """Where each walk begins: the home page, the admin, and the pages of objects the first
    pages of their kind may not link to (a plan with a budget, an indicator)."""
    starts = ["/", "/admin/"]
    budgeted = Plan.objects.filter(budget_lines__isnull=False).order_by("pk").first()
    if budgeted is not None:
        starts.append(reverse("plan_budget", args=[budgeted.pk]))
    # An indicator of each plan: a person reaches those of their own ward's plans.
    for plan in Plan.objects.order_by("pk"):
        indicator = plan.indicators.order_by("pk").first()
        if indicator is not None:
            starts.append(reverse("indicator_detail", args=[indicator.pk]))
    return starts


def _walk(client) -> tuple[dict[str, str], set[str]]:
    """The visible text of every page reachable from the starts, one page per URL name, and
    the names of the pages read."""
    seen_names: set[str] = set()
    read_names: set[str] = set()
    pages: dict[str, str] = {}
    queue = deque(_starts())
    visited: set[str] = set()
    while queue:
        url = queue.popleft()
        path = urlsplit(url).path
        if url in visited or path.startswith(_SKIPPED_PREFIXES):
            continue
        visited.add(url)
        try:
            match = resolve(path)
        except Resolver404:
            continue
        name = match.view_name
        if name in seen_names or _admin_page_skipped(name) or _FILE_NAMES.match(name):
            continue
        seen_names.add(name)
        response = client.get(url)
        content_type = response.get("Content-Type", "")
        if response.status_code in (301, 302) and not urlsplit(response["Location"]).netloc:
            seen_names.discard(name)
            queue.appendleft(response["Location"])
            continue
        if response.status_code != 200:
            seen_names.discard(name)  # another page of that name may be this person's
            continue
        if content_type.startswith(_SKIPPED_CONTENT):
            continue
        page = _Page()
        page.feed(response.content.decode())
        pages[url] = page.text
        read_names.add(name)
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return pages, read_names


def _admin_page_skipped(name: str) -> bool:
    """In the admin: its index, each app's list and each model's list and form."""
    if not name.startswith("admin:"):
        return False
    return not (
        name in ("admin:index", "admin:app_list")
        or name.endswith(("_changelist", "_change", "_add"))
    )


def _line(text: str, match: re.Match) -> str:
    """The line of ``text`` the match is on, to say where it was found."""
    end = text.find("\n", match.end())
    return text[text.rfind("\n", 0, match.start()) + 1 : end if end >= 0 else None][:160]


def _problems(pages: dict[str, str], phrases: dict[str, re.Pattern]) -> list[str]:
    found = []
    for url, text in pages.items():
        for literal, pattern in phrases.items():
            match = pattern.search(text)
            if match and literal not in _NOT_INTERFACE:
                found.append(f"{url}: English «{literal}» in «{_line(text, match)}»")
        for kind, pattern in (("number", _ENGLISH_PERCENT), ("period code", _PERIOD_CODE)):
            for match in pattern.finditer(text):
                found.append(f"{url}: {kind} «{match.group()}» in «{_line(text, match)}»")
    return found


@pytest.mark.parametrize("username", ROLES)
def test_every_page_a_demo_user_reaches_reads_in_vietnamese(db, client, demo_site, username):
    client.force_login(User.objects.get(username=username))
    pages, read = _walk(client)
    missed = (_MUST_SEE | _MUST_SEE_BY_ROLE.get(username, set())) - read
    assert not missed, f"the walk did not reach {sorted(missed)}"
    problems = _problems(pages, _english_phrases())
    assert not problems, "\n".join(sorted(set(problems)))


def test_the_check_finds_english_codes_and_decimal_points():
    """What the walk looks for, on a page made up of the mistakes it guards against."""
    text = "Đã lưu báo cáo kỳ 2026-Q4\nSkip to main content\nĐạt 0.0%\nNgày 2026-11-24\nQuý IV/2026"
    found = _problems({"/x/": text}, _english_phrases())
    assert "/x/: period code «2026-Q4» in «Đã lưu báo cáo kỳ 2026-Q4»" in found
    assert "/x/: English «Skip to main content» in «Skip to main content»" in found
    assert "/x/: number «0.0%» in «Đạt 0.0%»" in found
    # Nothing else: a date is not a period, a period in words is right.
    assert not [line for line in found if "2026-11-24" in line or "Quý IV" in line]


def test_text_marked_for_no_translation_is_left_out_and_the_rest_is_read():
    page = _Page()
    page.feed(
        '<p>Khóa</p><dd><code translate="no">otpauth://totp/x?digits=6&amp;period=30</code></dd>'
        "<p>Skip to main content</p><script>var period = 1;</script>"
    )
    assert page.words == ["Khóa", "Skip to main content"]
