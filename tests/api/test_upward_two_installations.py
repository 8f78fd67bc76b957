"""Two installations as real processes on 127.0.0.1: the province's (gunicorn) and a ward's own
(its console script: the shell, the worker, ``deliver_upward``), each with its own data folder
and database (SQLite files, or two fresh PostgreSQL databases when the suite runs on
PostgreSQL). The ward sends a periodic report while the province cannot be reached, the delivery
waits with a Vietnamese message, the province comes up and the retry delivers it once; the
province returns it and the ward fetches the answer.

It needs nothing beyond Python and the project's dependencies (gunicorn among them)."""

import json
import os
import urllib.request

import pytest

from tests.liveserver import GUNICORN, Installation, LiveServer, fresh_postgres

PERIOD = "2026-Q3"

# Both installations know the province and the ward by the same codes; the ward's plan exists
# only in the ward's installation (the province files the report under a placeholder plan).
_TREE = """
from theodoi.org.models import Organization, User
from theodoi.core.roles import Role
province = Organization.objects.create(name="Thành phố Hải Phòng", code="HP", kind="province")
ward = Organization.objects.create(
    name="Phường Lê Chân", code="HP-LECHAN", kind="ward", parent=province
)
"""

PROVINCE_SETUP = (
    _TREE
    + """
from theodoi.api.upstream import ward_connection_issue
upper = User.objects.create_user(
    "tinh", password="x-9f3k-Lq", role=Role.UPPER_LEVEL, organization=province
)
token, raw = ward_connection_issue(actor=upper, ward=ward)
result = raw
"""
)

WARD_SETUP = (
    _TREE
    + """
import datetime
from theodoi.plans.models import Plan
User.objects.create_user("vanphong", password="x-9f3k-Lq", role=Role.STANDING_OFFICE, organization=ward)
User.objects.create_user("quantri", password="x-9f3k-Lq", role=Role.ADMIN, organization=ward)
Plan.objects.create(
    organization=ward, number="110/KH-UBND", title="Kế hoạch chuyển đổi số năm 2026",
    issuer="UBND phường Lê Chân", issued_on=datetime.date(2026, 2, 20),
)
result = True
"""
)

LINK = """
from theodoi.api.upstream import upstream_link_set
from theodoi.org.models import Organization, User
upstream_link_set(
    actor=User.objects.get(username="quantri"),
    organization=Organization.objects.get(code="HP-LECHAN"),
    base_url={url!r},
    token={token!r},
)
result = True
"""

SEND = """
import hashlib
from theodoi.org.models import User
from theodoi.plans.models import Plan
from theodoi.plans.periods import parse_period
from theodoi.reporting import upward
office = User.objects.get(username="vanphong")
plan = Plan.objects.get(number="110/KH-UBND")
report = upward.upward_report_prepare(
    actor=office, plan=plan, period=parse_period("{period}", "quarterly")
)
package = b"PK\\x05\\x06" + bytes(18)
payload = {{
    "schema": "theodoi.upward-report/1",
    "ward": {{"code": "HP-LECHAN", "name": "Phường Lê Chân"}},
    "province": {{"code": "HP", "name": "Thành phố Hải Phòng"}},
    "plan": {{"number": plan.number, "title": plan.title, "issued_on": "2026-02-20",
              "upper_plan_number": "49/KH-UBND"}},
    "period": {{"key": "{period}", "label": "Quý III/2026", "start": "2026-07-01",
                "end": "2026-09-30"}},
    "due_on": "2026-10-10", "sent_on": "2026-10-05", "version": report.version + 1,
    "summary": {{"tasks_total": 2, "done": 1, "done_on_time": 1, "overdue": 0,
                 "in_progress": 1, "not_started": 0, "average_progress": 75.0}},
    "sections": [{{"code": "I", "title": "Kết quả", "text": "Đã số hóa 95% hồ sơ."}}],
    "tasks": [], "indicators": [], "evidence": [],
    "package_sha256": hashlib.sha256(package).hexdigest(),
}}
report = upward.upward_report_send(actor=office, report=report, payload=payload, package=package)
result = report.pk
"""

DELIVERY = """
from theodoi.api.models import UpwardDelivery
from theodoi.reporting.models import UpwardReport
report = UpwardReport.objects.get()
result = {
    "report": [report.status, report.version, report.return_reason],
    "deliveries": [
        [d.version, d.status, d.attempts, d.last_error, d.receipt.get("id")]
        for d in UpwardDelivery.objects.order_by("pk")
    ],
}
"""

RECEIVED = """
from theodoi.audit.models import AuditEvent
from theodoi.reporting.models import UpwardReport
result = {
    "reports": [
        [r.pk, r.plan.number, r.plan.status, r.status, r.version, r.source, r.remote_key]
        for r in UpwardReport.objects.all()
    ],
    "receipts": AuditEvent.objects.filter(action="upward_report.receive").count(),
}
"""

RETURN = """
from theodoi.org.models import User
from theodoi.reporting import upward
from theodoi.reporting.models import UpwardReport
upward.upward_report_return(
    actor=User.objects.get(username="tinh"), report=UpwardReport.objects.get(),
    reason="Bổ sung số liệu chỉ tiêu 1.2",
)
result = True
"""

pytestmark = pytest.mark.skipif(
    not GUNICORN.exists(), reason="gunicorn is not installed: pip install -e . (a dependency)"
)


@pytest.fixture
def two_databases():
    """Two fresh PostgreSQL databases when the suite runs on PostgreSQL, else two SQLite files
    (empty URLs: each installation's file in its own data folder)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield "", ""
        return
    with fresh_postgres(url) as province, fresh_postgres(url) as ward:
        yield province, ward


def _installation(tmp_path, name: str, database_url: str) -> Installation:
    data_dir = tmp_path / name
    data_dir.mkdir()
    installation = Installation(data_dir=data_dir, database_url=database_url)
    installation.manage("migrate", "--noinput", "-v", "0")
    return installation


def _get(base_url: str, path: str, token: str) -> dict:
    request = urllib.request.Request(
        base_url + path, headers={"Authorization": f"Bearer {token}", "Accept-Language": "vi"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def test_a_ward_installation_reports_to_the_province_installation(tmp_path, two_databases):
    province_db, ward_db = two_databases
    province = _installation(tmp_path, "province", province_db)
    ward = _installation(tmp_path, "ward", ward_db)
    token = province.query(PROVINCE_SETUP)
    ward.query(WARD_SETUP)

    # The province's server is not up yet (nothing listens on the discard port).
    ward.query(LINK.format(url="http://127.0.0.1:9", token=token))
    report_id = ward.query(SEND.format(period=PERIOD))
    ward.manage("worker", "--once")
    state = ward.query(DELIVERY)
    [[version, status, attempts, error, receipt]] = state["deliveries"]
    assert (version, status, attempts, receipt) == (1, "pending", 1, None)
    assert "Không kết nối được với hệ thống của tỉnh" in error
    assert state["report"][:2] == ["sent", 1]

    with LiveServer(province, workers=1, threads=2) as server:
        ward.query(LINK.format(url=server.url, token=token))
        output = ward.manage("deliver_upward", "--all")
        assert "delivered 1" in output, output
        [[_, status, attempts, error, receipt]] = ward.query(DELIVERY)["deliveries"]
        assert (status, attempts, error) == ("delivered", 2, "")

        # The province holds it, under a placeholder of the ward's plan, and its API shows it.
        received = province.query(RECEIVED)
        [[remote_id, number, plan_status, status, version, source, key]] = received["reports"]
        assert (remote_id, number, plan_status, status, version, source) == (
            receipt,
            "110/KH-UBND",
            "closed",
            "sent",
            1,
            "remote",
        )
        assert key == f"HP-LECHAN:{report_id}:1" and received["receipts"] == 1
        [item] = _get(server.url, f"/api/v1/upward-reports?period={PERIOD}", token)["items"]
        assert item["payload"]["summary"]["average_progress"] == 75.0
        assert item["payload"]["schema"] == "theodoi.upward-report/1"

        # The same version delivered again (a lost answer, say): still one report, one receipt.
        ward.query(
            "from theodoi.api.models import UpwardDelivery\n"
            "result = UpwardDelivery.objects.update(status='pending')"
        )
        assert "delivered 1" in ward.manage("deliver_upward", "--all")
        again = province.query(RECEIVED)
        assert again["receipts"] == 1 and len(again["reports"]) == 1
        assert again["reports"][0][4] == 1

        # The province returns it; the ward fetches the answer.
        province.query(RETURN)
        output = ward.manage("deliver_upward")
        assert "returned 1" in output, output
        assert ward.query(DELIVERY)["report"] == ["returned", 1, "Bổ sung số liệu chỉ tiêu 1.2"]
        detail = _get(server.url, f"/api/v1/upward-reports/{receipt}", token)
        assert (detail["status"], detail["version"]) == ("returned", 1)
        assert detail["answered_at"]
