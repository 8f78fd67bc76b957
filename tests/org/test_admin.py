"""Django admin: the admin role manages its own ward only, and changes are audited."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.factories import UserFactory
from theodoi.accounts.services import reset_link_issue
from theodoi.audit.models import AuditEvent
from theodoi.core.access import can_manage_user
from theodoi.org.models import Role, Unit, User


def test_ward_admin_sees_only_own_ward_units(client, world):
    world.people.ward_admin.is_staff = True
    world.people.ward_admin.save()
    client.force_login(world.people.ward_admin)
    content = client.get(reverse("admin:org_unit_changelist")).content.decode()
    assert "Công an phường" in content
    assert client.get(reverse("admin:org_unit_change", args=[world.unit_b.pk])).status_code in (
        302,
        404,
    )


def test_ward_admin_change_is_audited(client, world):
    client.force_login(world.people.ward_admin)
    url = reverse("admin:org_unit_change", args=[world.police.pk])
    response = client.post(
        url,
        {
            "organization": world.ward_a.pk,
            "name": "Công an phường An Bình",
            "short_name": "CA",
            "order": 0,
            "is_active": "on",
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
            "aliases-MIN_NUM_FORMS": "0",
            "aliases-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Unit.objects.get(pk=world.police.pk).name == "Công an phường An Bình"
    event = AuditEvent.objects.get(action="unit.update")
    assert event.actor == world.people.ward_admin
    assert event.before["name"] == "Công an phường"


def test_staff_flag_without_admin_role_gives_no_admin(client, world):
    office = world.people.office
    office.is_staff = True
    office.save()
    client.force_login(office)
    assert client.get(reverse("admin:org_unit_changelist")).status_code == 403


def test_ward_admin_cannot_create_a_user_without_an_organisation(client, world):
    client.force_login(world.people.ward_admin)
    response = client.post(
        reverse("admin:org_user_add"),
        {
            "username": "moi",
            "password1": "mat-khau-rat-dai-2026",
            "password2": "mat-khau-rat-dai-2026",
            "role": "admin",
            "organization": "",
            "unit": "",
        },
    )
    assert response.status_code == 200
    assert "Hãy chọn phường, xã" in response.content.decode()
    assert not world.people.ward_admin.__class__.objects.filter(username="moi").exists()


def test_ward_admin_does_not_see_superusers_or_reshape_the_tree(client, world):
    root = world.people.leader
    root.is_superuser = True
    root.save()
    client.force_login(world.people.ward_admin)
    assert client.get(reverse("admin:org_user_change", args=[root.pk])).status_code == 302
    assert client.get(reverse("admin:org_organization_add")).status_code == 403
    assert client.get(reverse("admin:org_organization_changelist")).status_code == 200


def test_ward_admin_manages_unit_aliases(client, world):
    client.force_login(world.people.ward_admin)
    page = client.get(reverse("admin:org_unit_change", args=[world.police.pk]))
    assert "aliases-TOTAL_FORMS" in page.content.decode()


def test_a_ward_admin_meets_no_other_organisation_in_the_filters(client, world):
    client.force_login(world.people.ward_admin)
    for name in ("admin:org_unit_changelist", "admin:org_user_changelist"):
        content = client.get(reverse(name)).content.decode()
        for hidden in (world.ward_b, world.province, world.other_province):
            assert f"organization__id__exact={hidden.pk}" not in content
            assert hidden.name not in content


def test_a_province_admin_filters_by_the_provinces_organisations_only(client, world):
    admin = UserFactory(username="tinh-admin", organization=world.province, role=Role.ADMIN)
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    for name in ("admin:org_unit_changelist", "admin:org_user_changelist"):
        content = client.get(reverse(name)).content.decode()
        for shown in (world.province, world.ward_a, world.ward_b):
            assert f"organization__id__exact={shown.pk}" in content
        assert f"organization__id__exact={world.other_province.pk}" not in content
        assert world.other_province.name not in content


def test_an_installation_admin_filters_by_every_organisation(admin_client, world):
    content = admin_client.get(reverse("admin:org_unit_changelist")).content.decode()
    for organization in (world.ward_a, world.ward_b, world.province, world.other_province):
        assert f"organization__id__exact={organization.pk}" in content


def _reset_link_action(client, *people):
    return client.post(
        reverse("admin:org_user_changelist"),
        {"action": "password_reset_link", "_selected_action": [p.pk for p in people]},
        follow=True,
    )


def test_ward_admin_creates_a_one_time_reset_link_for_own_ward(client, world, settings):
    settings.THEODOI_SITE_URL = "https://theodoi.phuong.gov.vn"
    client.force_login(world.people.ward_admin)
    response = _reset_link_action(client, world.people.officer)
    assert response.status_code == 200
    page = response.content.decode()
    link = re.search(r'value="(https://theodoi\.phuong\.gov\.vn/reset/[^"]+)"', page).group(1)
    assert (
        "Tạo liên kết đặt lại mật khẩu"
        in client.get(reverse("admin:org_user_changelist")).content.decode()
    )
    event = AuditEvent.objects.get(action="user.password_reset.link")
    assert event.actor == world.people.ward_admin
    assert event.object_id == str(world.people.officer.pk)
    assert link not in str(event.summary)
    # A field as wide as the screen (not 100 characters) and a copy button from a static
    # script: the policy allows no inline script.
    assert 'size="100"' not in page and 'data-copy-from="reset-link"' in page
    assert "Sao chép" in page and "theodoi/copy.js" in page and "<script>" not in page

    # The person opens the link and chooses a password; the link then stops working.
    person = Client()
    form = person.get(link.removeprefix("https://theodoi.phuong.gov.vn"), follow=True)
    form_url = form.redirect_chain[-1][0]
    new = "mot-mat-khau-moi-2026"
    done = person.post(form_url, {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert (
        Client().post(reverse("login"), {"username": "alice", "password": new}).status_code == 302
    )
    again = Client().get(link.removeprefix("https://theodoi.phuong.gov.vn"), follow=True)
    assert "Liên kết này không còn dùng được" in again.content.decode()


def test_reset_link_only_for_people_the_admin_manages(client, world):
    admin_user = world.people.ward_admin
    root = User.objects.create_superuser("goc", password="x-very-long-2026")
    assert can_manage_user(admin_user, world.people.officer)
    assert not can_manage_user(admin_user, world.people.other_ward)
    assert not can_manage_user(admin_user, world.people.upper)  # placed above the ward
    assert not can_manage_user(admin_user, root)
    assert not can_manage_user(world.people.office, world.people.officer)  # not an admin
    assert can_manage_user(root, world.people.other_ward)

    client.force_login(admin_user)
    # Another ward's person is not even in the admin's list: the action finds nobody.
    response = _reset_link_action(client, world.people.other_ward)
    assert "/reset/" not in response.content.decode()
    # And the service refuses on its own, whatever list it is called from.
    with pytest.raises(PermissionDenied):
        reset_link_issue(
            actor=admin_user, user=world.people.other_ward, request=RequestFactory().get("/")
        )
    assert not AuditEvent.objects.filter(action="user.password_reset.link").exists()


def test_reset_link_needs_exactly_one_active_person(client, world):
    client.force_login(world.people.ward_admin)
    two = _reset_link_action(client, world.people.officer, world.people.head)
    assert "Hãy chọn đúng một người dùng để tạo liên kết." in two.content.decode()
    world.people.head.is_active = False
    world.people.head.save(update_fields=["is_active"])
    inactive = _reset_link_action(client, world.people.head)
    page = inactive.content.decode()
    assert "đã ngừng hoạt động: hãy kích hoạt lại trước khi tạo liên kết" in page
    assert "/reset/" not in page


def test_a_ward_admin_reads_every_app_and_model_name_in_vietnamese(client, world):
    world.people.ward_admin.is_staff = True
    world.people.ward_admin.save()
    client.force_login(world.people.ward_admin)
    page = client.get(reverse("admin:org_user_changelist")).content.decode()
    # The breadcrumb names the app.
    assert ">Tổ chức</a>" in page and ">Org</a>" not in page


def test_the_sign_in_apps_are_named_in_vietnamese_in_the_admin(admin_client):
    index = admin_client.get(reverse("admin:index")).content.decode()
    assert "Bảo vệ đăng nhập" in index and "Lần đăng nhập sai" in index
    assert "Xác thực hai bước" in index and "Ứng dụng xác thực" in index
    for english in ("Access ", ">Axes<", "Otp_Totp", "TOTP device"):
        assert english not in index


def test_every_app_and_model_of_the_admin_index_reads_in_vietnamese(admin_client):
    """The background queue, Django's own chrome (the skip link, the add links) included."""
    index = admin_client.get(reverse("admin:index")).content.decode()
    assert "Tác vụ nền" in index and "Kết quả tác vụ nền" in index
    assert "Chuyển đến nội dung chính" in index
    for english in ("Tasks Database Backend", "Task Results", "Skip to main content", "Add link"):
        assert english not in index


def test_permissions_are_named_from_the_translated_app_and_model(admin_client):
    """Permission names are stored in English ("Can add task"); the forms show them in words."""
    page = admin_client.get(reverse("admin:auth_group_add")).content.decode()
    assert "Kế hoạch | nhiệm vụ | Được thêm nhiệm vụ" in page
    assert "Can add" not in page and "Can change" not in page


def test_the_authenticator_admin_reads_in_vietnamese(admin_client):
    listing = admin_client.get(reverse("admin:otp_totp_totpdevice_changelist")).content.decode()
    assert "Tìm theo tên đăng nhập hoặc địa chỉ thư điện tử" in listing
    assert "Search by" not in listing
    form = admin_client.get(reverse("admin:otp_totp_totpdevice_add")).content.decode()
    assert "Nhận diện" in form and "Số chữ số của mỗi mã." in form
    for english in (">Identity<", "The number of digits", "Throttling"):
        assert english not in form


def test_the_audit_trail_names_the_kind_of_record_not_its_code(admin_client, world):
    from theodoi.plans import services as plan_services

    plan_services.task_update(
        actor=world.people.office, task=world.task_vhxh, changes={"title": "Chữ ký số"}
    )
    page = admin_client.get(reverse("admin:audit_auditevent_changelist")).content.decode()
    assert ">nhiệm vụ<" in page  # the column and the filter
    assert ">plans.task<" not in page
