"""The installable app: manifest, service worker, offline page and the fresh CSRF token that
reports kept on a phone while offline are sent with."""

import json
import re

from django.conf import settings
from django.urls import reverse


def test_manifest_names_the_app_in_vietnamese_with_its_icons(client, db):
    response = client.get(reverse("manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "theodoi"
    assert manifest["short_name"] == "Theo dõi NQ57"
    assert "Nghị quyết 57-NQ/TW" in manifest["description"]
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    sizes = {icon["sizes"]: icon["src"] for icon in manifest["icons"]}
    assert set(sizes) == {"192x192", "512x512"}
    for size, src in sizes.items():
        icon = client.get(src)
        assert icon.status_code == 200
        body = b"".join(icon.streaming_content) if icon.streaming else icon.content
        assert body.startswith(b"\x89PNG")
        width = int.from_bytes(body[16:20], "big")
        assert f"{width}x{width}" == size


def test_every_page_links_the_manifest_and_registers_the_worker(client, db):
    page = client.get(reverse("login")).content.decode()
    assert f'<link rel="manifest" href="{reverse("manifest")}">' in page
    assert f'data-worker="{reverse("service_worker")}"' in page
    assert '<meta name="theme-color"' in page


def test_service_worker_is_served_from_the_root_for_the_whole_site(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    push = "/" + settings.STATIC_URL.strip("/") + "/theodoi/sw-push.js"
    assert f'importScripts("{push}");' in script
    assert client.get(push).status_code == 200
    config = json.loads(re.search(r"var CONFIG = (\{.*\});", script).group(1))
    # The static shell, the offline page and the manifest are kept; no private page is.
    assert "/static/theodoi/drafts.js" in config["shell"]
    assert reverse("offline") in config["shell"]
    assert reverse("my_tasks") not in config["shell"]
    # Only the task pages and the unit's task list are kept as they are opened.
    patterns = [re.compile(p.replace("\\/", "/")) for p in config["pagePatterns"]]
    kept = ["/tasks/12/", "/my-tasks/"]
    not_kept = ["/tasks/12/edit/", "/review/", "/plans/3/", "/evidence/4/file/", "/"]
    assert all(any(p.search(path) for p in patterns) for path in kept)
    assert not any(p.search(path) for p in patterns for path in not_kept)
    # Posts (reports, uploads) are never answered by the worker.
    assert 'if (request.method !== "GET")' in script


def test_service_worker_changes_its_cache_with_the_static_files(client, db, settings):
    first = client.get("/sw.js").content.decode()
    settings.STATIC_URL = "/assets/"
    second = client.get("/sw.js").content.decode()
    version = re.compile(r'"version": "(\w+)"')
    assert version.search(first).group(1) != version.search(second).group(1)


def test_offline_page_names_no_one(client, world):
    client.force_login(world.people.officer)
    response = client.get(reverse("offline"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Không có mạng" in page
    assert "alice" not in page and str(world.people.officer.unit) not in page


def test_csrf_token_for_a_kept_report_is_fresh_and_never_cached(client, world):
    anonymous = client.get(reverse("offline_csrf"))
    assert anonymous.json()["signed_in"] is False
    client.force_login(world.people.officer)
    response = client.get(reverse("offline_csrf"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    answer = response.json()
    assert answer["signed_in"] is True and len(answer["token"]) >= 32
    assert client.post(reverse("offline_csrf")).status_code == 405


def test_kept_report_is_accepted_with_the_fresh_token(world):
    """A report kept on the phone goes with the token from the token address, not the page's
    (the CSRF check is on, as in production)."""
    from django.test import Client

    from theodoi.reporting.models import ProgressReport

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people.officer)
    token = client.get(reverse("offline_csrf")).json()["token"]
    task = world.task_vhxh
    data = {"period": "2026-Q4", "percent": "40", "result": "Đã soạn khi mất mạng"}
    refused = client.post(reverse("report_submit", args=[task.pk]), data, HTTP_HX_REQUEST="true")
    assert refused.status_code == 403
    sent = client.post(
        reverse("report_submit", args=[task.pk]),
        {**data, "csrfmiddlewaretoken": token},
        HTTP_HX_REQUEST="true",
        HTTP_X_CSRFTOKEN=token,
    )
    assert sent.status_code == 204 and sent["HX-Redirect"] == task.get_absolute_url()
    assert ProgressReport.objects.get(task=task).result == "Đã soạn khi mất mạng"
