"""The browser tests run against a live server whose request threads must not share the test's
database connection: on SQLite the test database is a file, so each thread opens its own."""

import threading

import pytest
from django.db import connection, connections


@pytest.mark.skipif(connection.vendor != "sqlite", reason="only SQLite can be in memory")
@pytest.mark.django_db(transaction=True)
def test_another_thread_gets_its_own_connection_to_the_same_database():
    assert not connection.is_in_memory_db()
    seen = {}

    def other():
        try:
            seen["connection"] = connections["default"]
            seen["name"] = connections["default"].settings_dict["NAME"]
        finally:
            connections.close_all()

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert seen["connection"] is not connection
    assert seen["name"] == connection.settings_dict["NAME"]
