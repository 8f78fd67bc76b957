"""theodoi on two application servers behind nginx (bench/nodes.py), as a province runs it: the
same person's requests land on either server, and nothing of them may live in one server's
memory or on its disk. Through the nginx front: a sign-in on one node holds on the other, a
report with its PDF sent to one is shown, and its file served, by the other (the bytes kept in
the S3 bucket), a Word report made by the RQ worker is offered by both, a notification read on
one is no longer counted by the other (the cached count forgotten everywhere), and a sign-out on
one ends the session on the other.

The servers use this test's own database (PostgreSQL only: several processes on the pytest
database, committed by a transactional test)."""

import contextlib
import copy
import hashlib
import re
import shutil
import time
import urllib.parse
import urllib.request

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection

from tests.liveserver import GUNICORN, Browser, _base_environment
from theodoi.exports.models import ReportExport
from theodoi.notifications import services as notification_services
from theodoi.notifications.models import Kind, Notification
from theodoi.reporting.models import Evidence

PASSWORD = "Hai-may-chu-7391!"
PDF = b"%PDF-1.4\n% theodoi two nodes\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
REDIS_URL = "redis://127.0.0.1:6379"


def _redis_answers() -> bool:
    import redis

    with contextlib.suppress(redis.exceptions.RedisError):
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    return False


pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="two servers on one database need PostgreSQL (run with DATABASE_URL=postgres://…)",
    ),
    pytest.mark.skipif(shutil.which("nginx") is None, reason="install nginx"),
    pytest.mark.skipif(not GUNICORN.exists(), reason="install gunicorn (pip install -e .)"),
]


class NodeBrowser(Browser):
    """A browser that notes which node answered each request (the X-Theodoi-Node header)."""

    def __init__(self, base_url: str):
        super().__init__(base_url)
        self.nodes: list[str] = []
        browser = self

        class Seen(urllib.request.BaseHandler):
            def http_response(self, request, response):
                browser.nodes.append(response.headers.get("X-Theodoi-Node", ""))
                return response

        self.opener.add_handler(Seen())

    @property
    def node(self) -> str:
        return self.nodes[-1]

    def get_elsewhere(self, path: str, *, not_on: str):
        """GET ``path`` until a node other than ``not_on`` answers (round-robin: the next)."""
        for _ in range(4):
            answer = self.get(path)
            if self.node != not_on:
                return answer
        raise AssertionError(f"{path} was always answered by {not_on}: {self.nodes}")

    def download(self, path: str, *, not_on: str) -> bytes:
        for _ in range(4):
            with self.opener.open(urllib.parse.urljoin(self.base_url, path)) as response:
                assert response.status == 200, (path, response.status)
                body = response.read()
            if self.node != not_on:
                return body
        raise AssertionError(f"{path} was always answered by {not_on}: {self.nodes}")


def _database_url() -> str:
    db = connection.settings_dict
    auth = urllib.parse.quote(db["USER"] or "postgres")
    if db["PASSWORD"]:
        auth += ":" + urllib.parse.quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _bell(page: str) -> int:
    match = re.search(r'data-testid="bell-count">(\d+)<', page)
    return int(match.group(1)) if match else 0


@pytest.fixture
def people(world, transactional_db, settings):
    """The personas with a password the servers' own hasher (production settings) reads."""
    if not _redis_answers():
        pytest.skip(f"redis-server is not running at {REDIS_URL} (apt-get install redis-server)")
    settings.PASSWORD_HASHERS = ["theodoi.accounts.hashers.Argon2idOwaspHasher"]
    encoded = make_password(PASSWORD)
    for person in (world.people.officer, world.people.leader):
        person.password = encoded
        person.save(update_fields=["password"])
    return world


def test_two_nodes_behind_nginx_serve_one_installation(people, tmp_path):
    from bench.nodes import running_cluster

    world = people
    officer = world.people.officer
    [note] = notification_services.notify(
        [officer], kind=Kind.TASK_ASSIGNED, title="Nhiệm vụ mới", key="two-nodes"
    )
    env = _base_environment() | {
        "DEBUG": "0",
        "SECRET_KEY": "two-nodes-test-secret-" + "Qm7x" * 12,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "THEODOI_HTTPS": "0",
        "THEODOI_MANIFEST_STATIC": "0",
        "THEODOI_DATA_DIR": str(tmp_path),
        "THEODOI_TODAY": "2026-11-24",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": _database_url(),
    }
    with running_cluster(env, nodes=2, workers_per_node=1, threads=4) as cluster:
        try:
            _through_the_front(cluster, world, note)
        except AssertionError as error:
            raise AssertionError(f"{error}\n{cluster.logs()}") from error
        # The front has closed its connections to the database before the test's tables are
        # emptied (a server's idle connection holds no lock, but a running request would).


def _through_the_front(cluster, world, note: Notification) -> None:
    task = world.task_vhxh
    officer = NodeBrowser(cluster.url)

    # Signed in on one node, the session holds on the other.
    officer.sign_in(officer_name := world.people.officer.username, PASSWORD)
    signed_in_on = officer.nodes[1]  # the POST of the form (the first was the form's page)
    page = officer.get_elsewhere(f"/tasks/{task.pk}/", not_on=signed_in_on)
    assert page.status == 200 and officer_name in page.text, page.status
    assert {"node1", "node2"} <= set(officer.nodes), officer.nodes

    # A report with its PDF sent to one node, shown and served by the other, kept in the bucket.
    officer.post(
        f"/tasks/{task.pk}/reports/",
        {
            "period": "2026-Q4",
            "percent": "60",
            "result": "Đã triển khai",
            "kind": "signed_document",
            "document_number": "12/BC-VHXH",
            "document_date": "2026-11-20",
        },
        files={"evidence": ("bao-cao.pdf", PDF, "application/pdf")},
    )
    sent_on = officer.node
    evidence = Evidence.objects.get(report__task=task)
    page = officer.get_elsewhere(f"/tasks/{task.pk}/", not_on=sent_on)
    assert page.status == 200 and f"/evidence/{evidence.pk}/file/" in page.text
    assert officer.download(f"/evidence/{evidence.pk}/file/", not_on=sent_on) == PDF
    assert _bucket_object(cluster, evidence.file.name) == PDF
    assert evidence.file.name.endswith(hashlib.sha256(PDF).hexdigest())

    # A cached value forgotten on every node: the bell's count, read on one, opened on another.
    page = officer.get("/my-tasks/")
    bell_on = officer.node
    assert _bell(page.text) == 1, "the new notification is counted (and the count cached)"
    officer.get_elsewhere(f"/notifications/{note.pk}/open/", not_on=bell_on)
    page = officer.get_elsewhere("/my-tasks/", not_on=officer.node)
    assert officer.node == bell_on and _bell(page.text) == 0, "the read one is no longer counted"

    # A Word report made by the worker on the RQ queue, offered by both nodes.
    leader = NodeBrowser(cluster.url)
    leader.sign_in(world.people.leader.username, PASSWORD)
    leader.get(f"/plans/{task.plan_id}/report/")
    asked = leader.post(f"/plans/{task.plan_id}/report/prepare.docx", {})
    assert asked.status == 302 and re.fullmatch(r"/exports/\d+/", asked.location), asked
    export = ReportExport.objects.get(pk=int(asked.location.split("/")[2]))
    deadline = time.monotonic() + 20
    while "Báo cáo đã sẵn sàng." not in leader.get(asked.location).text:
        assert time.monotonic() < deadline, "no report from the worker within 20 s"
        time.sleep(0.3)
    first = leader.download(f"{asked.location}file", not_on="")
    second = leader.download(f"{asked.location}file", not_on=leader.node)
    assert first == second and first.startswith(b"PK")
    export.refresh_from_db()
    assert _bucket_object(cluster, export.file.name) == first

    # Signed out on one node: the session ends on the other too, even replayed.
    [session] = [c for c in officer.cookies if c.name == "sessionid"]
    kept = copy.copy(session)
    officer.get("/my-tasks/")
    officer.post("/logout/", {})
    out_on = officer.node
    officer.cookies.set_cookie(kept)
    answer = officer.get_elsewhere("/my-tasks/", not_on=out_on)
    assert answer.status == 302 and "/login/" in answer.location, answer


def _bucket_object(cluster, name: str) -> bytes:
    import boto3

    env = cluster.env
    client = boto3.client(
        "s3",
        endpoint_url=env["AWS_S3_ENDPOINT_URL"],
        region_name=env["AWS_S3_REGION_NAME"],
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
    )
    return client.get_object(Bucket=env["THEODOI_S3_BUCKET"], Key=name)["Body"].read()
