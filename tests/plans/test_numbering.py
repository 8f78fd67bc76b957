"""A plan's number reads as the document has it: a blank left for the clerk ("Số -KH/ĐU") is
shown with a label saying the plan is not numbered yet, never as if "-KH/ĐU" were a number."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import PlanFactory
from tests.importer.seeds import seed_path
from theodoi.importer.models import ImportDraft
from theodoi.importer.pipeline import draft_from_bytes
from theodoi.plans.numbering import is_numbered, number_label, number_text, plan_name


@pytest.mark.parametrize(
    ("number", "text", "label"),
    [
        ("110/KH-UBND", "110/KH-UBND", "Số: 110/KH-UBND"),
        ("-KH/ĐU", "(chưa đánh số) -KH/ĐU", "Số: (chưa đánh số) -KH/ĐU"),
        ("KH/ĐU", "(chưa đánh số) KH/ĐU", "Số: (chưa đánh số) KH/ĐU"),
        ("/KH-UBND", "(chưa đánh số) /KH-UBND", "Số: (chưa đánh số) /KH-UBND"),
        ("", "chưa có số", "Kế hoạch chưa có số"),
        ("  ", "chưa có số", "Kế hoạch chưa có số"),
    ],
)
def test_number_text_and_label(number, text, label):
    assert number_text(number) == text
    assert number_label(number) == label
    assert is_numbered(number) == (text == number)


def test_a_short_name_is_the_number_or_the_start_of_the_title():
    assert plan_name("110/KH-UBND", "Kế hoạch") == "110/KH-UBND"
    assert plan_name("-KH/ĐU", "Triển khai   Kế hoạch số 55") == "Triển khai Kế hoạch số 55"
    assert plan_name("", "x" * 60, limit=10) == "xxxxxxxxx…"


@pytest.mark.parametrize(
    ("seed", "number"),
    [
        ("000", "-KH/ĐU"),  # "Số -KH/ĐU"
        ("001", "KH/ĐU"),  # "Số KH/ĐU"
        ("002", "/KH-UBND"),  # no number line; the appendix: "Kế hoạch số /KH-UBND ngày / / 2025"
        ("003", "/KH-UBND"),  # the appendix: "Kế hoạch số         /KH-UBND ngày …"
        ("004", "110/KH-UBND"),
    ],
)
def test_each_seed_keeps_the_number_its_document_writes(seed, number):
    draft = draft_from_bytes(seed_path(seed).read_bytes(), name=f"{seed}.txt")
    assert draft.plan.number == number


def test_the_plan_list_and_page_say_the_plan_is_not_numbered(client, world):
    client.force_login(world.people.office)
    blank = PlanFactory(organization=world.ward_a, number="-KH/ĐU", title="Kế hoạch đột phá")
    bare = PlanFactory(organization=world.ward_a, number="", title="Kế hoạch không số")
    listing = client.get(reverse("plan_list")).content.decode()
    assert "(chưa đánh số) -KH/ĐU" in listing
    assert "chưa có số" in listing
    page = client.get(blank.get_absolute_url()).content.decode()
    assert "Số: (chưa đánh số) -KH/ĐU" in page
    # The breadcrumb and the page title name the plan by its title, not by "-KH/ĐU".
    assert "<title>Kế hoạch đột phá" in page
    assert "Kế hoạch chưa có số" in client.get(bare.get_absolute_url()).content.decode()
    assert str(blank) == "Kế hoạch đột phá"


def test_the_draft_shows_how_the_number_reads(client, world):
    client.force_login(world.people.office)
    client.post(
        reverse("import_upload"),
        {"document": _upload(seed_path("000"))},
    )
    page = client.get(reverse("import_review", args=[ImportDraft.objects.get().pk]))
    assert "Số: (chưa đánh số) -KH/ĐU" in page.content.decode()


def _upload(path):
    return SimpleUploadedFile(path.name, path.read_bytes())
