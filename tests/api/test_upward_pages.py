"""The pages that connect two installations: the province's connection codes for its wards, and
a ward admin's link to the province's installation."""

import re

from theodoi.api import upstream
from theodoi.api.models import ApiToken, UpstreamLink, UpwardDelivery, token_hash
from theodoi.audit.actions import AuditAction
from theodoi.audit.models import AuditEvent
from theodoi.reporting.models import UpwardReport


def test_the_province_issues_a_code_shown_once_and_revokes_it(client, world):
    client.force_login(world.people.upper)
    page = client.get("/account/ward-connections/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Cấp mã kết nối cho xã, phường" in text
    assert world.ward_a.name in text and world.ward_b.name in text
    issued = client.post("/account/ward-connections/", {"ward": world.ward_a.pk})
    field = re.search(r"<input [^>]*data-testid=\"issued-code\"[^>]*>", issued.content.decode())
    raw = re.search(r'value="([^"]+)"', field.group(0)).group(1)
    token = ApiToken.objects.get(user__ward_connection__ward=world.ward_a)
    assert token_hash(raw) == token.key_hash
    # Shown once: the list afterwards names only the code's first characters.
    listed = client.get("/account/ward-connections/").content.decode()
    assert f"{token.prefix}…" in listed and 'data-testid="issued-code"' not in listed
    answer = client.post(
        "/account/ward-connections/", {"ward": world.ward_a.pk, "token": token.pk}, follow=True
    )
    assert "Đã thu hồi mã kết nối" in answer.content.decode()
    token.refresh_from_db()
    assert token.revoked
    assert AuditEvent.objects.filter(action=AuditAction.API_TOKEN_REVOKE).count() == 1


def test_a_ward_of_another_province_cannot_be_picked(client, world):
    client.force_login(world.people.other_upper)
    assert client.get("/account/ward-connections/").status_code == 403
    client.force_login(world.people.upper)
    answer = client.post("/account/ward-connections/", {"ward": 10**9}, follow=True)
    assert "Hãy chọn một xã, phường trong danh sách." in answer.content.decode()
    assert not ApiToken.objects.exists()


def test_the_ward_admin_sets_the_link_and_sees_the_deliveries(client, world):
    client.force_login(world.people.ward_admin)
    assert "Kết nối với hệ thống của tỉnh" in client.get("/account/tokens/").content.decode()
    bad = client.post("/account/upstream/", {"base_url": "tinh.vn", "token": "abc"})
    assert "Hãy nhập địa chỉ hệ thống của tỉnh" in bad.content.decode()
    answer = client.post(
        "/account/upstream/",
        {"base_url": "https://tinh.example.vn", "token": "ma-ket-noi-123"},
        follow=True,
    )
    assert "Đã lưu kết nối với hệ thống của tỉnh." in answer.content.decode()
    link = UpstreamLink.objects.get(organization=world.ward_a)
    assert (link.base_url, link.token) == ("https://tinh.example.vn", "ma-ket-noi-123")
    # A new address keeps the code when the field is left empty; the page never shows it whole.
    client.post("/account/upstream/", {"base_url": "https://moi.example.vn", "token": ""})
    link.refresh_from_db()
    assert (link.base_url, link.token) == ("https://moi.example.vn", "ma-ket-noi-123")
    report = UpwardReport.objects.create(
        organization=world.ward_a,
        plan=world.plan_a,
        period="2026-Q3",
        due_on="2026-10-10",
        version=1,
        status="sent",
    )
    UpwardDelivery.objects.create(
        report=report,
        version=1,
        status="delivered",
        attempts=1,
        receipt={"id": 77},
        delivered_at="2026-10-05T08:30:00+07:00",
    )
    page = client.get("/account/upstream/").content.decode()
    assert "ma-ket-noi-123" not in page
    assert "Đã chuyển lên hệ thống của tỉnh lúc 08:30 05/10/2026 (mã nhận 77)" in page
    assert upstream.delivery_of(report).receipt == {"id": 77}


def test_only_the_ward_admin_opens_the_link_page(client, world):
    for person in (world.people.office, world.people.upper):
        client.force_login(person)
        assert client.get("/account/upstream/").status_code == 403
