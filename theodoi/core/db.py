"""Database helpers."""

import contextlib
from collections.abc import Iterator

from django.db import DEFAULT_DB_ALIAS, connections, transaction


@contextlib.contextmanager
def read_transaction(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """A transaction that only reads (a backup's dump): one consistent view of the data.

    On the embedded SQLite database transactions take the write lock when they begin (so that
    a read followed by a write never fails); a long read would make every writer wait. This
    one begins deferred instead: in WAL mode it reads its snapshot while others keep writing.
    Elsewhere, and inside an open transaction, it is a plain atomic block."""
    connection = connections[using]
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        with transaction.atomic(using=using):
            yield
        return
    connection.ensure_connection()  # reads the configured mode, which is set aside below
    configured = connection.transaction_mode
    connection.transaction_mode = "DEFERRED"
    try:
        with transaction.atomic(using=using):
            connection.transaction_mode = configured
            yield
    finally:
        connection.transaction_mode = configured
