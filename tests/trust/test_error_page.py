"""The Vietnamese error page needs no database: a dropped connection gets it, not the server's
bare answer, and the next request works again."""

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
