"""Test settings: the production settings module, with test-friendly environment defaults set
before it is read. Anything given in the environment (e.g. DATABASE_URL for PostgreSQL) wins."""

import os
import tempfile

# Tests speak plain HTTP to the test client; production keeps HTTPS on by default.
os.environ.setdefault("THEODOI_HTTPS", "0")
# Each run writes its SQLite database and files in a throw-away folder.
os.environ.setdefault("THEODOI_DATA_DIR", tempfile.mkdtemp(prefix="theodoi-test-"))
# A fixed today; single tests change it with the `settings` fixture.
os.environ.setdefault("THEODOI_TODAY", "2026-11-24")
# Static files come from the app folders (no collectstatic in tests).
os.environ.setdefault("THEODOI_MANIFEST_STATIC", "0")

from theodoi.settings import *  # noqa: E402,F403

# Fast hashing: the tests sign users in thousands of times; Argon2 stays the production hasher.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Background work runs on the spot (django-tasks' immediate backend), inside the caller's
# transaction: a test that asks for a report or a digest sees the file or the mail at once,
# without a worker process, and each test's rollback removes what the task wrote. The real
# queues (the database one on SQLite and PostgreSQL, RQ on Redis) are run by
# tests/core/test_worker.py, which switch to them.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A test database in a file, not Django's default in-memory one: the browser tests' live
    # server answers each request in its own thread, and an in-memory database would make all
    # those threads and the test itself share one connection — two queries at once on it (the
    # page's background requests while the test reads the database) break its transaction
    # state for every test that follows. With a file each thread has its own connection, as in
    # production.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405
