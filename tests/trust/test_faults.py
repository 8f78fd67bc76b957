"""Faults: a failing storage, a dropped database connection, an interrupted alert scan."""

import io
import sys

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, transaction
from django.test import Client

from theodoi.alerts import services as alert_services
from theodoi.alerts.models import Alert
from theodoi.reporting.models import Evidence
from theodoi.reporting.services import ReportingError, evidence_upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _broken_storage(settings, tmp_path):
    # A real fault, whoever runs the tests (root writes to read-only folders): the media
    # folder's parent is a file, so nothing can be created under it.
    blocker = tmp_path / "not-a-folder"
    blocker.write_bytes(b"")
    settings.MEDIA_ROOT = blocker / "media"


def test_storage_failure_leaves_no_evidence_row(world, settings, tmp_path):
    _broken_storage(settings, tmp_path)
    with pytest.raises(ReportingError, match="Không lưu được tệp minh chứng"):
        evidence_upload(actor=world.people.officer, name="a.pdf", data=PDF, task=world.task_vhxh)
    assert not Evidence.objects.exists()


def test_storage_failure_is_told_on_the_page(world, settings, tmp_path, client):
    _broken_storage(settings, tmp_path)
    client.force_login(world.people.officer)
    upload = io.BytesIO(PDF)
    upload.name = "bien-ban.pdf"
    response = client.post(
        f"/tasks/{world.task_vhxh.pk}/reports/",
        {"period": "2026-Q4", "percent": "50", "result": "Đang làm", "evidence": upload},
        follow=True,
    )
    assert response.status_code in (200, 400)
    assert "Không lưu được tệp minh chứng" in response.content.decode()
    assert not Evidence.objects.exists()


def _wsgi_get(path: str, cookie: str) -> tuple[str, bytes]:
    """One request through the real WSGI handler (request_started/finished included, which the
    test client leaves out for the database connection)."""
    status = {}

    def start_response(value, headers, exc_info=None):
        status["value"] = value

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "HTTP_COOKIE": cookie,
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    response = WSGIHandler()(environ, start_response)
    try:
        body = b"".join(response)
    finally:
        response.close()
    return status["value"], body


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a server connection can only be dropped on PostgreSQL (SQLite is a local file)",
)
@pytest.mark.django_db(transaction=True)
def test_dropped_connection_is_replaced_before_the_next_request(world):
    client = Client()
    client.force_login(world.people.office)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    status, _ = _wsgi_get("/my-tasks/", cookie)
    assert status.startswith("200")
    # The database server drops this process's connection (a restart, a network cut).
    pid = connection.connection.info.backend_pid
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"],
        dbname=settings["NAME"],
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    # A kept connection is checked when a request begins (CONN_HEALTH_CHECKS): the dropped one
    # is replaced, so not even the next request fails.
    status, _ = _wsgi_get("/my-tasks/", cookie)
    assert status.startswith("200")
    assert connection.connection.info.backend_pid != pid
    status, _ = _wsgi_get("/my-tasks/", cookie)
    assert status.startswith("200")


def _open_alerts():
    rows = Alert.objects.filter(closed_at__isnull=True).values_list(
        "rule", "task_id", "indicator_id", "period"
    )
    return sorted(rows, key=str)


class _Rollback(Exception):
    pass


def test_interrupted_scan_run_again_gives_the_same_alerts_once(db, monkeypatch):
    from theodoi.demo.services import load_demo

    load_demo()
    Alert.objects.all().delete()
    # The alerts a clean, uninterrupted scan gives (then rolled back).
    with pytest.raises(_Rollback), transaction.atomic():
        alert_services.scan()
        expected = _open_alerts()
        raise _Rollback
    assert expected, "the demo data should raise some alerts"
    assert not Alert.objects.exists()

    # Interrupted half-way: the tasks are done, the indicators are not.
    real = alert_services._evaluate_indicators

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(alert_services, "_evaluate_indicators", interrupted)
    with pytest.raises(KeyboardInterrupt):
        alert_services.scan()
    # Each ward is scanned in its own transaction: the ward interrupted keeps none of its new
    # alerts (no half-scanned ward), and the wards after it were not reached.
    partial = _open_alerts()
    assert set(partial) <= set(expected)
    assert len(partial) < len(expected)
    monkeypatch.setattr(alert_services, "_evaluate_indicators", real)

    alert_services.scan()
    assert _open_alerts() == expected
    again = alert_services.scan()
    assert again.opened == 0
    assert _open_alerts() == expected
    assert len(set(expected)) == len(expected)  # each alert once
