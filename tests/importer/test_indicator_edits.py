"""The office corrects indicators on the draft as it corrects tasks: name, unit of measure,
baseline, the level of each year, target, comparator and target year, read again the way the
importer reads the document, saved through the importer's service."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.importer.seeds import seed_path
from tests.importer.test_import_pages import save_form, upload
from theodoi.importer.draft import Draft, DraftIndicator
from theodoi.importer.models import ImportDraft
from theodoi.importer.services import DraftEdits, draft_apply_edits, indicator_apply_edits
from theodoi.plans.models import Indicator


def _i1():
    """Seed 003's I.1 as read."""
    return DraftIndicator(
        name="100% nhà văn hoá kết nối Internet",
        code="I.1",
        unit="%",
        comparator=">=",
        target=Decimal(100),
        target_text="100% (Đã đạt)",
        target_year=2030,
        baseline=Decimal(100),
        baseline_year=2025,
        baseline_text="100%",
        milestones={2026: Decimal(100), 2027: Decimal(100), 2028: Decimal(100), 2029: Decimal(100)},
        milestone_texts={2026: "Duy trì 100%", 2027: "Duy trì 100%", 2028: "Duy trì 100%", 2029: "Duy trì"},
    )  # fmt: skip


def test_unchanged_cells_change_nothing():
    indicator = _i1()
    indicator_apply_edits(
        indicator,
        {
            "name": indicator.name,
            "unit": "%",
            "comparator": ">=",
            "baseline_text": "100%",
            "target_text": "100% (Đã đạt)",
            "target_year": 2030,
            "milestones": dict(indicator.milestone_texts),
        },
    )
    assert indicator == _i1()


def test_cells_are_read_again_as_the_document_is():
    indicator = _i1()
    indicator_apply_edits(
        indicator,
        {
            "baseline_text": "≥ 60%",
            "target_text": "≤ 5 ngày",
            "milestones": {2026: "70%", 2027: "Duy trì", 2028: "", 2029: "90%"},
        },
    )
    assert (indicator.baseline, indicator.baseline_text) == (Decimal(60), "≥ 60%")
    assert (indicator.comparator, indicator.target, indicator.comparator_written) == (
        "<=",
        Decimal(5),
        True,
    )
    assert indicator.milestone_texts == {2026: "70%", 2027: "Duy trì", 2029: "90%"}
    assert indicator.milestones == {2026: Decimal(70), 2027: Decimal(70), 2029: Decimal(90)}


def test_a_chosen_comparator_and_a_qualitative_target():
    indicator = _i1()
    indicator_apply_edits(indicator, {"comparator": "="})
    assert (indicator.comparator, indicator.comparator_written) == ("=", False)
    indicator_apply_edits(indicator, {"target_text": "Đạt chuẩn"})
    assert (indicator.comparator, indicator.target) == (None, None)


def test_a_removed_indicator_leaves_a_warning():
    draft = Draft(indicators=[_i1(), DraftIndicator(name="Tỷ lệ khác", code="I.2")])
    draft_apply_edits(draft, DraftEdits(deleted_indicators={0}))
    assert [i.code for i in draft.indicators] == ["I.2"]
    assert any("I.1" in warning for warning in draft.warnings)


@pytest.fixture
def office(client, world):
    client.force_login(world.people.office)
    return client


def _stored(office):
    upload(office, seed_path("003"))
    stored = ImportDraft.objects.get()
    codes = [item["code"] for item in stored.data["indicators"]]
    return stored, codes.index("I.1"), codes.index("I.2")


def test_the_draft_page_shows_each_indicator_cell_to_correct(office, world):
    stored, one, _ = _stored(office)
    page = office.get(reverse("import_review", args=[stored.pk])).content.decode()
    assert f'name="ind-{one}-target_text" value="100% (Đã đạt)"' in page
    assert f'name="ind-{one}-m-2029" value="Duy trì"' in page
    assert "(Đã đạt)%" not in page


def test_corrections_are_saved_with_the_plan(office, world):
    stored, one, two = _stored(office)
    form = save_form(
        office,
        stored,
        **{
            f"ind-{one}-name": "Nhà văn hóa kết nối Internet",
            f"ind-{one}-unit": "% nhà văn hóa",
            f"ind-{two}-target_text": "≥ 95%",
            f"ind-{two}-m-2029": "92%",
            f"ind-{two}-target_year": "2029",
        },
    )
    response = office.post(reverse("import_review", args=[stored.pk]), form)
    assert response.status_code == 302
    saved = Indicator.objects.get(code="I.1", plan__number="/KH-UBND")
    assert (saved.name, saved.unit_of_measure) == ("Nhà văn hóa kết nối Internet", "% nhà văn hóa")
    second = Indicator.objects.get(code="I.2", plan=saved.plan)
    assert (second.comparator, second.target, second.target_year) == (">=", 95, 2029)
    assert second.milestones.get(year=2029).value == 92


def test_a_refused_correction_comes_back_as_typed(office, world):
    stored, one, two = _stored(office)
    form = save_form(
        office,
        stored,
        **{
            f"ind-{one}-name": "Tên chỉ tiêu đã sửa",
            f"ind-{two}-target_year": "năm hai nghìn",
            f"ind-{two}-comparator": "~",
        },
    )
    response = office.post(reverse("import_review", args=[stored.pk]), form)
    page = response.content.decode()
    assert response.status_code == 400
    assert "phải là số nguyên" in page or "Hãy chọn" in page
    assert 'value="năm hai nghìn"' in page
    assert "Tên chỉ tiêu đã sửa" in page
    assert not Indicator.objects.filter(code="I.1", plan__number="/KH-UBND").exists()


def test_an_indicator_without_a_name_is_refused_in_vietnamese(office, world):
    stored, one, _ = _stored(office)
    form = save_form(office, stored, **{f"ind-{one}-name": "  "})
    response = office.post(reverse("import_review", args=[stored.pk]), form)
    assert response.status_code == 400
    assert "chưa có tên" in response.content.decode()
