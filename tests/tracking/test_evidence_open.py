"""One evidence-open service serves the page and the API: the same permission check, the same
audit record and the same headers (the sandbox CSP included)."""

from django.urls import reverse

from tests.api.helpers import BASE, client_for
from theodoi.audit.models import AuditEvent
from theodoi.tracking import services

PDF = b"%PDF-1.4\n% theodoi\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
HEADERS = [
    "Content-Type",
    "Content-Disposition",
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
]


def test_page_and_api_downloads_answer_with_the_same_headers(client, world):
    evidence = services.evidence_upload(
        actor=world.people.officer, name="bao-cao.pdf", data=PDF, task=world.task_vhxh
    )
    client.force_login(world.people.leader)
    page = client.get(reverse("evidence_file", args=[evidence.pk]))
    api = client_for(world.people.leader).get(f"{BASE}/evidence/{evidence.pk}/file")
    assert page.status_code == api.status_code == 200
    assert {h: page[h] for h in HEADERS} == {h: api[h] for h in HEADERS}
    assert api["Content-Security-Policy"].startswith("sandbox;")
    assert api["X-Content-Type-Options"] == "nosniff"
    assert api["Content-Disposition"].startswith("attachment;")
    assert b"".join(page.streaming_content) == b"".join(api.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="evidence.download").count() == 2


def test_another_ward_gets_404_through_both_doors(client, world):
    evidence = services.evidence_upload(
        actor=world.people.officer, name="bao-cao.pdf", data=PDF, task=world.task_vhxh
    )
    client.force_login(world.people.other_ward)
    assert client.get(reverse("evidence_file", args=[evidence.pk])).status_code == 404
    api = client_for(world.people.other_ward).get(f"{BASE}/evidence/{evidence.pk}/file")
    assert api.status_code == 404
    assert not AuditEvent.objects.filter(action="evidence.download").exists()
