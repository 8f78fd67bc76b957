"""The load tests' arithmetic (bench/burst.py, bench/run.py, bench/locustfile.py) and gunicorn's
settings module: what a step, a comparison and the capacity are computed from."""

import importlib
import sys

import pytest

from bench import burst, run
from bench.burst import Sampler, ServerKind


def test_server_kinds_are_read_and_bounded():
    assert ServerKind.parse("sync:3") == ServerKind("sync", 3, 1)
    assert ServerKind.parse("gthread:2x4") == ServerKind("gthread", 2, 4)
    assert ServerKind.parse("gthread:2x4").label == "gthread 2×4"
    assert ServerKind.parse("sync:99").workers == 8
    with pytest.raises(ValueError):
        ServerKind.parse("gevent:2")


def test_cores_of_a_window_come_from_the_samples_around_it():
    sampler = Sampler(database="x")
    # gunicorn used 1 CPU second a second from t=100 to t=110, then nothing.
    sampler.samples = [
        (100.0, {"gunicorn": 0.0, "machine": 0.0}),
        (110.0, {"gunicorn": 10.0, "machine": 20.0}),
        (120.0, {"gunicorn": 10.0, "machine": 20.0}),
    ]
    assert sampler.cores(100, 110) == {"gunicorn": 1.0, "machine": 2.0}
    assert sampler.cores(105, 115) == {"gunicorn": 0.5, "machine": 1.0}
    assert sampler.cores(110, 120)["gunicorn"] == 0.0


def test_the_best_set_up_has_no_error_and_the_lowest_p95():
    rows = [
        {"label": "sync ×2", "errors": 0, "p95_ms": 900, "rps": 18},
        {"label": "sync ×3", "errors": 2, "p95_ms": 300, "rps": 19},
        {"label": "sync ×4", "errors": 0, "p95_ms": 700, "rps": 17},
    ]
    assert run._best(rows) == "sync ×4"
    assert run._best([rows[1]]) is None


def test_a_steps_window_counts_only_its_own_requests():
    before = {"Aggregated": (10, 1, {100: 10})}
    # Ten more requests in the window, at 100 and 1,000 ms; one more failure.
    after = {"Aggregated": (20, 2, {100: 11, 1000: 9}), "/x": (3, 0, {50: 3})}
    window = burst.window(before, after, seconds=5)
    assert window["Aggregated"]["requests"] == 10
    assert window["Aggregated"]["errors"] == 1
    assert window["Aggregated"]["rps"] == 2.0
    assert window["Aggregated"]["p95_ms"] == 1000
    assert window["Aggregated"]["median_ms"] == 1000
    assert window["/x"] == {
        "requests": 3,
        "errors": 0,
        "rps": 0.6,
        "median_ms": 50,
        "p95_ms": 50,
    }


def test_gunicorns_workers_are_one_more_than_the_cores_unless_told(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    sys.modules.pop("theodoi.gunicorn_conf", None)
    conf = importlib.import_module("theodoi.gunicorn_conf")
    assert (conf.worker_class, conf.workers, conf.timeout) == ("sync", 3, 150)
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    conf = importlib.reload(conf)
    assert conf.workers == 5
