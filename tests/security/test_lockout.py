"""Lockout after five failed sign-ins (django-axes), on the sign-in page and the API."""

import pytest
from django.test import Client

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
    assert "thử lại sau 15 phút" in locked.json()["detail"]
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
