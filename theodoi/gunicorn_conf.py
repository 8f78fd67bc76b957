"""gunicorn's settings for theodoi: ``gunicorn -c python:theodoi.gunicorn_conf theodoi.wsgi``.

Options given on gunicorn's command line (or in GUNICORN_CMD_ARGS) take precedence over these.

The worker class and count come from `make bench`'s comparison (``gunicorn_compare`` in
bench/results.json): sync ×2, ×3, ×4 and gthread 2×4 under a burst of 200 officers on a 2-core
server that also runs PostgreSQL. A page is mostly Python CPU, so processes beyond what the cores
can keep busy only add waiting, and threads share one interpreter lock: sync ×3 gave the lowest
p95 and the highest rate of the four, with less server CPU per request than ×4 (60 against
72 ms) or gthread (81 ms). Hence sync workers, one more than the cores (a worker waiting on the
database lends its core to another); WEB_CONCURRENCY sets another count.
"""

import os

bind = os.environ.get("THEODOI_BIND", "127.0.0.1:8000")
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY") or (os.cpu_count() or 1) + 1)
# The report files are made by the worker; this still covers a large evidence upload on a slow
# disk or link.
timeout = 150
# A worker finishing a request on SIGTERM (a restart) gets this long.
graceful_timeout = 30
# Keep-alive connections from the proxy on the same machine.
keepalive = 5
