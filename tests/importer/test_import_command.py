"""`theodoi import_plan`: the draft as JSON without saving, and saving into a ward."""

import json

import pytest
from django.core.management import CommandError, call_command

from tests.importer.seeds import seed_path
from theodoi.plans.models import Plan


def run(*args, capsys):
    call_command("import_plan", *map(str, args))
    return capsys.readouterr().out


def test_dry_run_prints_the_documented_json_and_saves_nothing(db, capsys):
    out = run(seed_path("004"), "--dry-run", "--format", "json", capsys=capsys)
    data = json.loads(out)
    assert data["plan"]["number"] == "110/KH-UBND"
    assert data["plan"]["issued_on"] == "2026-03-25"
    assert {s["code"] for s in data["sections"]} == {"1", "2", "3", "4", "5", "6", "7", "PL"}
    assert len(data["tasks"]) == 34 + 8
    first = next(t for t in data["tasks"] if t["section"] == "PL" and t["code"] == "1")
    assert first["deadline"] == {
        "text": "Tháng 6/2026",
        "kind": "month",
        "due": "2026-06-30",
        "recurrence": None,
        "needs_review": False,
    }
    assert first["accountable"] == "Chủ tịch UBND phường"
    assert first["lead_units_raw"] == "Phòng Văn hóa – Xã hội"
    continuous = next(t for t in data["tasks"] if t["section"] == "PL" and t["code"] == "3")
    assert continuous["deadline"]["recurrence"] == "continuous"
    assert isinstance(data["warnings"], list)
    assert not Plan.objects.exists()


def test_save_into_a_ward(world, capsys):
    out = run(seed_path("001"), "--ward", world.ward_a.code, "--format", "json", capsys=capsys)
    summary = json.loads(out)
    plan = Plan.objects.get(pk=summary["plan"])
    assert plan.organization == world.ward_a
    assert plan.issuer_kind == "party"
    assert plan.tasks.filter(parent__isnull=True).count() == 22
    assert plan.tasks.filter(parent__isnull=False).count() == 13
    assert plan.sections.count() == 6
    assert summary["tasks_added"] == 35
    assert "Công an phường" not in summary["units_created"]  # matched to the existing unit
    assert plan.tasks.get(section__code="II", code="3").lead_units.get() == world.police


def test_running_the_same_import_again_changes_nothing(world, capsys):
    run(seed_path("004"), "--ward", world.ward_a.code, "--other-ward", capsys=capsys)
    out = run(
        seed_path("004"),
        "--ward",
        world.ward_a.code,
        "--other-ward",
        "--format",
        "json",
        capsys=capsys,
    )
    summary = json.loads(out)
    assert (summary["created"], summary["tasks_added"], summary["tasks_changed"]) == (False, 0, 0)
    assert summary["tasks_unchanged"] == 42
    assert Plan.objects.filter(number="110/KH-UBND").count() == 1


def test_missing_file_and_unknown_ward_are_clear_errors(world, tmp_path):
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("import_plan", str(tmp_path / "nope.docx"), "--dry-run")
    with pytest.raises(CommandError, match="Không có phường, xã nào mã"):
        call_command("import_plan", str(seed_path("004")), "--ward", "XYZ")
    with pytest.raises(CommandError, match="--ward"):
        call_command("import_plan", str(seed_path("004")))


def test_unreadable_file_is_a_clear_error(db, tmp_path):
    bad = tmp_path / "plan.docx"
    bad.write_bytes(b"PK\x03\x04 this is not really a Word file")
    with pytest.raises(CommandError, match="Không đọc được"):
        call_command("import_plan", str(bad), "--dry-run")
