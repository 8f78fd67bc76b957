"""The application as a ward runs it, for tests that need real processes: a fresh installation
(a new data folder with its SQLite file, or a new PostgreSQL database when the suite runs with a
postgres DATABASE_URL) migrated and loaded with the demo by the console script, served by gunicorn
on 127.0.0.1 with production settings, and people signed in over HTTP, each with a session.

Everything listens on and talks to 127.0.0.1 only; servers and databases are removed afterwards.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from urllib3 import encode_multipart_formdata

from theodoi.demo.data import PASSWORD as DEMO_PASSWORD

try:
    from gunicorn.config import KNOWN_SETTINGS
except ImportError:  # the tests that need it skip, saying what to install
    KNOWN_SETTINGS = []

BIN = Path(sys.executable).parent
THEODOI = BIN / "theodoi"
GUNICORN = BIN / "gunicorn"
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Newer gunicorn opens a control socket at one path in the home folder; servers of parallel
# tests would share it.
_NO_CONTROL_SOCKET = (
    ["--no-control-socket"]
    if any(s.name == "control_socket_disable" for s in KNOWN_SETTINGS)
    else []
)
_LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")


def _base_environment() -> dict[str, str]:
    """This process's environment without the test run's own settings."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("THEODOI_", "DJANGO_"))
        and key not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"}
    }


@dataclass
class Installation:
    """A data folder and its database, set up by the console script."""

    data_dir: Path
    database_url: str  # empty: the embedded SQLite file in data_dir

    @property
    def env(self) -> dict[str, str]:
        env = _base_environment()
        env.update(
            DEBUG="0",
            SECRET_KEY="live-test-secret-" + "k3Vz9" * 10,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            # Plain HTTP on the loopback: the test is the reverse proxy's client side.
            THEODOI_HTTPS="0",
            # Static files from the app folders: this test is about the database, not collectstatic.
            THEODOI_MANIFEST_STATIC="0",
            THEODOI_DATA_DIR=str(self.data_dir),
            THEODOI_TODAY=os.environ.get("THEODOI_TODAY", "2026-11-24"),
            LOG_LEVEL="WARNING",
        )
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    @property
    def sqlite_path(self) -> Path | None:
        return None if self.database_url else self.data_dir / "theodoi.sqlite3"

    def manage(self, *args: str, timeout: float = 300) -> str:
        """Run ``theodoi ARGS`` against this installation; its output, or the test fails."""
        result = subprocess.run(
            [str(THEODOI), *args],
            env=self.env,
            cwd=self.data_dir,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert result.returncode == 0, (
            f"theodoi {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        )
        return result.stdout

    def query(self, code: str):
        """Run Python ``code`` in ``theodoi shell`` and return what it assigned to ``result``,
        through JSON (so the live database is read with the application's own settings)."""
        script = f"import json\n{code}\nprint('@@' + json.dumps(result, default=str))"
        output = self.manage("shell", "--no-startup", "-c", script)
        line = next(line for line in reversed(output.splitlines()) if line.startswith("@@"))
        return json.loads(line[2:])


@contextlib.contextmanager
def fresh_postgres(url: str) -> Iterator[str]:
    """A new, uniquely named database on the server of ``url``; dropped afterwards."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = f"theodoi_live_{uuid.uuid4().hex[:12]}"
    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(maintenance, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def fresh_installation(tmp_path: Path) -> Iterator[Installation]:
    """A new installation with the demo loaded (``theodoi demo --no-serve``), on the database the
    suite runs on: SQLite by default, PostgreSQL when DATABASE_URL names one."""
    if not GUNICORN.exists():
        pytest.skip("gunicorn is not installed: pip install -e . (it is a dependency)")
    url = os.environ.get("DATABASE_URL", "")
    if url and not url.startswith(("postgres://", "postgresql://")):
        pytest.skip(f"live-server tests run on SQLite or PostgreSQL, not {url.split(':')[0]}")
    data_dir = tmp_path / "installation"
    data_dir.mkdir()
    with fresh_postgres(url) if url else contextlib.nullcontext("") as database_url:
        installation = Installation(data_dir=data_dir, database_url=database_url)
        installation.manage("demo", "--no-serve")
        yield installation


class LiveServer:
    """gunicorn serving an installation on a free port of 127.0.0.1 (a context manager)."""

    def __init__(
        self,
        installation: Installation,
        *,
        workers: int = 3,
        threads: int = 4,
        env: dict[str, str] | None = None,
    ):
        self.installation = installation
        self.env = {**installation.env, **(env or {})}
        self.workers = workers
        self.threads = threads
        self.log_path = installation.data_dir / "gunicorn.log"
        self.process: subprocess.Popen | None = None
        self.url = ""

    def __enter__(self) -> LiveServer:
        log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [
                str(GUNICORN),
                "theodoi.wsgi:application",
                "--bind",
                "127.0.0.1:0",
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
                *_NO_CONTROL_SOCKET,
            ],
            env=self.env,
            cwd=self.installation.data_dir,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        try:
            self._wait_until_serving()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_until_serving(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"gunicorn stopped:\n{self.log()}"
            match = _LISTENING.search(self.log())
            if match and not self.url:
                self.url = f"http://127.0.0.1:{match.group(1)}"
            if self.url:
                with contextlib.suppress(OSError):
                    if Browser(self.url).get("/login/").status == 200:
                        return
            time.sleep(0.2)
        raise AssertionError(f"gunicorn did not answer within {seconds} s:\n{self.log()}")

    def __exit__(self, *exc_info) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def worker_pids(self) -> list[int]:
        """The master's worker processes now (Linux /proc)."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, IndexError, ValueError):
                # The command name in parentheses may contain spaces: the ppid follows it.
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.process.pid:
                    pids.append(int(stat.parent.name))
        return sorted(pids)


@dataclass
class Answer:
    status: int
    text: str
    location: str
    seconds: float


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the redirect is answered to the caller, which decides whether to follow


class Browser:
    """One person's browser: its own cookies (session, CSRF), forms posted with their token.

    Connection failures raise ``OSError`` (``urllib.error.URLError`` and friends)."""

    def __init__(self, base_url: str, *, timeout: float = 60):
        self.base_url = base_url
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect
        )
        self.csrf = ""

    def _send(self, request: urllib.request.Request) -> Answer:
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                status, headers, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
            status, headers, body = error.code, error.headers, error.read()
        seconds = time.perf_counter() - started
        text = body.decode("utf-8", "replace") if "text" in headers.get("Content-Type", "") else ""
        token = _CSRF.search(text)
        if token:
            # Signing in rotates the token: each form's token is the one of the page read last.
            self.csrf = token.group(1)
        return Answer(status, text, headers.get("Location", ""), seconds)

    def _follow(self, answer: Answer, follow: bool) -> Answer:
        if follow and answer.status in (301, 302, 303) and answer.location:
            after = self.get(answer.location)
            after.seconds += answer.seconds
            return after
        return answer

    def get(self, path: str, *, follow: bool = False) -> Answer:
        url = urllib.parse.urljoin(self.base_url, path)
        return self._follow(self._send(urllib.request.Request(url)), follow)

    def post(
        self,
        path: str,
        fields: dict[str, str],
        *,
        files: dict[str, tuple[str, bytes, str]] | None = None,
        follow: bool = False,
    ) -> Answer:
        """Post a form as the browser would, with the CSRF token of the page read last."""
        fields = {"csrfmiddlewaretoken": self.csrf, **fields}
        url = urllib.parse.urljoin(self.base_url, path)
        if files:
            body, content_type = encode_multipart_formdata({**fields, **files})
        else:
            body = urllib.parse.urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        request = urllib.request.Request(
            url, data=body, method="POST", headers={"Content-Type": content_type, "Referer": url}
        )
        return self._follow(self._send(request), follow)

    def sign_in(self, username: str, password: str = DEMO_PASSWORD) -> Answer:
        self.cookies.clear()  # a new session, whatever happened to the last one
        self.get("/login/")
        answer = self.post("/login/", {"username": username, "password": password})
        assert answer.status == 302 and "/login/" not in answer.location, (
            f"sign-in of {username} refused ({answer.status})"
        )
        return self.get(answer.location, follow=True)
