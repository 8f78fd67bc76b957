"""The production password hasher: Argon2id at OWASP's cheapest recommended parameters, under
Django's "argon2" name, so the hashes made before (Django's heavier parameters) still verify and
are made again with these at the person's next sign-in."""

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, identify_hasher
from django.urls import reverse

from theodoi.accounts.hashers import Argon2idOwaspHasher

PASSWORD = "Mat-khau-dai-7391!"
HASHER = "theodoi.accounts.hashers.Argon2idOwaspHasher"


@pytest.fixture
def production_hashers(settings):
    from theodoi import settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    assert settings.PASSWORD_HASHERS[0] == HASHER


def _parameters(encoded: str) -> dict:
    decoded = identify_hasher(encoded).decode(encoded)
    return {k: decoded[k] for k in ("algorithm", "memory_cost", "time_cost", "parallelism")}


def test_new_passwords_are_argon2id_with_owasp_parameters(production_hashers, world):
    person = world.people.officer
    person.set_password(PASSWORD)
    assert person.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert _parameters(person.password) == {
        "algorithm": "argon2",
        "memory_cost": 19 * 1024,
        "time_cost": 2,
        "parallelism": 1,
    }
    assert person.check_password(PASSWORD) and not person.check_password("sai")


def test_a_hash_of_djangos_parameters_verifies_and_is_made_again_at_sign_in(
    production_hashers, client, world
):
    person = world.people.officer
    old = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    assert _parameters(old)["memory_cost"] != Argon2idOwaspHasher.memory_cost
    person.password = old
    person.save(update_fields=["password"])

    response = client.post(reverse("login"), {"username": person.username, "password": PASSWORD})

    assert response.status_code == 302 and reverse("login") not in response.url
    person.refresh_from_db()
    assert person.password != old
    assert _parameters(person.password)["memory_cost"] == 19 * 1024
    assert check_password(PASSWORD, person.password)


def test_a_wrong_password_leaves_an_old_hash_as_it_was(production_hashers, client, world):
    person = world.people.officer
    old = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    person.password = old
    person.save(update_fields=["password"])

    response = client.post(reverse("login"), {"username": person.username, "password": "sai"})

    assert response.status_code == 200
    person.refresh_from_db()
    assert person.password == old
