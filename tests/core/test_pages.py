"""Things every page relies on: static files served by the app itself, and the language."""

from django.conf import settings
from django.urls import reverse


def test_css_and_scripts_are_served_by_the_app(client, db):
    """No CDN: ward offices may be on closed networks."""
    for path in [
        "vendor/bootstrap/bootstrap.min.css",
        "vendor/bootstrap/bootstrap.bundle.min.js",
        "vendor/htmx/htmx.min.js",
        "theodoi/theodoi.css",
    ]:
        response = client.get("/" + settings.STATIC_URL.strip("/") + "/" + path)
        assert response.status_code == 200, path


def test_english_browser_still_gets_vietnamese(client, db):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Đăng nhập" in response.content.decode()


def test_language_switcher_turns_english_on(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    response = client.get(reverse("login"))
    assert "Sign in" in response.content.decode()
    assert response.headers["Content-Language"] == "en"
