"""A ward's office at once, on a real server: eight people (each signed in with a session of
their own) read dashboards, task lists, task and review pages and evidence previews, send reports
and evidence, review files and decide on reports, for a bounded time against gunicorn with several
worker processes and threads, on the database the suite runs on (the embedded SQLite file by
default). No request may fail; every write a person was told about is in the database.

Then a worker is killed with SIGKILL in the middle of a burst of report submissions: the database
stays consistent, and no report row differs from the audit record of its last change. On the
embedded database, a write lock held past the busy timeout gives "try again" (503) while reads go
on, and a backup's read keeps no writer waiting. Reading pages writes nothing but the audit record
of an opened evidence file.

Run with ``-s`` to see the numbers (requests by kind, errors, p50/p95).
"""

from __future__ import annotations

import contextlib
import html
import os
import random
import re
import signal
import sqlite3
import statistics
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest

from tests.liveserver import Answer, Browser, LiveServer, fresh_installation
from tests.trust.test_stale_forms import STALE_REPORT, STALE_REVIEW
from theodoi.core.samplepdf import tiny_pdf

SECONDS = 25  # how long the eight people work
MAX_REQUESTS_PER_PERSON = 150  # and at most this many requests each
PREVIEWS_AT_ONCE = 6  # a review page opens its PDF previews together, as a browser does

# What people may be told when someone else was faster: a conflict, not an error.
ALREADY_ACCEPTED = "đã được cơ quan thường trực chấp nhận nên không sửa được"
EXPECTED_REFUSALS = (STALE_REPORT, STALE_REVIEW, ALREADY_ACCEPTED)

_ALERT = re.compile(r'<div class="alert alert-(\w+)" role="alert">(.*?)</div>', re.S)
_TASK_LINK = re.compile(r'href="(/tasks/\d+/)"')
_READ_LINKS = re.compile(
    r'href="(/(?:plans/\d+|tasks/\d+|dashboard/ward/\d+|dashboard/ward/\d+/tasks)/)"'
)
_PREVIEW = re.compile(r'src="(/evidence/\d+/file/\?inline=1)"')
_FILE_LINK = re.compile(r'href="(/evidence/\d+/file/)"')


def _form(page: str, action_pattern: str) -> list[tuple[str, str]]:
    """(action, version) of each form on the page posting to an action matching the pattern."""
    found = []
    for form in re.finditer(rf'<form[^>]*action="({action_pattern})".*?</form>', page, re.S):
        version = re.search(r'name="version" value="([^"]*)"', form.group(0))
        found.append((form.group(1), version.group(1) if version else ""))
    return found


@dataclass
class Tally:
    """Every request's kind, answer and time, from all people's threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    outcomes: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    conflicts: Counter = field(default_factory=Counter)

    def add(self, kind: str, outcome: str, seconds: float, detail: str = "") -> None:
        with self.lock:
            self.seconds[kind].append(seconds)
            self.outcomes[kind, outcome] += 1
            if outcome == "error":
                self.errors.append(f"{kind}: {detail}")
            elif outcome == "conflict":
                reason = next(r for r in EXPECTED_REFUSALS if r in detail)
                self.conflicts[kind, reason] += 1

    def count(self, kind: str, outcome: str = "ok") -> int:
        return self.outcomes[kind, outcome]

    def summary(self, database: str) -> str:
        every = [s for values in self.seconds.values() for s in values]
        lines = [
            f"{database}: {len(every)} requests, {sum(self.count(k, 'error') for k in self.seconds)}"
            f" errors, {sum(self.count(k, 'conflict') for k in self.seconds)} conflicts told",
            f"  {'kind':<10} {'n':>5} {'ok':>5} {'confl':>5} {'err':>5} {'p50 ms':>7} {'p95 ms':>7}",
        ]
        for kind in sorted(self.seconds):
            values = self.seconds[kind]
            lines.append(
                f"  {kind:<10} {len(values):>5} {self.count(kind):>5} "
                f"{self.count(kind, 'conflict'):>5} {self.count(kind, 'error'):>5} "
                f"{_percentile(values, 50):>7.0f} {_percentile(values, 95):>7.0f}"
            )
        lines.append(
            f"  {'all':<10} {len(every):>5} {'':>5} {'':>5} {'':>5} "
            f"{_percentile(every, 50):>7.0f} {_percentile(every, 95):>7.0f}"
        )
        lines += [f"  conflict: {k} «{r}» ×{n}" for (k, r), n in sorted(self.conflicts.items())]
        lines += [f"  error: {error}" for error in self.errors[:20]]
        return "\n".join(lines)


def _percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] * 1000 if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


class Person(threading.Thread):
    """One signed-in person doing what their role does, until the time or request budget ends."""

    def __init__(self, url: str, username: str, seed: int, deadline: float, tally: Tally):
        super().__init__(name=f"{username}-{seed}", daemon=True)
        self.browser = Browser(url)
        self.username = username
        self.random = random.Random(seed)
        self.deadline = deadline
        self.tally = tally
        self.requests = 0
        self.sent = 0

    # --- requests and their outcomes ---

    def _request(self, kind: str, send) -> Answer | None:
        self.requests += 1
        started = time.perf_counter()
        try:
            answer = send()
        except OSError as exc:  # refused, reset, timed out: never acceptable here
            self.tally.add(kind, "error", time.perf_counter() - started, f"connection: {exc!r}")
            return None
        if answer.status != 200:
            self.tally.add(kind, "error", answer.seconds, f"{answer.status} {self.username}")
            return None
        return answer

    def read(self, kind: str, path: str) -> str:
        answer = self._request(kind, lambda: self.browser.get(path))
        if answer is not None:
            self.tally.add(kind, "ok", answer.seconds)
        return answer.text if answer else ""

    def post(self, kind: str, path: str, fields: dict, files=None) -> bool:
        """Post a form, follow to the page it leads to, and judge by the message shown there."""
        answer = self._request(
            kind, lambda: self.browser.post(path, fields, files=files, follow=True)
        )
        if answer is None:
            return False
        shown = [
            (level, html.unescape(text).strip()) for level, text in _ALERT.findall(answer.text)
        ]
        if any(level == "success" for level, _text in shown):
            self.tally.add(kind, "ok", answer.seconds)
            return True
        refusal = " / ".join(text for _level, text in shown) or "no message shown"
        expected = any(reason in refusal for reason in EXPECTED_REFUSALS)
        self.tally.add(kind, "conflict" if expected else "error", answer.seconds, refusal)
        return False

    def preview_together(self, paths: list[str]) -> None:
        """The review page's previews, loaded at the same moment by one browser."""
        if not paths:
            return
        with ThreadPoolExecutor(max_workers=PREVIEWS_AT_ONCE) as pool:
            list(pool.map(lambda path: self.read("preview", path), paths[:PREVIEWS_AT_ONCE]))

    # --- the loop ---

    def run(self) -> None:
        try:
            self.browser.sign_in(self.username)
            self.start_work()
            while (
                time.monotonic() < self.deadline or not self.did_the_minimum()
            ) and self.requests < MAX_REQUESTS_PER_PERSON:
                self.step()
        except Exception as exc:  # anything unexpected in the client is a failure too
            self.tally.add("client", "error", 0.0, f"{self.username}: {exc!r}")

    def start_work(self) -> None:
        pass

    def did_the_minimum(self) -> bool:
        """Whether the person has done the writes the test counts on, past the time if the
        machine is slow."""
        return True

    def step(self) -> None:
        raise NotImplementedError


def _reportable_tasks(read, limit: int = 4) -> list[str]:
    """The first tasks of a unit officer's list whose page offers the report form."""
    tasks = []
    for path in dict.fromkeys(_TASK_LINK.findall(read("/my-tasks/"))):
        if f'action="{path}reports/"' in read(path):
            tasks.append(path)
        if len(tasks) == limit:
            break
    return tasks


class UnitOfficer(Person):
    """Reads their task list and tasks, reports progress, attaches evidence, opens files."""

    def start_work(self) -> None:
        self.tasks = _reportable_tasks(lambda path: self.read("read", path))
        assert self.tasks, f"{self.username} has no task to report on"

    def did_the_minimum(self) -> bool:
        return self.sent >= 2

    def step(self) -> None:
        # Each officer's first two writes are a report and then an upload, so every kind of
        # write happens however few requests a slow machine serves in the time; then at random.
        choice = {0: 0.5, 1: 0.8}.get(self.sent, self.random.random())
        if choice < 0.15:
            self.read("read", "/my-tasks/")
            return
        task = self.random.choice(self.tasks)
        page = self.read("read", task)
        if not page:
            return
        if choice < 0.35:
            files = _FILE_LINK.findall(page)
            if files:
                self.read("preview", self.random.choice(files) + "?inline=1")
            return
        self.sent += 1
        # The current period mostly, an earlier one (a late report) sometimes.
        periods = re.findall(r'<option value="(\d{4}(?:-[^"]+)?)"', page)[:4]
        fields = {
            "period": periods[0] if self.random.random() < 0.5 else self.random.choice(periods),
            "versions": re.search(r'name="versions" value="([^"]*)"', page).group(1),
            "percent": str(self.random.randrange(10, 101, 10)),
            "result": f"{self.name}: lần gửi {self.sent}",
        }
        if choice < 0.7:
            self.post("report", task + "reports/", fields)
            return
        fields.update(kind="signed_document", document_number=f"{self.sent}/BC")
        name = f"bao-cao-{self.sent}.pdf"
        pdf = tiny_pdf(f"{self.name} {self.sent} {self.random.random()}")
        self.post("upload", task + "reports/", fields, {"evidence": (name, pdf, "application/pdf")})


class StandingOffice(Person):
    """Opens the dashboard and the review page (with its previews), reviews files and reports."""

    def step(self) -> None:
        if self.random.random() < 0.15:
            self.read("read", "/dashboard/")
            return
        page = self.read("read", "/review/")
        if not page:
            return
        self.preview_together(_PREVIEW.findall(page))
        files = _form(page, r"/evidence/\d+/review/")
        reports = _form(page, r"/reports/\d+/decide/")
        if files and (not reports or self.random.random() < 0.6):
            action, version = self.random.choice(files)
            fields = {"next": "/review/", "version": version, "decision": "accept"}
            if self.random.random() < 0.3:
                fields.update(decision="reject", reason="Thiếu chữ ký của lãnh đạo đơn vị.")
            self.post("review", action, fields)
        elif reports:
            action, version = self.random.choice(reports)
            fields = {"next": "/review/", "version": version, "action": "return"}
            fields["reason"] = "Bổ sung số liệu của tháng cuối kỳ."
            if self.random.random() < 0.2:
                fields = {"next": "/review/", "version": version, "action": "accept"}
            self.post("decision", action, fields)


class Reader(Person):
    """A leader, the province or the administrator: follows links from their first page and
    opens the evidence files they come across."""

    def __init__(self, *args, start: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.first_page = start
        self.links: list[str] = []

    def step(self) -> None:
        path = self.first_page if not self.links or self.random.random() < 0.2 else None
        path = path or self.random.choice(self.links)
        page = self.read("read", path)
        files = _FILE_LINK.findall(page)
        if files and self.random.random() < 0.5:
            self.read("preview", self.random.choice(files) + "?inline=1")
        self.links = list(dict.fromkeys(self.links + _READ_LINKS.findall(page)))[-200:]


COUNTS = """
from theodoi.audit.models import AuditEvent
from theodoi.reporting.models import Evidence, EvidenceReview, ProgressReport
events = AuditEvent.objects
result = {
    "reports": ProgressReport.objects.count(),
    "evidence": Evidence.objects.count(),
    "reviews": EvidenceReview.objects.count(),
    "report_events": events.filter(action="report.submit").count(),
    "decision_events": events.filter(action__in=["report.accepted", "report.returned"]).count(),
    "previews": events.filter(action="evidence.download").count(),
}
"""


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    """One fresh installation with the demo for the tests below (each counts its own writes)."""
    with fresh_installation(tmp_path_factory.mktemp("live")) as installation:
        yield installation


def test_eight_people_at_once_get_no_error_and_every_write_lands(installation):
    database = "PostgreSQL" if installation.database_url else "SQLite"
    before = installation.query(COUNTS)
    tally = Tally()
    with LiveServer(installation, workers=3, threads=4) as server:
        deadline = time.monotonic() + SECONDS
        args = {"deadline": deadline, "tally": tally}
        people = [
            UnitOfficer(server.url, "canbo_vhxh", 1, **args),
            UnitOfficer(server.url, "canbo_vhxh", 2, **args),
            UnitOfficer(server.url, "canbo_congan", 3, **args),
            StandingOffice(server.url, "vanphong", 4, **args),
            StandingOffice(server.url, "vanphong", 5, **args),
            Reader(server.url, "lanhdao", 6, start="/dashboard/", **args),
            Reader(server.url, "tinh", 7, start="/province/", **args),
            Reader(server.url, "admin", 8, start="/plans/", **args),
        ]
        for person in people:
            person.start()
        for person in people:
            person.join(timeout=SECONDS + 120)
        assert not any(person.is_alive() for person in people), "a person never finished"
        log = server.log()
    after = installation.query(COUNTS)
    summary = tally.summary(database)
    print("\n" + summary)
    server_errors = [line for line in log.splitlines() if "Error" in line][:10]
    assert not tally.errors, summary + "\n" + "\n".join(server_errors)
    written = {key: after[key] - before[key] for key in after}
    # Every write that a person was told about is in the database, and nothing else.
    assert written["evidence"] == tally.count("upload"), (written, summary)
    assert written["report_events"] == tally.count("report") + tally.count("upload"), written
    assert written["reviews"] == tally.count("review"), (written, summary)
    assert written["decision_events"] == tally.count("decision"), (written, summary)
    assert written["previews"] == tally.count("preview"), (written, summary)
    # The work really was mixed: each kind of write happened.
    for kind in ("report", "upload", "review", "decision", "preview"):
        assert tally.count(kind) > 0, f"no {kind} went through\n{summary}"
    installation.manage("verify_audit")


class Submitter(threading.Thread):
    """A unit officer sending reports (every third with a file) as fast as answers come, from
    ``go`` until ``stop``."""

    def __init__(self, url: str, username: str, seed: int, go, stop):
        super().__init__(name=f"{username}-{seed}", daemon=True)
        self.browser = Browser(url, timeout=30)
        self.username = username
        self.seed = seed
        self.go, self.stop = go, stop
        self.ready = threading.Event()
        self.tasks: list[str] = []
        self.acknowledged: list[str] = []
        self.failures = Counter()

    def _sign_in(self) -> None:
        self.browser.sign_in(self.username)
        # Six tasks, each person starting at its own: people signed in as the same officer
        # would otherwise send the same task's report at the same moment, and all but one be
        # refused as stale (rightly) on a busy machine, leaving nothing acknowledged.
        self.tasks = _reportable_tasks(lambda path: self.browser.get(path).text, 6)

    def run(self) -> None:
        self._sign_in()
        self.ready.set()
        self.go.wait()
        for sent in range(100):
            if self.stop.is_set():
                break
            try:
                if not self.tasks:  # again, after a sign-in cut short by a killed worker
                    self._sign_in()
                    continue
                task = self.tasks[(self.seed + sent) % len(self.tasks)]
                page = self.browser.get(task).text
                token = f"{self.name}-{sent}"
                fields = {
                    "period": re.search(r'<option value="([^"]+)" selected', page).group(1),
                    "versions": re.search(r'name="versions" value="([^"]*)"', page).group(1),
                    "percent": str(10 + sent % 9 * 10),
                    "result": token,
                }
                files = None
                if sent % 3 == 0:
                    files = {"evidence": (f"{token}.pdf", tiny_pdf(token), "application/pdf")}
                answer = self.browser.post(task + "reports/", fields, files=files, follow=True)
                if answer.status == 200 and "alert-success" in answer.text:
                    self.acknowledged.append(token)
                else:
                    self.failures[f"answer {answer.status}"] += 1
            except (OSError, AttributeError, AssertionError) as exc:  # a killed worker's request
                self.tasks = [] if isinstance(exc, AssertionError) else self.tasks
                self.failures[type(exc).__name__] += 1


CONSISTENCY = """
from theodoi.audit.models import AuditEvent, AuditHead
from theodoi.reporting.models import Evidence, ProgressReport
events = AuditEvent.objects.order_by("id")
last = {}
for event in events.filter(object_type="reporting.progressreport", action__startswith="report."):
    last[event.object_id] = event.after
differs = []
for report in ProgressReport.objects.all():
    seen = last.get(str(report.pk)) or {}
    row = {"version": report.version, "percent": report.percent, "result": report.result}
    if {key: seen.get(key) for key in row} != row:
        differs.append([report.pk, row, seen.get("version")])
uploaded = set(events.filter(action="evidence.upload").values_list("object_id", flat=True))
unaudited = [e.pk for e in Evidence.objects.all() if str(e.pk) not in uploaded]
missing = [e.pk for e in Evidence.objects.all() if not e.file.storage.exists(e.file.name)]
results = set()
for after in events.filter(action="report.submit").values_list("after", flat=True):
    results.add((after or {}).get("result"))
result = {
    "differs": differs,
    "unaudited_evidence": unaudited,
    "missing_files": missing,
    "head_count": AuditHead.objects.get(pk=1).count,
    "event_count": AuditEvent.objects.count(),
    "submitted_results": sorted(r for r in results if r),
}
"""


def test_a_worker_killed_during_report_submissions_leaves_the_database_consistent(installation):
    with LiveServer(installation, workers=2, threads=2) as server:
        go, stop = threading.Event(), threading.Event()
        people = [
            Submitter(server.url, username, seed, go, stop)
            for seed, username in enumerate(["canbo_vhxh", "canbo_vhxh", "canbo_congan"] * 2)
        ]
        for person in people:
            person.start()
        for person in people:
            assert person.ready.wait(timeout=120), f"{person.name} could not start"
        go.set()
        killed = []
        for _ in range(3):
            time.sleep(3)
            workers = server.worker_pids()
            if workers:
                victim = random.choice(workers)
                with contextlib.suppress(ProcessLookupError):  # it may just have exited
                    os.kill(victim, signal.SIGKILL)
                    killed.append(victim)
        time.sleep(3)
        stop.set()
        for person in people:
            person.join(timeout=60)
        assert not any(person.is_alive() for person in people)
        # The master replaced the killed workers: the server still answers.
        assert Browser(server.url).get("/login/").status == 200, server.log()
    acknowledged = [token for person in people for token in person.acknowledged]
    failures = sum((person.failures for person in people), Counter())
    print(
        f"\nkilled {len(killed)} workers during {len(acknowledged)} acknowledged "
        f"submissions; other answers: {dict(failures)}"
    )
    assert len(killed) == 3 and acknowledged, (killed, dict(failures), server.log())
    if installation.sqlite_path:
        with sqlite3.connect(installation.sqlite_path) as db:
            assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    state = installation.query(CONSISTENCY)
    assert state["differs"] == [], "a report row differs from its last audit record"
    assert state["unaudited_evidence"] == [] and state["missing_files"] == []
    assert state["head_count"] == state["event_count"]
    # Every submission a person was told about was kept.
    assert set(acknowledged) <= set(state["submitted_results"])
    installation.manage("verify_audit")


def test_a_write_lock_held_past_the_busy_timeout_answers_503_and_reads_go_on(installation):
    """A backup or an import holding the embedded database's write lock longer than the busy
    timeout: reads still answer (WAL), a write is told to try again (503), never a 500."""
    if not installation.sqlite_path:
        pytest.skip("the write lock of the embedded database file (SQLite only)")
    evidence = installation.query(
        "from theodoi.reporting.models import Evidence\n"
        "result = Evidence.objects.filter(task__plan__organization__code='HP-LECHAN')"
        ".values_list('pk', flat=True).first()"
    )
    preview = f"/evidence/{evidence}/file/?inline=1"
    with LiveServer(installation, workers=1, threads=2, env={"THEODOI_SQLITE_TIMEOUT": "1"}) as (
        server
    ):
        office = Browser(server.url)
        office.sign_in("vanphong")
        holder = sqlite3.connect(installation.sqlite_path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            assert office.get("/review/").status == 200
            busy = office.get(preview)
            assert busy.status == 503, busy.status
            assert "Hãy thử lại sau ít giây" in html.unescape(busy.text)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert office.get(preview).status == 200
        assert "database is locked" in server.log()  # logged, for the administrator


def test_pages_do_not_write_except_the_audit_of_opened_files(db, client):
    """Reading (every page a person reaches by links from their start page) writes nothing but
    the required audit record of an opened evidence file, so readers never queue for the
    embedded database's single writer."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from theodoi.demo.services import load_demo
    from theodoi.org.models import User

    load_demo()
    links = re.compile(r'href="(/[^"#?]*)"')
    # Not pages: signing out, switching language, downloads of exports; the two-factor page
    # prepares a secret for enrolment (a form, visited once).
    skipped = ("/logout", "/i18n", "/static", "/account/", "/admin/")
    for user in User.objects.order_by("username"):
        client.force_login(user)
        seen: set[str] = set()
        todo = ["/"]
        while todo and len(seen) < 30:
            path = todo.pop(0)
            if path in seen or path.startswith(skipped) or "export" in path:
                continue
            seen.add(path)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path, follow=True)
            writes = [
                q["sql"][:60]
                for q in queries.captured_queries
                if q["sql"].lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
            ]
            if re.fullmatch(r"/evidence/\d+/file/", path):
                assert response.status_code == 200
                assert len(writes) == 2 and "audit_auditevent" in writes[0], writes
            elif re.fullmatch(r"/notifications/\d+/open/", path):
                # Opening a notification is reading it: that one row's read mark, nothing else.
                assert len(writes) <= 1, writes
                assert all('UPDATE "notifications_notification"' in w for w in writes), writes
            else:
                assert writes == [], f"GET {path} as {user.username} wrote: {writes}"
            if "html" in response.get("Content-Type", ""):
                todo += links.findall(response.content.decode())


SNAPSHOT = """
import sqlite3
from django.db import OperationalError, connection, transaction
from theodoi.core.db import read_transaction
from theodoi.org.models import User

other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0, isolation_level=None)
name = lambda: User.objects.values_list("first_name", flat=True).get(username="admin")
with read_transaction():
    seen = name()
    other.execute("BEGIN IMMEDIATE")  # the reader keeps no writer waiting
    other.execute("UPDATE org_user SET first_name = 'Đổi' WHERE username = 'admin'")
    other.execute("COMMIT")
    unchanged = name() == seen  # and reads one snapshot
with transaction.atomic():
    name()
    try:
        other.execute("BEGIN IMMEDIATE")
        blocked = False
    except sqlite3.OperationalError:
        blocked = True  # an ordinary transaction holds the write lock from its start
result = {"unchanged": unchanged, "blocked": blocked, "now": name(), "mode": connection.transaction_mode}
"""


def test_a_backup_reads_one_snapshot_without_keeping_writers_waiting(installation):
    if not installation.sqlite_path:
        pytest.skip("SQLite's transaction modes (PostgreSQL readers never block writers)")
    state = installation.query(SNAPSHOT)
    assert state == {"unchanged": True, "blocked": True, "now": "Đổi", "mode": "IMMEDIATE"}
