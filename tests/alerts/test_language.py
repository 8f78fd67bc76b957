"""The alert command and digest speak through gettext: the command's output follows
the active language; the digest is written in the site's language, whoever runs the scan; the
stored alert message stays in the ward's language on purpose (see ``alerts.rules.Finding``)."""

import datetime
from io import StringIO

from django.core.management import call_command
from django.utils import translation

from theodoi.alerts.models import Alert
from theodoi.alerts.services import digest_message

D = datetime.date


def test_the_command_speaks_the_active_language(world, settings):
    settings.THEODOI_TODAY = "2026-11-24"
    for language, expected in (
        ("en", "No email sent (--no-email)."),
        ("vi", "Không gửi thư (--no-email)."),
    ):
        out = StringIO()
        with translation.override(language):
            call_command("scan_alerts", "--no-email", stdout=out)
        assert expected in out.getvalue()
    with translation.override("en"):
        out = StringIO()
        call_command("scan_alerts", "--no-email", "--full", stdout=out)
    assert "Scanned 3 tasks and 0 indicators in " in out.getvalue()
    assert "Đã" not in out.getvalue()


def test_the_digest_is_in_the_site_language_whatever_the_active_one(world, settings):
    alert = Alert(
        organization=world.ward_a, rule=Alert.Rule.INDICATOR_OFF_TRACK, message="msg", unit=None
    )
    with translation.override("en"):
        subject, body = digest_message(world.people.office, [alert])
    assert subject.startswith("[Theo dõi NQ57] 1 cảnh báo mới")
    assert "Kính gửi " in body and "anh/chị không cần trả lời" in body
    settings.LANGUAGE_CODE = "en"
    with translation.override("vi"):
        subject, body = digest_message(world.people.office, [alert])
    assert subject.startswith("[Resolution 57 tracking] 1 new alert(s)")
    assert "Dear " in body and "Indicator off track" in body
    assert "Kính gửi" not in body and "Chỉ tiêu" not in body
