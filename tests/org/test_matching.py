import pytest

from theodoi.org.matching import match_units, name_segments, unit_key, unknown_names

CATALOGUE = {
    "Phòng Văn hóa - Xã hội": 1,
    "VHXH": 1,
    "Phòng VHXXH": 1,
    "Phòng Kinh tế": 2,
    "Phòng Kinh tế, Hạ tầng và Đô thị": 2,
    "Công an phường": 3,
    "CA phường": 3,
    "Văn phòng HĐND và UBND": 4,
    "Văn phòng HĐND & UBND": 4,
    "Trung tâm Dịch vụ tổng hợp": 5,
}


@pytest.mark.parametrize(
    ("raw", "ids"),
    [
        ("Phòng Văn hóa – Xã hội", [1]),
        ("phong van hoa xa hoi", [1]),
        ("Phòng VHXXH; Các cơ quan, đơn vị", [1]),
        ("Công an phường Lê Chân", [3]),
        ("CA phường", [3]),
        ("Văn phòng HĐND & UBND phường", [4]),
        ("Phòng Kinh tế, Hạ tầng và Đô thị", [2]),
        ("UBND phường (Phòng Văn hóa, Xã hội; Trung tâm Dịch vụ tổng hợp)", [1, 5]),
    ],
)
def test_spellings_of_a_unit_resolve_to_it(raw, ids):
    assert sorted(match_units(raw, CATALOGUE, ward_name="Phường Lê Chân").unit_ids) == ids


def test_all_units_phrase_is_recognised():
    match = match_units("Các cơ quan, đơn vị", CATALOGUE)
    assert match.all_units and match.unit_ids == [] and match.unmatched == []


def test_unknown_unit_is_reported_not_dropped():
    match = match_units("Trạm Y tế; Công an phường", CATALOGUE)
    assert match.unit_ids == [3]
    assert match.unmatched == ["tram y te"]


def test_ward_name_is_ignored():
    assert unit_key("Công an phường Lê Chân", "Phường Lê Chân") == unit_key("Công an")


def test_units_come_in_the_order_the_text_names_them():
    # The longer name matches first, yet the text's order decides: the first named leads.
    raw = "CA phường; Phòng Kinh tế, Hạ tầng và Đô thị; Trung tâm Dịch vụ tổng hợp; VHXH"
    assert match_units(raw, CATALOGUE).unit_ids == [3, 2, 5, 1]
    assert match_units("Trung tâm Dịch vụ tổng hợp, Công an phường", CATALOGUE).unit_ids == [5, 3]


def test_a_part_of_a_matched_name_is_not_an_unknown_unit():
    # "Phòng Văn hóa - Xã hội" is cut at " - " when looking for unknown names; its "Xã hội"
    # ("hội" once the level word goes) must not be taken for the "Hội" of the next name.
    raw = "Trạm Y tế; Phòng Văn hóa - Xã hội; Hội Cựu chiến binh"
    match = match_units(raw, CATALOGUE)
    assert unknown_names(raw, match) == ["Trạm Y tế", "Hội Cựu chiến binh"]


def test_segments_keep_names_with_dashes_and_and_whole():
    raw = "Phòng Văn hóa - Xã hội; Văn phòng HĐND và UBND, Công an phường\nTrạm Y tế"
    assert name_segments(raw) == [
        "Phòng Văn hóa - Xã hội",
        "Văn phòng HĐND và UBND",
        "Công an phường",
        "Trạm Y tế",
    ]


def test_a_lower_case_fragment_is_never_proposed_as_a_unit():
    catalogue = {"Phòng Văn hóa - Xã hội": 1}
    for raw in (
        "Các đoàn thể chính trị - xã hội",
        "Phòng Văn hóa - Xã hội, các sở, ngành liên quan",
        "các chi bộ trực thuộc",
    ):
        names = unknown_names(raw, match_units(raw, catalogue))
        assert not any(name[:1].islower() for name in names), (raw, names)
    raw = "Bưu điện phường; VNPT Đà Nẵng"
    assert unknown_names(raw, match_units(raw, catalogue)) == ["Bưu điện phường", "VNPT Đà Nẵng"]
