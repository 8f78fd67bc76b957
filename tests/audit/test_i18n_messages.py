"""The audit anchor's and the chain check's messages follow the interface language, while the
keying record's summary, stored in the trail, stays in the site's language (issue 13)."""

import pytest
from django.utils import translation

from theodoi.audit.anchor import AnchorError, parse_anchor
from theodoi.audit.models import AuditEvent
from theodoi.audit.verify import verify_chain
from theodoi.reporting.services import report_submit


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "The audit anchor «abc» is not written NUMBER:CODE"),
        ("vi", "Mốc nhật ký «abc» không đúng dạng SỐ:MÃ"),
    ],
)
def test_a_malformed_anchor_is_refused_in_the_interface_language(language, expected):
    with translation.override(language), pytest.raises(AnchorError) as caught:
        parse_anchor("abc")
    assert str(caught.value).startswith(expected)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Audit record #%(pk)s "),
        ("vi", "Bản ghi nhật ký #%(pk)s "),
    ],
)
def test_a_tampered_record_is_reported_in_the_interface_language(world, language, expected):
    report_submit(actor=world.people.officer, task=world.task_vhxh, period="2026-Q4", percent=5)
    event = AuditEvent.objects.order_by("id").last()
    AuditEvent.objects.filter(pk=event.pk).update(summary="sửa lén")
    with translation.override(language):
        report = verify_chain()
    assert not report.ok
    assert report.message.startswith(expected % {"pk": event.pk})
    assert ("has been altered" if language == "en" else "đã bị sửa") in report.message
