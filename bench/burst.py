"""The machinery of the load tests of `make bench` (bench/run.py): gunicorn started through the
package's config module, the background worker beside it, Locust headless, and a sampler of the
CPU each process group uses meanwhile.

Everything started here listens on or talks to 127.0.0.1 only, is bounded in time and stops by
itself (or is stopped by the caller's ``finally``)."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


# --- gunicorn and the worker ----------------------------------------------------------------


@dataclass(frozen=True)
class ServerKind:
    """How gunicorn runs: worker class, worker count, threads per worker (gthread)."""

    worker_class: str = "sync"
    workers: int = 3
    threads: int = 1

    @property
    def label(self) -> str:
        if self.worker_class == "gthread":
            return f"gthread {self.workers}×{self.threads}"
        return f"{self.worker_class} ×{self.workers}"

    @classmethod
    def parse(cls, text: str) -> ServerKind:
        """``sync:3`` or ``gthread:2x4`` (class, workers, threads)."""
        kind, _, size = text.strip().partition(":")
        workers, _, threads = size.partition("x")
        if kind not in ("sync", "gthread"):
            raise ValueError(f"worker class {kind!r}: sync or gthread")
        return cls(kind, max(1, min(8, int(workers or 3))), max(1, min(16, int(threads or 1))))

    def as_dict(self) -> dict:
        return {"worker_class": self.worker_class, "workers": self.workers, "threads": self.threads}


def _no_control_socket() -> list[str]:
    """Newer gunicorn opens a control socket at one path in the home folder, which two servers
    on one machine (another bench, a cluster's nodes) would share."""
    try:
        from gunicorn.config import KNOWN_SETTINGS
    except ImportError:
        return []
    known = any(s.name == "control_socket_disable" for s in KNOWN_SETTINGS)
    return ["--no-control-socket"] if known else []


def gunicorn_command(kind: ServerKind | None, port: int) -> list[str]:
    """gunicorn as README's Production block runs it (the package's config module), on the
    bench's port; ``kind`` overrides the module's worker class and count (None: its defaults)."""
    command = [
        str(BIN / "gunicorn"),
        "-c",
        "python:theodoi.gunicorn_conf",
        "theodoi.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        *_no_control_socket(),
    ]
    if kind is not None:
        command += ["--worker-class", kind.worker_class, "--workers", str(kind.workers)]
        command += ["--threads", str(kind.threads)]
    return command


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    handle = open(log, "a")  # noqa: SIM115 - the child holds it; closed when the child ends
    try:
        return subprocess.Popen(
            command, cwd=ROOT, env=os.environ | env, stdout=handle, stderr=subprocess.STDOUT
        )
    finally:
        handle.close()


def stop(process: subprocess.Popen | None, seconds: int = 20) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def wait_for(url: str, *, seconds: int, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError("the server stopped; see its log in the bench data folder")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the server did not answer {url} within {seconds} s")


def warm(host: str, workers: int, process: subprocess.Popen | None = None) -> None:
    """Warm every worker (imports, templates, translations), as a running server is."""
    wait_for(f"{host}/login/", seconds=60, process=process)
    for _ in range(6 * workers):
        wait_for(f"{host}/login/", seconds=10, process=process)


@contextlib.contextmanager
def server(
    env: dict[str, str], *, port: int, kind: ServerKind | None, data_dir: Path, worker: bool
) -> Iterator[tuple[str, subprocess.Popen, subprocess.Popen | None]]:
    """gunicorn on 127.0.0.1:port, and ``theodoi worker`` beside it when ``worker``."""
    log = data_dir / "gunicorn.log"
    gunicorn = start(gunicorn_command(kind, port), env, log)
    background = None
    try:
        if worker:
            background = start([str(BIN / "theodoi"), "worker"], env, data_dir / "worker.log")
        host = f"http://127.0.0.1:{port}"
        warm(host, kind.workers if kind else 4, gunicorn)
        yield host, gunicorn, background
    finally:
        stop(background)
        stop(gunicorn)


# --- Locust ---------------------------------------------------------------------------------


@dataclass
class LocustRun:
    """One headless Locust run: the CSV summary (whole run) and, with steps, a line a step."""

    returncode: int
    prefix: Path
    steps_file: Path | None
    pid_seconds: float = 0.0

    def rows(self) -> dict[str, dict[str, str]]:
        path = Path(f"{self.prefix}_stats.csv")
        if not path.exists():
            raise RuntimeError(
                f"Locust wrote no statistics (exit {self.returncode}); see locust.log"
            )
        return {row["Name"]: row for row in csv_rows(path)}

    def failures(self) -> list[dict[str, str]]:
        path = Path(f"{self.prefix}_failures.csv")
        return csv_rows(path) if path.exists() else []

    def steps(self) -> list[dict]:
        if self.steps_file is None or not self.steps_file.exists():
            return []
        return [json.loads(line) for line in self.steps_file.read_text().splitlines() if line]


def run_locust(
    *,
    host: str,
    data_dir: Path,
    name: str,
    env: dict[str, str],
    users: int,
    spawn_rate: float,
    run_time: int | None = None,
    steps: list[int] | None = None,
    settle: float = 20,
    step_seconds: float = 60,
    on_start: Callable[[subprocess.Popen], None] | None = None,
) -> LocustRun:
    """Locust headless against ``host`` (loopback only, refused otherwise by the locustfile):
    ``users`` for ``run_time`` seconds, or the ``steps`` of users one after the other."""
    prefix = data_dir / name
    for stale in data_dir.glob(f"{name}_*.csv"):
        stale.unlink()
    steps_file = None
    locust_env = dict(env)
    command = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--host",
        host,
        "--stop-timeout",
        "10",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    if steps:
        steps_file = data_dir / f"{name}-steps.jsonl"
        steps_file.unlink(missing_ok=True)
        locust_env |= {
            "BENCH_STEPS": ",".join(map(str, steps)),
            "BENCH_SPAWN_RATE": str(spawn_rate),
            "BENCH_SETTLE_SECONDS": str(settle),
            "BENCH_STEP_SECONDS": str(step_seconds),
            "BENCH_STEPS_FILE": str(steps_file),
        }
        # Each step: its ramp-up, the settling, the measure; the bound stops a stuck run.
        bound = sum(settle + step_seconds + n / spawn_rate for n in steps) + 120
    else:
        command += ["--users", str(users), "--spawn-rate", str(spawn_rate)]
        command += ["--run-time", f"{run_time}s"]
        bound = (run_time or 60) + 120
    log = data_dir / f"{name}.log"
    started = time.monotonic()
    with open(log, "w") as handle:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=os.environ | locust_env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        if on_start is not None:
            on_start(process)
        try:
            process.wait(timeout=bound)
        except subprocess.TimeoutExpired:
            stop(process)
    return LocustRun(process.returncode, prefix, steps_file, time.monotonic() - started)


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def summary(run: LocustRun) -> dict:
    """The whole run's numbers from Locust's CSV: requests, rate, median, p95, errors."""
    rows = run.rows()
    total = rows["Aggregated"]
    result = {
        "requests": int(total["Request Count"]),
        "rps": round(float(total["Requests/s"]), 1),
        "median_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "errors": int(total["Failure Count"]),
        "by_request": {
            name: {
                "requests": int(row["Request Count"]),
                "median_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
                "errors": int(row["Failure Count"]),
            }
            for name, row in rows.items()
            if name != "Aggregated"
        },
    }
    failures = run.failures()
    if failures:
        result["failures"] = [
            {k: f[k] for k in ("Method", "Name", "Error", "Occurrences")} for f in failures[:10]
        ]
    return result


# --- A window of a Locust run ---------------------------------------------------------------


def percentile(times: dict[int, int], count: int, share: float) -> int:
    """Locust's percentile of a {response time ms: requests} histogram (as locust.stats
    computes it, so that a step's numbers compare with the whole run's)."""
    wanted = int(count * share)
    seen = 0
    for ms in sorted(times, reverse=True):
        seen += times[ms]
        if count - seen <= wanted:
            return ms
    return 0


def window(before: dict, after: dict, seconds: float) -> dict:
    """Requests, errors, rate and percentiles of the requests made between two snapshots of
    Locust's counters, {name: (requests, failures, {ms: requests})}: a step's own numbers."""
    result = {}
    for name, (requests, failures, times) in after.items():
        old_requests, old_failures, old_times = before.get(name, (0, 0, {}))
        count = requests - old_requests
        delta = {ms: n - old_times.get(ms, 0) for ms, n in times.items()}
        delta = {ms: n for ms, n in delta.items() if n > 0}
        result[name] = {
            "requests": count,
            "errors": failures - old_failures,
            "rps": round(count / seconds, 2) if seconds else 0.0,
            "median_ms": percentile(delta, count, 0.5) if count else None,
            "p95_ms": percentile(delta, count, 0.95) if count else None,
        }
    return result


# --- CPU of each process group --------------------------------------------------------------


def _descendants(pid: int) -> list:
    import psutil

    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


@dataclass
class Sampler:
    """Every ``interval`` seconds, the CPU seconds used so far by each group of processes:
    the processes watched (gunicorn's master and workers, the worker, Locust; the cluster's
    nodes, nginx and S3), the PostgreSQL backends of the bench's database, all of PostgreSQL;
    and the whole machine's busy CPU. A group's CPU in a
    window is then its difference over the window (processes gone between two samples are
    missed; those of the load test live as long as it)."""

    database: str
    interval: float = 2.0
    roots: dict[str, list[int]] = field(default_factory=dict)
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    samples: list[tuple[float, dict[str, float]]] = field(default_factory=list)
    jobs_probe: Callable[[], None] | None = None

    def __post_init__(self) -> None:
        self._seen: dict[tuple[str, int], float] = {}
        self._totals: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def watch(self, group: str, pid: int) -> None:
        """Count ``pid`` and its children in ``group`` (several roots add up: the nodes)."""
        self.roots.setdefault(group, []).append(pid)

    def _groups(self) -> dict[str, list]:
        import psutil

        groups: dict[str, list] = {
            name: [p for pid in pids for p in _descendants(pid)]
            for name, pids in self.roots.items()
        }
        postgres, bench_db = [], []
        for process in psutil.process_iter(["name", "cmdline"]):
            name = process.info["name"] or ""
            if name.startswith("postgres") or name.startswith("postmaster"):
                postgres.append(process)
                cmdline = " ".join(process.info["cmdline"] or [])
                if f" {self.database} " in f" {cmdline} ":
                    bench_db.append(process)
        groups["postgres_bench_db"] = bench_db
        groups["postgres_all"] = postgres
        return groups

    def sample(self) -> None:
        import psutil

        now = time.time()
        first = not self.samples
        for group, processes in self._groups().items():
            total = self._totals.get(group, 0.0)
            for process in processes:
                try:
                    times = process.cpu_times()
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                used = times.user + times.system
                key = (group, process.pid)
                # A process first seen after the first sample began within the run: all of
                # its CPU is the run's. One seen at the first sample counts from there.
                previous = self._seen.get(key, used if first else 0.0)
                total += max(0.0, used - previous)
                self._seen[key] = used
            self._totals[group] = total
        cpu = psutil.cpu_times()
        busy = cpu.user + cpu.nice + cpu.system + cpu.irq + cpu.softirq + getattr(cpu, "steal", 0)
        self.samples.append((now, dict(self._totals) | {"machine": busy}))
        if self.jobs_probe is not None:
            with contextlib.suppress(Exception):
                self.jobs_probe()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self) -> Sampler:
        self.sample()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.sample()

    def _at(self, moment: float) -> dict[str, float]:
        """The groups' cumulative CPU at ``moment``, between the two samples around it."""
        before = max((s for s in self.samples if s[0] <= moment), default=self.samples[0])
        after = min((s for s in self.samples if s[0] >= moment), default=self.samples[-1])
        if after[0] == before[0]:
            return before[1]
        share = (moment - before[0]) / (after[0] - before[0])
        keys = set(before[1]) | set(after[1])
        return {
            k: before[1].get(k, 0.0) + share * (after[1].get(k, 0.0) - before[1].get(k, 0.0))
            for k in keys
        }

    def cores(self, start: float | None = None, end: float | None = None) -> dict[str, float]:
        """Cores used on average by each group between ``start`` and ``end`` (the whole
        sampling by default); ``machine`` is every process of the machine, other work too."""
        if len(self.samples) < 2:
            return {}
        start = self.samples[0][0] if start is None else start
        end = self.samples[-1][0] if end is None else end
        if end <= start:
            return {}
        a, b = self._at(start), self._at(end)
        return {k: round((b.get(k, 0.0) - a.get(k, 0.0)) / (end - start), 2) for k in sorted(b)}


# --- The jobs of the worker (RQ) ------------------------------------------------------------


class RqJobs:
    """The jobs the worker finished (or failed) since ``since``: how many and how long each
    waited in the queue. RQ keeps a finished job ``result_ttl`` seconds (500): the sampler
    probes every few seconds so that none of a long run is lost."""

    def __init__(self, redis_url: str, queue: str = "default") -> None:
        from redis import Redis
        from rq import Queue

        self.connection = Redis.from_url(redis_url)
        self.queue = Queue(queue, connection=self.connection)
        self.since = time.time()
        self.jobs: dict[str, dict] = {}

    def clear(self) -> None:
        """Forget earlier runs' jobs of this queue: only this run's are counted."""
        self.since = time.time()
        self.jobs = {}

    def probe(self) -> None:
        from rq.job import Job
        from rq.registry import FailedJobRegistry, FinishedJobRegistry

        for registry, state in (
            (FinishedJobRegistry(queue=self.queue), "finished"),
            (FailedJobRegistry(queue=self.queue), "failed"),
        ):
            ids = [i for i in registry.get_job_ids() if i not in self.jobs]
            for job in Job.fetch_many(ids, connection=self.connection):
                if job is None or job.enqueued_at is None:
                    continue
                enqueued = job.enqueued_at.timestamp()
                if enqueued < self.since:
                    continue
                started = job.started_at.timestamp() if job.started_at else None
                ended = job.ended_at.timestamp() if job.ended_at else None
                self.jobs[job.id] = {
                    "function": job.func_name.rsplit(".", 1)[-1],
                    "state": state,
                    "enqueued": enqueued,
                    "wait_s": None if started is None else max(0.0, started - enqueued),
                    "run_s": None if started is None or ended is None else ended - started,
                }

    def waiting(self) -> int:
        return len(self.queue)

    def drain(self, seconds: float = 60) -> None:
        """Give the worker up to ``seconds`` to finish what the run queued."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and (self.waiting() or self._busy()):
            time.sleep(1)
        self.probe()

    def _busy(self) -> bool:
        from rq.registry import StartedJobRegistry

        return StartedJobRegistry(queue=self.queue).count > 0

    def report(self, start: float | None = None, end: float | None = None) -> dict:
        chosen = [
            j
            for j in self.jobs.values()
            if (start is None or j["enqueued"] >= start) and (end is None or j["enqueued"] < end)
        ]
        waits = sorted(j["wait_s"] for j in chosen if j["wait_s"] is not None)
        by_function: dict[str, int] = {}
        for job in chosen:
            by_function[job["function"]] = by_function.get(job["function"], 0) + 1

        def pick(share: float) -> float | None:
            if not waits:
                return None
            return round(waits[min(len(waits) - 1, int(share * len(waits)))], 2)

        return {
            "done": sum(1 for j in chosen if j["state"] == "finished"),
            "failed": sum(1 for j in chosen if j["state"] == "failed"),
            "by_function": by_function,
            "wait_median_s": pick(0.5),
            "wait_p95_s": pick(0.95),
            "wait_max_s": round(waits[-1], 2) if waits else None,
            "left_in_queue": self.waiting(),
        }
