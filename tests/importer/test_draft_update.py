"""The review page's corrections are applied and saved by one service in one transaction
(importer.services.import_draft_update), not assembled in the view."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.importer.seeds import seed_path
from theodoi.audit.models import AuditEvent
from theodoi.importer import services
from theodoi.importer.draft import draft_from_data
from theodoi.importer.models import ImportDraft
from theodoi.importer.pipeline import draft_from_bytes
from theodoi.plans.models import Plan


@pytest.fixture
def stored(world):
    path = seed_path("004")
    draft = draft_from_bytes(path.read_bytes(), name=path.name)
    return services.import_draft_create(
        actor=world.people.office, ward=world.ward_a, draft=draft, source_name=path.name, sha256="0"
    )


# Seed 004 is Phường Lê Chân's plan, saved into the test ward: confirmed as a person would.


def _all_choices(stored):
    draft = draft_from_data(stored.data)
    names = services.resolve_draft_units(draft, stored.organization)
    return set(names)


def test_the_update_saves_the_plan_and_closes_the_draft(world, stored):
    edits = services.DraftEdits(
        plan={"title": "Kế hoạch đã sửa"},
        shown_units=_all_choices(stored),
        confirm_other_issuer=True,
    )

    result = services.import_draft_update(
        actor=world.people.office, stored_pk=stored.pk, edits=edits
    )

    stored.refresh_from_db()
    assert result is not None and result.plan.title == "Kế hoạch đã sửa"
    assert stored.status == "saved" and stored.plan == result.plan
    assert stored.data["plan"]["title"] == "Kế hoạch đã sửa"
    assert AuditEvent.objects.filter(action="import.saved").count() == 1
    assert (
        services.import_draft_update(actor=world.people.office, stored_pk=stored.pk, edits=edits)
        is None
    ), "a second save finds the draft closed"


def test_a_refused_update_leaves_the_stored_draft_as_it_was(world, stored):
    before = stored.data
    draft = draft_from_data(before)
    first, second = [i for i, t in enumerate(draft.tasks) if t.section == "PL"][:2]
    edits = services.DraftEdits(
        plan={"title": "Đã sửa"},
        tasks={second: {"code": draft.tasks[first].code}},
        shown_units=_all_choices(stored),
        confirm_other_issuer=True,
    )

    with pytest.raises(services.DraftNotReady) as refused:
        services.import_draft_update(actor=world.people.office, stored_pk=stored.pk, edits=edits)

    assert "trùng" in str(refused.value)
    assert refused.value.draft.plan.title == "Đã sửa", "the page shows what was typed"
    stored.refresh_from_db()
    assert stored.data == before and stored.status == ImportDraft.Status.OPEN
    assert not Plan.objects.filter(number="110/KH-UBND").exists()


def test_new_names_keep_the_edits_and_save_no_plan(world, stored):
    edits = services.DraftEdits(
        tasks={0: {"lead_units_raw": "Hội Cựu chiến binh"}},
        shown_units=_all_choices(stored),
        confirm_other_issuer=True,
    )

    with pytest.raises(services.DraftNeedsChoices) as refused:
        services.import_draft_update(actor=world.people.office, stored_pk=stored.pk, edits=edits)

    assert "Hội Cựu chiến binh" in str(refused.value)
    stored.refresh_from_db()
    assert stored.data["tasks"][0]["lead_units_raw"] == "Hội Cựu chiến binh"
    assert stored.status == ImportDraft.Status.OPEN
    assert not Plan.objects.filter(number="110/KH-UBND").exists()


def test_a_failure_while_saving_rolls_back_everything(world, stored, monkeypatch):
    """The plan, its units and the closed draft are written together or not at all."""

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "import_draft_close", broken)
    edits = services.DraftEdits(shown_units=_all_choices(stored), confirm_other_issuer=True)

    with pytest.raises(RuntimeError):
        services.import_draft_update(actor=world.people.office, stored_pk=stored.pk, edits=edits)

    stored.refresh_from_db()
    assert stored.status == ImportDraft.Status.OPEN
    assert not Plan.objects.filter(number="110/KH-UBND").exists()
    assert not AuditEvent.objects.filter(action__in=["plan.create", "task.create"]).exists()


def test_only_the_standing_office_updates(world, stored):
    with pytest.raises(PermissionDenied):
        services.import_draft_update(
            actor=world.people.officer, stored_pk=stored.pk, edits=services.DraftEdits()
        )


def test_the_page_keeps_valid_corrections_beside_a_refused_one(client, world, stored):
    client.force_login(world.people.office)
    response = client.post(
        reverse("import_review", args=[stored.pk]),
        {"action": "save", "plan-title": "Tiêu đề mới", "plan-issued_on": "²"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Ngày ban hành phải là một ngày hợp lệ" in page and "Tiêu đề mới" in page


def test_a_task_is_named_by_its_code_when_the_code_carries_its_section():
    from theodoi.plans.numbering import task_label

    assert task_label("a", "a.1") == "a.1"
    assert task_label("II", "3") == "II.3"
    assert task_label("", "7") == "7"
    assert task_label("PL", "PL") == "PL"
