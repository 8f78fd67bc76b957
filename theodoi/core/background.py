"""Handing work to the background worker (``theodoi worker``) through Django's task framework.

Every caller enqueues through ``enqueue`` so that each gets the same guarantee: the work is
queued together with the caller's transaction. On the database queue (the default) the task's
row is written in that transaction, so both commit or neither does; a queue outside the
database (RQ on Redis) is sent the task once the transaction has committed, so the worker never
looks for rows it cannot see yet. The immediate backend (the tests' default) runs the task on the
spot, inside the caller's transaction.
"""

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django_tasks import TaskResult, task_backends
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend

logger = logging.getLogger(__name__)


def runs_immediately() -> bool:
    """True when an enqueued task has already run when ``enqueue`` returns (no worker)."""
    return isinstance(task_backends["default"], ImmediateBackend)


def _send(
    task: Task, kwargs: dict[str, Any], on_failure: Callable[[Exception], None] | None
) -> TaskResult | None:
    try:
        # A savepoint: a database queue that fails leaves the caller's transaction usable.
        with transaction.atomic():
            return task.enqueue(**kwargs)
    except Exception as exc:  # Redis down, a refused connection: the caller says so
        logger.exception("could not queue %s", task.module_path)
        if on_failure is not None:
            on_failure(exc)
        return None


def enqueue(
    task: Task,
    *,
    on_failure: Callable[[Exception], None] | None = None,
    **kwargs: Any,
) -> TaskResult | None:
    """Queue ``task`` with keyword arguments (JSON values only) for the worker.

    Returns the task's result handle, or None when the queue could not take it (``on_failure``
    is then called with the error) or when it will be sent after the caller's transaction
    commits (a queue outside the database)."""
    backend = task.get_backend()
    if isinstance(backend, DatabaseBackend | ImmediateBackend):
        # In the caller's transaction: the database queue's row commits with the caller's work.
        return _send(task, kwargs, on_failure)
    if not transaction.get_connection().in_atomic_block:
        return _send(task, kwargs, on_failure)
    transaction.on_commit(lambda: _send(task, kwargs, on_failure))
    return None
