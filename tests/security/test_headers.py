"""Security headers: a Content-Security-Policy without inline scripts or styles."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: " ".join(part.split()[1:])
        for part in (p.strip() for p in header.split(";"))
        if part
    }


def test_pages_carry_the_content_security_policy(client, world):
    client.force_login(world.people.office)
    policy = _policy(client.get("/plans/"))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["frame-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["form-action"] == "'self'"
    assert policy["frame-ancestors"] == "'self'"
    assert "unsafe-inline" not in client.get("/plans/")["Content-Security-Policy"]


def test_sign_in_page_has_csp_and_the_other_security_headers(client):
    response = client.get("/login/")
    assert "Content-Security-Policy" in response
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_hsts_is_on_in_production_settings():
    # tests/settings.py turns HTTPS off; the production defaults are checked by test_deploy.
    source = (Path(settings.BASE_DIR) / "settings.py").read_text(encoding="utf-8")
    assert "SECURE_HSTS_SECONDS" in source and "SECURE_REFERRER_POLICY" in source


def test_templates_have_no_inline_scripts_styles_or_handlers():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            scripts = re.findall(r"<script\b([^>]*)>", line)
            inline_script = any(
                "src=" not in attrs and "application/json" not in attrs for attrs in scripts
            )
            if (
                inline_script
                or re.search(r"\sstyle\s*=", line)
                or re.search(r"<style\b", line)
                or re.search(r"\son[a-z]+\s*=", line)
                or "javascript:" in line
            ):
                offenders.append(f"{path.relative_to(TEMPLATES)}:{number}")
    assert offenders == []
