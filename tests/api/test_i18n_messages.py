"""The API's error details follow the language the client chose (the language cookie, as on
the pages), Vietnamese by default."""

import pytest
from django.conf import settings
from django.test import Client

from tests.api.helpers import BASE, client_for, post_json


def _english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.django_db
def test_the_sign_in_needed_detail_follows_the_chosen_language():
    english = _english(Client()).get(BASE + "/plans")
    assert english.status_code == 401
    assert english.json() == {"detail": "Sign-in needed: send Authorization: Bearer <token>."}
    default = Client().get(BASE + "/plans")
    assert default.json() == {"detail": "Cần đăng nhập: gửi Authorization: Bearer <token>."}


@pytest.mark.django_db
def test_wrong_credentials_follow_the_chosen_language():
    body = '{"username": "nobody", "password": "x"}'
    english = _english(Client()).post(BASE + "/auth/token", body, content_type="application/json")
    assert english.status_code == 401
    assert english.json() == {"detail": "The user name or password is not correct."}


def test_a_validation_error_is_english_when_asked(world):
    client = _english(client_for(world.people.officer))
    url = f"{BASE}/tasks/{world.task_vhxh.pk}/reports"
    body = '{"period": "2026-Q4", "percent": "many"}'
    english = client.post(url, body, content_type="application/json")
    assert english.status_code == 400
    assert english.json() == {"detail": "Invalid data: the field «percent» must be a whole number."}
    missing = client.post(url, "{}", content_type="application/json")
    assert "the field «period» is missing" in missing.json()["detail"]


def test_a_service_refusal_is_english_when_asked(world):
    client = _english(client_for(world.people.officer))
    url = f"{BASE}/tasks/{world.task_vhxh.pk}/reports"
    body = '{"period": "2026-Q4", "percent": 150}'
    english = client.post(url, body, content_type="application/json")
    assert english.status_code == 400
    assert english.json() == {"detail": "The percent done must be a whole number from 0 to 100."}
    vietnamese = client_for(world.people.officer)
    default = post_json(
        vietnamese, f"/tasks/{world.task_vhxh.pk}/reports", {"period": "x", "percent": 5}
    )
    assert "«x»" in default.json()["detail"] and "Kỳ báo cáo" in default.json()["detail"]


def test_the_not_found_and_wrong_method_details_follow_the_chosen_language(world):
    client = _english(client_for(world.people.officer))
    missing = client.get(f"{BASE}/tasks/{world.task_b.pk}")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Not found, or it belongs to a ward you may not see."}
    wrong = client.delete(f"{BASE}/plans")
    assert wrong.status_code == 405
    assert wrong.json() == {"detail": "The method DELETE cannot be used at this address."}


@pytest.mark.django_db
def test_the_openapi_description_follows_the_chosen_language():
    english = _english(Client()).get(BASE + "/openapi.json").json()
    assert english["info"]["description"].startswith("Tracking the plans implementing")
    default = Client().get(BASE + "/openapi.json").json()
    assert default["info"]["description"].startswith("Theo dõi kế hoạch thực hiện Nghị quyết 57")
