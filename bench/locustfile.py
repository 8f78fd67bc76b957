"""The quarter-end burst, as Locust users: unit officers sign in, open their unit's tasks, open a
task, submit the week's report and attach evidence files.

Started by bench/run.py (``make bench``), headless, against gunicorn on 127.0.0.1 only, bounded
in users and time (``--users``, ``--run-time``): it stops by itself. The officers and the tasks
their units lead come from the JSON file named by BENCH_USERS_FILE, written by run.py from the
synthetic province; BENCH_PERIOD is the current reporting period on the server's clock.
"""

import itertools
import json
import os
import random
import re
import uuid
from urllib.parse import urlparse

from locust import FastHttpUser, between, events, task

from theodoi.core.samplepdf import tiny_pdf

PASSWORD = os.environ.get("BENCH_PASSWORD", "theodoi-demo")
PERIOD = os.environ.get("BENCH_PERIOD", "")
with open(os.environ["BENCH_USERS_FILE"], encoding="utf-8") as handle:
    OFFICERS = json.load(handle)
_NEXT = itertools.count()
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
        with self.client.get("/login/", name="/login/ (form)", catch_response=True) as response:
            self.csrf = self._token(response)
        with self.client.post(
            "/login/",
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.csrf,
            },
            headers={"Referer": f"{self.host}/login/"},
            name="/login/ (sign in)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "/login/" in response.headers.get("Location", ""):
                response.failure(f"sign-in of {self.username} refused")
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
