"""The periodic report between two installations: a ward that runs its own installation sends
each version of its report to its province's installation over the API.

On the province's side, ``ward_connection_issue`` gives a ward a connection code (an API token
of an account that stands for the ward's installation). On the ward's side, ``upstream_link_set``
records where the province answers and that code; every sending of a report is then delivered
by ``delivery_attempt`` (queued when the report is sent, retried with backoff by the worker and
by ``theodoi deliver_upward``), which also fetches the province's answer later."""

import datetime
import hashlib
import json
import logging
import secrets
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any

import django_tasks
from django.db import transaction
from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from theodoi.api.models import ApiToken, UpstreamLink, UpwardDelivery, WardConnection
from theodoi.audit.actions import AuditAction
from theodoi.audit.services import audit_record
from theodoi.core import background, storage
from theodoi.core.access import SYSTEM, Action, Actor, can, org_scope, require
from theodoi.core.roles import Role
from theodoi.org.models import Organization, User
from theodoi.reporting import upward
from theodoi.reporting.models import UpwardReport
from theodoi.reporting.services import ReportingError

logger = logging.getLogger(__name__)

API_PATH = "/api/v1/upward-reports"
# Backoff between attempts: 1, 2, 4 … minutes, at most six hours; after MAX_ATTEMPTS the
# delivery waits for a person (it is then "failed", and ``deliver_upward --all`` tries again).
FIRST_DELAY = datetime.timedelta(minutes=1)
LONGEST_DELAY = datetime.timedelta(hours=6)
MAX_ATTEMPTS = 12
TIMEOUT_SECONDS = 60


class UpstreamError(ReportingError):
    """A link that cannot work as given (an address that is not http(s), an empty code)."""


# --- The province's side: connection codes for the wards -----------------------------------


def _ward_account(ward: Organization) -> User:
    connection = WardConnection.objects.select_related("account").filter(ward=ward).first()
    if connection is not None:
        return connection.account
    username = f"ketnoi-{ward.code}".lower()[:150]
    if User.objects.filter(username=username).exists():
        username = f"{username[:140]}-{uuid.uuid4().hex[:8]}"
    account = User(
        username=username,
        role=Role.STANDING_OFFICE,
        organization=ward,
        first_name=gettext("Installation of %(ward)s") % {"ward": ward.name},
    )
    # A password nobody knows: the account signs in nowhere, it only holds the tokens. An
    # unusable one would revoke its tokens on its next save.
    account.set_password(secrets.token_urlsafe(48))
    account.save()
    WardConnection.objects.create(ward=ward, account=account)
    return account


@transaction.atomic
def ward_connection_issue(*, actor: Actor, ward: Organization) -> tuple[ApiToken, str]:
    """A new connection code for ``ward``'s own installation: the token and its raw text, shown
    once. The ward's account is made on the first code and reused afterwards."""
    require(actor, Action.CONNECT_WARD, ward)
    account = _ward_account(ward)
    token, raw = ApiToken.create_for(account, gettext("Connection of %(ward)s") % {"ward": ward})
    audit_record(
        actor=actor,
        action=AuditAction.API_TOKEN_ISSUE,
        obj=token,
        organization=ward,
        summary=f"{token.prefix}… {token.name}",
        after={"expires_at": token.expires_at, "account": account.username},
    )
    return token, raw


def ward_connection_tokens(ward: Organization):
    """The ward's connection codes still in force (never their secret)."""
    return ApiToken.objects.filter(
        user__ward_connection__ward=ward, revoked=False, expires_at__gt=timezone.now()
    ).order_by("-created_at", "-id")


@transaction.atomic
def ward_connection_revoke(*, actor: Actor, ward: Organization, token_id: int) -> ApiToken:
    """Revoke one of ``ward``'s connection codes; its installation is refused from now on."""
    require(actor, Action.CONNECT_WARD, ward)
    token = (
        ApiToken.objects.select_for_update(no_key=True)
        .filter(pk=token_id, user__ward_connection__ward=ward, revoked=False)
        .first()
    )
    if token is None:
        raise Http404
    token.revoked = True
    token.save(update_fields=["revoked"])
    audit_record(
        actor=actor,
        action=AuditAction.API_TOKEN_REVOKE,
        obj=token,
        organization=ward,
        summary=f"{token.prefix}… {token.name}",
    )
    return token


# --- The ward's side: the link to the province's installation --------------------------------


def _clean_base_url(text: str) -> str:
    url = (text or "").strip().rstrip("/")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
        raise UpstreamError(
            gettext(
                "Write the address of the province's installation as it opens in a browser, "
                "e.g. https://theodoi.haiphong.gov.vn."
            )
        )
    return url


@transaction.atomic
def upstream_link_set(
    *, actor: Actor, organization: Organization, base_url: str, token: str
) -> UpstreamLink:
    """Where ``organization`` (a ward) sends its periodic reports, and the code the province
    gave it. An empty address removes the link: reports are then sent within this installation
    only."""
    require(actor, Action.MANAGE_ORG, organization)
    if not organization.is_local:
        raise UpstreamError(gettext("Only a ward or commune sends its reports to a province."))
    link = UpstreamLink.objects.select_for_update().filter(organization=organization).first()
    before = {"base_url": link.base_url} if link else None
    if not (base_url or "").strip():
        if link is not None:
            link.delete()
        audit_record(
            actor=actor,
            action=AuditAction.UPSTREAM_LINK_SET,
            obj=organization,
            organization=organization,
            summary=gettext("link removed"),
            before=before,
        )
        return UpstreamLink(organization=organization)
    url = _clean_base_url(base_url)
    code = (token or "").strip()
    if not code and link is not None:
        code = link.token  # the address changes, the code stays
    if not code or len(code) > 200 or any(c.isspace() for c in code):
        raise UpstreamError(
            gettext("Paste the connection code the province gave the ward, without spaces.")
        )
    if link is None:
        link = UpstreamLink(organization=organization)
    link.base_url, link.token = url, code
    link.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPSTREAM_LINK_SET,
        obj=organization,
        organization=organization,
        # Only the code's first characters: the trail is read by more people than the admin.
        summary=f"{url} ({code[:6]}…)",
        before=before,
        after={"base_url": url},
    )
    return link


def upstream_link_of(organization: Organization) -> UpstreamLink | None:
    return UpstreamLink.objects.filter(organization=organization).first()


# --- Delivering a sent report ----------------------------------------------------------------


def _queue(delivery: UpwardDelivery, run_after: datetime.datetime | None = None) -> None:
    task = deliver_upward_report
    if run_after is not None:
        if background.runs_immediately() or not task.get_backend().supports_defer:
            return  # ``theodoi deliver_upward`` (cron) takes it up when it is due
        task = task.using(run_after=run_after)
    background.enqueue(task, delivery_id=delivery.pk)


@transaction.atomic
def delivery_queue(report: UpwardReport, *, queue: bool = True) -> UpwardDelivery | None:
    """Record that this version of ``report`` must reach the province's installation and
    queue its first attempt; nothing when the ward has no link (its province uses this
    installation)."""
    if upstream_link_of(report.organization) is None or report.version < 1:
        return None
    delivery, created = UpwardDelivery.objects.get_or_create(
        report=report, version=report.version, defaults={"next_try_at": timezone.now()}
    )
    if created:
        audit_record(
            actor=SYSTEM,
            action=AuditAction.UPWARD_REPORT_DELIVERY,
            obj=report,
            organization=report.organization,
            summary=gettext("queued for the province's installation (version %(n)s)")
            % {"n": delivery.version},
        )
        if queue:
            _queue(delivery)
    return delivery


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]):
    boundary = f"theodoi-{uuid.uuid4().hex}"
    lines: list[bytes] = []
    for name, value in fields.items():
        lines += [
            f"--{boundary}".encode(),
            f'Content-Disposition: form-data; name="{name}"'.encode(),
            b"Content-Type: application/json; charset=utf-8",
            b"",
            value.encode("utf-8"),
        ]
    for name, (filename, data, content_type) in files.items():
        lines += [
            f"--{boundary}".encode(),
            f'Content-Disposition: form-data; name="{name}"; filename="{filename}"'.encode(),
            f"Content-Type: {content_type}".encode(),
            b"",
            data,
        ]
    lines += [f"--{boundary}--".encode(), b""]
    return b"\r\n".join(lines), f"multipart/form-data; boundary={boundary}"


class _Answer:
    def __init__(self, status: int, body: bytes):
        self.status, self.body = status, body

    def json(self) -> Any:
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None

    def detail(self) -> str:
        data = self.json()
        if isinstance(data, dict) and isinstance(data.get("detail"), str):
            return data["detail"]
        return self.body[:300].decode("utf-8", "replace")


def _request(
    link: UpstreamLink,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> _Answer:
    """An HTTP request to the province's installation; OSError when it cannot be reached."""
    request = urllib.request.Request(
        link.base_url + path,
        data=body,
        method=method,
        headers={
            "Authorization": f"Bearer {link.token}",
            "Accept": "application/json",
            "Accept-Language": "vi",
            **(headers or {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return _Answer(response.status, response.read())
    except urllib.error.HTTPError as error:
        return _Answer(error.code, error.read())


def _delay(attempts: int) -> datetime.timedelta:
    return min(FIRST_DELAY * 2 ** max(attempts - 1, 0), LONGEST_DELAY)


def _send(delivery: UpwardDelivery, link: UpstreamLink) -> tuple[str, str, dict]:
    """One attempt: (outcome "delivered" / "retry" / "refused", the message, the receipt)."""
    report = delivery.report
    if report.version != delivery.version or not report.package:
        return "refused", gettext("A newer version of the report replaced this one."), {}
    package = storage.read(report.package.name)
    if package is None or hashlib.sha256(package).hexdigest() != report.package_sha256:
        return "refused", gettext("The report's package is missing or damaged here."), {}
    body, content_type = _multipart(
        {"payload": json.dumps(report.payload, ensure_ascii=False)},
        {"package": (f"bao-cao-{report.period}.zip", package, "application/zip")},
    )
    try:
        answer = _request(
            link,
            "POST",
            API_PATH,
            body,
            {"Content-Type": content_type, "Idempotency-Key": delivery.key},
        )
    except OSError as exc:
        return (
            "retry",
            gettext(
                "The province's installation could not be reached (%(error)s); it will be "
                "tried again."
            )
            % {"error": getattr(exc, "reason", exc)},
            {},
        )
    if answer.status in (200, 201):
        receipt = answer.json()
        return "delivered", "", receipt if isinstance(receipt, dict) else {}
    if answer.status >= 500 or answer.status == 429:
        return (
            "retry",
            gettext(
                "The province's installation answered with an error (%(status)s); it will be "
                "tried again."
            )
            % {"status": answer.status},
            {},
        )
    if answer.status == 401:
        message = gettext(
            "The province's installation refused the connection code (expired or revoked): ask "
            "the province for a new code and enter it on the connection page."
        )
    else:
        message = gettext("The province's installation refused the report: %(detail)s") % {
            "detail": answer.detail()
        }
    return "refused", message, {}


def delivery_attempt(delivery_id: int) -> UpwardDelivery | None:
    """Try once to deliver; records the outcome and, when the network or the province's server
    failed, when to try again."""
    delivery = (
        UpwardDelivery.objects.select_related("report", "report__organization")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None or delivery.status == UpwardDelivery.Status.DELIVERED:
        return delivery
    link = upstream_link_of(delivery.report.organization)
    if link is None:
        outcome, message, receipt = (
            "refused",
            gettext("The ward has no link to a province's installation any more."),
            {},
        )
    else:
        # The HTTP request runs outside any transaction: no row stays locked while it waits.
        outcome, message, receipt = _send(delivery, link)
    with transaction.atomic():
        delivery = UpwardDelivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.status == UpwardDelivery.Status.DELIVERED:
            return delivery  # another attempt won the race
        delivery.attempts += 1
        delivery.last_error = message
        now = timezone.now()
        if outcome == "delivered":
            delivery.status = UpwardDelivery.Status.DELIVERED
            delivery.receipt = receipt
            delivery.delivered_at = now
            delivery.next_try_at = None
        elif outcome == "retry" and delivery.attempts < MAX_ATTEMPTS:
            delivery.status = UpwardDelivery.Status.PENDING
            delivery.next_try_at = now + _delay(delivery.attempts)
        else:
            delivery.status = UpwardDelivery.Status.FAILED
            delivery.next_try_at = None
        delivery.save()
        audit_record(
            actor=SYSTEM,
            action=AuditAction.UPWARD_REPORT_DELIVERY,
            obj=delivery.report,
            organization=delivery.report.organization,
            summary=(
                gettext("delivered, receipt %(id)s") % {"id": receipt.get("id")}
                if outcome == "delivered"
                else message
            )[:500],
            after={"status": delivery.status, "attempts": delivery.attempts},
        )
        if delivery.status == UpwardDelivery.Status.PENDING:
            next_try = delivery.next_try_at
            transaction.on_commit(lambda: _queue(delivery, run_after=next_try))
    return delivery


@django_tasks.task()
def deliver_upward_report(*, delivery_id: int) -> str:
    delivery = delivery_attempt(delivery_id)
    return delivery.status if delivery is not None else "gone"


def deliveries_due(*, include_failed: bool = False):
    now = timezone.now()
    due = Q(status=UpwardDelivery.Status.PENDING) & (
        Q(next_try_at__isnull=True) | Q(next_try_at__lte=now)
    )
    if include_failed:
        due |= Q(status=UpwardDelivery.Status.FAILED)
    return UpwardDelivery.objects.filter(due).order_by("pk")


def deliveries_missing() -> list[UpwardReport]:
    """Sent reports of a linked ward whose current version has no delivery (the sending's
    announcement was lost, or the link was set after the report was sent)."""
    return list(
        UpwardReport.objects.filter(
            organization__upstream_link__isnull=False,
            status=UpwardReport.Status.SENT,
            source=UpwardReport.Source.LOCAL,
            version__gte=1,
        )
        .exclude(deliveries__version=F("version"))
        .select_related("organization")
    )


def deliver_due(*, everything: bool = False) -> dict[str, int]:
    """Try every delivery that is due (``everything``: every one not yet delivered, now)."""
    counts: dict[str, int] = {}
    for report in deliveries_missing():
        delivery_queue(report, queue=False)  # attempted below, now
    queryset = (
        UpwardDelivery.objects.exclude(status=UpwardDelivery.Status.DELIVERED).order_by("pk")
        if everything
        else deliveries_due()
    )
    for pk in list(queryset.values_list("pk", flat=True)):
        delivery = delivery_attempt(pk)
        if delivery is not None:
            counts[delivery.status] = counts.get(delivery.status, 0) + 1
    return counts


# --- The province's answer, fetched by the ward ---------------------------------------------


def answer_fetch(delivery: UpwardDelivery) -> str:
    """Read the province's record of a delivered report and apply its answer here (returned or
    accepted) as the system, audited like an answer given in this installation. Returns the
    province's status, or "" when it could not be read."""
    link = upstream_link_of(delivery.report.organization)
    remote_id = delivery.receipt.get("id")
    if link is None or not isinstance(remote_id, int):
        return ""
    try:
        answer = _request(link, "GET", f"{API_PATH}/{remote_id}")
    except OSError:
        return ""
    data = answer.json() if answer.status == 200 else None
    if not isinstance(data, dict):
        return ""
    status = str(data.get("status", ""))
    report = delivery.report
    report.refresh_from_db()
    if (
        report.status != UpwardReport.Status.SENT
        or report.version != delivery.version
        or data.get("version") != delivery.version
    ):
        return status
    with transaction.atomic():
        UpwardDelivery.objects.filter(pk=delivery.pk).update(receipt=data)
        if status == UpwardReport.Status.RETURNED:
            upward.upward_report_return(
                actor=SYSTEM,
                report=report,
                reason=str(data.get("return_reason") or "") or gettext("Returned by the province."),
                version=delivery.version,
            )
        elif status == UpwardReport.Status.ACCEPTED:
            upward.upward_report_accept(actor=SYSTEM, report=report, version=delivery.version)
    return status


def answers_fetch() -> dict[str, int]:
    """Fetch the answer of every delivered report still awaiting one here."""
    counts: dict[str, int] = {}
    awaiting = UpwardDelivery.objects.filter(
        status=UpwardDelivery.Status.DELIVERED, report__status=UpwardReport.Status.SENT
    ).select_related("report", "report__organization")
    for delivery in awaiting:
        if delivery.version != delivery.report.version:
            continue
        status = answer_fetch(delivery) or "unreachable"
        counts[status] = counts.get(status, 0) + 1
    return counts


# --- What the ward's report page shows -------------------------------------------------------


def delivery_of(report: UpwardReport) -> UpwardDelivery | None:
    """The delivery of the report's current version, or None when it is not sent elsewhere.
    The report page shows "Đã chuyển lên hệ thống của tỉnh lúc … (mã nhận …)" from it."""
    if report.version < 1:
        return None
    return UpwardDelivery.objects.filter(report=report, version=report.version).first()


def upward_reports_for(user: User):
    """The periodic reports ``user`` may read: their ward's, or the wards' below them."""
    return UpwardReport.objects.filter(org_scope(user))


def connectable_wards(user: User) -> list[Organization]:
    """The wards and communes ``user`` may issue connection codes to."""
    wards = Organization.objects.filter(
        org_scope(user, ""), kind__in=[Organization.Kind.WARD, Organization.Kind.COMMUNE]
    ).order_by("name")
    return [ward for ward in wards if can(user, Action.CONNECT_WARD, ward)]


def recent_deliveries(organization: Organization, limit: int = 20):
    return (
        UpwardDelivery.objects.filter(report__organization=organization)
        .select_related("report", "report__plan")
        .order_by("-created_at", "-id")[:limit]
    )
