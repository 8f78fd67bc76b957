"""The periodic report received over the API from a ward's own installation, and delivered to a
province's installation: schema, idempotency, accepted-is-final, the ward's token, retries."""

import hashlib
import http.server
import json
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.api.helpers import BASE
from theodoi.api import upstream
from theodoi.api.models import UpwardDelivery
from theodoi.audit.actions import AuditAction
from theodoi.audit.models import AuditEvent
from theodoi.core import storage
from theodoi.plans.models import Plan
from theodoi.plans.periods import parse_period
from theodoi.reporting import upward
from theodoi.reporting.models import UpwardReport

PACKAGE = b"PK\x05\x06" + b"\x00" * 18  # an empty zip


def payload_for(ward, province, plan, *, version=1, package=PACKAGE, period="2026-Q3"):
    return {
        "schema": "theodoi.upward-report/1",
        "ward": {"code": ward.code, "name": ward.name},
        "province": {"code": province.code, "name": province.name},
        "plan": {
            "number": plan.number if plan else "77/KH-UBND",
            "title": plan.title if plan else "Kế hoạch chuyển đổi số của phường",
            "issued_on": "2026-01-15",
            "upper_plan_number": "49/KH-UBND",
        },
        "period": {
            "key": period,
            "label": "Quý III/2026",
            "start": "2026-07-01",
            "end": "2026-09-30",
        },
        "due_on": "2026-10-10",
        "sent_on": "2026-10-05",
        "version": version,
        "summary": {
            "tasks_total": 3,
            "done": 1,
            "done_on_time": 1,
            "overdue": 1,
            "in_progress": 1,
            "not_started": 0,
            "average_progress": 56.7,
        },
        "sections": [{"code": "I", "title": "Kết quả", "text": "Đã triển khai chữ ký số."}],
        "tasks": [
            {
                "code": "1",
                "title": "Triển khai chữ ký số cho cán bộ",
                "upper_task_code": "1.2",
                "lead_unit": "Phòng Văn hóa - Xã hội",
                "state": "done",
                "progress": 100,
                "due_date": "2026-09-30",
                "result": "Xong",
                "difficulties": None,
                "proposals": None,
            }
        ],
        "indicators": [
            {
                "code": "CT1",
                "name": "Tỷ lệ hồ sơ trực tuyến",
                "unit": "%",
                "target": 80,
                "milestone": 60,
                "value": 65.5,
                "period": period,
                "catalogue_code": None,
            }
        ],
        "evidence": [],
        "package_sha256": hashlib.sha256(package).hexdigest(),
    }


def post_report(client, payload, *, key="W:1:1", package=PACKAGE):
    fields = {"payload": json.dumps(payload, ensure_ascii=False)}
    if package is not None:
        fields["package"] = SimpleUploadedFile("bao-cao.zip", package, "application/zip")
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(f"{BASE}/upward-reports", fields, headers=headers)


def ward_client(actor, ward) -> Client:
    _, raw = upstream.ward_connection_issue(actor=actor, ward=ward)
    return Client(headers={"authorization": f"Bearer {raw}"})


@pytest.fixture
def connected(world):
    return ward_client(world.people.upper, world.ward_a)


def receipts():
    return AuditEvent.objects.filter(action=AuditAction.UPWARD_REPORT_RECEIVE).count()


def test_the_schema_is_in_the_openapi_document(client):
    document = client.get(f"{BASE}/openapi.json").json()
    payload = document["components"]["schemas"]["UpwardReportPayload"]
    assert payload["properties"]["schema"]["const"] == "theodoi.upward-report/1"
    assert {"summary", "tasks", "indicators", "evidence", "package_sha256"} <= set(
        payload["required"]
    ) | set(payload["properties"])
    post = document["paths"][f"{BASE}/upward-reports"]["post"]
    assert "multipart/form-data" in post["requestBody"]["content"]
    assert {"409", "422", "403"} <= set(post["responses"])


def test_a_report_is_received_once_per_key(world, connected):
    payload = payload_for(world.ward_a, world.province, world.plan_a)
    answer = post_report(connected, payload)
    assert answer.status_code == 201, answer.json()
    receipt = answer.json()
    report = UpwardReport.objects.get(pk=receipt["id"])
    assert (report.plan, report.period, report.status) == (world.plan_a, "2026-Q3", "sent")
    assert (report.source, report.remote_key, report.version) == ("remote", "W:1:1", 1)
    assert report.payload["summary"]["average_progress"] == 56.7
    assert storage.read(report.package.name) == PACKAGE
    assert receipts() == 1

    again = post_report(connected, payload)
    assert again.status_code == 200
    assert again.json() == receipt
    report.refresh_from_db()
    assert report.version == 1 and receipts() == 1
    assert UpwardReport.objects.count() == 1


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda p: p.pop("summary"), "trường «summary» bị thiếu"),
        (lambda p: p.update(schema="theodoi.upward-report/2"), "«schema»"),
        (lambda p: p["period"].update(key="2026-Q5"), "«period.key»"),
        (lambda p: p["summary"].update(done="nhiều"), "«summary.done» phải là số nguyên"),
        (lambda p: p.update(package_sha256="0" * 64), "SHA-256"),
    ],
)
def test_a_report_that_cannot_be_read_is_refused_with_422(world, connected, change, words):
    payload = payload_for(world.ward_a, world.province, world.plan_a)
    change(payload)
    answer = post_report(connected, payload)
    assert answer.status_code == 422
    assert words in answer.json()["detail"], answer.json()
    assert not UpwardReport.objects.exists()


def test_a_missing_key_package_or_json_is_422(world, connected):
    payload = payload_for(world.ward_a, world.province, world.plan_a)
    assert "Idempotency-Key" in post_report(connected, payload, key="").json()["detail"]
    assert post_report(connected, payload, package=None).status_code == 422
    answer = connected.post(
        f"{BASE}/upward-reports",
        {"payload": "{không phải JSON", "package": SimpleUploadedFile("a.zip", PACKAGE)},
        headers={"Idempotency-Key": "k"},
    )
    assert answer.status_code == 422 and "Dữ liệu không hợp lệ" in answer.json()["detail"]


def test_an_accepted_report_is_final(world, connected):
    payload = payload_for(world.ward_a, world.province, world.plan_a)
    report = UpwardReport.objects.get(pk=post_report(connected, payload).json()["id"])
    # Awaiting the answer: a second sending under another key is refused too.
    assert post_report(connected, payload, key="W:1:2").status_code == 409
    upward.upward_report_accept(actor=world.people.upper, report=report)
    answer = post_report(
        connected, payload_for(world.ward_a, world.province, world.plan_a, version=2), key="W:1:2"
    )
    assert answer.status_code == 409
    assert "đã được tỉnh chấp nhận" in answer.json()["detail"]
    report.refresh_from_db()
    assert (report.status, report.version) == ("accepted", 1)


def test_a_returned_report_takes_a_new_version(world, connected):
    payload = payload_for(world.ward_a, world.province, world.plan_a)
    report = UpwardReport.objects.get(pk=post_report(connected, payload).json()["id"])
    upward.upward_report_return(actor=world.people.upper, report=report, reason="Thiếu số liệu")
    seen = connected.get(f"{BASE}/upward-reports/{report.pk}").json()
    assert (seen["status"], seen["return_reason"], seen["version"]) == (
        "returned",
        "Thiếu số liệu",
        1,
    )
    assert seen["answered_at"] and seen["payload"]["schema"] == "theodoi.upward-report/1"
    second = payload_for(world.ward_a, world.province, world.plan_a, version=2)
    answer = post_report(connected, second, key="W:1:2")
    assert answer.status_code == 201
    assert (answer.json()["status"], answer.json()["version"], answer.json()["id"]) == (
        "sent",
        2,
        report.pk,
    )


def test_a_plan_not_kept_here_gets_a_closed_placeholder(world, connected):
    payload = payload_for(world.ward_a, world.province, None)
    report = UpwardReport.objects.get(pk=post_report(connected, payload).json()["id"])
    plan = report.plan
    assert (plan.organization, plan.number, plan.status) == (
        world.ward_a,
        "77/KH-UBND",
        Plan.Status.CLOSED,
    )
    assert plan.parent_references == "kế hoạch của xã, phường (nhận qua API)"
    # The next period's report finds the same plan.
    post_report(
        connected, payload_for(world.ward_a, world.province, None, period="2026-Q4"), key="k2"
    )
    assert Plan.objects.filter(number="77/KH-UBND").count() == 1


def test_the_token_of_another_ward_is_refused(world):
    other = ward_client(world.people.upper, world.ward_b)
    answer = post_report(other, payload_for(world.ward_a, world.province, world.plan_a))
    assert answer.status_code == 403
    assert not UpwardReport.objects.exists()


def test_a_revoked_token_is_refused(world):
    token, raw = upstream.ward_connection_issue(actor=world.people.upper, ward=world.ward_a)
    upstream.ward_connection_revoke(actor=world.people.upper, ward=world.ward_a, token_id=token.pk)
    client = Client(headers={"authorization": f"Bearer {raw}"})
    answer = post_report(client, payload_for(world.ward_a, world.province, world.plan_a))
    assert answer.status_code == 401
    assert not UpwardReport.objects.exists()
    assert not upstream.ward_connection_tokens(world.ward_a).exists()


def test_only_the_province_above_connects_a_ward(world):
    for person in (world.people.office, world.people.other_upper, world.people.ward_admin):
        with pytest.raises(PermissionDenied):
            upstream.ward_connection_issue(actor=person, ward=world.ward_a)
    upstream.ward_connection_issue(actor=world.people.upper, ward=world.ward_a)
    upstream.ward_connection_issue(actor=world.people.upper, ward=world.ward_a)
    # One account for the ward, two codes; both issues audited.
    assert upstream.ward_connection_tokens(world.ward_a).count() == 2
    assert world.ward_a.api_connection.account.role == "standing_office"
    assert AuditEvent.objects.filter(action=AuditAction.API_TOKEN_ISSUE).count() == 2


def test_reading_reports_by_period_is_scoped(world, connected):
    post_report(connected, payload_for(world.ward_a, world.province, world.plan_a))
    tinh = ward_client(world.people.upper, world.ward_b)  # ward B's account sees nothing of A
    assert tinh.get(f"{BASE}/upward-reports?period=2026-Q3").json()["items"] == []
    mine = connected.get(f"{BASE}/upward-reports?period=2026-Q3").json()["items"]
    assert [r["plan_number"] for r in mine] == [world.plan_a.number]
    assert connected.get(f"{BASE}/upward-reports?period=2026-Q2").json()["items"] == []


# --- The ward's side: delivering to the province's installation ---------------------------------


class FlakyProvince(http.server.ThreadingHTTPServer):
    """A province's installation that answers 503 ``failures`` times, then 201 with a receipt."""

    def __init__(self, failures: int, final_status: int = 201):
        self.failures, self.final_status = failures, final_status
        self.requests: list[dict] = []
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        server = self.server
        server.requests.append(
            {
                "key": self.headers.get("Idempotency-Key"),
                "auth": self.headers.get("Authorization"),
                "body": body,
            }
        )
        if len(server.requests) <= server.failures:
            status, data = 503, {"detail": "bận"}
        elif server.final_status != 201:
            status, data = server.final_status, {"detail": "Mã kết nối không đúng phường."}
        else:
            status, data = 201, {"id": 41, "status": "sent", "version": 1}
        raw = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args):
        pass


@pytest.fixture
def province_server():
    servers = []

    def start(failures: int, final_status: int = 201) -> FlakyProvince:
        server = FlakyProvince(failures, final_status)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def send_report(world, captured):
    report = upward.upward_report_prepare(
        actor=world.people.office, plan=world.plan_a, period=parse_period("2026-Q3", "quarterly")
    )
    with captured(execute=True):
        report = upward.upward_report_send(
            actor=world.people.office,
            report=report,
            payload=payload_for(world.ward_a, world.province, world.plan_a),
            package=PACKAGE,
        )
    return report


def test_a_delivery_is_retried_after_server_errors(
    world, province_server, django_capture_on_commit_callbacks
):
    server = province_server(failures=2)
    upstream.upstream_link_set(
        actor=world.people.ward_admin,
        organization=world.ward_a,
        base_url=server.url,
        token="abc123",
    )
    report = send_report(world, django_capture_on_commit_callbacks)
    delivery = UpwardDelivery.objects.get(report=report)
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert "báo lỗi (503)" in delivery.last_error and delivery.next_try_at is not None
    # Not due yet: the backoff waits.
    assert upstream.deliver_due() == {}
    upstream.deliver_due(everything=True)
    upstream.deliver_due(everything=True)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.receipt["id"]) == ("delivered", 3, 41)
    assert {r["key"] for r in server.requests} == {f"{world.ward_a.code}:{report.pk}:1"}
    assert {r["auth"] for r in server.requests} == {"Bearer abc123"}
    assert PACKAGE in server.requests[0]["body"]
    assert upstream.delivery_of(report) == delivery
    # Delivered: nothing more is sent.
    upstream.deliver_due(everything=True)
    assert len(server.requests) == 3


def test_a_refusal_is_not_retried(world, province_server, django_capture_on_commit_callbacks):
    server = province_server(failures=0, final_status=403)
    upstream.upstream_link_set(
        actor=world.people.ward_admin, organization=world.ward_a, base_url=server.url, token="abc"
    )
    report = send_report(world, django_capture_on_commit_callbacks)
    delivery = UpwardDelivery.objects.get(report=report)
    assert delivery.status == "failed" and delivery.next_try_at is None
    assert "Mã kết nối không đúng phường." in delivery.last_error
    upstream.deliver_due()
    assert len(server.requests) == 1


def test_an_unreachable_province_leaves_the_delivery_pending(
    world, django_capture_on_commit_callbacks
):
    upstream.upstream_link_set(
        actor=world.people.ward_admin,
        organization=world.ward_a,
        base_url="http://127.0.0.1:9",
        token="abc",
    )
    report = send_report(world, django_capture_on_commit_callbacks)
    delivery = UpwardDelivery.objects.get(report=report)
    assert delivery.status == "pending"
    assert "Không kết nối được" in delivery.last_error


def test_a_ward_without_a_link_delivers_nothing(world, django_capture_on_commit_callbacks):
    send_report(world, django_capture_on_commit_callbacks)
    assert not UpwardDelivery.objects.exists()


def test_the_link_is_set_by_the_ward_admin_only(world):
    with pytest.raises(PermissionDenied):
        upstream.upstream_link_set(
            actor=world.people.office, organization=world.ward_a, base_url="https://a.vn", token="x"
        )
    with pytest.raises(upstream.UpstreamError):
        upstream.upstream_link_set(
            actor=world.people.ward_admin, organization=world.ward_a, base_url="ftp://a", token="x"
        )
    link = upstream.upstream_link_set(
        actor=world.people.ward_admin,
        organization=world.ward_a,
        base_url="https://tinh.example.vn/",
        token="ma-ket-noi",
    )
    assert (link.base_url, link.token) == ("https://tinh.example.vn", "ma-ket-noi")
    event = AuditEvent.objects.get(action=AuditAction.UPSTREAM_LINK_SET)
    assert "ma-ket-noi" not in event.summary


def test_fields_added_within_version_1_are_kept(world, connected):
    payload = payload_for(world.ward_a, world.province, world.plan_a)
    payload["signed_by"] = {"name": "Nguyễn Văn A"}  # a later, additive field
    report = UpwardReport.objects.get(pk=post_report(connected, payload).json()["id"])
    assert report.payload["signed_by"] == {"name": "Nguyễn Văn A"}


def test_a_link_set_after_the_sending_still_delivers_it(
    world, province_server, django_capture_on_commit_callbacks
):
    report = send_report(world, django_capture_on_commit_callbacks)
    assert not UpwardDelivery.objects.exists()
    server = province_server(failures=0)
    upstream.upstream_link_set(
        actor=world.people.ward_admin, organization=world.ward_a, base_url=server.url, token="t"
    )
    assert upstream.deliver_due() == {"delivered": 1}
    assert upstream.delivery_of(report).status == "delivered"
    assert len(server.requests) == 1


@pytest.mark.parametrize("text", ["\\ud800", "\\u0000"])
def test_text_no_database_stores_is_refused_with_422(world, connected, text):
    payload = json.dumps(payload_for(world.ward_a, world.province, world.plan_a))
    payload = payload.replace("Đã triển khai chữ ký số.", text).replace(
        "\\u0110\\u00e3 tri\\u1ec3n khai ch\\u1eef k\\u00fd s\\u1ed1.", text
    )
    assert text in payload
    answer = connected.post(
        f"{BASE}/upward-reports",
        {"payload": payload, "package": SimpleUploadedFile("a.zip", PACKAGE)},
        headers={"Idempotency-Key": "k"},
    )
    assert answer.status_code == 422
    assert "Dữ liệu không hợp lệ" in answer.json()["detail"]
    assert not UpwardReport.objects.exists()


def test_the_service_checks_the_province_and_the_schema_itself(world):
    upstream.ward_connection_issue(actor=world.people.upper, ward=world.ward_a)
    account = world.ward_a.api_connection.account
    payload = payload_for(world.ward_a, world.other_province, world.plan_a)
    with pytest.raises(upward.ReportingError, match="không phải tỉnh, thành phố quản lý"):
        upward.upward_report_receive(actor=account, payload=payload, package=PACKAGE, key="k")
    payload = payload_for(world.ward_a, world.province, world.plan_a)
    payload["schema"] = "theodoi.upward-report/2"
    with pytest.raises(upward.ReportingError, match="chỉ nhận báo cáo theo lược đồ"):
        upward.upward_report_receive(actor=account, payload=payload, package=PACKAGE, key="k")
    assert not UpwardReport.objects.exists()


def test_a_connection_code_opens_the_periodic_reports_only(world, connected):
    assert connected.get(f"{BASE}/upward-reports").status_code == 200
    assert connected.get(f"{BASE}/plans").status_code == 401
    assert connected.get(f"{BASE}/me").status_code == 401
