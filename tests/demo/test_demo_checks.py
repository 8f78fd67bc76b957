"""The demo's review queue shows each kind of flag the evidence checks raise."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from theodoi.demo import checks as demo_checks
from theodoi.demo.services import load_demo
from theodoi.org.models import User
from theodoi.reporting.models import Evidence


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.THEODOI_TRUSTED_CA_DIR = str(tmp_path / "trusted-ca")
    ward, created = load_demo()
    assert created
    return ward


def test_the_demo_queue_shows_every_kind_of_check(demo, client):
    assert (Path(settings.THEODOI_TRUSTED_CA_DIR) / demo_checks.DEMO_ROOT_FILE).exists()
    signed = Evidence.objects.get(original_name="quyet-dinh-ky-so.pdf")
    [signature] = signed.checks["signatures"]["signatures"]
    assert (signature["integrity"], signature["trust"]) == ("intact", "trusted")
    photo = Evidence.objects.get(original_name="anh-hien-truong.jpg").checks["photo"]
    assert photo["latitude"] == pytest.approx(demo_checks.PHOTO_PLACE[0], abs=1e-4)
    client.force_login(User.objects.get(username="vanphong"))
    page = client.get(reverse("review_queue")).content.decode()
    assert "Trùng với tệp đã bị từ chối ngày" in page
    assert "Chữ ký số hợp lệ — người ký Trần Văn Hùng (UBND phường Lê Chân)" in page
    assert "Số văn bản không đúng thể thức NĐ 30/2020" in page
    assert "Ngày văn bản ngoài kỳ báo cáo" in page
    assert "Ảnh chụp ngày" in page and "(20.85660, 106.68220)" in page
    assert set(demo_checks.FILES) <= {e.original_name for e in Evidence.objects.all()}
