"""Scale measurements of theodoi on PostgreSQL: `make bench`.

Creates the database ``theodoi_bench`` on 127.0.0.1:5432 (user postgres), fills it with a
synthetic province (100 wards × 150 tasks × 2 years of weekly reports by default), times the
pages in one process through Django's test client, imports the five seeds, times the Word report
and the alert scan, runs the Locust quarter-end burst against gunicorn, prints a table and
writes bench/results.json. The database is dropped at the end unless --keep (a kept database is
reused by the next run, which then skips the synthetic data).

Everything it starts listens on or talks to 127.0.0.1 only, and stops by itself.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime
import io
import json
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.json"
DB_NAME = "theodoi_bench"
DB_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
PROVINCE = "SYN"

TARGETS_MS = {
    "ward_dashboard": 100,
    "province_page": 400,
    # A province task's page: the roll-up over every ward, a row per ward.
    "province_task_page": 300,
    "task_list": 100,
    "task_page": 100,
    # The officer's own list and task page: what the quarter-end burst opens most.
    "my_tasks": 100,
    "task_page_officer": 100,
    "report_submit": 60,
}
TARGET_SCAN_S = 5
# A plan of about 30 pages, read and saved into a ward (OCR excluded).
TARGET_IMPORT_S = 3
TARGET_LOAD_P95_MS = 500
# The capacity figure: users rising step by step, each step measured once its users are in.
DEFAULT_STEPS = "200,300,400,600,800"
MAX_STEP_USERS = 2000
# gunicorn set-ups compared at the standard burst (class:workers or gthread:workersxthreads).
DEFAULT_COMPARE = "sync:2,sync:3,sync:4,gthread:2x4"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wards", type=int, default=100)
    parser.add_argument("--tasks-per-ward", type=int, default=150)
    parser.add_argument("--years", type=float, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--today", default="2026-12-14", help="the server's today (quarter end)")
    parser.add_argument("--repeat", type=int, default=40, help="timed requests per page (≥ 30)")
    parser.add_argument("--users", type=int, default=200, help="Locust users (at most 200)")
    parser.add_argument("--run-time", type=int, default=120, help="load test seconds (≤ 300)")
    parser.add_argument("--spawn-rate", type=float, default=4.0)
    parser.add_argument(
        "--server",
        default=None,
        help="gunicorn of the load tests as class:workers (sync:3) or gthread:WxT (gthread:2x4); "
        "default: the package's theodoi/gunicorn_conf.py",
    )
    parser.add_argument(
        "--steps",
        default=DEFAULT_STEPS,
        help=f"users of each step of the capacity figure (each ≤ {MAX_STEP_USERS}); '' skips it",
    )
    parser.add_argument("--step-seconds", type=int, default=60, help="measured seconds a step")
    parser.add_argument(
        "--settle-seconds", type=int, default=20, help="after a step's ramp-up, before measuring"
    )
    parser.add_argument("--step-spawn-rate", type=float, default=10.0)
    parser.add_argument(
        "--compare",
        default=DEFAULT_COMPARE,
        help="gunicorn set-ups compared at the standard users (short runs); '' skips it",
    )
    parser.add_argument("--compare-seconds", type=int, default=60)
    parser.add_argument(
        "--tasks",
        choices=["rq", "database"],
        default="rq",
        help="the queue of the background work during the load tests (theodoi worker runs)",
    )
    parser.add_argument(
        "--office-users",
        type=int,
        default=2,
        help="ward standing offices asking for the quarter's Word report (made by the worker) "
        "beside the officers, in every load test (0–10)",
    )
    parser.add_argument(
        "--cache",
        choices=["redis", "local"],
        default="redis",
        help="the load tests' cache and sessions (THEODOI_CACHE): on Redis, as the cluster's",
    )
    parser.add_argument(
        "--redis-db",
        type=int,
        default=0,
        help="Redis database (127.0.0.1:6379) of the queue and cache; 0: one no other bench or "
        "cluster claims meanwhile",
    )
    parser.add_argument(
        "--nodes", type=int, default=2, help="app nodes of the cluster run (0: none)"
    )
    parser.add_argument(
        "--warm-up-seconds",
        type=int,
        default=60,
        help="officers working before the load tests, not measured (0: none): a quarter's last "
        "day starts on a server that served the days before it, its caches filled",
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the database")
    parser.add_argument("--no-load", action="store_true", help="skip the load test")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument(
        "--only",
        choices=["import", "load"],
        help="run one part alone (import: the seeds and the 30-page plan, no synthetic data; "
        "load: the load tests, the comparison, the capacity steps and the cluster run); "
        "its keys are updated in the results file, the others kept",
    )
    parser.add_argument("--db-name", default=DB_NAME, help="the PostgreSQL database to create")
    args = parser.parse_args()
    args.repeat = max(30, args.repeat)
    args.users = max(1, min(200, args.users))
    args.run_time = max(10, min(300, args.run_time))
    args.step_list = [
        max(1, min(MAX_STEP_USERS, int(n))) for n in args.steps.split(",") if n.strip()
    ]
    args.step_seconds = max(10, min(600, args.step_seconds))
    args.settle_seconds = max(0, min(120, args.settle_seconds))
    args.step_spawn_rate = max(1.0, min(50.0, args.step_spawn_rate))
    args.compare_list = [item for item in args.compare.split(",") if item.strip()]
    args.compare_seconds = max(10, min(300, args.compare_seconds))
    args.nodes = max(0, min(4, args.nodes))
    args.office_users = max(0, min(10, args.office_users))
    return args


# --- The database ---------------------------------------------------------------------------


def _admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(
        DB_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True
    ) as c:
        c.execute(sql)


def database_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(DB_ADMIN_URL.replace("postgres://", "postgresql://")) as c:
        row = c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return row is not None


def environment(args: argparse.Namespace, data_dir: Path) -> dict[str, str]:
    """The settings of the measured installation: production ones (DEBUG off, Argon2), plain
    HTTP on loopback, a fixed today so that states and alerts are those of the data."""
    return {
        "DATABASE_URL": DB_URL.replace(DB_NAME, args.db_name),
        "THEODOI_DATA_DIR": str(data_dir),
        "THEODOI_TODAY": args.today,
        "DEBUG": "0",
        "THEODOI_HTTPS": "0",
        "THEODOI_MANIFEST_STATIC": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "theodoi.settings",
    }


@contextlib.contextmanager
def _redis_database(args: argparse.Namespace):
    """--redis-db, or a database of 127.0.0.1:6379 claimed as bench/nodes.py claims one: the
    RQ queue has one name everywhere, and another cluster's worker must not take the jobs."""
    if args.redis_db:
        yield args.redis_db
        return
    from bench.nodes import REDIS_DEFAULT
    from bench.nodes import _redis_database as claim

    with claim(REDIS_DEFAULT) as url:
        yield int(url.rsplit("/", 1)[1])


def server_environment(
    args: argparse.Namespace, env: dict[str, str], redis_db: int
) -> dict[str, str]:
    """The load tests' servers: the same, with the background work on RQ (by default) in a
    Redis database of the bench's own, done by ``theodoi worker`` during the burst. The
    one-process timings keep the database queue (nothing else to run)."""
    return env | {
        "THEODOI_TASKS": args.tasks,
        "REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}",
        "THEODOI_CACHE": args.cache,
        # A key prefix of the run's own: another installation may share the Redis server.
        "THEODOI_CACHE_PREFIX": f"theodoi-bench-{secrets.token_hex(4)}",
    }


# --- Timing helpers -------------------------------------------------------------------------


def _timed_scan(province, day: datetime.date, *, full: bool = False) -> dict:
    """One inline scan on ``day``: its result, wall and CPU seconds, queries."""
    from django.db import connection
    from django.test import override_settings
    from django.test.utils import CaptureQueriesContext

    from theodoi.alerts.services import scan

    with (
        override_settings(THEODOI_TODAY=day.isoformat()),
        CaptureQueriesContext(connection) as queries,
    ):
        cpu = time.process_time()
        result = scan(organization=province, full=full)
        cpu = time.process_time() - cpu
    return result.as_dict() | {
        "day": day.isoformat(),
        "cpu_s": round(cpu, 2),
        "queries": len(queries.captured_queries),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def _split_scan(province, *, workers: int) -> dict:
    """A full scan queued as one job per ward and run by ``workers`` worker processes (the
    database queue); the seconds from queueing to the last job's end, workers' start-up
    included."""
    from theodoi.alerts.models import ScanRun
    from theodoi.alerts.services import scan_queued

    started = time.monotonic()
    run = scan_queued(organization=province, full=True, send_email=False)
    command = [str(Path(sys.executable).with_name("theodoi")), "worker", "--once"]
    processes = [subprocess.Popen(command, env=os.environ.copy()) for _ in range(workers)]
    for process in processes:
        process.wait()
    seconds = time.monotonic() - started
    run = ScanRun.objects.get(pk=run.pk)
    return {
        "seconds": round(seconds, 2),
        "workers": workers,
        "finished": run.finished_at is not None,
        "totals": run.totals,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def summary_ms(timing: tuple[list[float], list[float]]) -> dict[str, float]:
    samples, cpu = timing
    ordered = sorted(samples)
    # Nearest rank: the value below which 95 % of the samples fall.
    p95 = ordered[min(len(ordered) - 1, max(0, int(round(0.95 * len(ordered) + 0.5)) - 1))]
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
        "n": len(ordered),
        # This process's CPU per request (Django and the driver, not the database server):
        # steadier than wall time when other work shares the two cores.
        "cpu_median_ms": round(statistics.median(cpu) * 1000, 1),
    }


def timed(call, repeat: int, warmup: int = 3) -> tuple[list[float], list[float]]:
    for _ in range(warmup):
        call(-1)
    samples, cpu = [], []
    for index in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        call(index)
        samples.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return samples, cpu


def pending(note: str) -> dict:
    return {"median_ms": None, "p95_ms": None, "pending": note}


# --- The measurements -----------------------------------------------------------------------


class Bench:
    def __init__(self, args: argparse.Namespace, data_dir: Path) -> None:
        self.args = args
        self.data_dir = data_dir
        self.results: dict = {}
        self.detail: dict = {}
        self.calls: dict = {}

    # Django is set up once the environment names the bench database.
    def setup_django(self) -> None:
        import django

        sys.path.insert(0, str(ROOT))
        django.setup()

    def synthetic(self) -> None:
        from django.core.management import call_command

        from bench.synthetic import Config, generate
        from theodoi.org.models import Organization

        call_command("migrate", verbosity=0)
        if Organization.objects.filter(code=PROVINCE).exists():
            print(f"Reusing the synthetic province {PROVINCE} of the kept database.")
            self.detail["synthetic"] = {"reused": True}
            return
        args = self.args
        print(
            f"make_synthetic: {args.wards} wards × {args.tasks_per_ward} tasks × {args.years} "
            "years of weekly reports …"
        )
        started = time.monotonic()
        result = generate(
            Config(
                wards=args.wards,
                tasks_per_ward=args.tasks_per_ward,
                years=args.years,
                seed=args.seed,
                province_code=PROVINCE,
                today=datetime.date.fromisoformat(args.today),
            ),
            log=print,
        )
        self.detail["synthetic"] = {
            "seconds": round(time.monotonic() - started, 1),
            "phases_s": {k: round(v, 1) for k, v in result.seconds.items()},
            "counts": result.counts,
        }
        print(f"  done in {self.detail['synthetic']['seconds']} s: {result.counts}")

    def _people(self):
        from theodoi.org.models import Organization, Role, User

        province = Organization.objects.get(code=PROVINCE)
        ward = Organization.objects.filter(parent=province).order_by("code").first()
        office = User.objects.get(organization=ward, role=Role.STANDING_OFFICE)
        leader = User.objects.get(organization=ward, role=Role.LEADER)
        upper = User.objects.get(organization=province, role=Role.UPPER_LEVEL)
        return province, ward, office, leader, upper

    def _led_leaves(self, user, limit: int | None = None) -> list[int]:
        from theodoi.plans.models import Task

        ids = (
            Task.objects.filter(lead_units=user.unit_id, subtasks__isnull=True)
            .order_by("id")
            .values_list("id", flat=True)
            .distinct()
        )
        return list(ids[:limit] if limit else ids)

    def pages(self) -> None:
        from django.test import Client
        from django.urls import NoReverseMatch, reverse

        from theodoi.org.models import Role, User
        from theodoi.plans.models import Plan, Task

        repeat = self.args.repeat
        province, ward, office, leader, upper = self._people()
        plan = Plan.objects.filter(organization=ward).order_by("id").first()
        print(f"Pages (test client, {repeat} timed requests each, ward {ward.code}):")
        print(f"  {'':<16} {'median':>9} {'p95':>9} {'cpu med':>9}")

        def client_for(user) -> Client:
            client = Client()
            client.force_login(user)
            return client

        def get_ok(client: Client, url: str) -> None:
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} answered {response.status_code}")

        # Task list: the plan page with every task of the plan.
        tasks_in_plan = Task.objects.filter(plan=plan).count()
        staff = client_for(office)
        url = reverse("plan_detail", args=[plan.pk])
        self.calls["task_list"] = lambda _i, url=url: get_ok(staff, url)
        self.results["task_list"] = summary_ms(timed(self.calls["task_list"], repeat)) | {
            "tasks": tasks_in_plan,
            "url": url,
        }
        self._show("task_list", f"plan page, {tasks_in_plan} tasks")

        # Task page: a different task each time, with two years of weekly reports behind it.
        task_ids = list(
            Task.objects.filter(plan=plan, subtasks__isnull=True)
            .order_by("id")
            .values_list("id", flat=True)
        )
        self.calls["task_page"] = lambda i: get_ok(
            staff, reverse("task_detail", args=[task_ids[i % len(task_ids)]])
        )
        self.results["task_page"] = summary_ms(timed(self.calls["task_page"], repeat))
        self._show("task_page", "task page with its reports")

        # Report submission by a unit officer, one task after another, this week's period.
        from theodoi.core.clock import today
        from theodoi.plans.periods import period_of

        officer = (
            User.objects.filter(organization=ward, role=Role.UNIT_OFFICER).order_by("id").first()
        )
        officers = [
            o
            for o in User.objects.filter(organization=ward, role=Role.UNIT_OFFICER).order_by("id")
            if self._led_leaves(o, 1)
        ]
        officer = max(officers, key=lambda o: len(self._led_leaves(o)))
        led = self._led_leaves(officer)
        unit_client = client_for(officer)
        period = str(period_of(today(), "weekly"))

        def submit(index: int) -> None:
            task_id = led[index % len(led)]
            response = unit_client.post(
                reverse("report_submit", args=[task_id]),
                {"period": period, "percent": str(5 * (index % 21)), "result": "Đang thực hiện."},
            )
            if response.status_code != 302:
                raise RuntimeError(f"report answered {response.status_code}")

        self.calls["report_submit"] = submit
        self.results["report_submit"] = summary_ms(timed(submit, repeat))
        self._show("report_submit", "POST report (page), unit officer")

        # Evidence upload through the API (multipart), a new small PDF each time.
        from bench.synthetic import tiny_pdf
        from theodoi.api.auth import token_issue

        _row, token = token_issue(user=officer, name="bench")
        api_client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

        def upload(index: int) -> None:
            task_id = led[index % len(led)]
            content = io.BytesIO(tiny_pdf(f"bench upload {index} {time.time_ns()}"))
            content.name = f"minh-chung-{index}.pdf"
            response = api_client.post(
                f"/api/v1/tasks/{task_id}/evidence",
                {"file": content, "kind": "signed_document", "document_number": "1/BC"},
            )
            if response.status_code != 201:
                raise RuntimeError(f"upload answered {response.status_code}: {response.content}")

        self.results["evidence_upload"] = summary_ms(timed(upload, repeat))
        self._show("evidence_upload", "POST evidence (API, multipart)")

        # The officer's view of the burst: the unit's to-do list and the officer's task page.
        self.calls["my_tasks"] = lambda _i: get_ok(unit_client, reverse("my_tasks"))
        self.results["my_tasks"] = summary_ms(timed(self.calls["my_tasks"], repeat))
        self._show("my_tasks", f"/my-tasks/, unit officer ({len(led)} tasks led)")
        self.calls["task_page_officer"] = lambda i: get_ok(
            unit_client, reverse("task_detail", args=[led[i % len(led)]])
        )
        self.results["task_page_officer"] = summary_ms(
            timed(self.calls["task_page_officer"], repeat)
        )
        self._show("task_page_officer", "task page, unit officer")

        # A province task carried out by every ward: the one most wards have linked to.
        from django.db.models import Count

        upper_task = (
            Task.objects.filter(plan__organization=province, ward_assignment="all_wards")
            .annotate(linked=Count("implementing_tasks"))
            .order_by("-linked", "id")
            .first()
        )
        if upper_task is None:
            self.results["province_task_page"] = pending("the synthetic province has no plan")
            self._show("province_task_page", "pending")
        else:
            province_client = client_for(upper)
            url = reverse("task_detail", args=[upper_task.pk])
            self.calls["province_task_page"] = lambda _i, url=url: get_ok(province_client, url)
            self.results["province_task_page"] = summary_ms(
                timed(self.calls["province_task_page"], repeat)
            ) | {"url": url, "linked_ward_tasks": upper_task.linked}
            self._show("province_task_page", f"province task, {upper_task.linked} ward tasks")

        # The leaders' pages, built by another issue: measured once they exist.
        for key, names, user, candidates in (
            (
                "ward_dashboard",
                ("dashboard_ward", "ward_dashboard"),
                leader,
                [[ward.pk], [], [ward.code]],
            ),
            (
                "province_page",
                ("province_dashboard", "province"),
                upper,
                [[], [province.pk], [province.code]],
            ),
        ):
            url, name = None, names[0]
            for name in names:
                for arguments in candidates:
                    try:
                        url = reverse(name, args=arguments)
                        break
                    except NoReverseMatch:
                        continue
                if url is not None:
                    break
            if url is None:
                self.results[key] = pending(
                    f"no URL named {name!r} yet (theodoi/dashboards, issue 5): re-run make bench"
                )
                self._show(key, "pending")
                continue
            client = client_for(user)
            self.calls[key] = lambda _i, client=client, url=url: get_ok(client, url)
            try:
                self.results[key] = summary_ms(timed(self.calls[key], repeat)) | {"url": url}
            except RuntimeError as exc:
                self.results[key] = pending(f"{url}: {exc}")
            self._show(key, url)

    def profile_misses(self) -> None:
        """For each page that missed its target: where its time goes (cProfile over ten
        requests, the functions with the most time of their own) and its SQL."""
        import cProfile
        import pstats

        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for key in TARGETS_MS:
            value = self.results.get(key) or {}
            if value.get("met") is not False:
                continue
            call = self.calls[key]
            with CaptureQueriesContext(connection) as queries:
                call(10_000)
            profiler = cProfile.Profile()
            profiler.enable()
            for index in range(10):
                call(20_000 + index)
            profiler.disable()
            stats = pstats.Stats(profiler)
            rows = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:12]
            value["profile"] = {
                "queries": len(queries),
                "sql_ms": round(sum(float(q["time"]) for q in queries.captured_queries) * 1000, 1),
                "top_own_time_ms_per_request": [
                    f"{own / 10 * 1000:.1f} ms {Path(file).name}:{line}({name})"
                    for (file, line, name), (_cc, _nc, own, _cum, _callers) in rows
                ],
                "cumulative_ms_per_request": {
                    label: round(cum / 10 * 1000, 1)
                    for (file, line, name), (_cc, _nc, _own, cum, _callers) in stats.stats.items()
                    if (label := _phase(file, name))
                },
            }
            print(f"  profile of {key}: {value['profile']['cumulative_ms_per_request']}")

    def _show(self, key: str, label: str) -> None:
        value = self.results[key]
        target = TARGETS_MS.get(key)
        if value.get("p95_ms") is None:
            print(f"  {key:<16} {'–':>9} {'–':>9}   {label}: {value.get('pending', '')}")
            return
        verdict = ""
        if target:
            value["target_p95_ms"] = target
            value["met"] = value["p95_ms"] <= target
            verdict = f"target ≤ {target} ms: {'met' if value['met'] else 'MISSED'}"
        print(
            f"  {key:<16} {value['median_ms']:>7.1f}ms {value['p95_ms']:>7.1f}ms "
            f"{value['cpu_median_ms']:>7.1f}ms   {label} {verdict}"
        )

    def word_report(self) -> None:
        from django.core.management import call_command, get_commands

        from theodoi.plans.models import Plan

        if "export_report" not in get_commands():
            self.results["word_report_s"] = None
            self.detail["word_report"] = "pending: no export_report command yet (theodoi/exports)"
            print("  word_report_s    pending (no export_report command yet)")
            return
        _province, ward, *_ = self._people()
        plan = Plan.objects.filter(organization=ward).order_by("id").first()
        quarter = f"{self.args.today[:4]}-Q{(int(self.args.today[5:7]) - 1) // 3 + 1}"
        output = self.data_dir / "bench-report.docx"
        samples = []
        try:
            for _ in range(3):
                start = time.perf_counter()
                call_command(
                    "export_report",
                    plan=plan.pk,
                    period=quarter,
                    format="docx",
                    output=str(output),
                    stdout=io.StringIO(),
                )
                samples.append(time.perf_counter() - start)
        except Exception as exc:  # the command is being built: record, do not fail the bench
            self.results["word_report_s"] = None
            self.detail["word_report"] = f"pending: export_report failed: {exc}"
            print(f"  word_report_s    pending ({exc})")
            return
        self.results["word_report_s"] = round(statistics.median(samples), 2)
        print(f"  word_report_s    {self.results['word_report_s']} s (quarterly report, {quarter})")

    def _import_ward(self, suffix: str):
        """A fresh ward with the demo's units, for one import to be saved into."""
        from theodoi.core.access import SYSTEM
        from theodoi.demo import data
        from theodoi.org import services as org_services
        from theodoi.org.models import Organization

        parent = Organization.objects.filter(code="BENCH-IMPORT").first()
        if parent is None:
            parent = Organization.objects.create(
                name="Tỉnh đo nhập kế hoạch", code="BENCH-IMPORT", kind="province"
            )
        ward = Organization.objects.create(
            name=f"Phường nhập {suffix}", code=f"BENCH-IMPORT-{suffix}", kind="ward", parent=parent
        )
        for name, short, aliases in data.UNITS:
            org_services.unit_create(
                actor=SYSTEM, organization=ward, name=name, short_name=short, aliases=aliases
            )
        return ward

    def imports(self) -> None:
        from theodoi.core.access import SYSTEM
        from theodoi.demo.services import SEEDS_DIR
        from theodoi.importer.pipeline import draft_from_bytes
        from theodoi.importer.services import import_draft

        run = time.strftime("%H%M%S")
        self.results["import_s"] = {}
        for index, path in enumerate(sorted(SEEDS_DIR.glob("*.txt"))):
            ward = self._import_ward(f"{run}-{index}")
            start = time.perf_counter()
            draft = draft_from_bytes(path.read_bytes(), name=path.name)
            # The seeds were issued by other wards than the bench's: a person confirms.
            import_draft(
                actor=SYSTEM,
                draft=draft,
                ward=ward,
                source_name=path.name,
                confirm_other_issuer=True,
            )
            seconds = time.perf_counter() - start
            self.results["import_s"][path.name] = round(seconds, 3)
        print(
            "  import_s         "
            + ", ".join(f"{k[:3]} {v:.2f}s" for k, v in self.results["import_s"].items())
        )

    def import_30_pages(self, reads: int = 5, saves: int = 3) -> None:
        """A plan of about 30 pages (bench/big_plan.py) as Word, Excel and Markdown: reading
        and recognising it (``draft_from_bytes``), and the full import, read + save into a
        fresh ward, which must stay under TARGET_IMPORT_S."""
        from bench.big_plan import BUILDERS, TASK_ROWS, build
        from theodoi.core.access import SYSTEM
        from theodoi.importer.pipeline import draft_from_bytes
        from theodoi.importer.services import import_draft

        plan = build()
        result: dict = {
            "pages": round(plan.pages(), 1),
            "chars": plan.chars(),
            "task_rows": TASK_ROWS,
            "target_s": TARGET_IMPORT_S,
            "formats": {},
        }
        run = time.strftime("%H%M%S")
        print(f"Import of a {result['pages']}-page plan ({TASK_ROWS} task rows):")
        for kind, builder in BUILDERS.items():
            data = builder(plan)
            name = f"ke-hoach-30-trang.{kind}"
            read_s = []
            for _ in range(reads):
                start = time.perf_counter()
                draft = draft_from_bytes(data, name=name)
                read_s.append(time.perf_counter() - start)
            import_s, import_cpu = [], []
            for index in range(saves):
                ward = self._import_ward(f"{run}-{kind}-{index}")
                start, start_cpu = time.perf_counter(), time.process_time()
                draft = draft_from_bytes(data, name=name)
                # The issuer names the plan's own ward, not the bench's: a person confirms.
                import_draft(
                    actor=SYSTEM,
                    draft=draft,
                    ward=ward,
                    source_name=name,
                    confirm_other_issuer=True,
                )
                import_s.append(time.perf_counter() - start)
                import_cpu.append(time.process_time() - start_cpu)
            entry = {
                "bytes": len(data),
                "read_median_s": round(statistics.median(read_s), 3),
                "import_median_s": round(statistics.median(import_s), 3),
                "import_max_s": round(max(import_s), 3),
                # This process's CPU (not the database server's): steadier than wall time
                # when other work shares the cores.
                "import_cpu_median_s": round(statistics.median(import_cpu), 3),
                "tasks": len(draft.tasks),
                "subtasks": sum(1 for task in draft.tasks if task.parent),
                "indicators": len(draft.indicators),
                "budget_lines": len(draft.budget),
                "warnings": len(draft.warnings),
                "met": max(import_s) <= TARGET_IMPORT_S,
            }
            result["formats"][kind] = entry
            print(
                f"  {kind:<5} {len(data):>7} bytes  read {entry['read_median_s']:.2f} s  "
                f"read+save {entry['import_median_s']:.2f} s (max {entry['import_max_s']:.2f}, cpu "
                f"{entry['import_cpu_median_s']:.2f}, "
                f"target ≤ {TARGET_IMPORT_S} s: {'met' if entry['met'] else 'MISSED'})  "
                f"{entry['tasks']} tasks ({entry['subtasks']} subtasks), "
                f"{entry['indicators']} indicators, {entry['budget_lines']} budget lines, "
                f"{entry['warnings']} warnings"
            )
        result["load_average"] = [round(x, 2) for x in os.getloadavg()]
        self.results["import_30_pages"] = result

    def scan(self) -> None:
        """The alert scan of the province: a full one, the same-day rescan, the next day's and
        the next week's (incremental: only what changed or reached a day that changes a
        finding), and the full scan split into one job per ward over two workers."""
        from django.test import override_settings

        from theodoi.org.models import Organization

        province = Organization.objects.get(code=PROVINCE)
        today = datetime.date.fromisoformat(self.args.today)
        runs: dict[str, dict] = {}
        runs["full"] = _timed_scan(province, today, full=True)
        same_day = runs["same_day"] = _timed_scan(province, today)
        runs["next_day"] = daily = _timed_scan(province, today + datetime.timedelta(days=1))
        runs["next_week"] = _timed_scan(province, today + datetime.timedelta(days=8))
        # Back to the bench's today (a day earlier than the last scan: a full one), so that a
        # kept database is as it was.
        with override_settings(THEODOI_TODAY=self.args.today):
            runs["back_to_today"] = _timed_scan(province, today)
            runs["split_2_workers"] = _split_scan(province, workers=2)
        runs["load_average"] = [round(x, 2) for x in os.getloadavg()]
        self.detail["scan"] = runs
        # The keys of earlier runs: the next day's scan is the daily job's cost.
        self.results["scan_alerts_s"] = round(daily["seconds"], 2)
        self.results["scan_alerts_full_s"] = round(runs["full"]["seconds"], 2)
        self.results["scan_alerts_same_day_s"] = round(same_day["seconds"], 2)
        self.results["scan_alerts_next_week_s"] = round(runs["next_week"]["seconds"], 2)
        self.results["scan_alerts_split_2_workers_s"] = runs["split_2_workers"]["seconds"]
        verdict = "met" if daily["seconds"] <= TARGET_SCAN_S else "MISSED"
        print(
            f"  scan_alerts_s    {daily['seconds']:.2f} s next day ({daily['tasks']} tasks "
            f"evaluated), same day {same_day['seconds']:.2f} s, next week "
            f"{runs['next_week']['seconds']:.2f} s, full {runs['full']['seconds']:.2f} s "
            f"({runs['full']['tasks']} tasks, {runs['full']['still_open']} open alerts), split "
            f"over 2 workers {runs['split_2_workers']['seconds']:.2f} s; target ≤ "
            f"{TARGET_SCAN_S} s: {verdict}"
        )

    # --- The load test ------------------------------------------------------------------------

    def _officers(self) -> list[dict]:
        """Unit officers with the tasks their units lead: first the two of each ward whose
        units lead the most tasks (the standard burst's 200), then the others ward by ward.
        More users than officers reuse accounts (each user signs in with its own session)."""
        from theodoi.org.models import Role, User

        if "officers" in self.calls:
            return self.calls["officers"]
        ranked_by_ward = []
        for ward_officers in _by_ward(
            User.objects.filter(role=Role.UNIT_OFFICER, organization__parent__code=PROVINCE)
            .select_related("organization")
            .order_by("organization__code", "id")
        ):
            ranked = [{"username": o.username, "tasks": self._led_leaves(o)} for o in ward_officers]
            ranked_by_ward.append(
                [o for o in sorted(ranked, key=lambda o: -len(o["tasks"])) if o["tasks"]]
            )
        first = [o for ranked in ranked_by_ward for o in ranked[:2]]
        rest = [
            ranked[rank]
            for rank in range(2, max(map(len, ranked_by_ward), default=0))
            for ranked in ranked_by_ward
            if rank < len(ranked)
        ]
        self.calls["officers"] = first + rest
        return self.calls["officers"]

    def _users_file(self, users: int) -> tuple[Path, int]:
        officers = self._officers()
        chosen = officers[:users]
        path = self.data_dir / f"locust-users-{users}.json"
        path.write_text(json.dumps(chosen), encoding="utf-8")
        return path, len(chosen)

    def _offices_file(self) -> tuple[Path | None, int]:
        """The standing offices of the first --office-users wards, with their ward's plan."""
        from theodoi.org.models import Organization, Role, User
        from theodoi.plans.models import Plan

        offices = []
        wards = Organization.objects.filter(parent__code=PROVINCE).order_by("code")
        for ward in wards[: self.args.office_users]:
            office = User.objects.filter(organization=ward, role=Role.STANDING_OFFICE).first()
            plan = Plan.objects.filter(organization=ward).order_by("id").first()
            if office is not None and plan is not None:
                offices.append({"username": office.username, "plan": plan.pk})
        if not offices:
            return None, 0
        path = self.data_dir / "locust-offices.json"
        path.write_text(json.dumps(offices), encoding="utf-8")
        return path, len(offices)

    def _locust_env(self, users_file: Path, offices_file: Path | None) -> dict[str, str]:
        from theodoi.core.clock import today
        from theodoi.plans.periods import period_of

        day = today()
        env = {
            "BENCH_USERS_FILE": str(users_file),
            "BENCH_PERIOD": str(period_of(day, "weekly")),
            "BENCH_QUARTER": f"{day.year}-Q{(day.month - 1) // 3 + 1}",
            "BENCH_PASSWORD": "theodoi-demo",
        }
        if offices_file is not None:
            env["BENCH_OFFICES_FILE"] = str(offices_file)
        return env

    def _written_marks(self) -> tuple[int, int]:
        from theodoi.reporting.models import Evidence, ProgressReport

        return (
            ProgressReport.objects.order_by("-id").values_list("id", flat=True).first() or 0,
            Evidence.objects.order_by("-id").values_list("id", flat=True).first() or 0,
        )

    def _written_since(self, marks: tuple[int, int]) -> dict[str, int]:
        from theodoi.reporting.models import Evidence, ProgressReport

        return {
            "reports_created": ProgressReport.objects.filter(id__gt=marks[0]).count(),
            "evidence_written": Evidence.objects.filter(id__gt=marks[1]).count(),
        }

    def _jobs(self, env: dict[str, str]):
        from bench.burst import RqJobs

        if env.get("THEODOI_TASKS") != "rq":
            return None
        jobs = RqJobs(env["REDIS_URL"])
        jobs.connection.ping()
        return jobs

    def _burst(
        self,
        env: dict[str, str],
        *,
        name: str,
        kind,
        users: int,
        spawn_rate: float,
        run_time: int | None = None,
        steps: list[int] | None = None,
        step_seconds: float | None = None,
        host: str | None = None,
        watch: list[tuple[str, int]] | None = None,
    ) -> dict:
        """One Locust run against a server started here (or ``host``, already running), with
        the worker beside it and the CPU of every process group sampled meanwhile."""
        from bench import burst

        args = self.args
        users_file, accounts = self._users_file(max([users, *(steps or [])]))
        offices_file, offices = self._offices_file()
        jobs = self._jobs(env)
        sampler = burst.Sampler(
            database=args.db_name,
            jobs_probe=jobs.probe if jobs else None,
        )
        marks = self._written_marks()
        record: dict = {"name": name, "accounts": accounts, "office_users": offices}
        with contextlib.ExitStack() as stack:
            if host is None:
                host, gunicorn, worker = stack.enter_context(
                    burst.server(
                        env, port=args.port, kind=kind, data_dir=self.data_dir, worker=True
                    )
                )
                sampler.watch("gunicorn", gunicorn.pid)
                if worker is not None:
                    sampler.watch("worker", worker.pid)
            for group, pid in watch or []:
                sampler.watch(group, pid)
            if jobs is not None:
                jobs.clear()
            load_before = os.getloadavg()
            started = time.time()
            with sampler:
                run = burst.run_locust(
                    host=host,
                    data_dir=self.data_dir,
                    name=name,
                    env=self._locust_env(users_file, offices_file),
                    # The offices come on top of the officers (Locust counts them in).
                    users=users + offices,
                    spawn_rate=spawn_rate,
                    run_time=run_time,
                    steps=[n + offices for n in steps] if steps else None,
                    settle=args.settle_seconds,
                    step_seconds=step_seconds or args.step_seconds,
                    on_start=lambda process: sampler.watch("locust", process.pid),
                )
                ended = time.time()
                if jobs is not None:
                    jobs.drain(60)
        record |= burst.summary(run)
        record["duration_s"] = round(ended - started)
        record["cpu_cores"] = sampler.cores(started, ended)
        record["load_average_before"] = [round(x, 2) for x in load_before]
        record["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        record |= self._written_since(marks)
        if jobs is not None:
            record["jobs"] = jobs.report()
        if steps:
            record["steps"] = []
            for step in run.steps():
                officers = step["users"] - offices
                entry = {"users": officers, "accounts": min(officers, accounts)}
                entry |= step["total"]
                entry["by_request"] = step["by_request"]
                entry["seconds"] = step["seconds"]
                entry["cpu_cores"] = sampler.cores(step["start"], step["end"]) | {
                    "locust_own": step["locust_cpu_cores"]
                }
                entry["load_average"] = step["load_average"]
                entry["office_users"] = offices
                if jobs is not None:
                    entry["jobs"] = jobs.report(step["start"], step["end"])
                entry["met"] = entry["errors"] == 0 and (entry["p95_ms"] or 0) <= TARGET_LOAD_P95_MS
                record["steps"].append(entry)
        return record

    def _server_kind(self):
        from bench.burst import ServerKind

        return ServerKind.parse(self.args.server) if self.args.server else None

    def load(self, env: dict[str, str]) -> None:
        """The standard burst: --users officers (200) for --run-time seconds, as before."""
        args = self.args
        kind = self._server_kind()
        print(
            f"Load test: {min(args.users, len(self._officers()))} users, spawn {args.spawn_rate}/s, "
            f"{args.run_time} s, gunicorn {kind.label if kind else 'theodoi/gunicorn_conf.py'}, "
            f"queue {env.get('THEODOI_TASKS', 'database')} with theodoi worker …"
        )
        record = self._burst(
            env,
            name="locust",
            kind=kind,
            users=min(args.users, len(self._officers())),
            spawn_rate=args.spawn_rate,
            run_time=args.run_time,
        )
        load = {
            "users": record.pop("accounts"),
            "duration_s": args.run_time,
        } | {k: v for k, v in record.items() if k not in ("name", "duration_s")}
        load["target_p95_ms"] = TARGET_LOAD_P95_MS
        load["server"] = kind.as_dict() if kind else _conf_server()
        load["queue"] = env.get("THEODOI_TASKS", "database")
        load["spawn_rate"] = args.spawn_rate
        load["met"] = load["errors"] == 0 and load["p95_ms"] <= TARGET_LOAD_P95_MS
        load["server_cpu_ms_per_request"] = _cpu_per_request(load)
        self.results["load"] = load
        jobs = load.get("jobs") or {}
        print(
            f"  load             {load['requests']} requests, {load['rps']} req/s, median "
            f"{load['median_ms']:.0f} ms, p95 {load['p95_ms']:.0f} ms, {load['errors']} errors "
            f"(target 0 errors, p95 ≤ {TARGET_LOAD_P95_MS} ms: {'met' if load['met'] else 'MISSED'}); "
            f"{load['reports_created']} new reports, {load['evidence_written']} files written; "
            f"worker: {jobs.get('done', '–')} jobs done, wait p95 {jobs.get('wait_p95_s', '–')} s; "
            f"CPU {_cores_text(load['cpu_cores'])}"
        )

    def compare(self, env: dict[str, str]) -> None:
        """gunicorn's worker class and count at the standard users, short runs one after the
        other on the same data: the set-up with the best p95 (0 errors) is the one to keep."""
        from bench.burst import ServerKind

        args = self.args
        users = min(args.users, len(self._officers()))
        rows = []
        print(f"gunicorn set-ups at {users} users, {args.compare_seconds} s each:")
        for text in args.compare_list:
            kind = ServerKind.parse(text)
            # One step of the standard users: ramped fast, measured once they are all in.
            record = self._burst(
                env,
                name=f"compare-{kind.worker_class}-{kind.workers}x{kind.threads}",
                kind=kind,
                users=users,
                spawn_rate=args.step_spawn_rate,
                steps=[users],
                step_seconds=args.compare_seconds,
            )
            step = (record.get("steps") or [{}])[0]
            record = {"server": kind.as_dict(), "label": kind.label} | _step_row(step)
            rows.append(record)
            print(f"  {kind.label:<14} {_step_text(record)}")
        self.results["gunicorn_compare"] = {
            "users": users,
            "seconds": args.compare_seconds,
            "runs": rows,
            "best": _best(rows),
        }

    def capacity(self, env: dict[str, str]) -> None:
        """Users rising step by step (--steps) with the same mix and think time, one Locust run:
        the capacity is the highest rate whose p95 ≤ 500 ms with no error."""
        args = self.args
        kind = self._server_kind()
        steps = args.step_list
        print(
            f"Capacity: steps of {', '.join(map(str, steps))} users, {args.step_seconds} s each "
            f"after ramp-up at {args.step_spawn_rate}/s and {args.settle_seconds} s settling …"
        )
        record = self._burst(
            env,
            name="capacity",
            kind=kind,
            users=steps[0],
            spawn_rate=args.step_spawn_rate,
            steps=steps,
        )
        rows = [_step_row(step) for step in record.get("steps", [])]
        for row in rows:
            print(f"  {row['users']:>5} users  {_step_text(row)}")
        within = [row for row in rows if row["met"]]
        self.results["capacity"] = {
            "rps": max((row["rps"] for row in within), default=None),
            "users": max(within, key=lambda row: row["rps"])["users"] if within else None,
            "rule": f"highest requests/s of a step with p95 ≤ {TARGET_LOAD_P95_MS} ms, 0 errors",
            "server": kind.as_dict() if kind else _conf_server(),
            "queue": env.get("THEODOI_TASKS", "database"),
            "officer_accounts": len(self._officers()),
            "accounts_reused": max(steps) > len(self._officers()),
            "step_seconds": args.step_seconds,
            "settle_seconds": args.settle_seconds,
            "spawn_rate": args.step_spawn_rate,
            "steps": rows,
            "jobs": record.get("jobs"),
        }
        print(f"  capacity: {self.results['capacity']['rps']} requests/s")

    def cluster(self, env: dict[str, str]) -> None:
        """The standard burst through nginx to --nodes gunicorn processes sharing PostgreSQL,
        Redis and an S3 store (bench/nodes.py), recorded like a step."""
        args = self.args
        if not args.nodes:
            return
        if shutil.which("nginx") is None:
            self.results["cluster"] = {"pending": "install nginx"}
            print("  cluster: skipped (install nginx)")
            return
        try:
            from bench import nodes
        except ImportError:
            self.results["cluster"] = {"pending": "bench/nodes.py is missing"}
            print("  cluster: skipped (bench/nodes.py is missing)")
            return
        users = min(args.users, len(self._officers()))
        kind = self._server_kind()
        server = kind.as_dict() if kind else _conf_server()
        print(
            f"Cluster: {args.nodes} nodes × {server['workers']} {server['worker_class']} "
            f"workers ({server['threads']} threads) behind nginx, {users} users …"
        )
        # The evidence goes to moto's S3 (started by the launcher), the cache and sessions to
        # Redis, the queue to RQ: the nodes share nothing but these services and the database.
        with nodes.running_cluster(
            env,
            nodes=args.nodes,
            workers_per_node=server["workers"],
            threads=server["threads"],
        ) as running:
            watch = [
                ("gunicorn" if p.name.startswith("node") else p.name, p.process.pid)
                for p in running.processes
            ]
            record = self._burst(
                running.env,
                name="cluster",
                kind=None,
                users=users,
                spawn_rate=args.step_spawn_rate,
                steps=[users],
                host=running.url,
                watch=watch,
            )
        step = (record.get("steps") or [{}])[0]
        self.results["cluster"] = (
            {"nodes": args.nodes, "server_per_node": server}
            | _step_row(step)
            | {k: record[k] for k in ("reports_created", "evidence_written") if k in record}
        )
        print(f"  {args.nodes} nodes {_step_text(self.results['cluster'])}")

    def warm_up(self, env: dict[str, str]) -> None:
        """Half the standard users for --warm-up-seconds, not measured: the shared cache (rows
        of lists and pages) and PostgreSQL's buffers hold what the days before the burst put
        there. Its numbers are kept beside the others, so a cold start stays visible."""
        seconds = self.args.warm_up_seconds
        if seconds <= 0:
            return
        users = max(min(self.args.users, len(self._officers())) // 2, 1)
        print(f"Warm-up: {users} users, {seconds} s (not measured) …")
        record = self._burst(
            env,
            name="warm-up",
            kind=self._server_kind(),
            users=users,
            spawn_rate=self.args.step_spawn_rate,
            run_time=seconds,
        )
        self.detail["warm_up"] = {
            key: record.get(key) for key in ("rps", "median_ms", "p95_ms", "errors", "requests")
        } | {"users": users, "seconds": seconds}
        warm = self.detail["warm_up"]
        print(
            f"  warm-up          {warm['requests']} requests, {warm['rps']} req/s, median "
            f"{warm['median_ms']} ms, p95 {warm['p95_ms']} ms, {warm['errors']} errors"
        )

    def loads(self, env: dict[str, str]) -> None:
        self.warm_up(env)
        self.load(env)
        if self.args.compare_list:
            self.compare(env)
        if self.args.step_list:
            self.capacity(env)
        self.cluster(env)

    def mark_load(self, moment: str) -> None:
        self.results.setdefault("load_average", {})[moment] = [round(x, 2) for x in os.getloadavg()]

    def table(self) -> None:
        """The summary: each page against its target, the load tests, the capacity."""
        print("\nSummary (load average 1/5/15 min beside each part):")
        loads = self.results.get("load_average", {})
        print(
            f"  machine: {self.results['machine']['cores']} cores, "
            f"{self.results['machine']['memory']}; load before/after the pages "
            f"{loads.get('pages_before')} / {loads.get('pages_after')}, the scan "
            f"{loads.get('scan_before')} / {loads.get('scan_after')}"
        )
        print(f"  {'page':<20} {'median':>8} {'p95':>8} {'target':>8}")
        for key, target in TARGETS_MS.items():
            value = self.results.get(key) or {}
            if value.get("p95_ms") is None:
                continue
            verdict = "met" if value["p95_ms"] <= target else "MISSED"
            print(
                f"  {key:<20} {value['median_ms']:>6.0f}ms {value['p95_ms']:>6.0f}ms "
                f"{target:>6}ms {verdict}"
            )
        rows = []
        if self.results.get("load"):
            rows.append(("standard", self.results["load"]))
        for row in (self.results.get("gunicorn_compare") or {}).get("runs", []):
            rows.append((row["label"], row))
        for row in (self.results.get("capacity") or {}).get("steps", []):
            rows.append((f"step {row['users']}", row))
        if (self.results.get("cluster") or {}).get("rps") is not None:
            rows.append((f"{self.results['cluster']['nodes']} nodes", self.results["cluster"]))
        if rows:
            print(
                f"  {'load test':<16} {'users':>5} {'req/s':>6} {'median':>8} {'p95':>8} "
                f"{'errors':>6} {'jobs':>5} {'load':>5}  CPU cores"
            )
        for label, row in rows:
            jobs = (row.get("jobs") or {}).get("done", "–")
            load = (row.get("load_average") or row.get("load_average_after") or ["–"])[0]
            print(
                f"  {label:<16} {row.get('users') or '–':>5} {row.get('rps') or 0:>6.1f} "
                f"{row.get('median_ms') or 0:>6.0f}ms {row.get('p95_ms') or 0:>6.0f}ms "
                f"{row.get('errors') if row.get('errors') is not None else '–':>6} {jobs:>5} "
                f"{load:>5}  {_cores_text(row.get('cpu_cores') or {})}"
            )
        capacity = self.results.get("capacity") or {}
        if capacity:
            print(
                f"  capacity (p95 ≤ {TARGET_LOAD_P95_MS} ms, 0 errors): "
                f"{capacity.get('rps')} requests/s at {capacity.get('users')} users"
            )
        best = (self.results.get("gunicorn_compare") or {}).get("best")
        if best:
            print(f"  best gunicorn set-up at the standard users: {best}")

    def machine(self) -> None:
        import django
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            pg = cursor.fetchone()[0]
        memory_kb = 0
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
        self.results["machine"] = {
            "cores": os.cpu_count(),
            "memory": f"{memory_kb / 1024 / 1024:.1f} GiB",
            "python": platform.python_version(),
            "django": django.get_version(),
            "postgresql": pg.split()[0],
            "date": datetime.date.today().isoformat(),
        }


_PHASES = {
    ("django/template/base.py", "render"): "template rendering",
    ("django/db/models/query.py", "_fetch_all"): "ORM queries (incl. SQL)",
    ("psycopg/cursor.py", "execute"): "SQL execute",
    ("django/db/models/query.py", "prefetch_related_objects"): "prefetch_related",
    ("django/contrib/sessions/backends/base.py", "_get_session"): "session",
}


def _phase(file: str, name: str) -> str:
    for (suffix, function), label in _PHASES.items():
        if file.endswith(suffix) and name == function:
            return label
    if "/theodoi/" in file and name in ("plan_detail", "task_detail", "my_tasks", "report_submit"):
        return f"view {name} (total)"
    return ""


def _conf_server() -> dict:
    """The worker class and count of the package's gunicorn config module, as it runs here."""
    import importlib

    conf = importlib.import_module("theodoi.gunicorn_conf")
    return {
        "worker_class": conf.worker_class,
        "workers": conf.workers,
        "threads": getattr(conf, "threads", 1),
        "from": "theodoi/gunicorn_conf.py",
    }


def _step_row(step: dict) -> dict:
    """A step's line of the capacity figure (or of the comparison)."""
    if not step:
        return {
            "users": None,
            "rps": None,
            "median_ms": None,
            "p95_ms": None,
            "errors": None,
            "met": False,
            "pending": "the run measured no step (see the Locust log)",
        }
    row = {
        key: step.get(key)
        for key in (
            "users",
            "accounts",
            "office_users",
            "requests",
            "rps",
            "median_ms",
            "p95_ms",
            "errors",
            "seconds",
            "cpu_cores",
            "load_average",
            "jobs",
            "met",
        )
        if key in step
    }
    row["by_request"] = {
        name: {k: v for k, v in value.items() if k in ("requests", "median_ms", "p95_ms", "errors")}
        for name, value in step.get("by_request", {}).items()
    }
    row["server_cpu_ms_per_request"] = _cpu_per_request(row)
    return row


def _cpu_per_request(row: dict) -> float | None:
    """The app servers' CPU per request (ms): steadier than latency when other work shares
    the cores, so set-ups measured on a busy machine still compare."""
    cores = (row.get("cpu_cores") or {}).get("gunicorn")
    if not cores or not row.get("rps"):
        return None
    return round(cores * 1000 / row["rps"], 1)


def _best(rows: list[dict]) -> str | None:
    """The set-up with no error and the lowest p95 (the highest rate on a tie)."""
    clean = [row for row in rows if row.get("errors") == 0 and row.get("p95_ms") is not None]
    if not clean:
        return None
    return min(clean, key=lambda row: (row["p95_ms"], -row["rps"]))["label"]


def _cores_text(cores: dict) -> str:
    names = ("gunicorn", "worker", "postgres_bench_db", "locust", "nginx", "s3", "machine")
    return ", ".join(f"{name} {cores[name]:.2f}" for name in names if name in cores)


def _step_text(row: dict) -> str:
    if row.get("rps") is None:
        return row.get("pending", "no measure")
    jobs = row.get("jobs") or {}
    load = row.get("load_average") or ["–"]
    return (
        f"{row['rps']:>6.1f} req/s  median {row['median_ms']:>6} ms  p95 {row['p95_ms']:>6} ms  "
        f"{row['errors']} errors  jobs {jobs.get('done', '–')} (wait p95 {jobs.get('wait_p95_s', '–')} s)  "
        f"load {load[0]}  CPU {_cores_text(row.get('cpu_cores') or {})} "
        f"({row.get('server_cpu_ms_per_request') or '–'} ms a request)"
        f"  {'met' if row.get('met') else 'MISSED'}"
    )


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _by_ward(users):
    current, group = None, []
    for user in users:
        if user.organization_id != current and group:
            yield group
            group = []
        current = user.organization_id
        group.append(user)
    if group:
        yield group


KEYS = [
    "ward_dashboard",
    "province_page",
    "province_task_page",
    "task_list",
    "task_page",
    "my_tasks",
    "task_page_officer",
    "report_submit",
    "evidence_upload",
    "scan_alerts_s",
    "scan_alerts_full_s",
    "scan_alerts_same_day_s",
    "scan_alerts_next_week_s",
    "scan_alerts_split_2_workers_s",
    "import_s",
    "import_30_pages",
    "word_report_s",
    "load",
    "gunicorn_compare",
    "capacity",
    "cluster",
    "load_average",
    "machine",
]


def main() -> None:
    args = parse_args()
    started = time.monotonic()
    # A folder of each database's own: two benches on one machine do not share files.
    data_dir = Path(tempfile.gettempdir()) / (
        "theodoi-bench" if args.db_name == DB_NAME else f"theodoi-bench-{args.db_name}"
    )
    db_name = args.db_name
    reuse = args.keep and database_exists(db_name)
    if not reuse:
        _admin_sql(f"DROP DATABASE IF EXISTS {db_name}")
        _admin_sql(f"CREATE DATABASE {db_name}")
        shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True, exist_ok=True)
    env = environment(args, data_dir)
    os.environ.update(env)
    bench = Bench(args, data_dir)
    try:
        bench.setup_django()
        if args.only == "import":
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
            bench.imports()
            bench.import_30_pages()
        elif args.only == "load":
            bench.synthetic()
            with _redis_database(args) as redis_db:
                bench.loads(server_environment(args, env, redis_db))
            bench.machine()
            bench.table()
        else:
            bench.synthetic()
            # The machine's load average (1, 5, 15 min) beside each part: on 2 cores, above 2
            # means other work competed with the measure for the CPU.
            bench.mark_load("pages_before")
            bench.pages()
            bench.mark_load("pages_after")
            bench.profile_misses()
            bench.word_report()
            bench.imports()
            bench.import_30_pages()
            if not args.no_load:
                with _redis_database(args) as redis_db:
                    bench.loads(server_environment(args, env, redis_db))
            bench.mark_load("scan_before")
            bench.scan()
            bench.mark_load("scan_after")
            bench.machine()
            bench.table()
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _admin_sql(f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")
            shutil.rmtree(data_dir, ignore_errors=True)
    results = {key: bench.results.get(key) for key in KEYS}
    if args.only:
        # One part run alone: the other parts' numbers of the last whole run stay.
        kept = json.loads(args.output.read_text()) if args.output.exists() else {}
        results = {key: bench.results.get(key, kept.get(key)) for key in KEYS}
    args.output.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    # What does not fit the issue's keys: how the data was made, the scans, the run's length.
    detail = bench.detail | {
        "bench_seconds": round(time.monotonic() - started),
        # A path by its name only: the results are committed, the folder is the runner's.
        "arguments": {k: v.name if isinstance(v, Path) else str(v) for k, v in vars(args).items()},
    }
    detail_path = args.output.with_name(args.output.stem + "-detail.json")
    if args.only and detail_path.exists():
        detail = json.loads(detail_path.read_text()) | {f"only_{args.only}": detail}
    detail_path.write_text(json.dumps(detail, ensure_ascii=False, indent=2) + "\n")
    print(f"Wrote {args.output} and {detail_path.name} in {round(time.monotonic() - started)} s.")


if __name__ == "__main__":
    main()
