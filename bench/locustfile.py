"""The quarter-end burst, as Locust users: unit officers sign in, open their unit's tasks, open a
task, submit the week's report and attach evidence files.

Started by bench/run.py (``make bench``), headless, against gunicorn on 127.0.0.1 only, bounded
in users and time (``--users``, ``--run-time``): it stops by itself. The officers and the tasks
their units lead come from the JSON file named by BENCH_USERS_FILE, written by run.py from the
synthetic province; BENCH_PERIOD is the current reporting period on the server's clock.

With BENCH_STEPS (e.g. "200,300,400") the users rise step by step instead (the capacity
figure): each step ramps up at BENCH_SPAWN_RATE, waits BENCH_SETTLE_SECONDS for the new users'
sign-ins to pass, then measures BENCH_STEP_SECONDS; one JSON line a step goes to
BENCH_STEPS_FILE (requests, rate, median and p95 of that window only, errors, this process's CPU,
the load average), and the run stops after the last step.

BENCH_OFFICES_FILE (optional) names ward standing offices and a plan each: that many more users
compile the quarter's Word report now and then (the background worker makes it while they wait,
polling its page), so that the worker has the burst's work to do beside the officers' reports.
"""

import itertools
import json
import os
import random
import re
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

from locust import FastHttpUser, LoadTestShape, between, events, task

# The repository's root: Locust puts only this file's folder on the path.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.burst import window as _window  # noqa: E402
from theodoi.core.samplepdf import tiny_pdf  # noqa: E402

PASSWORD = os.environ.get("BENCH_PASSWORD", "theodoi-demo")
PERIOD = os.environ.get("BENCH_PERIOD", "")
QUARTER = os.environ.get("BENCH_QUARTER", "")
with open(os.environ["BENCH_USERS_FILE"], encoding="utf-8") as handle:
    OFFICERS = json.load(handle)
OFFICES: list[dict] = []
if os.environ.get("BENCH_OFFICES_FILE"):
    with open(os.environ["BENCH_OFFICES_FILE"], encoding="utf-8") as handle:
        OFFICES = json.load(handle)
_NEXT = itertools.count()
_NEXT_OFFICE = itertools.count()
_EXPORT_RE = re.compile(r"/exports/(\d+)/")
_CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@events.init.add_listener
def _loopback_only(environment, **_kwargs):
    """Refuse any target but this machine's loopback: the load test never leaves it."""
    host = urlparse(environment.host or "").hostname or ""
    if not (host == "localhost" or host.startswith("127.") or host == "::1"):
        raise SystemExit(f"bench/locustfile.py only targets 127.0.0.1, not {host!r}")


def _tiny_pdf(label: str) -> bytes:
    """A small valid PDF, different for every upload (the server stores files by SHA-256)."""
    return tiny_pdf(f"Minh chung {label}")


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]):
    boundary = uuid.uuid4().hex
    body = bytearray()
    for name, value in fields.items():
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        body += value.encode("utf-8") + b"\r\n"
    for name, (filename, content, content_type) in files.items():
        body += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
        ).encode()
        body += content + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return bytes(body), f"multipart/form-data; boundary={boundary}"


def _sign_in(user, username: str) -> str:
    """Sign ``user`` in; returns the CSRF token of the sign-in form (rotated by signing in)."""
    with user.client.get("/login/", name="/login/ (form)", catch_response=True) as response:
        match = _CSRF_RE.search(response.text or "")
        csrf = match.group(1) if match else ""
        if not csrf:
            response.failure("no CSRF token on the sign-in page")
    with user.client.post(
        "/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": csrf},
        headers={"Referer": f"{user.host}/login/"},
        name="/login/ (sign in)",
        allow_redirects=False,
        catch_response=True,
    ) as response:
        if response.status_code != 302 or "/login/" in response.headers.get("Location", ""):
            response.failure(f"sign-in of {username} refused")
    return csrf


class UnitOfficer(FastHttpUser):
    # A person reads a page, types a report or picks a file between clicks: 5–15 s. With 200
    # people that is about 20 requests a second, the burst of a province at a quarter's end.
    wait_time = between(5, 15)

    def on_start(self):
        officer = OFFICERS[next(_NEXT) % len(OFFICERS)]
        self.username = officer["username"]
        self.tasks_led = officer["tasks"]
        self.csrf = ""
        self.uploads = 0
        self.csrf = _sign_in(self, self.username)
        # Signing in rotates the CSRF token: the next form's token comes from a page read now.
        self.my_tasks()
        self.task_page()

    def _token(self, response) -> str:
        match = _CSRF_RE.search(response.text or "")
        if match is None:
            response.failure("no CSRF token on the page")
            return self.csrf
        return match.group(1)

    def _check_redirect(self, response) -> None:
        location = response.headers.get("Location", "")
        if response.status_code != 302 or "/login/" in location:
            response.failure(f"unexpected answer {response.status_code} {location}")

    @task(3)
    def my_tasks(self):
        with self.client.get("/my-tasks/", name="/my-tasks/", catch_response=True) as response:
            if response.status_code != 200 or "/tasks/" not in (response.text or ""):
                response.failure("my tasks page without tasks")

    @task(4)
    def task_page(self):
        task_id = random.choice(self.tasks_led)
        with self.client.get(
            f"/tasks/{task_id}/", name="/tasks/[id]/", catch_response=True
        ) as response:
            if response.status_code == 200:
                self.csrf = self._token(response)
            else:
                response.failure(f"task page {response.status_code}")

    @task(3)
    def submit_report(self):
        task_id = random.choice(self.tasks_led)
        with self.client.post(
            f"/tasks/{task_id}/reports/",
            data={
                "csrfmiddlewaretoken": self.csrf,
                "period": PERIOD,
                "percent": str(random.choice(range(0, 101, 5))),
                "result": "Đã triển khai theo kế hoạch quý, đang tổng hợp kết quả.",
                "difficulties": "",
                "proposals": "",
            },
            headers={"Referer": f"{self.host}/tasks/{task_id}/"},
            name="/tasks/[id]/reports/ (report)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            self._check_redirect(response)

    @task(2)
    def upload_evidence(self):
        task_id = random.choice(self.tasks_led)
        self.uploads += 1
        body, content_type = _multipart(
            {
                "csrfmiddlewaretoken": self.csrf,
                "period": PERIOD,
                "percent": "100",
                "result": "Hoàn thành, gửi kèm minh chứng.",
                "kind": "signed_document",
                "document_number": f"{self.uploads}/BC-UBND",
                "document_date": "",
            },
            {
                "evidence": (
                    f"bao-cao-{self.uploads}.pdf",
                    _tiny_pdf(f"{self.username} {self.uploads} {uuid.uuid4().hex[:8]}"),
                    "application/pdf",
                )
            },
        )
        with self.client.post(
            f"/tasks/{task_id}/reports/",
            data=body,
            headers={"Content-Type": content_type, "Referer": f"{self.host}/tasks/{task_id}/"},
            name="/tasks/[id]/reports/ (evidence)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            self._check_redirect(response)


def _snapshot(stats) -> dict:
    """The cumulative counters of every request name, to subtract a window's start from."""
    entries = {"Aggregated": stats.total} | {name: e for (name, _m), e in stats.entries.items()}
    return {
        name: (entry.num_requests, entry.num_failures, dict(entry.response_times))
        for name, entry in entries.items()
    }


if os.environ.get("BENCH_STEPS"):

    class Steps(LoadTestShape):
        """Users rising step by step; a step is measured once its users are all signed in."""

        steps = [int(n) for n in os.environ["BENCH_STEPS"].split(",") if n.strip()]
        spawn_rate = float(os.environ.get("BENCH_SPAWN_RATE", "8"))
        settle = float(os.environ.get("BENCH_SETTLE_SECONDS", "20"))
        measure = float(os.environ.get("BENCH_STEP_SECONDS", "60"))
        out = os.environ.get("BENCH_STEPS_FILE", "")

        def __init__(self):
            super().__init__()
            self.index = 0
            self.phase = "ramp"
            self.since = time.time()
            self.before: dict = {}
            self.cpu = 0.0

        def tick(self):
            if self.index >= len(self.steps):
                return None
            users = self.steps[self.index]
            now = time.time()
            if self.phase == "ramp" and self.get_current_user_count() >= users:
                self.phase, self.since = "settle", now
            elif self.phase == "settle" and now - self.since >= self.settle:
                self.phase, self.since = "measure", now
                self.before = _snapshot(self.runner.stats)
                self.cpu = time.process_time()
            elif self.phase == "measure" and now - self.since >= self.measure:
                seconds = now - self.since
                window = _window(self.before, _snapshot(self.runner.stats), seconds)
                record = {
                    "users": users,
                    "start": self.since,
                    "end": now,
                    "seconds": round(seconds, 1),
                    # The load generator's own CPU (cores) in the window: it shares the machine.
                    "locust_cpu_cores": round((time.process_time() - self.cpu) / seconds, 3),
                    "load_average": [round(x, 2) for x in os.getloadavg()],
                    "total": window.pop("Aggregated"),
                    "by_request": window,
                }
                if self.out:
                    with open(self.out, "a", encoding="utf-8") as handle:
                        handle.write(json.dumps(record) + "\n")
                self.index += 1
                self.phase, self.since = "ramp", now
                if self.index >= len(self.steps):
                    return None
                users = self.steps[self.index]
            return users, self.spawn_rate


if OFFICES:

    class WardOffice(FastHttpUser):
        """A ward's standing office compiling the quarter's Word report: asks for it, then
        follows its page (as htmx does, every 2 s) until the worker has made it."""

        fixed_count = len(OFFICES)
        wait_time = between(60, 120)

        def on_start(self):
            office = OFFICES[next(_NEXT_OFFICE) % len(OFFICES)]
            self.username = office["username"]
            self.plan = office["plan"]
            _sign_in(self, self.username)

        @task
        def quarterly_report(self):
            with self.client.get(
                f"/plans/{self.plan}/report/?period={QUARTER}",
                name="/plans/[id]/report/ (office)",
                catch_response=True,
            ) as response:
                match = _CSRF_RE.search(response.text or "")
                if response.status_code != 200 or match is None:
                    response.failure(f"report page {response.status_code}")
                    return
            with self.client.post(
                f"/plans/{self.plan}/report/prepare.docx?period={QUARTER}",
                data={"csrfmiddlewaretoken": match.group(1)},
                headers={"Referer": f"{self.host}/plans/{self.plan}/report/"},
                name="/plans/[id]/report/prepare.docx (office)",
                allow_redirects=False,
                catch_response=True,
            ) as response:
                found = _EXPORT_RE.search(response.headers.get("Location", ""))
                if response.status_code != 302 or found is None:
                    response.failure(f"report not queued: {response.status_code}")
                    return
            export = found.group(1)
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                time.sleep(2)
                with self.client.get(
                    f"/exports/{export}/",
                    headers={"HX-Request": "true"},
                    name="/exports/[id]/ (office, polling)",
                    catch_response=True,
                ) as response:
                    text = response.text or ""
                    if response.status_code != 200:
                        response.failure(f"export page {response.status_code}")
                        return
                    if "export-download" in text:
                        return
                    if "alert-danger" in text:
                        response.failure("the report could not be made")
                        return
