"""The demo's periodic report reads as a ward would write it: the office of Lê Chân downloads
the Word report from the plan's report page, and it says what the units wrote."""

import io

import docx
import pytest
from django.urls import reverse

from theodoi.demo.services import load_demo
from theodoi.org.models import User
from theodoi.plans.models import Plan


@pytest.fixture
def demo(db):
    load_demo()


def test_the_demo_word_report_says_what_the_units_wrote(client, demo):
    plan = Plan.objects.get(number="110/KH-UBND")
    client.force_login(User.objects.get(username="vanphong"))
    page = client.get(reverse("export_report", args=[plan.pk]))
    assert page.status_code == 200
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data.update({"date": data["date"].isoformat(), "format": "docx"})
    posted = client.post(reverse("export_report", args=[plan.pk]), data)
    assert posted.status_code == 302
    export = client.get(posted["Location"]).context["export"]
    response = client.get(reverse("export_download", args=[export.pk]))
    document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    paragraphs = [p.text for p in document.paragraphs]
    text = "\n".join(paragraphs)
    # The appendix is headed by its title, not the importer's "PL." mark.
    assert "PHỤ LỤC: NHIỆM VỤ TRỌNG TÂM TRONG NĂM 2026" in paragraphs
    assert not any(p.startswith("PL.") for p in paragraphs)
    # The units' own words: results, difficulties and proposals, by unit.
    appendix = paragraphs.index("PHỤ LỤC: NHIỆM VỤ TRỌNG TÂM TRONG NĂM 2026")
    vhxh = next(p for p in paragraphs[appendix:] if p.startswith("Phòng Văn hóa - Xã hội"))
    assert "đã khai thác Cơ sở dữ liệu quốc gia về dân cư tại bộ phận một cửa" in vhxh
    assert "Khó khăn: chưa được cấp đủ tài khoản khai thác cơ sở dữ liệu đất đai" in vhxh
    assert "Đề xuất: đề nghị UBND thành phố cấp bổ sung 6 tài khoản" in vhxh
    police = next(p for p in paragraphs[appendix:] if p.startswith("Công an phường"))
    assert "đã rà soát an ninh mạng tại 12 cơ quan, đơn vị" in police
    assert "(nhiệm vụ 8, đã hoàn thành)" in police
    # A task reported at 100% whose file was rejected is not said to be done.
    assert "(nhiệm vụ 7, báo cáo xong 100%, minh chứng chưa được chấp nhận)" in vhxh
    # The proposals reach part IV too.
    proposals = paragraphs.index("IV. ĐỀ XUẤT, KIẾN NGHỊ")
    assert any("6 tài khoản" in p for p in paragraphs[proposals:])
    assert "0 đúng hạn" not in text and "tiến độ bình quân" not in text
