"""Lockout after five failed sign-ins (django-axes), on the sign-in page and the API: a wait
that starts at one minute and doubles with each further failure, up to 15 minutes."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client
from django.urls import reverse

from tests.api.helpers import post_json
from theodoi.api.models import ApiToken

RIGHT = "correct-horse-battery"
LIMIT = 5


def _page_sign_in(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


@pytest.fixture(autouse=True)
def _axes_limits(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def test_five_failures_on_the_sign_in_page_lock_out_even_the_right_password(world):
    client = Client()
    for attempt in range(1, LIMIT):
        response = _page_sign_in(client, "alice", "wrong")
        assert response.status_code == 200, attempt  # the form again, with its error
    locked = _page_sign_in(client, "alice", "wrong")
    assert locked.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in locked.templates]
    assert "với tên đăng nhập này từ máy này" in locked.content.decode()
    sixth = _page_sign_in(client, "alice", RIGHT)
    assert sixth.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another person from the same address is not locked out.
    other = _page_sign_in(Client(), "hanh", RIGHT)
    assert other.status_code == 302


def test_a_success_on_the_sign_in_page_resets_the_count(world):
    for _ in range(LIMIT - 1):
        _page_sign_in(Client(), "alice", "wrong")
    assert _page_sign_in(Client(), "alice", RIGHT).status_code == 302
    for _ in range(LIMIT - 1):
        assert _page_sign_in(Client(), "alice", "wrong").status_code == 200
    assert _page_sign_in(Client(), "alice", RIGHT).status_code == 302


def test_five_failures_on_the_api_lock_out_with_json_429(world):
    client = Client()
    for _ in range(LIMIT - 1):
        response = post_json(client, "/auth/token", {"username": "alice", "password": "wrong"})
        assert response.status_code == 401
    locked = post_json(client, "/auth/token", {"username": "alice", "password": "wrong"})
    assert locked.status_code == 429
    assert locked["Content-Type"].startswith("application/json")
    # The first wait is one minute (it grows with further failures, see below).
    assert "thử lại sau 1 phút" in locked.json()["detail"]
    assert "Quên mật khẩu?" in locked.json()["detail"]
    assert locked["Retry-After"] == "60"
    sixth = post_json(client, "/auth/token", {"username": "alice", "password": RIGHT})
    assert sixth.status_code == 429
    assert set(sixth.json()) == {"detail"}
    assert not ApiToken.objects.exists()
    # The page sign-in shares the count: the same pair is locked there too.
    assert _page_sign_in(Client(), "alice", RIGHT).status_code == 429


def test_a_success_on_the_api_resets_the_count(world):
    client = Client()
    for _ in range(LIMIT - 1):
        post_json(client, "/auth/token", {"username": "hanh", "password": "wrong"})
    assert (
        post_json(client, "/auth/token", {"username": "hanh", "password": RIGHT}).status_code == 200
    )
    for _ in range(LIMIT - 1):
        response = post_json(client, "/auth/token", {"username": "hanh", "password": "wrong"})
        assert response.status_code == 401
    assert (
        post_json(client, "/auth/token", {"username": "hanh", "password": RIGHT}).status_code == 200
    )


def _time_passes(minutes: float) -> None:
    """Move every recorded failure back in time, as if ``minutes`` had gone by."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def _wait_of(response) -> int:
    assert response.status_code == 429
    return int(response["Retry-After"])


def test_the_wait_doubles_with_each_further_failure_up_to_fifteen_minutes(world):
    client = Client()
    for _ in range(LIMIT - 1):
        assert _page_sign_in(client, "alice", "wrong").status_code == 200
    waits = [_wait_of(_page_sign_in(client, "alice", "wrong"))]
    for _ in range(6):
        # Once the wait is over, one more wrong password locks again, twice as long.
        _time_passes(waits[-1] / 60 + 0.1)
        waits.append(_wait_of(_page_sign_in(client, "alice", "wrong")))
    assert waits == [60, 120, 240, 480, 900, 900, 900]
    # After that wait, the right password works at once.
    _time_passes(15.1)
    assert _page_sign_in(client, "alice", RIGHT).status_code == 302


def test_the_locked_page_says_how_long_to_wait_and_offers_the_reset(world):
    client = Client()
    for _ in range(LIMIT):
        locked = _page_sign_in(client, "alice", "wrong")
    page = locked.content.decode()
    assert "Hãy chờ 1 phút" in page
    assert reverse("password_reset") in page and "Quên mật khẩu?" in page
    _time_passes(1.1)
    locked = _page_sign_in(client, "alice", "wrong")
    assert "Hãy chờ 2 phút" in locked.content.decode()


def test_tries_while_waiting_neither_count_nor_lengthen_the_wait(world):
    # A colleague behind the same office address hammering the form: before, every try made the
    # lock longer; now it ends a minute after the fifth failure however many tries follow.
    colleague = Client()
    for _ in range(LIMIT):
        _page_sign_in(colleague, "alice", "wrong")
    for _ in range(20):
        assert _page_sign_in(colleague, "alice", "wrong").status_code == 429
    assert AccessAttempt.objects.get().failures_since_start == LIMIT
    _time_passes(1.1)
    # The victim, at the same address, signs in with the right password.
    assert _page_sign_in(Client(), "alice", RIGHT).status_code == 302


def test_failures_are_forgotten_after_an_hour_without_one(world):
    client = Client()
    for _ in range(LIMIT):
        _page_sign_in(client, "alice", "wrong")
    _time_passes(61)
    for _ in range(LIMIT - 1):
        assert _page_sign_in(client, "alice", "wrong").status_code == 200
    assert _wait_of(_page_sign_in(client, "alice", "wrong")) == 60


def test_the_api_answer_grows_too(world):
    client = Client()
    for _ in range(LIMIT):
        locked = post_json(client, "/auth/token", {"username": "alice", "password": "wrong"})
    assert locked["Retry-After"] == "60"
    _time_passes(1.1)
    again = post_json(client, "/auth/token", {"username": "alice", "password": "wrong"})
    assert again.status_code == 429 and again["Retry-After"] == "120"
    assert "thử lại sau 2 phút" in again.json()["detail"]
