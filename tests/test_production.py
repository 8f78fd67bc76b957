"""The README's "Production" section, run as an operator runs it: the shell block read from the
README, a wheel of this source installed (not editable) in a fresh virtual environment, the
production settings (DEBUG off, HTTPS behind a proxy, the manifest static storage), gunicorn on
127.0.0.1, then the sign-in page, a hashed static file and every demo role's first page.

The block's values are replaced by a test secret, a fresh database (SQLite, or a PostgreSQL
database created and dropped here when the suite runs on PostgreSQL), a temporary data folder and
a free port. Dependencies come from the test environment, so nothing is downloaded."""

import http.client
import importlib.metadata
import importlib.util
import json
import os
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from tests.liveserver import fresh_postgres
from theodoi.demo import data as demo

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "/opt/theodoi"  # where the README installs
DATA_DIR = "/var/lib/theodoi"  # the README's data folder
SUPERUSER = {"username": "quantri", "password": "Mat-khau-dai-7391!", "email": "qt@example.vn"}
# Only what any shell has: nothing of the test settings may leak into the production processes.
KEPT_ENVIRONMENT = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")


def _setuptools_builds_the_wheel() -> bool:
    try:
        return int(importlib.metadata.version("setuptools").split(".")[0]) >= 77
    except importlib.metadata.PackageNotFoundError:
        return False


pytestmark = [
    pytest.mark.skipif(
        importlib.util.find_spec("gunicorn") is None,
        reason="gunicorn is not installed: pip install -e '.[dev]' (a dependency of theodoi)",
    ),
    pytest.mark.skipif(
        not _setuptools_builds_the_wheel(),
        reason="building the wheel offline needs setuptools>=77: pip install -e '.[dev]'",
    ),
]


def readme_block() -> list[str]:
    """The lines of the first shell block under the README's "Production" heading."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Production\n", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert match, "the README's Production section has no ```sh block"
    return [line for line in match.group(1).splitlines() if line.strip()]


def test_the_readme_block_is_what_the_smoke_test_expects():
    """The README's steps, in order; a step the smoke test does not know fails it here."""
    kinds = [_kind(line) for line in readme_block()]
    assert kinds[0] == "install" and kinds[-1] == "gunicorn"
    for step in ("migrate", "collectstatic", "createsuperuser", "check"):
        assert step in kinds, f"the README's Production block lacks `theodoi {step}`"
    assert kinds.index("migrate") < kinds.index("collectstatic") < kinds.index("check")
    assert "worker" in kinds, "the README's Production block lacks `theodoi worker`"


def _kind(line: str) -> str:
    argv = shlex.split(line)
    if line.startswith("python3 -m venv "):
        assert line == f"python3 -m venv {PREFIX} && {PREFIX}/bin/pip install .", line
        return "install"
    if argv[0] == "export":
        return "export"
    if argv[0] == f"{PREFIX}/bin/theodoi":
        if argv[1] == "worker":
            # The second service: started in the background beside gunicorn.
            assert argv[-1] == "&", line
        return argv[1]
    if argv[0] == f"{PREFIX}/bin/gunicorn":
        assert "theodoi.wsgi:application" in argv and "--bind" in argv, line
        # The worker class and count, and the timeout, come from the package's module.
        assert argv[argv.index("-c") + 1] == "python:theodoi.gunicorn_conf", line
        return "gunicorn"
    raise AssertionError(f"the smoke test does not know this README step: {line}")


@pytest.fixture
def database_url(tmp_path):
    """A database of its own: PostgreSQL when the suite runs on it, else an SQLite file."""
    suite_url = os.environ.get("DATABASE_URL", "")
    if not suite_url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'theodoi.sqlite3'}"
        return
    with fresh_postgres(suite_url) as url:
        yield url


def _install(tmp_path: Path) -> Path:
    """The README's `pip install .` without the network: a wheel of a clean copy of the source
    (no build folders, no caches), installed into a fresh virtual environment whose
    dependencies are the test environment's. Returns the environment's folder."""
    source = tmp_path / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    shutil.copytree(ROOT / "theodoi", source / "theodoi", ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        (source / name).write_bytes((ROOT / name).read_bytes())
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    wheels = tmp_path / "wheels"
    _check_run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", wheels, source]
    )
    venv = tmp_path / "opt-theodoi"
    _check_run([sys.executable, "-m", "venv", "--without-pip", venv])
    python = venv / "bin" / "python"
    site = Path(
        _check_run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
        ).strip()
    )
    # Dependencies from the test environment: a plain path entry, so its .pth files (the
    # editable install of theodoi among them) are not read.
    (site / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    [wheel] = wheels.glob("theodoi-*.whl")
    _check_run([*pip, "--python", python, "install", "--no-deps", "--no-index", wheel])
    # The console script pip would have written had it installed gunicorn into this environment.
    for entry in importlib.metadata.distribution("gunicorn").entry_points:
        if entry.group == "console_scripts":
            script = venv / "bin" / entry.name
            script.write_text(
                f"#!{python}\nimport sys\nfrom {entry.module} import {entry.attr}\n"
                f"sys.exit({entry.attr}())\n"
            )
            script.chmod(0o755)
    where = _check_run([python, "-c", "import theodoi; print(theodoi.__file__)"], cwd=tmp_path)
    assert Path(where.strip()).is_relative_to(site), f"theodoi is not the installed one: {where}"
    return venv


def _check_run(argv, **kwargs) -> str:
    result = subprocess.run(
        [str(arg) for arg in argv], capture_output=True, text=True, timeout=300, **kwargs
    )
    assert result.returncode == 0, f"{argv} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """A browser behind the TLS proxy: it speaks HTTP to gunicorn with the headers the proxy
    adds, keeps its cookies (Secure ones too: the proxy's side is HTTPS) and follows redirects."""

    def __init__(self, port: int, host: str, log: Path):
        self.port, self.host, self.log = port, host, log
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        headers = {
            "Host": self.host,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "192.0.2.10",
            "Accept-Language": "vi",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{self.host}"
            headers["Referer"] = f"https://{self.host}{path}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        assert response.status < 500, (
            f"{method} {path} answered {response.status}; the server's log:\n"
            + self.log.read_text(errors="replace")
        )
        return response, content

    def follow(self, method: str, path: str, form: dict | None = None):
        """The request and its redirects; returns (the last path, its response, its body)."""
        for _ in range(6):
            response, content = self.request(method, path, form)
            if response.status not in (301, 302, 303):
                return path, response, content
            location = urlsplit(response.headers["Location"])
            assert location.netloc in ("", self.host), response.headers["Location"]
            assert location.scheme in ("", "https"), response.headers["Location"]
            path = location.path + (f"?{location.query}" if location.query else "")
            method, form = "GET", None
        raise AssertionError(f"too many redirects from {path}")

    def sign_in(self, username: str, password: str) -> tuple[str, str]:
        self.cookies.clear()
        path, response, content = self.follow("GET", "/login/")
        assert response.status == 200, (path, response.status)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1)
        form = {"username": username, "password": password, "csrfmiddlewaretoken": token.decode()}
        path, response, content = self.follow("POST", "/login/", form)
        assert response.status == 200, (username, path, response.status)
        return path, content.decode()


def _wait_until_serving(process: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn stopped ({process.returncode}):\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn did not listen on {port} within 60 s:\n{log.read_text()}")


def test_the_readme_production_steps_serve_every_role(tmp_path, database_url):
    venv = _install(tmp_path)
    data_dir = tmp_path / "data"
    # An empty working folder: nothing of the source tree can be imported from it.
    workdir = tmp_path / "run"
    workdir.mkdir()
    env = {name: os.environ[name] for name in KEPT_ENVIRONMENT if name in os.environ}
    filled = {"DATABASE_URL": database_url}

    def argv_of(line: str) -> list[str]:
        return [
            arg.replace(PREFIX, str(venv)).replace(DATA_DIR, str(data_dir))
            for arg in shlex.split(line)
        ]

    def theodoi(*args, extra_env=None) -> str:
        return _check_run(
            [venv / "bin" / "theodoi", *args], env=env | (extra_env or {}), cwd=workdir
        )

    gunicorn_line = None
    worker = None
    worker_log = tmp_path / "worker.log"
    for line in readme_block():
        kind = _kind(line)
        if kind == "install":
            continue  # done above, offline
        if kind == "gunicorn":
            gunicorn_line = line
            continue
        argv = argv_of(line)
        if kind == "export":
            for assignment in argv[1:]:
                name, _, value = assignment.partition("=")
                if name in filled:
                    value = filled[name]
                elif value == "..." and name.endswith("KEY"):
                    value = secrets.token_urlsafe(50)  # a secret the operator makes up
                assert "..." not in value, f"the smoke test does not fill {name}: {value}"
                env[name] = value
        elif kind == "worker":
            with open(worker_log, "w") as log_file:
                worker = subprocess.Popen(
                    argv[:-1], env=dict(env), cwd=workdir, stdout=log_file, stderr=subprocess.STDOUT
                )
        elif kind == "createsuperuser":
            superuser = {f"DJANGO_SUPERUSER_{k.upper()}": v for k, v in SUPERUSER.items()}
            theodoi(*argv[1:], "--noinput", extra_env=superuser)
        else:
            output = theodoi(*argv[1:])
            if kind == "check":
                assert "System check identified no issues" in output, output
    assert "DEBUG" not in env, "production runs with the default, DEBUG off"
    theodoi("demo", "--no-serve")

    argv = argv_of(gunicorn_line)
    port = _free_port()
    argv[argv.index("--bind") + 1] = f"127.0.0.1:{port}"
    log = tmp_path / "gunicorn.log"
    with open(log, "w") as log_file:
        server = subprocess.Popen(
            argv, env=env, cwd=workdir, stdout=log_file, stderr=subprocess.STDOUT
        )
    try:
        _wait_until_serving(server, port, log)
        host = env["ALLOWED_HOSTS"].split(",")[0]
        browser = Browser(port, host, log)

        path, response, content = browser.follow("GET", "/")
        assert (path.split("?")[0], response.status) == ("/login/", 200)
        manifest = json.loads((data_dir / "static" / "staticfiles.json").read_text())
        hashed = manifest["paths"]["theodoi/theodoi.css"]
        assert f"/static/{hashed}".encode() in content, "the page names the hashed static file"
        response, static = browser.request("GET", f"/static/{hashed}")
        assert response.status == 200
        assert static == (data_dir / "static" / hashed).read_bytes()
        assert "immutable" in response.headers["Cache-Control"], "WhiteNoise serves it"

        response, content = browser.request("GET", "/khong-co-trang-nay/")
        assert response.status == 404 and b"URLconf" not in content, "DEBUG is off"

        for username, *_ in demo.USERS:
            path, page = browser.sign_in(username, demo.PASSWORD)
            assert path != "/login/" and 'action="/logout/"' in page, (username, path)
        path, page = browser.sign_in(SUPERUSER["username"], SUPERUSER["password"])
        assert path != "/login/" and 'action="/logout/"' in page, path

        _the_worker_makes_a_report(browser, worker, worker_log)
        # SIGTERM, as systemd stops it: a clean exit.
        worker.terminate()
        assert worker.wait(timeout=30) == 0, worker_log.read_text()
    finally:
        if worker is not None and worker.poll() is None:
            worker.kill()
            worker.wait()
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _the_worker_makes_a_report(browser: Browser, worker, worker_log: Path) -> None:
    """The leader asks for the Word report on its page; the worker started by the README's line
    makes it, and the page then offers the file."""
    assert worker is not None and worker.poll() is None, worker_log.read_text()
    browser.sign_in("lanhdao", demo.PASSWORD)
    _, _, plans = browser.follow("GET", "/plans/")
    plan = re.search(rb'href="/plans/(\d+)/"', plans).group(1).decode()
    _, response, page = browser.follow("GET", f"/plans/{plan}/report/")
    assert response.status == 200
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    path, response, page = browser.follow(
        "POST", f"/plans/{plan}/report/prepare.docx", {"csrfmiddlewaretoken": token}
    )
    assert re.fullmatch(r"/exports/\d+/", path), path
    deadline = time.monotonic() + 120
    while "Báo cáo đã sẵn sàng.".encode() not in page:
        assert time.monotonic() < deadline, "no report within 120 s:\n" + worker_log.read_text()
        assert worker.poll() is None, worker_log.read_text()
        time.sleep(0.5)
        _, response, page = browser.follow("GET", path)
    response, content = browser.request("GET", f"{path}file")
    assert response.status == 200 and content.startswith(b"PK"), response.status
