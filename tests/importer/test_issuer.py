"""A plan issued by another ward or commune is not saved into this one without a word: the draft
says so, naming both, and saving needs an explicit confirmation."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.importer.seeds import seed_path
from tests.importer.test_import_pages import upload
from theodoi.audit.models import AuditEvent
from theodoi.core.access import SYSTEM
from theodoi.importer.draft import Draft, DraftPlan
from theodoi.importer.models import ImportDraft
from theodoi.importer.recognise.issuer import (
    header_issuer,
    issuer_place,
    other_issuer_place,
    place_key,
)
from theodoi.importer.services import DraftNotReady, import_draft
from theodoi.plans.models import Plan


@pytest.mark.parametrize(
    ("issuer", "place"),
    [
        ("Ủy ban nhân dân phường Thành Đông", "Thành Đông"),
        ("UBND phường Phước Bình", "Phước Bình"),
        ("Ban Thường vụ Đảng ủy phường Chơn Thành", "Chơn Thành"),
        ("UBND XÃ AN BÌNH", "AN BÌNH"),
        ("Đảng ủy đặc khu Phú Quốc", "Phú Quốc"),
        # Seed 001 names no ward: nothing to compare.
        ("Ban Thường vụ Đảng ủy phường", ""),
        ("UBND phường", ""),
        ("", ""),
    ],
)
def test_the_place_an_issuer_names(issuer, place):
    assert issuer_place(issuer) == place


@pytest.mark.parametrize(
    ("line", "issuer"),
    [
        ("ỦY BAN NHÂN DÂN PHƯỜNG THÀNH ĐÔNG", "Ủy ban nhân dân phường Thành Đông"),
        ("ĐẢNG ỦY PHƯỜNG LÊ CHÂN", "Đảng ủy phường Lê Chân"),
        ("UBND XÃ AN BÌNH", "UBND xã An Bình"),
        ("**ĐẢNG BỘ PHƯỜNG CHƠN THÀNH**", "Đảng bộ phường Chơn Thành"),
        ("ỦY BAN NHÂN DÂN PHƯỜNG AN BÌNH", "Ủy ban nhân dân phường An Bình"),
        # A sentence naming the body is not the header.
        ("Ủy ban nhân dân phường Thành Đông xây dựng Kế hoạch thực hiện", ""),
        ("KẾ HOẠCH", ""),
    ],
)
def test_a_header_line_names_the_issuing_body(line, issuer):
    assert header_issuer(line) == issuer


def test_names_compare_without_case_accents_or_prefix():
    assert place_key("Phường Lê Chân") == place_key("LE CHAN") == "le chan"
    assert place_key("Xã An Bình") == place_key("phường An Bình")
    assert other_issuer_place("UBND PHƯỜNG LÊ CHÂN", "Phường Lê Chân") == ""
    assert other_issuer_place("Đảng ủy xã le chan", "Phường Lê Chân") == ""
    assert other_issuer_place("Ủy ban nhân dân phường Thành Đông", "Phường Lê Chân") == "Thành Đông"
    assert other_issuer_place("Ban Thường vụ Đảng ủy phường", "Phường Lê Chân") == ""


def _draft(issuer):
    return Draft(plan=DraftPlan(number="5/KH-UBND", title="Kế hoạch", issuer=issuer))


def test_the_service_refuses_another_wards_plan_unless_confirmed(world):
    with pytest.raises(DraftNotReady) as refused:
        import_draft(
            actor=SYSTEM, draft=_draft("Ủy ban nhân dân phường Thành Đông"), ward=world.ward_a
        )
    assert "Thành Đông" in str(refused.value) and world.ward_a.name in str(refused.value)
    assert not Plan.objects.filter(number="5/KH-UBND").exists()

    result = import_draft(
        actor=SYSTEM,
        draft=_draft("Ủy ban nhân dân phường Thành Đông"),
        ward=world.ward_a,
        confirm_other_issuer=True,
    )
    event = AuditEvent.objects.get(action="plan.import", object_id=str(result.plan.pk))
    assert event.after["other_issuer"] == "Thành Đông"


def test_the_wards_own_plan_needs_no_confirmation(world):
    result = import_draft(actor=SYSTEM, draft=_draft("UBND PHƯỜNG AN BÌNH"), ward=world.ward_a)
    assert result.created


@pytest.fixture
def office(client, world):
    client.force_login(world.people.office)
    return client


def test_the_draft_warns_naming_both_and_saving_needs_the_tick(office, world):
    upload(office, seed_path("003"))
    stored = ImportDraft.objects.get()
    url = reverse("import_review", args=[stored.pk])
    page = office.get(url).content.decode()
    assert 'id="other-issuer"' in page
    assert "Ủy ban nhân dân phường Thành Đông" in page and "Phường An Bình" in page
    assert 'name="confirm_other_issuer"' in page

    refused = office.post(url, {"action": "save", "plan-title": "Tên đã sửa"})
    text = refused.content.decode()
    assert refused.status_code == 400
    assert "Thành Đông" in text and "Tên đã sửa" in text
    assert not Plan.objects.exclude(pk__in=[world.plan_a.pk, world.plan_b.pk]).exists()

    saved = office.post(url, {"action": "save", "confirm_other_issuer": "1"})
    assert saved.status_code == 302
    assert Plan.objects.exclude(pk__in=[world.plan_a.pk, world.plan_b.pk]).count() == 1


def test_a_draft_of_the_wards_own_plan_shows_no_warning(office, world):
    document = (
        "ỦY BAN NHÂN DÂN\n\nPHƯỜNG AN BÌNH\n\nSố: 7/KH-UBND\n\nKẾ HOẠCH\n\nChuyển đổi số\n"
    ).encode()
    upload(office, document, name="plan.txt")
    stored = ImportDraft.objects.get()
    assert stored.data["plan"]["issuer"] == "Ủy ban nhân dân phường An Bình"
    page = office.get(reverse("import_review", args=[stored.pk])).content.decode()
    assert 'id="other-issuer"' not in page


def test_the_command_refuses_another_wards_plan_without_the_option(world):
    with pytest.raises(CommandError, match="--other-ward"):
        call_command("import_plan", str(seed_path("003")), "--ward", world.ward_a.code)
    assert not Plan.objects.exclude(pk__in=[world.plan_a.pk, world.plan_b.pk]).exists()
