"""The ward administration pages: the ward admin's own ward only, forms that keep what was
typed, a set-password link for each new person, and the Excel import that saves nothing until
confirmed."""

import io

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from theodoi.audit.models import AuditEvent
from theodoi.org.models import Role, Unit, User


@pytest.fixture
def admin_client(world, client):
    client.force_login(world.people.ward_admin)
    return client


def _workbook(units, people) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = "Đơn vị"
    for row in [["Tên", "Viết tắt", "Tên khác"], *units]:
        sheet.append(row)
    sheet = book.create_sheet("Người dùng")
    for row in [["Họ tên", "Tên đăng nhập", "Đơn vị", "Vai trò", "E-mail", "Điện thoại"], *people]:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "nguoi-dung.xlsx"
    return data


def test_the_menu_offers_the_ward_administration_to_admins_only(world, client):
    client.force_login(world.people.ward_admin)
    assert reverse("ward_admin") in client.get(reverse("plan_list")).content.decode()
    client.force_login(world.people.office)
    assert reverse("ward_admin") not in client.get(reverse("plan_list")).content.decode()


def test_the_ward_admin_lands_on_their_ward_and_sees_its_people_only(world, admin_client):
    response = admin_client.get(reverse("ward_admin"), follow=True)

    body = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("ward_users", args=[world.ward_a.pk])
    assert "olga" in body and "charlie" not in body
    other = admin_client.get(reverse("ward_users", args=[world.ward_b.pk]))
    assert other.status_code == 404


def test_the_units_page_lists_units_with_aliases_and_counts(world, admin_client):
    world.vhxh.aliases.create(alias="VH-XH")

    body = admin_client.get(reverse("ward_units", args=[world.ward_a.pk])).content.decode()

    assert "Phòng Văn hóa - Xã hội" in body and "VH-XH" in body
    assert "Dùng danh sách đơn vị chuẩn" in body


def test_a_new_person_gets_a_set_password_link_shown_and_emailed(
    world, admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("ward_user_create", args=[world.ward_a.pk]),
            {
                "full_name": "Nguyễn Thị Mai",
                "username": "mai.nt",
                "unit": str(world.police.pk),
                "role": Role.UNIT_OFFICER,
                "email": "mai@example.vn",
                "phone": "0912345678",
            },
        )

    person = User.objects.get(username="mai.nt")
    body = response.content.decode()
    assert person.get_full_name() == "Nguyễn Thị Mai" and person.unit == world.police
    assert "/reset/" in body and not person.has_usable_password()
    assert len(mail.outbox) == 1 and "/reset/" in mail.outbox[0].body
    actions = set(
        AuditEvent.objects.filter(object_id=str(person.pk)).values_list("action", flat=True)
    )
    assert {"user.create", "user.password_reset.link", "user.password_link.email"} <= actions
    # The link works: the person chooses a password with it.
    link = next(word for word in body.split('"') if "/reset/" in word)
    path = link[link.index("/reset/") :]
    chosen = admin_client.get(path, follow=True)
    assert chosen.status_code == 200 and "new_password1" in chosen.content.decode()


def test_a_refused_form_keeps_what_was_typed(world, admin_client):
    response = admin_client.post(
        reverse("ward_user_create", args=[world.ward_a.pk]),
        {"full_name": "Trần Văn Hùng", "username": "alice", "role": Role.UNIT_OFFICER,
         "unit": str(world.vhxh.pk), "email": "hung@example.vn", "phone": "0988 111 222"},
    )  # fmt: skip

    body = response.content.decode()
    assert response.status_code == 200
    assert "Trần Văn Hùng" in body and "hung@example.vn" in body and "0988 111 222" in body
    assert "đã có người dùng" in body
    assert not User.objects.filter(first_name="Trần Văn").exists()


def test_a_posted_role_above_a_ward_role_is_refused(world, admin_client):
    response = admin_client.post(
        reverse("ward_user_create", args=[world.ward_a.pk]),
        {"full_name": "Cấp Trên", "username": "captren", "role": Role.UPPER_LEVEL},
    )

    assert response.status_code == 200 and "captren" in response.content.decode()
    assert not User.objects.filter(username="captren").exists()


def test_pages_of_another_ward_are_not_found_and_a_unit_officer_is_refused(world, client):
    client.force_login(world.people.ward_admin)
    assert (
        client.get(reverse("ward_user_edit", args=[world.people.other_ward.pk])).status_code == 404
    )
    assert (
        client.post(
            reverse("ward_unit_remove", args=[world.unit_b.pk]), {"action": "delete"}
        ).status_code
        == 404
    )
    client.force_login(world.people.officer)
    assert client.get(reverse("ward_units", args=[world.ward_a.pk])).status_code == 403
    assert Unit.objects.filter(pk=world.unit_b.pk).exists()


def test_deactivating_a_person_asks_first_then_audits(world, admin_client):
    url = reverse("ward_user_status", args=[world.people.officer.pk])
    assert "Đồng ý ngừng tài khoản" in admin_client.get(url).content.decode()
    assert User.objects.get(pk=world.people.officer.pk).is_active, "a GET changes nothing"

    admin_client.post(url, {"action": "deactivate"})

    assert not User.objects.get(pk=world.people.officer.pk).is_active
    assert AuditEvent.objects.filter(action="user.deactivate").count() == 1


def test_the_template_downloads_and_opens_with_openpyxl(world, admin_client):
    response = admin_client.get(reverse("ward_import_template", args=[world.ward_a.pk]))

    book = load_workbook(io.BytesIO(response.content))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert book.sheetnames == ["Đơn vị", "Người dùng"]
    assert book["Người dùng"]["A1"].value == "Họ và tên"


def test_the_preview_saves_nothing_and_shows_row_errors(world, admin_client):
    users_before, units_before = User.objects.count(), Unit.objects.count()
    response = admin_client.post(
        reverse("ward_import", args=[world.ward_a.pk]),
        {"file": _workbook(
            [["Phòng Kinh tế", "KT", "Phòng KT"]],
            [["Nguyễn Văn An", "an.nv", "Phòng KT", "Cán bộ đơn vị", "", ""],
             ["Lê Thị Bảy", "bay", "Phòng Tài chính", "Cán bộ đơn vị", "", ""]],
        )},
    )  # fmt: skip

    body = response.content.decode()
    assert "Dòng 3: đơn vị «Phòng Tài chính» không có trong danh sách" in body
    assert 'name="token"' not in body, "no confirm button while the file has errors"
    assert (User.objects.count(), Unit.objects.count()) == (users_before, units_before)


def test_a_clean_preview_saves_only_when_confirmed_in_one_go(world, admin_client):
    upload = _workbook(
        [["Phòng Kinh tế", "KT", "Phòng KT"]],
        [["Nguyễn Văn An", "an.nv", "Phòng KT", "Thủ trưởng đơn vị", "an@example.vn", "912345678"],
         ["Lê Thị Bảy", "bay", "VH-XH", "", "", ""]],
    )  # fmt: skip
    world.vhxh.aliases.create(alias="VH-XH")
    preview = admin_client.post(reverse("ward_import", args=[world.ward_a.pk]), {"file": upload})
    body = preview.content.decode()
    assert "Nguyễn Văn An" in body and 'name="token"' in body
    assert not User.objects.filter(username="an.nv").exists()
    token = preview.context["token"]

    saved = admin_client.post(
        reverse("ward_import_confirm", args=[world.ward_a.pk]), {"token": token}
    )

    an = User.objects.get(username="an.nv")
    assert (
        an.unit.name == "Phòng Kinh tế" and an.role == Role.UNIT_HEAD and an.phone == "0912345678"
    )
    assert User.objects.get(username="bay").unit == world.vhxh
    assert saved.content.decode().count("/reset/") == 2
    assert AuditEvent.objects.filter(action="ward.import").count() == 1
    again = admin_client.post(
        reverse("ward_import_confirm", args=[world.ward_a.pk]), {"token": token}
    )
    assert again.status_code == 302 and User.objects.filter(username="bay").count() == 1


def test_a_bad_file_is_refused_with_a_message_and_no_500(world, admin_client):
    bad = io.BytesIO(b"PK not really")
    bad.name = "x.xlsx"
    response = admin_client.post(reverse("ward_import", args=[world.ward_a.pk]), {"file": bad})

    assert response.status_code == 200 and "Excel" in response.content.decode()


def test_the_standard_list_previews_then_adds_the_ticked_units_without_duplicates(
    world, admin_client
):
    url = reverse("ward_standard_units", args=[world.ward_a.pk])
    page = admin_client.get(url)
    rows = page.context["rows"]
    names = [row["name"] for row in rows]
    assert "Phòng Kinh tế, Hạ tầng và Đô thị" in names, "a ward's economy office has its ward name"
    vhxh = next(row for row in rows if row["short_name"] == "VHXH")
    police = next(row for row in rows if row["short_name"] == "CA")
    assert vhxh["existing"] == "Phòng Văn hóa - Xã hội" and police["existing"] == "Công an phường"
    assert Unit.objects.filter(organization=world.ward_a).count() == 2, "the preview saves nothing"

    chosen = [str(row["index"]) for row in rows if not row["existing"]][:2]
    edited = [row["name"] for row in rows]
    edited[int(chosen[0])] = "Văn phòng HĐND và UBND phường"
    admin_client.post(
        url,
        {
            "chosen": chosen + [str(vhxh["index"])],
            "name": edited,
            "short_name": [row["short_name"] for row in rows],
            "aliases": [row["aliases"] for row in rows],
        },
    )

    made = set(Unit.objects.filter(organization=world.ward_a).values_list("name", flat=True))
    assert made == {
        "Phòng Văn hóa - Xã hội",
        "Công an phường",
        "Văn phòng HĐND và UBND phường",
        "Phòng Kinh tế, Hạ tầng và Đô thị",
    }
    economy = Unit.objects.get(name="Phòng Kinh tế, Hạ tầng và Đô thị")
    assert "KTHTĐT" in set(economy.aliases.values_list("alias", flat=True))
