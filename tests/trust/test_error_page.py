"""The Vietnamese error page needs no database: a dropped connection gets it, not the server's
bare answer, and the next request works again. A database that stayed locked answers 503 with a
message that is true however much of the form was saved."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.test import Client, RequestFactory

from theodoi.core.views import error_500

ERROR_TITLE = "Đã xảy ra lỗi"
ERROR_TEXT = "Lỗi đã được ghi nhận"


def _dropped(execute, sql, params, many, context):
    # What psycopg raises when PostgreSQL went away in the middle of a request.
    raise OperationalError("server closed the connection unexpectedly")


def test_a_dropped_connection_gets_the_vietnamese_page_and_the_next_request_works(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.people.office)
    with connection.execute_wrapper(_dropped):
        # The session, the user and the page all need the database: every query fails.
        broken = client.get("/plans/")
    assert broken.status_code == 500
    page = broken.content.decode()
    assert ERROR_TITLE in page and ERROR_TEXT in page
    assert '<html lang="vi">' in page
    # Still signed in: the failed request did not throw the session away.
    again = client.get("/plans/")
    assert again.status_code == 200
    assert ERROR_TITLE not in again.content.decode()


def test_the_error_page_needs_no_request_state_and_no_database():
    # A bare request: no session, no user, nothing a middleware would have added. Without the
    # db fixture, pytest-django makes any database access fail this test.
    response = error_500(RequestFactory().get("/plans/"))
    assert response.status_code == 500
    assert ERROR_TITLE in response.content.decode()


def test_the_error_page_speaks_the_site_language_whatever_an_earlier_request_left_active():
    # LocaleMiddleware leaves the language of the last request active in the thread; a bare
    # request must still get the Vietnamese page.
    from django.utils import translation

    translation.activate("en")
    try:
        response = error_500(RequestFactory().get("/plans/"))
    finally:
        translation.deactivate()
    assert ERROR_TITLE in response.content.decode()


# --- The embedded database stayed locked -----------------------------------------------------

BUSY_MIDDLEWARE = "theodoi.core.middleware.DatabaseBusy"


def _locked_at(table: str):
    def wrapper(execute, sql, params, many, context):
        # What SQLite raises when the write lock stayed taken past the busy timeout.
        if sql.startswith(f'INSERT INTO "{table}"'):
            raise OperationalError("database is locked")
        return execute(sql, params, many, context)

    return wrapper


def test_a_lock_while_the_files_are_recorded_is_a_503_and_leaves_no_half_report(world, settings):
    """The report form writes the report and its files in one transaction: a lock
    while a file is recorded rolls the report back too. The busy page stays careful (it cannot
    know which write failed) and never claims that nothing was saved."""
    from tests.api.helpers import PDF
    from theodoi.reporting.models import Evidence, ProgressReport

    if BUSY_MIDDLEWARE not in settings.MIDDLEWARE:  # installed on the embedded database only
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, BUSY_MIDDLEWARE]
    client = Client()
    client.force_login(world.people.officer)
    upload = SimpleUploadedFile("bien-ban.pdf", PDF)
    with connection.execute_wrapper(_locked_at("reporting_evidence")):
        response = client.post(
            f"/tasks/{world.task_vhxh.pk}/reports/",
            {
                "period": "2026-Q4",
                "percent": "50",
                "result": "Đã cấp 40 chữ ký số",
                "evidence": upload,
            },
        )
    assert response.status_code == 503
    page = response.content.decode()
    assert "có thể một phần đã được lưu" in page and "mở lại trang để kiểm tra" in page
    assert "chưa được lưu" not in page
    assert not ProgressReport.objects.exists()
    assert not Evidence.objects.exists()


def test_a_lock_on_the_api_is_a_documented_503(world, settings):
    from tests.api.helpers import BASE, client_for, post_json

    if BUSY_MIDDLEWARE not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, BUSY_MIDDLEWARE]
    client = client_for(world.people.officer)
    report = {"period": "2026-Q4", "percent": 60, "result": "Đã cấp 40 chữ ký số"}
    with connection.execute_wrapper(_locked_at("reporting_progressreport")):
        response = post_json(client, f"/tasks/{world.task_vhxh.pk}/reports", report)
    assert response.status_code == 503
    assert "Hãy thử lại sau ít giây" in response.json()["detail"]
    document = client.get(f"{BASE}/openapi.json").json()
    assert "503" in document["paths"][f"{BASE}/tasks/{{task_id}}/reports"]["post"]["responses"]
