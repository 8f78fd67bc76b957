"""Checking the rows of a ward's workbook: a pure function, no database."""

import io

from openpyxl import load_workbook

from theodoi.org import bulk

HEADER_UNITS = ["Tên đơn vị", "Tên viết tắt", "Tên khác"]
HEADER_PEOPLE = ["Họ và tên", "Tên đăng nhập", "Đơn vị", "Vai trò", "E-mail", "Điện thoại"]
ROLES = {
    "unit_officer": "Cán bộ đơn vị",
    "unit_head": "Thủ trưởng đơn vị",
    "standing_office": "Cơ quan thường trực",
    "leader": "Lãnh đạo",
    "admin": "Quản trị viên",
}
CATALOGUE = {"Phòng Văn hóa - Xã hội": 1, "VHXH": 1, "Công an phường": 2}


def check(units, people, *, taken=(), may_grant=lambda role: True):
    return bulk.check_ward_sheets(
        [HEADER_UNITS, *units],
        [HEADER_PEOPLE, *people],
        catalogue=CATALOGUE,
        unit_names={1: "Phòng Văn hóa - Xã hội", 2: "Công an phường"},
        ward_name="Phường An Bình",
        taken_usernames=set(taken),
        roles=ROLES,
        may_grant=may_grant,
        needs_unit=lambda role: role in ("unit_officer", "unit_head"),
    )


def test_a_clean_sheet_gives_new_units_and_people_matched_to_units():
    result = check(
        [["Phòng Kinh tế, Hạ tầng và Đô thị", "KTHTĐT", "Phòng KT; P.KT"]],
        [
            ["Nguyễn Văn An", "an.nv", "phong van hoa xa hoi", "Cán bộ đơn vị", "", "912345678"],
            ["Trần Thị Bình", "binh.tt", "Phòng KT", "thủ trưởng", "binh@example.vn", ""],
            ["Lê Lan", "lan", "", "Lãnh đạo", "", ""],
        ],
    )

    assert result.errors == [] and result.ok
    assert [u.name for u in result.units] == ["Phòng Kinh tế, Hạ tầng và Đô thị"]
    assert result.units[0].aliases == ["Phòng KT", "P.KT"]
    an, binh, lan = result.people
    assert (an.first_name, an.last_name, an.unit_ref, an.role) == (
        "Nguyễn Văn",
        "An",
        1,
        "unit_officer",
    )
    assert an.phone == "0912345678", "the leading zero Excel dropped is put back"
    assert binh.unit_ref == -1 and binh.unit_label == "Phòng Kinh tế, Hạ tầng và Đô thị"
    assert binh.role == "unit_head"
    assert lan.unit_ref is None and lan.role == "leader"


def test_an_unknown_unit_names_the_line_and_what_to_do():
    result = check([], [["Phạm Văn Cường", "cuong", "Phòng KT", "Cán bộ đơn vị", "", ""]])

    assert not result.ok and result.people == []
    assert result.errors == [
        "Dòng 2: đơn vị «Phòng KT» không có trong danh sách — thêm ở trang Đơn vị (hoặc ở "
        "trang «Đơn vị» của tệp) hoặc sửa tên."
    ]


def test_duplicates_unknown_roles_bad_emails_and_taken_names_are_each_reported():
    result = check(
        [["Phòng Kinh tế", "", ""], ["PHÒNG KINH TẾ", "", ""]],
        [
            ["A Một", "mot", "VHXH", "Thủ kho", "", ""],
            ["B Hai", "hai", "VHXH", "", "hai@@example", ""],
            ["C Ba", "Olga", "VHXH", "", "", ""],
            ["D Bốn", "bon", "VHXH", "", "", ""],
            ["E Năm", "BON", "VHXH", "", "", ""],
        ],
        taken={"olga"},
    )

    text = "\n".join(result.errors)
    assert "Dòng 3: đơn vị «PHÒNG KINH TẾ» đã có ở dòng 2" in text
    assert "Dòng 2: vai trò «Thủ kho» không hợp lệ" in text
    assert "Dòng 3: e-mail «hai@@example» không phải địa chỉ hợp lệ." in text
    assert "Dòng 4: tên đăng nhập «Olga» đã có người dùng" in text
    assert "Dòng 6: tên đăng nhập «BON» trùng với dòng 5." in text
    assert len(result.errors) == 5 and not result.ok


def test_a_role_the_admin_may_not_grant_is_refused():
    result = check(
        [], [["A Một", "mot", "", "Quản trị viên", "", ""]], may_grant=lambda role: role != "admin"
    )

    assert result.errors == ["Dòng 2: bạn không được cấp vai trò «Quản trị viên»."]


def test_unit_roles_need_a_unit_and_example_and_blank_rows_are_skipped():
    result = check(
        [["Ví dụ: Phòng Văn hóa - Xã hội", "VHXH", ""], ["", "", ""]],
        [["Ví dụ: Nguyễn Văn An", "an.nv", "", "", "", ""], ["A Một", "mot", "", "", "", ""]],
    )

    assert result.units == []
    assert result.errors == ["Dòng 3: cán bộ đơn vị hoặc thủ trưởng đơn vị cần có đơn vị (cột C)."]


def test_a_unit_the_ward_has_is_not_made_again_and_its_spellings_match():
    result = check(
        [["PHÒNG VĂN HOÁ – XÃ HỘI", "", "Văn hóa"]],
        [["A Một", "mot", "Văn hóa", "", "", ""]],
    )

    assert result.units == [] and result.existing_units == [
        (2, "PHÒNG VĂN HOÁ – XÃ HỘI", "Phòng Văn hóa - Xã hội")
    ]
    assert result.people[0].unit_ref == 1


def test_the_template_round_trips_through_the_reader():
    data = bulk.ward_template(role_labels=list(ROLES.values()))

    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Đơn vị", "Người dùng"]
    people = book["Người dùng"]
    assert people["D2"].value == "Cán bộ đơn vị"
    assert people.data_validations.dataValidation[0].formula1.startswith('"Cán bộ đơn vị,')
    units, people_rows = bulk.read_ward_workbook(data)
    result = check(units[1:], people_rows[1:])
    assert result.units == [] and result.people == [] and result.errors == []


def test_a_file_that_is_no_workbook_is_refused_with_a_message():
    try:
        bulk.read_ward_workbook(b"not a workbook")
    except bulk.WorkbookError as exc:
        assert "Excel" in str(exc)
    else:
        raise AssertionError("a broken file must be refused")
