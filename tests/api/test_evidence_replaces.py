"""The API's evidence upload names the rejected file it replaces and its own description, through
the same service as the page: a file of another task or one not rejected is refused (400)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.helpers import BASE, PDF, client_for
from theodoi.reporting.models import Evidence
from theodoi.tracking import services


def _rejected(world):
    photo = services.evidence_upload(
        actor=world.people.officer, name="anh.pdf", data=PDF + b"%1", task=world.task_vhxh
    )
    services.evidence_review(
        actor=world.people.office, evidence=photo, decision="reject", reason="Thiếu chữ ký"
    )
    return photo


def _send(world, task, **fields):
    return client_for(world.people.officer).post(
        f"{BASE}/tasks/{task.pk}/evidence",
        {"file": SimpleUploadedFile("bien-ban.pdf", PDF), "kind": "signed_document", **fields},
    )


def test_a_replacement_is_linked_and_shown(world):
    photo = _rejected(world)
    response = _send(
        world, world.task_vhxh, replaces=str(photo.pk), description="Biên bản có chữ ký"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["replaces"] == photo.pk and body["description"] == "Biên bản có chữ ký"
    assert Evidence.objects.get(pk=body["id"]).replaces == photo


def test_a_file_of_another_task_or_not_rejected_is_refused(world):
    photo = _rejected(world)
    assert _send(world, world.task_police, replaces=str(photo.pk)).status_code in (400, 403)
    services.evidence_review(actor=world.people.office, evidence=photo, decision="accept")
    refused = _send(world, world.task_vhxh, replaces=str(photo.pk))
    assert refused.status_code == 400 and "chưa bị" in refused.json()["detail"]
    assert _send(world, world.task_vhxh, replaces="999999").status_code == 400
    assert Evidence.objects.count() == 1
