"""The settings that several application servers need, read from the environment: the cache
(local memory, or Redis shared by every process), the sessions on it only when it is shared,
kept database connections checked before use, and the node's name on each answer."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import reverse

import theodoi.settings

SETTINGS_FILE = Path(theodoi.settings.__file__)


def _read(monkeypatch, **variables) -> dict:
    for name in ("THEODOI_CACHE", "THEODOI_CACHE_URL", "THEODOI_CACHE_PREFIX", "THEODOI_NODE_NAME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_by_default_a_local_cache_and_sessions_in_the_database(monkeypatch):
    """A per-process cache would keep a session another process ended (a sign-out)."""
    read = _read(monkeypatch)
    assert read["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert read["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert read["THEODOI_CACHE_SHARED"] is False


def test_redis_cache_is_shared_and_carries_the_sessions(monkeypatch):
    read = _read(
        monkeypatch,
        THEODOI_CACHE="redis",
        REDIS_URL="redis://cache.example:6379/2",
        THEODOI_CACHE_PREFIX="phuong-an-binh",
    )
    cache = read["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://cache.example:6379/2"
    assert cache["KEY_PREFIX"] == "phuong-an-binh"
    assert read["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert read["THEODOI_CACHE_SHARED"] is True


def test_an_unknown_cache_is_refused(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="THEODOI_CACHE"):
        _read(monkeypatch, THEODOI_CACHE="memcached")


def test_kept_connections_are_checked_before_use(monkeypatch):
    read = _read(monkeypatch)
    assert read["DATABASES"]["default"]["CONN_HEALTH_CHECKS"] is True


def test_the_node_name_is_sent_only_when_set(monkeypatch, client, db):
    assert "theodoi.core.middleware.node_name" not in _read(monkeypatch)["MIDDLEWARE"]
    read = _read(monkeypatch, THEODOI_NODE_NAME="app-2")
    assert "theodoi.core.middleware.node_name" in read["MIDDLEWARE"]
    with override_settings(MIDDLEWARE=read["MIDDLEWARE"], THEODOI_NODE_NAME="app-2"):
        response = client.get(reverse("login"))
    assert response.status_code == 200 and response["X-Theodoi-Node"] == "app-2"
