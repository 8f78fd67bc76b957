"""The sign-in backend reads the person with their ward and unit, and sessions opened with
Django's own backend before it was deployed stay signed in."""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.test import Client
from django.urls import reverse

from theodoi.accounts.backends import UserBackend


def test_the_person_comes_with_their_ward_and_unit(world, django_assert_num_queries):
    officer = world.people.officer
    with django_assert_num_queries(1):
        user = UserBackend().get_user(officer.pk)
        assert user.organization.name == officer.organization.name
        assert user.unit.name == officer.unit.name


def test_an_inactive_or_unknown_person_is_nobody(world):
    officer = world.people.officer
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    assert UserBackend().get_user(officer.pk) is None
    assert UserBackend().get_user(10**9) is None


def test_signing_in_uses_the_backend(world):
    client = Client()
    response = client.post(
        "/login/",
        {"username": world.people.officer.username, "password": "correct-horse-battery"},
    )
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == "theodoi.accounts.backends.UserBackend"


def test_a_session_of_djangos_backend_stays_signed_in_and_is_moved(world):
    officer = world.people.officer
    client = Client()
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    assert client.session[BACKEND_SESSION_KEY] == "django.contrib.auth.backends.ModelBackend"
    response = client.get(reverse("my_tasks"))
    assert response.status_code == 200
    assert response.context["user"] == officer
    assert client.session[BACKEND_SESSION_KEY] == "theodoi.accounts.backends.UserBackend"
    assert client.get(reverse("my_tasks")).status_code == 200


def test_a_session_of_an_unknown_backend_is_signed_out(world):
    client = Client()
    client.force_login(world.people.officer, backend="some.removed.Backend")
    response = client.get(reverse("my_tasks"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
