"""The bell's unread count: cached when the cache is shared by every process, and forgotten by
each write that changes it (a new notification, one read, all read)."""

import pytest

from theodoi.notifications import selectors, services
from theodoi.notifications.models import Kind


@pytest.fixture
def shared_cache(settings):
    settings.THEODOI_CACHE_SHARED = True


def _notify(person, key: str):
    [note] = services.notify([person], kind=Kind.TASK_ASSIGNED, title="Nhiệm vụ mới", key=key)
    return note


def test_the_count_is_cached_on_a_shared_cache(
    shared_cache, world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    person = world.people.officer
    with django_capture_on_commit_callbacks(execute=True):
        _notify(person, "a")
    assert selectors.unread_count(person) == 1
    with django_assert_num_queries(0):
        assert selectors.unread_count(person) == 1


def test_each_write_forgets_the_cached_count(
    shared_cache, world, django_capture_on_commit_callbacks
):
    person = world.people.officer
    with django_capture_on_commit_callbacks(execute=True):
        first = _notify(person, "a")
    assert selectors.unread_count(person) == 1
    with django_capture_on_commit_callbacks(execute=True):
        _notify(person, "b")
    assert selectors.unread_count(person) == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_read(user=person, notification=first)
    assert selectors.unread_count(person) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_all_read(user=person)
    assert selectors.unread_count(person) == 0


def test_a_local_cache_is_not_used(world, django_assert_num_queries, settings):
    """Another process could not forget it: the count is read each time."""
    settings.THEODOI_CACHE_SHARED = False
    _notify(world.people.officer, "a")
    assert selectors.unread_count(world.people.officer) == 1
    with django_assert_num_queries(1):
        assert selectors.unread_count(world.people.officer) == 1
