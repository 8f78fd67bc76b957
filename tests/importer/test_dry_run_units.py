"""`theodoi import_plan --dry-run` names each task's units by their canonical names: against the
standard units of a ward or commune without --ward, against the ward's own units first with it,
and says which names it could not place and where they were read."""

import json

import pytest
from django.core.management import call_command

from tests.importer.seeds import seed_path
from theodoi.importer.unit_names import (
    STANDARD,
    WARD,
    UnitList,
    is_commune,
    resolve_names,
    standard_unit_list,
)
from theodoi.org.models import Unit
from theodoi.plans.models import Plan

# One unit written three ways, units of the ward, units of the standard list, and names that
# are in neither.
PLAN = """ỦY BAN NHÂN DÂN PHƯỜNG AN BÌNH

Số: 45/KH-UBND

Phường An Bình, ngày 12 tháng 3 năm 2026

KẾ HOẠCH

Triển khai chuyển đổi số trên địa bàn phường An Bình năm 2026

Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, \
công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia;

Ủy ban nhân dân phường An Bình ban hành Kế hoạch với các nội dung sau:

PHỤ LỤC: NHIỆM VỤ TRỌNG TÂM

| STT | Nội dung công việc | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành |
|---|---|---|---|---|
| 1 | Tuyên truyền Nghị quyết số 57-NQ/TW đến cán bộ, công chức và Nhân dân | Phòng VH-XH \
| Các cơ quan, đơn vị | Tháng 6/2026 |
| 2 | Đào tạo kỹ năng số cho người dân qua Tổ công nghệ số cộng đồng | VHXH \
| Hội Nông dân phường; Công an phường An Bình | Thường xuyên |
| 3 | Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính | Phòng Văn hóa - Xã hội \
| Trung tâm PVHCC | Tháng 9/2026 |
| 4 | Bảo đảm an toàn thông tin mạng tại các cơ quan, đơn vị | Công an phường | Phòng VH-XH \
| Thường xuyên |
| 5 | Hỗ trợ hộ kinh doanh bán hàng trên sàn thương mại điện tử | Phòng KT \
| Đoàn Thanh niên phường | Tháng 12/2026 |
| 6 | Triển khai sổ sức khỏe điện tử cho người dân | Trạm Y tế phường | Hội Nông dân phường \
| Tháng 10/2026 |
"""


def write_plan(tmp_path, text=PLAN):
    path = tmp_path / "ke-hoach.md"
    path.write_text(text, encoding="utf-8")
    return path


def dry_run(path, *args, capsys, format="json"):
    call_command("import_plan", str(path), "--dry-run", "--format", format, *args)
    out = capsys.readouterr().out
    return json.loads(out) if format == "json" else out


def group(data, name, source=STANDARD):
    matches = [u for u in data["units"]["units"] if u["name"] == name and u["source"] == source]
    assert len(matches) == 1, f"{name} ({source}): {len(matches)} groups"
    return matches[0]


def test_without_a_ward_every_spelling_resolves_to_the_standard_unit(db, tmp_path, capsys):
    data = dry_run(write_plan(tmp_path), capsys=capsys)
    tasks = data["tasks"]
    assert [task["lead_units"] for task in tasks] == [
        ["Phòng Văn hóa - Xã hội"],
        ["Phòng Văn hóa - Xã hội"],
        ["Phòng Văn hóa - Xã hội"],
        ["Công an"],
        # The issuer is a ward: the economy office has its ward name.
        ["Phòng Kinh tế, Hạ tầng và Đô thị"],
        ["Trạm Y tế"],
    ]
    assert tasks[0]["coordinating_units"] == ["*"]
    assert tasks[1]["coordinating_units"] == ["Công an"]
    assert tasks[1]["units"]["coordinating"] == [{"name": "Công an", "source": STANDARD}]
    culture = group(data, "Phòng Văn hóa - Xã hội")
    assert culture["spellings"] == ["Phòng VH-XH", "VHXH", "Phòng Văn hóa - Xã hội"]
    assert culture["tasks"] == 4
    assert group(data, "Công an")["spellings"] == ["Công an phường An Bình", "Công an phường"]
    assert data["units"]["level"] == "ward"
    assert data["units"]["sources"] == [STANDARD]
    assert data["units"]["new_units"] is None
    # Not placed, kept as written, with the rows of the tasks that name them.
    assert tasks[1]["unknown_units"] == ["Hội Nông dân phường"]
    assert tasks[4]["unknown_units"] == ["Đoàn Thanh niên phường"]
    assert data["units"]["unplaced"] == [
        {"name": "Hội Nông dân phường", "rows": [tasks[1]["row"], tasks[5]["row"]]},
        {"name": "Đoàn Thanh niên phường", "rows": [tasks[4]["row"]]},
    ]
    assert not Plan.objects.exists()


def test_the_text_dry_run_shows_the_spellings_of_each_unit_and_what_it_could_not_place(
    db, tmp_path, capsys
):
    data = dry_run(write_plan(tmp_path), capsys=capsys)
    rows = {task["code"]: task["row"] for task in data["tasks"]}
    out = dry_run(write_plan(tmp_path), capsys=capsys, format="text")
    assert "Phòng Văn hóa - Xã hội ← Phòng VH-XH, VHXH, Phòng Văn hóa - Xã hội" in out
    assert "→ chủ trì: Công an · phối hợp: Phòng Văn hóa - Xã hội" in out
    farmers_rows = f"dòng {rows['2'].split()[-1]}; dòng {rows['6'].split()[-1]}"
    assert f"Hội Nông dân phường — {farmers_rows}" in out
    assert "chưa xác định được: Đoàn Thanh niên phường" in out
    # Without a ward there is one list: nothing is marked as coming from it.
    assert "(danh mục chuẩn)" not in out


def test_a_commune_plan_names_the_standard_units_as_a_commune_does(db, tmp_path, capsys):
    commune = PLAN.replace("PHƯỜNG AN BÌNH", "XÃ AN BÌNH").replace("Phường An Bình", "Xã An Bình")
    data = dry_run(write_plan(tmp_path, commune), capsys=capsys)
    assert data["units"]["level"] == "commune"
    assert data["tasks"][4]["lead_units"] == ["Phòng Kinh tế"]
    # The issuer says ward, the person says commune: --commune wins.
    data = dry_run(write_plan(tmp_path), "--commune", capsys=capsys)
    assert data["units"]["level"] == "commune"
    assert data["tasks"][4]["lead_units"] == ["Phòng Kinh tế"]


def test_with_a_ward_its_own_units_come_first_and_the_standard_list_places_the_rest(
    world, tmp_path, capsys
):
    units_before = Unit.objects.count()
    path = write_plan(tmp_path)
    data = dry_run(path, "--ward", world.ward_a.code, capsys=capsys)
    tasks = data["tasks"]
    # The ward has "Phòng Văn hóa - Xã hội" without aliases: only that spelling is its unit.
    assert tasks[2]["units"]["lead"] == [{"name": "Phòng Văn hóa - Xã hội", "source": WARD}]
    assert tasks[0]["units"]["lead"] == [{"name": "Phòng Văn hóa - Xã hội", "source": STANDARD}]
    assert tasks[3]["units"]["lead"] == [{"name": "Công an phường", "source": WARD}]
    assert tasks[5]["units"]["lead"] == [{"name": "Trạm Y tế", "source": STANDARD}]
    assert group(data, "Phòng Văn hóa - Xã hội", WARD)["spellings"] == ["Phòng Văn hóa - Xã hội"]
    assert group(data, "Phòng Văn hóa - Xã hội")["spellings"] == ["Phòng VH-XH", "VHXH"]
    assert group(data, "Công an phường", WARD)["spellings"] == [
        "Công an phường An Bình",
        "Công an phường",
    ]
    assert data["units"]["sources"] == [WARD, STANDARD]
    assert [u["name"] for u in data["units"]["unplaced"]] == [
        "Hội Nông dân phường",
        "Đoàn Thanh niên phường",
    ]
    # What saving would do: every name that is not one of the ward's units becomes a new unit,
    # those the standard list knows included.
    assert set(data["units"]["new_units"]) == {
        "Phòng VH-XH",
        "VHXH",
        "Hội Nông dân phường",
        "Trung tâm PVHCC",
        "Phòng KT",
        "Đoàn Thanh niên phường",
        "Trạm Y tế phường",
    }
    out = dry_run(path, "--ward", world.ward_a.code, capsys=capsys, format="text")
    assert "Phòng Văn hóa - Xã hội (danh mục chuẩn) ← Phòng VH-XH, VHXH" in out
    assert "\n  Phòng Văn hóa - Xã hội ← Phòng Văn hóa - Xã hội\n" in out
    assert "Khi lưu vào phường, xã sẽ đề xuất tạo các đơn vị mới:" in out
    # A dry run saves nothing, units included.
    assert Unit.objects.count() == units_before
    assert not Plan.objects.filter(number="45/KH-UBND").exists()


def test_a_ward_alias_places_a_spelling_as_the_ward_unit(world, tmp_path, capsys):
    world.vhxh.aliases.create(alias="VHXH")
    data = dry_run(write_plan(tmp_path), "--ward", world.ward_a.code, capsys=capsys)
    assert data["tasks"][1]["units"]["lead"] == [{"name": "Phòng Văn hóa - Xã hội", "source": WARD}]
    assert "VHXH" in group(data, "Phòng Văn hóa - Xã hội", WARD)["spellings"]
    assert "VHXH" not in data["units"]["new_units"]


def test_units_keep_the_order_the_cell_names_them_across_lists():
    ward = UnitList(source=WARD, catalogue={"Phòng Văn hóa - Xã hội": 7}, names={7: "VH-XH"})
    lists = [ward, standard_unit_list(is_ward=True)]
    resolved = resolve_names("Trạm Y tế; Phòng Văn hóa - Xã hội; Hội Cựu chiến binh", lists)
    # The first unit named leads, whichever list placed it.
    assert [(u.name, u.source) for u in resolved.units] == [
        ("Trạm Y tế", STANDARD),
        ("VH-XH", WARD),
    ]
    assert resolved.unplaced == ["Hội Cựu chiến binh"]


def test_units_acting_through_the_peoples_committee_are_the_leads():
    resolved = resolve_names(
        "UBND phường (Phòng VH-XH, TTDVTH)", [standard_unit_list(is_ward=True)]
    )
    assert resolved.names == ["Phòng Văn hóa - Xã hội", "Trung tâm Dịch vụ tổng hợp"]
    assert [spelling for spelling, _ in resolved.spellings] == ["Phòng VH-XH", "TTDVTH"]


@pytest.mark.parametrize("seed", ["000", "001", "002", "004"])
def test_no_unit_name_of_a_seed_is_dropped(db, seed, capsys):
    data = dry_run(seed_path(seed), capsys=capsys)
    for task in data["tasks"]:
        for role, raw in (("lead", "lead_units_raw"), ("coordinating", "coordinating_units_raw")):
            names = task[f"{role}_units"] if role == "lead" else task["coordinating_units"]
            if task[raw].strip() and not names:
                # Nothing placed: what the cell names is listed as not placed, with its row.
                assert task["unknown_units"], (task["code"], task[raw])
                for name in task["unknown_units"]:
                    unplaced = [u for u in data["units"]["unplaced"] if u["name"] == name]
                    assert unplaced and task["row"] in unplaced[0]["rows"]


def test_the_indicators_units_join_the_summary(db, capsys):
    data = dry_run(seed_path("002"), capsys=capsys)
    service = group(data, "Trung tâm Phục vụ hành chính công")
    # "Trung tâm phục vụ hành chính công" is how the indicator table writes it, not the tasks.
    assert "Trung tâm phục vụ hành chính công" in service["spellings"]
    assert service["indicators"] > 0
    citizens_rows = [
        indicator["row"]
        for indicator in data["indicators"]
        if indicator["lead_unit"].startswith("Công dân")
    ]
    assert citizens_rows
    citizens = [u for u in data["units"]["unplaced"] if u["name"] == "Công dân"]
    assert citizens and citizens[0]["rows"] == citizens_rows


@pytest.mark.parametrize(
    ("place", "commune"),
    [
        ("Xã An Bình", True),
        ("Ủy ban nhân dân xã Tân Phú", True),
        ("Thị trấn Cầu Giát", True),
        ("Phường Lê Chân", False),
        # The level word comes first: a ward whose name ends in "Xá" is a ward.
        ("UBND phường Kim Xá", False),
        ("", False),
    ],
)
def test_the_level_is_read_from_the_first_level_word(place, commune):
    assert is_commune(place) is commune
