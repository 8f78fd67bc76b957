"""``theodoi worker``: runs the background work (alert e-mails, Word/PDF reports) of the queue
the settings configure: the database queue (django-tasks-db's worker) or RQ on Redis.

It stops cleanly on SIGTERM or Ctrl+C: a task under way is finished first (a second signal
ends it at once), so systemd, ``make demo`` and the tests can stop it at any time."""

import logging
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import OperationalError
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.utils import is_locked_database_exception

logger = logging.getLogger(__name__)

QUEUE = "default"


class Command(BaseCommand):
    help = (
        "Run the background worker of the configured queue (THEODOI_TASKS): the alert digests' "
        "e-mails and the Word/PDF reports. Stops cleanly on SIGTERM."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="run every task waiting now, then exit (for cron or scripts)",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="database queue: seconds between two looks at an empty queue (default 1)",
        )

    def handle(self, *args, once: bool, interval: float, **options):
        verbosity = options["verbosity"]
        backend = task_backends["default"]
        if isinstance(backend, DatabaseBackend):
            while True:
                try:
                    call_command(
                        "db_worker",
                        queue_name=QUEUE,
                        interval=interval,
                        batch=once,
                        reload=False,
                        startup_delay=not once,
                        verbosity=verbosity,
                        stdout=self.stdout._out,
                        stderr=self.stderr._out,
                    )
                    return
                except OperationalError as exc:
                    # The embedded SQLite database held by a long write (a demo load, a
                    # restore) past its busy timeout: wait for it rather than die.
                    if not is_locked_database_exception(exc):
                        raise
                    logger.warning("the database is busy; the worker tries again")
                    time.sleep(interval or 1)
        elif settings.THEODOI_TASKS == "rq":
            call_command(
                "rqworker",
                QUEUE,
                job_class="django_tasks_rq.backend.Job",
                burst=once,
                verbosity=verbosity,
                stdout=self.stdout._out,
                stderr=self.stderr._out,
            )
        else:
            self.stderr.write(
                f"The task backend {type(backend).__name__} runs tasks without a worker."
            )
