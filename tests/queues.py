"""The real queues for tests that run background work as production does.

``real_queue`` (parametrized "database" / "rq") switches the suite's immediate backend for
django-tasks-db's database queue or for RQ on the Redis at ``REDIS_URL`` (skipped, naming
redis-server, when none answers). ``run_worker`` then does one pass of the worker of that
queue, in this process, so it sees the test's database: ``theodoi worker --once`` for the
database queue, RQ's own worker in burst mode (without forking, for the same reason) for RQ.
"""

import contextlib
import random
import signal
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command

REDIS_URL = "redis://127.0.0.1:6379"


@contextlib.contextmanager
def signals_kept():
    """A worker run inside a test. The workers take SIGINT and SIGTERM for their clean stop:
    they are given back to pytest. The database worker closes connections it finds inside a
    transaction, as a test's always is (PostgreSQL then loses the test's data): as Django's
    test client does for requests, that check is left out."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        with mock.patch(
            "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
        ):
            yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def _redis_or_skip(url: str):
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"redis-server is not running at {url} (apt-get install redis-server)")
    return client


class Queue:
    def __init__(self, kind: str, settings, on_commit):
        self.kind = kind
        self.on_commit = on_commit
        if kind == "database":
            settings.TASKS = {
                "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
            }
            return
        # A database of Redis picked at random: two test runs at once keep apart.
        url = f"{REDIS_URL}/{random.randint(1, 15)}"
        _redis_or_skip(url)
        settings.RQ_QUEUES = {"default": {"URL": url}}
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
        }
        import django_rq

        django_rq.get_queue("default").empty()

    @contextlib.contextmanager
    def sending(self):
        """Around the code that enqueues: RQ is sent the task when the transaction commits,
        which a test's transaction never does, so its commit callbacks are run here."""
        if self.kind == "rq":
            with self.on_commit(execute=True):
                yield
        else:
            yield

    def waiting(self) -> int:
        if self.kind == "database":
            from django_tasks_db.models import DBTaskResult

            return DBTaskResult.objects.ready().count()
        import django_rq

        return django_rq.get_queue("default").count

    def run_worker(self) -> str:
        out = StringIO()
        with signals_kept():
            if self.kind == "database":
                call_command("worker", once=True, stdout=out, stderr=out)
            else:
                import django_rq
                from rq.worker import SimpleWorker

                worker = django_rq.get_worker(
                    "default", job_class="django_tasks_rq.backend.Job", worker_class=SimpleWorker
                )
                worker.work(burst=True)
        return out.getvalue()


@pytest.fixture(params=["database", "rq"])
def real_queue(request, settings, django_capture_on_commit_callbacks):
    return Queue(request.param, settings, django_capture_on_commit_callbacks)
