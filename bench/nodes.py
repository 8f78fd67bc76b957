"""A small cluster of theodoi on this machine, as production runs it on several: N gunicorn
servers (the nodes) behind nginx balancing round-robin, one `theodoi worker` on the RQ queue,
the cache and sessions on Redis, evidence files on an S3 service (moto's server, standing in for
MinIO or a cloud's object storage) and the database the caller names.

    with cluster({"DATABASE_URL": url, "SECRET_KEY": ...}, nodes=2) as base_url:
        ...  # requests to base_url land on node1, node2, node1, ...

Each node answers with an ``X-Theodoi-Node`` header naming it (THEODOI_NODE_NAME), so a caller
sees which one served a request. Everything listens on 127.0.0.1 only, runs as the current
user with its files in a temporary folder, and is stopped when the block ends.

nginx is required (``shutil.which("nginx")``; callers skip with "install nginx"), and so are a
Redis server (``REDIS_URL``, default 127.0.0.1:6379) and gunicorn and moto[server] in this
Python environment. docs/deploy/nginx.conf is the same front written for a real server.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

try:
    from gunicorn.config import KNOWN_SETTINGS
except ImportError:  # the callers that need it skip, saying what to install
    KNOWN_SETTINGS = []

BIN = Path(sys.executable).parent
_LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")
BUCKET = "theodoi-evidence"
# moto accepts any credentials; boto3 only needs some.
S3_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
REDIS_DEFAULT = "redis://127.0.0.1:6379"
# Newer gunicorn opens a control socket at one path in the home folder, which the nodes would share.
_NO_CONTROL_SOCKET = (
    ["--no-control-socket"]
    if any(s.name == "control_socket_disable" for s in KNOWN_SETTINGS)
    else []
)

NGINX_CONF = """\
# Written by bench/nodes.py; the commented sample for a real server is docs/deploy/nginx.conf.
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {tmp}/nginx-access.log;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    # The largest evidence file (THEODOI_EVIDENCE_MAX_MB, 20) and the form around it.
    client_max_body_size 25m;
    upstream theodoi {{
{servers}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://theodoi;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            # The port too: the front listens on a port of its own here, and Django compares the
            # Origin of a form's POST with the host it is told.
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 150s;
        }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class _Process:
    name: str
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self, seconds: float = 15) -> None:
        if self.process.poll() is not None:
            return
        # Its own session: signals go to the whole group (gunicorn's master and its workers).
        # A second SIGTERM after a while: RQ's worker may miss the first one during its
        # start-up, and takes the second as "stop at once"; gunicorn is already stopping.
        for signum, wait in ((signal.SIGTERM, 3), (signal.SIGTERM, seconds), (signal.SIGKILL, 10)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signum)
            try:
                self.process.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue


@dataclass
class Cluster:
    """The running cluster: ``url`` is the nginx front; ``env`` what every process was given."""

    url: str = ""
    env: dict[str, str] = field(default_factory=dict)
    node_urls: dict[str, str] = field(default_factory=dict)
    processes: list[_Process] = field(default_factory=list)
    folder: Path = Path()

    def logs(self) -> str:
        """Every process's log, for a failing test's message."""
        parts = [f"--- {p.name}\n{p.log()[-4000:]}" for p in self.processes]
        error_log = self.folder / "nginx-error.log"
        if error_log.exists():
            parts.append(f"--- nginx error log\n{error_log.read_text(errors='replace')[-4000:]}")
        return "\n".join(parts)

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> _Process:
        log_path = self.folder / f"{name}.log"
        with log_path.open("w") as log:
            process = subprocess.Popen(
                argv,
                env=env,
                cwd=self.folder,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        started = _Process(name, process, log_path)
        self.processes.append(started)
        return started

    def stop(self) -> None:
        # The front first (no new requests), then the servers, the worker and the storage.
        for started in reversed(self.processes):
            started.stop()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except urllib.error.HTTPError as error:
        return error.code < 500
    except OSError:
        return False


def _wait(started: _Process, cluster: Cluster, until, what: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if started.process.poll() is not None:
            raise RuntimeError(
                f"{started.name} stopped ({started.process.returncode}):\n" + cluster.logs()
            )
        found = until()
        if found:
            return found
        time.sleep(0.2)
    raise RuntimeError(f"{started.name}: {what} not within {seconds} s:\n{cluster.logs()}")


@contextlib.contextmanager
def _redis_database(base: str) -> Iterator[str]:
    """A Redis database (1-15) no other cluster on this server uses meanwhile: the RQ queue has
    one name in every installation, and a worker of another cluster must not take its jobs."""
    import redis

    claim = f"theodoi:cluster:{uuid.uuid4().hex}"
    for number in range(1, 16):
        client = redis.Redis.from_url(f"{base}/{number}")
        if client.set("theodoi:cluster-claim", claim, nx=True, ex=3600):
            try:
                yield f"{base}/{number}"
            finally:
                if client.get("theodoi:cluster-claim") == claim.encode():
                    client.delete("theodoi:cluster-claim")
            return
    raise RuntimeError(f"every Redis database 1-15 of {base} is claimed by a running cluster")


def _rq_workers(url: str) -> int:
    import redis

    return int(redis.Redis.from_url(url).scard("rq:workers"))


def _start_s3(cluster: Cluster) -> tuple[_Process, dict[str, str]]:
    """moto's S3 server on a free port; the settings that point at it."""
    port = free_port()
    started = cluster.start(
        "s3",
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        dict(os.environ),
    )
    return started, {
        "THEODOI_S3_BUCKET": BUCKET,
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_S3_ADDRESSING_STYLE": "path",
        **S3_CREDENTIALS,
    }


def _create_bucket(started: _Process, cluster: Cluster, env: dict[str, str]) -> None:
    import boto3

    endpoint = env["AWS_S3_ENDPOINT_URL"]
    _wait(started, cluster, lambda: _answers(f"{endpoint}/moto-api/"), "answering")
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=env["AWS_S3_REGION_NAME"],
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
    ).create_bucket(Bucket=env["THEODOI_S3_BUCKET"])


def _start_node(cluster: Cluster, name: str, env: dict[str, str], workers: int, threads: int):
    started = cluster.start(
        name,
        [
            str(BIN / "gunicorn"),
            "theodoi.wsgi:application",
            "--bind",
            "127.0.0.1:0",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            "150",
            "--graceful-timeout",
            "5",
            *_NO_CONTROL_SOCKET,
        ],
        env | {"THEODOI_NODE_NAME": name},
    )
    return started


@contextlib.contextmanager
def running_cluster(
    env: dict[str, str],
    *,
    nodes: int = 2,
    workers_per_node: int = 2,
    threads: int = 4,
    port: int | None = None,
    worker_queue: bool = True,
) -> Iterator[Cluster]:
    """The cluster, with its logs and each node's own address (see ``cluster``)."""
    nginx = shutil.which("nginx")
    if nginx is None:
        raise RuntimeError("install nginx (apt-get install nginx)")
    redis_base = env.get("REDIS_URL", "").rstrip("/") or REDIS_DEFAULT
    with (
        tempfile.TemporaryDirectory(prefix="theodoi-cluster-") as folder,
        contextlib.nullcontext(env["REDIS_URL"])
        if env.get("REDIS_URL")
        else _redis_database(redis_base) as redis_url,
    ):
        running = Cluster(folder=Path(folder))
        try:
            shared = {
                **env,
                "REDIS_URL": redis_url,
                "THEODOI_CACHE": "redis",
                # Two clusters (or a cluster and a developer's server) on one Redis server.
                "THEODOI_CACHE_PREFIX": env.get(
                    "THEODOI_CACHE_PREFIX", f"theodoi-{uuid.uuid4().hex[:8]}"
                ),
                "THEODOI_BEHIND_PROXY": "1",
            }
            if worker_queue:
                shared["THEODOI_TASKS"] = "rq"
            s3 = None
            if not shared.get("THEODOI_S3_BUCKET"):
                s3, s3_env = _start_s3(running)
                shared.update(s3_env)
            running.env = shared
            # Everything starts at once (each process spends seconds importing Django); the
            # bucket exists before any node is asked anything.
            started_nodes = [
                _start_node(running, f"node{number}", shared, workers_per_node, threads)
                for number in range(1, nodes + 1)
            ]
            worker = None
            if worker_queue:
                worker = running.start("worker", [str(BIN / "theodoi"), "worker"], shared)
            if s3 is not None:
                _create_bucket(s3, running, shared)
            servers = []
            for started in started_nodes:
                match = _wait(
                    started, running, lambda s=started: _LISTENING.search(s.log()), "listening"
                )
                node_url = f"http://127.0.0.1:{match.group(1)}"
                _wait(started, running, lambda u=node_url: _answers(f"{u}/login/"), "answering")
                running.node_urls[started.name] = node_url
                servers.append(f"        server 127.0.0.1:{match.group(1)};")
            if worker is not None:
                # Registered with RQ: ready for jobs (and past its start-up, when a SIGTERM is
                # not yet a clean stop).
                _wait(worker, running, lambda: _rq_workers(redis_url), "registering")
            front_port = port or free_port()
            tmp = Path(folder)
            for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
                (tmp / sub).mkdir()
            conf = tmp / "nginx.conf"
            conf.write_text(NGINX_CONF.format(tmp=tmp, port=front_port, servers="\n".join(servers)))
            front = running.start(
                "nginx",
                [
                    nginx,
                    "-e",
                    str(tmp / "nginx-error.log"),
                    "-p",
                    str(tmp),
                    "-c",
                    str(conf),
                    "-g",
                    "daemon off;",
                ],
                dict(os.environ),
            )
            running.url = f"http://127.0.0.1:{front_port}"
            _wait(front, running, lambda: _answers(f"{running.url}/login/"), "answering")
            yield running
        finally:
            running.stop()


@contextlib.contextmanager
def cluster(
    env: dict[str, str],
    *,
    nodes: int = 2,
    workers_per_node: int = 2,
    threads: int = 4,
    port: int | None = None,
    worker_queue: bool = True,
) -> Iterator[str]:
    """Start the cluster for an installation described by ``env`` (at least DATABASE_URL and
    SECRET_KEY, the database migrated) and yield the nginx front's address.

    ``nodes`` gunicorn servers of ``workers_per_node`` processes × ``threads`` threads; the front
    on ``port`` (a free one if None); ``worker_queue``: the RQ queue and its `theodoi worker`
    (else the installation's own THEODOI_TASKS, and no worker). Without THEODOI_S3_BUCKET in
    ``env`` evidence goes to a moto S3 server started here; without REDIS_URL the cache,
    sessions and queue go to a database of the Redis at 127.0.0.1:6379 that no other cluster
    uses meanwhile. ``running_cluster`` yields the same with each node's address and the logs."""
    with running_cluster(
        env,
        nodes=nodes,
        workers_per_node=workers_per_node,
        threads=threads,
        port=port,
        worker_queue=worker_queue,
    ) as running:
        yield running.url
