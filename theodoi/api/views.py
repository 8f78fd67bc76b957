"""The HTTP API under /api/v1/ (bearer tokens; OpenAPI at /api/v1/openapi.json).

Reads go through the selectors, which scope everything to the person asking; writes go through
the services, which check the person's right. This module checks no role itself: it turns what
those layers raise into JSON errors whose ``detail`` is in the interface language (Vietnamese
unless the client chose another with the language cookie, as on the pages).
"""

import datetime
import functools
import json
from decimal import InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from ninja import File, Form, Header, NinjaAPI, Query, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.files import UploadedFile
from ninja.parser import Parser
from pydantic import ValidationError as PydanticValidationError

from theodoi.accounts.otp import confirmed_device
from theodoi.alerts import rules as alert_rules
from theodoi.alerts.selectors import alerts_for_user
from theodoi.api import schemas, upstream
from theodoi.api.auth import (
    BearerToken,
    TokenExpired,
    token_issue,
    token_revoke,
    tokens_for_user,
)
from theodoi.core.access import Action
from theodoi.core.clock import today
from theodoi.core.inputs import DATE_RANGE_TEXT, has_lone_surrogate
from theodoi.core.numbers import parse_typed_number
from theodoi.org.models import Organization, Unit, User
from theodoi.plans import selectors as plan_selectors
from theodoi.plans import services as plan_services
from theodoi.plans.models import Indicator, Plan, Section, Task
from theodoi.plans.states import TaskState, expected_progress
from theodoi.reporting import selectors as reporting_selectors
from theodoi.reporting import upward
from theodoi.reporting.models import Evidence, EvidenceReview, ProgressReport, UpwardReport
from theodoi.tracking import services as tracking_services


class _Api(NinjaAPI):
    """NinjaAPI whose "method not allowed" answers are JSON like every other error."""

    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            pattern.callback = _json_405(pattern.callback)
        return patterns, app_name, namespace


def _json_405(view):
    # ninja answers a wrong method with a plain-text 405 before any exception handler runs.
    @functools.wraps(view)  # keeps csrf_exempt: the API uses tokens, not cookies
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != 405:
            return response
        answer = JsonResponse(
            {
                "detail": gettext("The method %(method)s cannot be used at this address.")
                % {"method": request.method}
            },
            status=405,
        )
        answer["Allow"] = response.get("Allow", "")
        return answer

    return wrapper


class UnstorableText(ValueError):
    """A JSON body that decodes, but holds text no UTF-8 store can keep."""


def _unstorable(value: Any, path: str = "") -> str | None:
    """The place of the first text in ``value`` holding a lone UTF-16 surrogate, or None."""
    if isinstance(value, str):
        return path if has_lone_surrogate(value) else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and has_lone_surrogate(key):
            return path or gettext("request body")
        found = _unstorable(item, f"{path}.{key}" if path else str(key))
        if found is not None:
            return found
    return None


class _StrictJsonParser(Parser):
    """JSON allows "\\ud800", half of a UTF-16 pair, which Python decodes into a string that no
    database, file or page can encode: refused here, once for every endpoint."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        place = _unstorable(data)
        if place is not None:
            raise UnstorableText(place or gettext("request body"))
        return data


api = _Api(
    title="theodoi API",
    version="1",
    urls_namespace="api",
    auth=BearerToken(),
    parser=_StrictJsonParser(),
    description=gettext_lazy(
        "Tracking the plans implementing Resolution 57-NQ/TW. Get a token with POST /auth/token, "
        "then send the header `Authorization: Bearer <token>`."
    ),
)

WRONG_CREDENTIALS = gettext_lazy("The user name or password is not correct.")
NEED_OTP = gettext_lazy(
    "This account has two-factor sign-in: also send the 6-digit code from the authenticator app "
    "(the otp_code field)."
)
WRONG_OTP = gettext_lazy("The two-factor code is not correct or has expired.")
NEED_TOKEN = gettext_lazy("Sign-in needed: send Authorization: Bearer <token>.")
FORBIDDEN = gettext_lazy("Your role may not do this.")
NOT_FOUND = gettext_lazy("Not found, or it belongs to a ward you may not see.")


# --- Errors -----------------------------------------------------------------------------------


def _error(request: HttpRequest, status: int, detail: str) -> HttpResponse:
    return api.create_response(request, {"detail": str(detail)}, status=status)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    response = _error(request, 401, NEED_TOKEN)
    response["WWW-Authenticate"] = 'Bearer realm="theodoi"'  # RFC 6750: say how to sign in
    return response


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _error(request, 403, FORBIDDEN)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, NOT_FOUND)


@api.exception_handler(tracking_services.StaleVersion)
@api.exception_handler(tracking_services.StaleReview)
def _stale(request, exc):
    # Not bad input: someone else saved first, so the client must reload (409 Conflict).
    return _error(request, 409, str(exc))


@api.exception_handler(plan_services.StaleEdit)
def _stale_edit(request, exc):
    return _error(request, 409, str(exc))


class EditRefused(Exception):
    """An edit the service refused (a loop of tasks, a unit of another ward, …): bad input."""


@api.exception_handler(EditRefused)
def _edit_refused(request, exc):
    return _error(request, 400, str(exc))


@api.exception_handler(tracking_services.FileTooLarge)
def _too_large(request, exc):
    return _error(request, 413, str(exc))


@api.exception_handler(tracking_services.ScanUnavailable)
@api.exception_handler(tracking_services.StorageUnavailable)
def _service_down(request, exc):
    # The request was fine; the virus scanner or the file storage failed the server (503, so
    # clients retry later rather than change what they sent).
    return _error(request, 503, str(exc))


@api.exception_handler(tracking_services.ReportingError)
def _bad_input(request, exc):
    return _error(request, 400, str(exc))


@api.exception_handler(tracking_services.AssignError)
def _cannot_assign(request, exc):
    return _error(request, 400, str(exc))


@api.exception_handler(DataError)
@api.exception_handler(InvalidOperation)
def _out_of_range(request, exc):
    # A number or text the database cannot hold (e.g. 1e30 for a value of 16 digits). The
    # service's transaction has rolled back by the time this runs, so nothing half-saved stays.
    return _error(
        request,
        400,
        gettext("The data exceed what can be stored: a number too large or a text too long."),
    )


_HTTP_ERRORS = {
    400: gettext_lazy("The request's content could not be read: send valid JSON (UTF-8)."),
    429: gettext_lazy("Too many requests. Try again in a few minutes."),
}


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, UnstorableText):
        return _error(
            request,
            400,
            gettext(
                "Invalid data: the field «%(field)s» contains an invalid Unicode character (half "
                "of a UTF-16 pair on its own). Send valid UTF-8 text."
            )
            % {"field": exc.__cause__},
        )
    # ninja's own errors carry English text; the body parser's is the one clients meet.
    return _error(
        request, exc.status_code, _HTTP_ERRORS.get(exc.status_code, gettext("Invalid request."))
    )


@api.exception_handler(MultiPartParserError)
def _unreadable_upload(request, exc):
    # Django reads at most 1 KB of each part's headers; a file name of thousands of characters
    # is the usual way past it. The name cannot be read, so it cannot be shortened either.
    return _error(
        request,
        400,
        gettext(
            "The uploaded file could not be read: its name is too long or the head of the "
            "multipart request is invalid. Give the file a shorter name (under 200 characters) "
            "and send it again."
        ),
    )


def _field_name(loc: list) -> str:
    """The field a client sent, from ninja's location ("body", "payload", "percent", …)."""
    parts = [str(p) for p in loc[1:] if not isinstance(p, int)]
    # For JSON bodies the first part after the source is the view's parameter (payload), a
    # name the client never sees; without more, the whole body is at fault. Form fields come
    # flattened, without it.
    if loc and loc[0] == "body":
        parts = parts[1:]
    # Pydantic names the member of a union that failed ("decimal", "str"); the client's field
    # is the part before it.
    members = {"decimal", "str", "int", "float", "none"}
    while len(parts) > 1 and (parts[-1] in members or "[" in parts[-1]):
        parts.pop()
    return ".".join(parts)


def _problem(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return gettext("is missing")
    if kind.startswith("int_"):
        return gettext("must be a whole number")
    if kind.startswith(("float_", "decimal_")):
        return gettext("must be a number")
    if kind == "date_range":
        return gettext("must be %(range)s") % {"range": DATE_RANGE_TEXT}
    if kind.startswith(("date_", "datetime_")):
        return gettext("must be a date written YYYY-MM-DD")
    if kind.startswith("bool_"):
        return gettext("must be true or false")
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return gettext("is outside the allowed range")
    if kind == "string_too_long":
        return gettext("is longer than %(max)s characters") % {"max": ctx.get("max_length")}
    if kind in ("literal_error", "enum"):
        return gettext("must be one of: %(expected)s") % {"expected": ctx.get("expected", "")}
    if kind == "string_type":
        return gettext("must be a string")
    if kind == "number_range":
        return gettext("must be a finite number below 1,000,000,000,000")
    if kind == "nul_character":
        return gettext("contains an invalid NUL character")
    if kind in ("model_attributes_type", "dict_type", "model_type", "json_invalid"):
        return gettext("must be a JSON object")
    return gettext("is not valid")


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    problems: dict[str, str] = {}
    for error in exc.errors:
        loc = list(error.get("loc", []))
        field = _field_name(loc)
        # A union reports one error per member; the first says enough.
        problems.setdefault(field, _problem(error))
    if not problems:
        return _error(request, 400, gettext("The data sent are not valid."))
    parts = [
        gettext("the field «%(field)s» %(problem)s") % {"field": field, "problem": problem}
        if field
        else gettext("the request body %(problem)s") % {"problem": problem}
        for field, problem in problems.items()
    ]
    detail = gettext("Invalid data: %(problems)s.") % {"problems": "; ".join(parts)}
    return _error(request, 400, detail)


def errors(*codes: int) -> dict[int, type[schemas.Detail]]:
    """The error answers an operation documents: each is JSON with a Vietnamese ``detail``.

    Every operation may answer 400 (bad parameters or body); those behind a token also 401.
    Every operation may also answer 503 (added here): on the embedded database, a write lock
    held past the busy timeout (each one writes, if only the token's last use)."""
    return dict.fromkeys((*codes, 503), schemas.Detail)


# --- Shapes -----------------------------------------------------------------------------------


def _ref(obj) -> dict | None:
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


def _organization(org: Organization | None) -> dict | None:
    return {"id": org.pk, "name": org.name, "code": org.code} if org is not None else None


def _person(user: User | None) -> dict | None:
    if user is None:
        return None
    return {"username": user.username, "full_name": user.get_full_name()}


def _task(task: Task, day: datetime.date) -> dict[str, Any]:
    section = task.section
    return {
        "id": task.pk,
        "plan_id": task.plan_id,
        "code": task.code,
        "section": (
            {"id": section.pk, "code": section.code, "title": section.title} if section else None
        ),
        "parent_id": task.parent_id,
        "title": task.title,
        "lead_units": [_ref(u) for u in task.lead_units.all()],
        "deadline": {
            "text": task.deadline_text,
            "kind": task.deadline_kind,
            "due": task.due_date,
            "recurrence": task.recurrence or None,
        },
        "progress": task.progress,
        "expected_progress": expected_progress(start=task.start, due=task.due_date, on=day),
        "state": task.state,
    }


def _report(report: ProgressReport) -> dict[str, Any]:
    return {
        "id": report.pk,
        "period": report.period,
        "percent": report.percent,
        "result": report.result,
        "difficulties": report.difficulties,
        "proposals": report.proposals,
        "status": report.status,
        "return_reason": report.return_reason,
        "submitted_by": _person(report.submitted_by),
        "submitted_at": report.submitted_at,
        "version": report.version,
    }


def _review(review: EvidenceReview | None) -> dict | None:
    if review is None:
        return None
    return {
        "decision": review.decision,
        "reason": review.reason,
        "reviewer": _person(review.reviewer),
        "reviewed_at": review.reviewed_at,
    }


def _evidence(evidence: Evidence) -> dict[str, Any]:
    latest = evidence.latest_review
    return {
        "id": evidence.pk,
        "name": evidence.original_name,
        "kind": evidence.kind,
        "content_type": evidence.content_type,
        "size": evidence.size,
        "sha256": evidence.sha256,
        "document_number": evidence.document_number,
        "document_date": evidence.document_date,
        "description": evidence.description,
        "replaces": evidence.replaces_id,
        "uploaded_at": evidence.uploaded_at,
        "review": _review(latest),
        "download_url": reverse("api:evidence_file", kwargs={"evidence_id": evidence.pk}),
        "version": latest.pk if latest is not None else 0,
    }


def _reasons(alert) -> list[dict[str, Any]]:
    # The day counts are worked out as of today: the alert stores the days they count from.
    day = today()
    return [
        {
            "rule": str(reason.get("rule", "")),
            "keys": [str(key) for key in reason.get("keys") or []],
            "numbers": alert_rules.shown_numbers(
                str(reason.get("rule", "")), reason.get("numbers") or {}, day
            ),
            "message": text,
        }
        for reason, text in zip(alert.reasons or [], alert.reason_texts, strict=False)
    ]


def _alert_numbers(alert) -> dict[str, Any]:
    return alert_rules.shown_numbers(alert.rule, alert.numbers or {}, today())


def _acknowledgement(alert) -> dict[str, Any] | None:
    if alert.acknowledged_at is None:
        return None
    return {
        "by": _person(alert.acknowledged_by),
        "at": alert.acknowledged_at,
        "note": alert.acknowledgement_note,
        "snoozed_until": alert.snoozed_until,
    }


def _alert(alert) -> dict[str, Any]:
    return {
        "id": alert.pk,
        "rule": alert.rule,
        "severity": alert.severity,
        "reasons": _reasons(alert),
        "acknowledged": _acknowledgement(alert),
        "task_id": alert.task_id,
        "indicator_id": alert.indicator_id,
        "unit": _ref(alert.unit),
        "numbers": _alert_numbers(alert),
        "message": alert.text,
        "raised_at": alert.opened_at,
        "closed_at": alert.closed_at,
    }


def _alerts_for(user: User, *, open_only: bool):
    # Snoozed alerts too: a program reads them with their acknowledgement and decides.
    return alerts_for_user(user, open_only=open_only, include_snoozed=True)


# --- Endpoints --------------------------------------------------------------------------------


@api.post(
    "/auth/token",
    auth=None,
    response={200: schemas.TokenOut, **errors(400, 401, 429)},
    tags=["auth"],
)
def auth_token(request, payload: schemas.TokenIn):
    """Exchange a username and password for a bearer token (shown only this once); a person
    with two-factor sign-in also sends the current code as ``otp_code``. Failures, a wrong or
    missing code included, count towards the sign-in lockout (django-axes): locked out, the
    answer is 429."""
    # authenticate() records a failure (user_login_failed) and refuses a locked-out pair.
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        # The lockout middleware turns this into the JSON 429 answer.
        return Status(401, {"detail": str(WRONG_CREDENTIALS)})
    if user is None:
        return Status(401, {"detail": str(WRONG_CREDENTIALS)})
    # A token is as strong as a full sign-in, so whoever gives the page a TOTP code gives one
    # here too.
    device = confirmed_device(user)
    if device is not None:
        code = "".join(payload.otp_code.split())
        if not code or not device.verify_token(code):
            # Counted like a wrong password: the lockout also stops guessing the six digits.
            user_login_failed.send(
                sender=__name__, credentials={"username": payload.username}, request=request
            )
            return Status(401, {"detail": str(WRONG_OTP if code else NEED_OTP)})
    # A success clears this user name's failures from this address, as a page sign-in does.
    from axes.utils import reset as axes_reset

    axes_reset(ip=getattr(request, "axes_ip_address", None), username=payload.username)
    token, raw = token_issue(user=user, name=payload.name)
    return {"token": raw, "expires_at": token.expires_at}


TOKEN_EXPIRED = gettext_lazy(
    "This token has expired. Create a new token with POST /api/v1/auth/token (user name and "
    "password)."
)


@api.exception_handler(TokenExpired)
def _token_expired(request, exc):
    response = _error(request, 401, TOKEN_EXPIRED)
    response["WWW-Authenticate"] = 'Bearer realm="theodoi", error="invalid_token"'
    return response


def _token_info(token) -> dict[str, Any]:
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "expires_at": token.expires_at,
        "expired": token.expired,
    }


@api.get("/auth/tokens", response={200: schemas.TokenListOut, **errors(401)}, tags=["auth"])
def auth_token_list(request):
    """Your own tokens that are not revoked (expired ones included, marked): name, when each
    was created, last used and expires. The secret itself is never shown again."""
    return {"items": [_token_info(t) for t in tokens_for_user(request.auth)]}


@api.delete(
    "/auth/tokens/{token_id}",
    response={204: None, **errors(400, 401, 404)},
    tags=["auth"],
)
def auth_token_revoke(request, token_id: schemas.DbId):
    """Revoke one of your tokens (the one sending this request included); it stops working at
    once. Another person's token answers 404."""
    token_revoke(actor=request.auth, token_id=token_id)
    return Status(204, None)


@api.get("/me", response={200: schemas.MeOut, **errors(401)}, tags=["auth"])
def me(request):
    user: User = request.auth
    organization = user.organization
    return {
        "username": user.username,
        "full_name": user.get_full_name(),
        "role": user.role,
        "unit": _ref(user.unit),
        "ward": _organization(organization) if organization and organization.is_local else None,
        "organization": (
            {**_organization(organization), "kind": organization.kind} if organization else None
        ),
    }


@api.get("/plans", response={200: schemas.PlanListOut, **errors(401)}, tags=["plans"])
def plan_list(request):
    plans = plan_selectors.plans_for_user(request.auth)
    return {
        "items": [
            {
                "id": plan.pk,
                "number": plan.number,
                "title": plan.title,
                "issuer": plan.issuer,
                "issued_on": plan.issued_on,
                "ward": _organization(plan.organization),
                "task_count": plan.task_count,
            }
            for plan in plans
        ]
    }


@api.get(
    "/plans/{plan_id}/tasks",
    response={200: schemas.TaskListOut, **errors(400, 401, 404)},
    tags=["plans"],
)
def plan_tasks(
    request,
    plan_id: schemas.DbId,
    unit: schemas.DbId | None = None,
    state: TaskState | None = None,
    q: str = "",
):
    """The plan's tasks, narrowed by lead or coordinating unit, state and a search that ignores
    diacritics ("chu ky so" finds "chữ ký số")."""
    day = today()
    plan = plan_selectors.plan_get_for_user(request.auth, plan_id)
    tasks = plan_selectors.tasks_for_user(request.auth, today=day).filter(plan=plan)
    tasks = plan_selectors.filter_tasks(
        tasks, today=day, unit=unit, state=state.value if state else "", q=q
    )
    return {"items": [_task(task, day) for task in tasks]}


def _completeness(plan) -> dict[str, Any]:
    counts = plan_selectors.plan_completeness(plan)
    tasks = plan_selectors.tasks_with_gaps(Task.objects.filter(plan=plan)).order_by("order", "id")
    return {
        "plan_id": plan.pk,
        "total": counts.total,
        "not_trackable": counts.not_trackable,
        "incomplete": counts.incomplete,
        "gaps": {gap.value: count for gap, count in counts.gaps.items()},
        "tasks": [
            {
                "id": task.pk,
                "code": task.code,
                "title": task.title,
                "missing": [gap.value for gap in plan_selectors.task_gaps(task)],
            }
            for task in tasks
        ],
    }


@api.get(
    "/plans/{plan_id}/completeness",
    response={200: schemas.CompletenessOut, **errors(400, 401, 404)},
    tags=["plans"],
)
def plan_completeness(request, plan_id: schemas.DbId):
    """Which tasks of the plan lack a lead unit, a deadline, an output or a KPI (the "6 rõ"),
    with the count of each and of the tasks not yet trackable (no lead unit or no deadline)."""
    plan = plan_selectors.plan_get_for_user(request.auth, plan_id)
    return _completeness(plan)


@api.post(
    "/plans/{plan_id}/tasks/assign",
    response={200: schemas.BulkAssignOut, **errors(400, 401, 403, 404)},
    tags=["plans"],
)
def plan_tasks_assign(request, plan_id: schemas.DbId, payload: schemas.BulkAssignIn):
    """The standing office gives many tasks of the plan the same lead unit, coordinating
    units, deadline, output or KPI; each task's change is in the audit trail, and the tasks'
    alerts follow."""
    user: User = request.auth
    plan = plan_selectors.plan_get_for_user(user, plan_id, action=Action.MANAGE_PLAN)
    wanted = list(dict.fromkeys(payload.task_ids))
    tasks = list(Task.objects.filter(plan=plan, pk__in=wanted).select_related("plan"))
    if len(tasks) != len(wanted):
        missing = sorted(set(wanted) - {task.pk for task in tasks})
        raise tracking_services.AssignError(
            gettext("These tasks are not in this plan: %(ids)s.")
            % {"ids": ", ".join(str(pk) for pk in missing[:20])}
        )
    units = {unit.pk: unit for unit in Unit.objects.filter(organization_id=plan.organization_id)}
    unit_ids = [*([payload.lead_unit_id] if payload.lead_unit_id else []),
                *payload.coordinating_unit_ids]  # fmt: skip
    unknown = [pk for pk in unit_ids if pk not in units]
    if unknown:
        raise tracking_services.AssignError(
            gettext("These units are not units of this ward: %(ids)s.")
            % {"ids": ", ".join(str(pk) for pk in unknown[:20])}
        )
    changed = tracking_services.tasks_bulk_assign(
        actor=user,
        tasks=tasks,
        lead_units=[units[payload.lead_unit_id]] if payload.lead_unit_id else None,
        coordinating_units=[units[pk] for pk in payload.coordinating_unit_ids] or None,
        deadline_text=payload.deadline_text,
        output=payload.output,
        kpi=payload.kpi,
    )
    return {"assigned": len(changed), "completeness": _completeness(plan)}


@api.get(
    "/tasks/{task_id}",
    response={200: schemas.TaskDetailOut, **errors(400, 401, 404)},
    tags=["tasks"],
)
def task_detail(request, task_id: schemas.DbId):
    user: User = request.auth
    day = today()
    task = plan_selectors.task_get_for_user(user, task_id, today=day)
    reports = task.reports.select_related("submitted_by").order_by("-period", "-id")
    evidence = (
        reporting_selectors.evidence_for_user(user)
        .filter(task=task, withdrawn=False)
        .order_by("-uploaded_at", "-id")
    )
    alerts = _alerts_for(user, open_only=True).filter(task=task)
    return {
        **_task(task, day),
        "output": task.output,
        "kpi": task.kpi,
        "coordinating_units": [_ref(u) for u in task.coordinating_units.all()],
        "reports": [_report(r) for r in reports],
        "evidence": [_evidence(e) for e in evidence],
        "alerts": [
            {
                "id": a.pk,
                "rule": a.rule,
                "severity": a.severity,
                "reasons": _reasons(a),
                "acknowledged": _acknowledgement(a),
                "numbers": _alert_numbers(a),
                "message": a.text,
                "unit": _ref(a.unit),
                "raised_at": a.opened_at,
            }
            for a in alerts
        ],
    }


def _amendment(amendment, *, rows: bool = False) -> dict[str, Any]:
    data = {
        "version": amendment.version,
        "number": amendment.number,
        "issued_on": amendment.issued_on,
        "note": amendment.note,
        "changes": amendment.changes,
        "created_at": amendment.created_at,
        "created_by": amendment.created_by.username if amendment.created_by else None,
    }
    if rows:
        data |= {"before": amendment.before, "after": amendment.after}
    return data


def _first_version(plan, *, rows: bool = False) -> dict[str, Any]:
    first = plan.amendments.order_by("version").first()
    data = {
        "version": 0,
        "number": plan.number,
        "issued_on": plan.issued_on,
        "note": "",
        "changes": [],
        "created_at": plan.created_at,
        "created_by": None,
    }
    if rows:
        tasks = first.before if first else plan_selectors.plan_task_rows(plan)
        data |= {"before": [], "after": tasks}
    return data


@api.get(
    "/plans/{plan_id}/amendments",
    response={200: schemas.AmendmentListOut, **errors(400, 401, 404)},
    tags=["plans"],
)
def plan_amendments(request, plan_id: schemas.DbId):
    """The plan's versions: 0 as issued, then each amendment with its change list."""
    plan = plan_selectors.plan_get_for_user(request.auth, plan_id)
    items = [_amendment(a) for a in plan_selectors.plan_amendments(plan)]
    return {"items": [_first_version(plan), *items]}


@api.get(
    "/plans/{plan_id}/amendments/{version}",
    response={200: schemas.AmendmentDetailOut, **errors(400, 401, 404)},
    tags=["plans"],
)
def plan_amendment(request, plan_id: schemas.DbId, version: int):
    """One version with the plan's tasks before and after it."""
    plan = plan_selectors.plan_get_for_user(request.auth, plan_id)
    if version == 0:
        return _first_version(plan, rows=True)
    amendment = get_object_or_404(plan_selectors.plan_amendments(plan), version=version)
    return _amendment(amendment, rows=True)


@api.post(
    "/plans/{plan_id}/amendments",
    response={201: schemas.AmendmentDetailOut, **errors(400, 401, 403, 404, 409)},
    tags=["plans"],
)
def amendment_create(request, plan_id: schemas.DbId, payload: schemas.AmendmentIn):
    """Record an amendment of the plan as its next version (the standing office)."""
    plan = plan_selectors.plan_get_for_user(request.auth, plan_id)
    if plan.is_archived:
        raise Http404
    amendment = tracking_services.amendment_apply(
        actor=request.auth,
        plan=plan,
        number=payload.number,
        issued_on=payload.issued_on,
        note=payload.note,
        changes=payload.changes,
    )
    return Status(201, _amendment(amendment, rows=True))


@api.exception_handler(plan_services.AmendmentError)
def _bad_amendment(request, exc):
    return _error(request, 400, str(exc))


@api.exception_handler(plan_services.StaleEdit)
def _stale_task(request, exc):
    return _error(request, 409, str(exc))


@api.post(
    "/tasks/{task_id}/reports",
    response={201: schemas.ReportOut, **errors(400, 401, 403, 404, 409)},
    tags=["tasks"],
)
def report_submit(request, task_id: schemas.DbId, payload: schemas.ReportIn):
    """Report progress for a period; sending the same period again corrects the report."""
    user: User = request.auth
    task = plan_selectors.task_get_for_user(user, task_id, today=today())
    report = tracking_services.report_submit(
        actor=user,
        task=task,
        period=payload.period,
        percent=payload.percent,
        result=payload.result,
        difficulties=payload.difficulties,
        proposals=payload.proposals,
        version=payload.version,
    )
    return Status(201, _report(report))


@api.post(
    "/tasks/{task_id}/evidence",
    response={201: schemas.EvidenceOut, **errors(400, 401, 403, 404, 413)},
    tags=["tasks"],
)
def evidence_upload(
    request, task_id: schemas.DbId, file: File[UploadedFile], form: Form[schemas.EvidenceForm]
):
    """Attach an evidence file (multipart). Its type is decided by its content, not its name;
    identical bytes are stored once."""
    user: User = request.auth
    task = plan_selectors.task_get_for_user(user, task_id, today=today())
    # One byte over the limit is enough for the service to refuse it, and a huge upload is
    # never read into memory whole.
    limit = settings.THEODOI_EVIDENCE_MAX_MB * 1024 * 1024
    replaces = None
    if form.replaces is not None:
        # Whether it may be replaced (rejected, not withdrawn) the service says.
        replaces = Evidence.objects.filter(pk=form.replaces, task=task).first()
        if replaces is None:
            raise tracking_services.ReportingError(
                gettext("The file to replace is not one of this task's files.")
            )
    (evidence,) = tracking_services.evidence_add(
        actor=user,
        task=task,
        files=[
            tracking_services.EvidenceFile(
                upload=tracking_services.Upload(name=file.name or "", data=file.read(limit + 1)),
                kind=form.kind,
                document_number=form.document_number,
                document_date=form.document_date,
                description=form.description,
                replaces=replaces,
            )
        ],
    )
    evidence = reporting_selectors.evidence_get_for_user(user, evidence.pk)
    return Status(201, _evidence(evidence))


@api.get(
    "/evidence/{evidence_id}/file",
    response={200: None, **errors(400, 401, 404)},
    url_name="evidence_file",
    tags=["tasks"],
)
def evidence_file(request, evidence_id: schemas.DbId):
    """Download an evidence file; the access is recorded in the audit trail."""
    return tracking_services.evidence_open(actor=request.auth, evidence_id=evidence_id)


@api.post(
    "/evidence/{evidence_id}/review",
    response={200: schemas.ReviewOut, **errors(400, 401, 403, 404, 409)},
    tags=["tasks"],
)
def evidence_review(request, evidence_id: schemas.DbId, payload: schemas.ReviewIn):
    """The standing office accepts or rejects a file; a rejection needs its reason. With the
    ``version`` read, a file someone else reviewed meanwhile answers 409."""
    user: User = request.auth
    evidence = reporting_selectors.evidence_get_for_user(user, evidence_id)
    review = tracking_services.evidence_review(
        actor=user,
        evidence=evidence,
        decision=payload.decision,
        reason=payload.reason,
        expected_review_id=payload.version,
    )
    return _review(review)


@api.post(
    "/indicators/{indicator_id}/values",
    response={201: schemas.IndicatorValueOut, **errors(400, 401, 403, 404)},
    tags=["plans"],
)
def indicator_value(request, indicator_id: schemas.DbId, payload: schemas.IndicatorValueIn):
    """Record an indicator's value for a period: ``value``, or ``numerator`` and
    ``denominator`` (the value is then their percentage). Numbers may be written "85,5"."""
    user: User = request.auth
    # The indicator is visible when its plan is: scoped through the plan selector.
    indicator = get_object_or_404(
        Indicator.objects.filter(plan__in=plan_selectors.plans_for_user(user)).select_related(
            "plan", "plan__organization"
        ),
        pk=indicator_id,
    )
    record = tracking_services.indicator_value_record(
        actor=user,
        indicator=indicator,
        period=payload.period,
        value=payload.value,
        numerator=payload.numerator,
        denominator=payload.denominator,
        note=payload.note,
    )
    return Status(
        201,
        {
            "id": record.pk,
            "indicator_id": record.indicator_id,
            "period": record.period,
            "value": float(record.value),
            "numerator": float(record.numerator) if record.numerator is not None else None,
            "denominator": float(record.denominator) if record.denominator is not None else None,
            "note": record.note,
            "recorded_at": record.recorded_at,
        },
    )


# --- Editing a plan -----------------------------------------------------------------------------
# The standing office of the ward edits; everyone else gets 403 from the service.


def _edit(call, /, **kwargs):
    """Run an edit service: a stale version stays a 409, any other refusal is a 400 with the
    service's Vietnamese message."""
    try:
        return call(**kwargs)
    except plan_services.StaleEdit:
        raise
    except ValueError as exc:
        raise EditRefused(str(exc)) from exc


def _units_of(plan: Plan, ids: list[int]) -> list[Unit]:
    """The units in the order given, each of the plan's ward."""
    found = {u.pk: u for u in Unit.objects.filter(organization=plan.organization_id, pk__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise EditRefused(
            gettext("No unit %(id)s in this ward: use the ids of the ward's units.")
            % {"id": missing[0]}
        )
    return [found[i] for i in dict.fromkeys(ids)]


def _section_of(plan: Plan, pk: int | None) -> Section | None:
    if pk is None:
        return None
    section = Section.objects.filter(plan=plan, pk=pk).first()
    if section is None:
        raise EditRefused(gettext("No section %(id)s in this plan.") % {"id": pk})
    return section


def _parent_of(plan: Plan, pk: int | None) -> Task | None:
    if pk is None:
        return None
    parent = Task.all_objects.filter(plan=plan, pk=pk).first()
    if parent is None:
        raise EditRefused(gettext("No task %(id)s in this plan.") % {"id": pk})
    return parent


def _number(value, field: str):
    if value is None or value == "":
        return None
    number = parse_typed_number(str(value)) if isinstance(value, str) else value
    if number is None:
        raise EditRefused(
            gettext("The field «%(field)s» must be a number such as 1.200 or 12,5.")
            % {"field": field}
        )
    return number


def _task_changes(plan: Plan, data: dict) -> dict:
    changes = {
        name: data[name]
        for name in (
            "title",
            "code",
            "output",
            "kpi",
            "accountable",
            "deadline_text",
            "reporting_cycle",
            "start_date",
            "weight",
            "note",
        )  # fmt: skip
        if name in data
    }
    for name in ("title", "code", "output", "kpi", "accountable", "deadline_text", "note"):
        if name in changes and changes[name] is None:
            changes[name] = ""
    if changes.get("reporting_cycle") is None and "reporting_cycle" in changes:
        changes["reporting_cycle"] = ""
    if "weight" in changes and changes["weight"] is None:
        changes["weight"] = 1
    if "section_id" in data:
        changes["section"] = _section_of(plan, data["section_id"])
    if "parent_id" in data:
        changes["parent"] = _parent_of(plan, data["parent_id"])
    return changes


def _task_edit_out(user: User, task_id: int) -> dict[str, Any]:
    day = today()
    task = plan_selectors.task_get_for_user(user, task_id, today=day, include_withdrawn=True)
    return {
        **_task(task, day),
        "output": task.output,
        "kpi": task.kpi,
        "coordinating_units": [_ref(u) for u in task.coordinating_units.all()],
        "accountable": task.accountable,
        "reporting_cycle": task.reporting_cycle,
        "start_date": task.start_date,
        "weight": float(task.weight),
        "note": task.note,
        "withdrawn_at": task.withdrawn_at,
        "withdrawn_reason": task.withdrawn_reason,
        "updated_at": task.updated_at,
    }


@api.patch(
    "/tasks/{task_id}",
    response={200: schemas.TaskEditOut, **errors(400, 401, 403, 404, 409)},
    tags=["plans"],
)
def task_update(request, task_id: schemas.DbId, payload: schemas.TaskPatchIn):
    """Change a task's fields (only those sent). ``lead_unit_ids`` in order, the first being
    responsible; a new ``deadline_text`` is read again. The standing office only."""
    user: User = request.auth
    task = plan_selectors.task_get_for_user(user, task_id, today=today())
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("updated_at", None)
    plan = task.plan
    leads = _units_of(plan, data["lead_unit_ids"] or []) if "lead_unit_ids" in data else None
    coordinators = (
        _units_of(plan, data["coordinating_unit_ids"] or [])
        if "coordinating_unit_ids" in data
        else None
    )
    _edit(
        tracking_services.task_update,
        actor=user,
        task=task,
        changes=_task_changes(plan, data),
        lead_units=leads,
        coordinating_units=coordinators,
        expected_updated_at=version,
    )
    return _task_edit_out(user, task.pk)


@api.post(
    "/plans/{plan_id}/tasks",
    response={201: schemas.TaskEditOut, **errors(400, 401, 403, 404)},
    tags=["plans"],
)
def task_create(request, plan_id: schemas.DbId, payload: schemas.TaskCreateIn):
    """Add a task to a plan (a subtask with ``parent_id``). The standing office only."""
    user: User = request.auth
    plan = plan_selectors.plan_get_for_user(user, plan_id, action=Action.MANAGE_PLAN)
    if plan.is_archived:
        raise EditRefused(gettext("This plan has been withdrawn; restore it before adding tasks."))
    data = payload.model_dump(exclude_unset=True)
    changes = _task_changes(plan, data)
    task = _edit(
        tracking_services.task_create,
        actor=user,
        plan=plan,
        lead_units=_units_of(plan, data.get("lead_unit_ids") or []),
        coordinating_units=_units_of(plan, data.get("coordinating_unit_ids") or []),
        **changes,
    )
    return Status(201, _task_edit_out(user, task.pk))


@api.post(
    "/tasks/{task_id}/withdraw",
    response={200: schemas.TaskEditOut, **errors(400, 401, 403, 404, 409)},
    tags=["plans"],
)
def task_withdraw(request, task_id: schemas.DbId, payload: schemas.WithdrawIn):
    """Withdraw a task (and its subtasks) from its plan, with the reason. Nothing is deleted:
    its reports and history stay and it leaves every count. The standing office only."""
    user: User = request.auth
    task = plan_selectors.task_get_for_user(user, task_id, today=today())
    _edit(
        tracking_services.task_withdraw,
        actor=user,
        task=task,
        reason=payload.reason,
        expected_updated_at=payload.updated_at,
    )
    return _task_edit_out(user, task.pk)


def _indicator_out(indicator: Indicator) -> dict[str, Any]:
    indicator.refresh_from_db()

    def number(value):
        return float(value) if value is not None else None

    return {
        **{
            name: getattr(indicator, name)
            for name in (
                "code",
                "name",
                "section_id",
                "unit_of_measure",
                "comparator",
                "baseline_year",
                "baseline_text",
                "target_year",
                "target_text",
                "note",
                "is_ratio",
                "numerator_label",
                "denominator_label",
                "updated_at",
                "plan_id",
            )
        },  # fmt: skip
        "id": indicator.pk,
        "baseline": number(indicator.baseline),
        "target": number(indicator.target),
        "milestones": [
            {"year": m.year, "value": float(m.value)} for m in indicator.milestones.order_by("year")
        ],
        "lead_unit": _ref(indicator.lead_unit),
        "monitoring_unit": _ref(indicator.monitoring_unit),
    }


@api.patch(
    "/indicators/{indicator_id}",
    response={200: schemas.IndicatorOut, **errors(400, 401, 403, 404, 409)},
    tags=["plans"],
)
def indicator_update(request, indicator_id: schemas.DbId, payload: schemas.IndicatorPatchIn):
    """Change an indicator's fields (only those sent); ``milestones`` replaces the whole
    roadmap. Numbers may be written "85,5". The standing office only."""
    user: User = request.auth
    indicator = plan_selectors.indicator_get_for_user(user, indicator_id)
    plan = indicator.plan
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("updated_at", None)
    milestones = data.pop("milestones", None)
    changes: dict[str, Any] = {}
    for name in (
        "name", "code", "unit_of_measure", "comparator", "baseline_year", "baseline_text",
        "target_year", "target_text", "note", "is_ratio", "numerator_label", "denominator_label",
    ):  # fmt: skip
        if name in data:
            value = data[name]
            if value is None and name not in ("baseline_year", "target_year"):
                value = False if name == "is_ratio" else ""
            changes[name] = value
    for name in ("baseline", "target"):
        if name in data:
            changes[name] = _number(data[name], name)
    if "section_id" in data:
        changes["section"] = _section_of(plan, data["section_id"])
    for name in ("lead_unit", "monitoring_unit"):
        if f"{name}_id" in data:
            pk = data[f"{name}_id"]
            changes[name] = _units_of(plan, [pk])[0] if pk is not None else None
    parsed = None
    if milestones is not None:
        parsed = {
            int(year): _number(value, f"milestones.{year}") for year, value in milestones.items()
        }
    _edit(
        tracking_services.indicator_update,
        actor=user,
        indicator=indicator,
        changes=changes,
        milestones=parsed,
        expected_updated_at=version,
    )
    return _indicator_out(indicator)


def _plan_out(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        **{name: getattr(plan, name) for name in plan_services.PLAN_EDITABLE_FIELDS},
        "status": plan.status,
        "withdrawn_reason": plan.withdrawn_reason,
        "updated_at": plan.updated_at,
    }


@api.patch(
    "/plans/{plan_id}",
    response={200: schemas.PlanEditOut, **errors(400, 401, 403, 404, 409)},
    tags=["plans"],
)
def plan_update(request, plan_id: schemas.DbId, payload: schemas.PlanPatchIn):
    """Change the plan's own fields (only those sent): number, title, issuer, dates, the
    reporting cycle and the days to report after each period. The standing office only."""
    user: User = request.auth
    plan = plan_selectors.plan_get_for_user(user, plan_id)
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("updated_at", None)
    for name in ("number", "parent_references"):
        if name in data and data[name] is None:
            data[name] = ""
    _edit(
        tracking_services.plan_update,
        actor=user,
        plan=plan,
        changes=data,
        expected_updated_at=version,
    )
    return _plan_out(plan)


@api.post(
    "/plans/{plan_id}/withdraw",
    response={200: schemas.PlanWithdrawOut, **errors(400, 401, 403, 404, 409)},
    tags=["plans"],
)
def plan_withdraw(request, plan_id: schemas.DbId, payload: schemas.WithdrawIn):
    """Withdraw a plan imported by mistake: deleted when nothing was ever reported on it,
    otherwise archived with its history (out of every count). The standing office only."""
    user: User = request.auth
    plan = plan_selectors.plan_get_for_user(user, plan_id)
    outcome = _edit(
        tracking_services.plan_withdraw,
        actor=user,
        plan=plan,
        reason=payload.reason,
        expected_updated_at=payload.updated_at,
    )
    return {"outcome": outcome, "plan": _plan_out(plan) if outcome == "archived" else None}


@api.get("/alerts", response={200: schemas.AlertListOut, **errors(400, 401)}, tags=["alerts"])
def alert_list(request, open: bool = True):
    alerts = _alerts_for(request.auth, open_only=open)
    return {"items": [_alert(a) for a in alerts]}


# --- Periodic reports from the wards' own installations ------------------------------------------


class UpwardInvalid(Exception):
    """A report whose form or content cannot be received as sent (HTTP 422)."""


@api.exception_handler(UpwardInvalid)
def _upward_invalid(request, exc):
    return _error(request, 422, str(exc))


@api.exception_handler(upward.UpwardConflict)
def _upward_conflict(request, exc):
    return _error(request, 409, str(exc))


def _pydantic_detail(exc: PydanticValidationError) -> str:
    problems: dict[str, str] = {}
    for error in exc.errors():
        field = ".".join(str(p) for p in error.get("loc", ()))
        problems.setdefault(field, _problem(dict(error)))
    parts = [
        gettext("the field «%(field)s» %(problem)s") % {"field": field, "problem": problem}
        if field
        else gettext("the request body %(problem)s") % {"problem": problem}
        for field, problem in problems.items()
    ]
    return gettext("Invalid data: %(problems)s.") % {"problems": "; ".join(parts)}


def _upward_receipt(report: UpwardReport, *, with_payload: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": report.pk,
        "ward": {"code": report.organization.code, "name": report.organization.name},
        "plan_number": report.plan.number,
        "period": report.period,
        "status": report.status,
        "version": report.version,
        "key": report.remote_key,
        "received_at": report.sent_at,
        "return_reason": report.return_reason,
        "answered_at": report.answered_at,
        "package_sha256": report.package_sha256,
    }
    if with_payload:
        data["payload"] = report.payload or None
    return data


UPWARD_KEY_MAX = 100
# Optional, so that a missing package is told in Vietnamese (422) like every other problem.
_PACKAGE_PART = File(None, description="The zip the payload's package_sha256 names.")


@api.post(
    "/upward-reports",
    url_name="upward_reports",
    response={
        200: schemas.UpwardReceipt,
        201: schemas.UpwardReceipt,
        **errors(400, 401, 403, 409, 413, 422),
    },
    tags=["upward reports"],
)
def upward_report_post(
    request,
    payload: str = Form("", description="The JSON text of an UpwardReportPayload."),
    package: UploadedFile = _PACKAGE_PART,
    idempotency_key: str = Header("", alias="Idempotency-Key"),
):
    """A ward's own installation delivers its periodic report (multipart): ``payload`` is the
    JSON text of the schema ``UpwardReportPayload`` ("theodoi.upward-report/1") and
    ``package`` the zip of the report and its accepted evidence, whose SHA-256 the payload
    names. The token is the ward's connection code. The header ``Idempotency-Key`` is the
    sender's key of this sending (its report and version): the same key again answers the same
    receipt (200) and changes nothing; a new sending answers 201. A report already accepted, or
    awaiting its answer, answers 409; a report that cannot be read, 422."""
    key = idempotency_key.strip()
    if not key or len(key) > UPWARD_KEY_MAX:
        raise UpwardInvalid(
            gettext(
                "Send the header Idempotency-Key: the report's key and version (at most 100 characters)."
            )
        )
    if package is None:
        raise UpwardInvalid(gettext("Send the report's package as the file «package»."))
    try:
        schemas.UpwardReportPayload.model_validate_json(payload or "")
    except PydanticValidationError as exc:
        raise UpwardInvalid(_pydantic_detail(exc)) from exc
    # Kept as sent: fields a newer sender added within /1 stay for whoever reads it later.
    data = json.loads(payload)
    place = _unstorable(data)
    if place is not None:
        raise UpwardInvalid(
            gettext(
                "Invalid data: the field «%(field)s» contains an invalid Unicode character (half "
                "of a UTF-16 pair on its own). Send valid UTF-8 text."
            )
            % {"field": place}
        )
    if "\\u0000" in payload:  # PostgreSQL cannot store it
        raise UpwardInvalid(
            gettext("Invalid data: %(problems)s.")
            % {
                "problems": gettext("the field «%(field)s» %(problem)s")
                % {"field": "payload", "problem": gettext("contains an invalid NUL character")}
            }
        )
    limit = settings.THEODOI_UPWARD_PACKAGE_MAX_MB * 1024 * 1024
    content = package.read(limit + 1)
    if len(content) > limit:
        raise tracking_services.FileTooLarge(
            gettext("The package is larger than %(mb)s MB.")
            % {"mb": settings.THEODOI_UPWARD_PACKAGE_MAX_MB}
        )
    try:
        report, changed = upward.upward_report_receive(
            actor=request.auth,
            payload=data,
            package=content,
            key=key,
        )
    except upward.UpwardConflict:
        raise
    except tracking_services.ReportingError as exc:
        raise UpwardInvalid(str(exc)) from exc
    return Status(201 if changed else 200, _upward_receipt(report))


def _upward_reports_for(user: User):
    return upstream.upward_reports_for(user).select_related("organization", "plan")


@api.get(
    "/upward-reports",
    response={200: schemas.UpwardReportListOut, **errors(400, 401)},
    tags=["upward reports"],
    by_alias=True,
)
def upward_report_list(request, period: str = Query("", max_length=10)):
    """The periodic reports the token's person may read (a ward: its own; a province: its
    wards'), of one period (``?period=2026-Q3``) or all, with their payload."""
    reports = _upward_reports_for(request.auth).exclude(status=UpwardReport.Status.DRAFT)
    if period:
        reports = reports.filter(period=period.strip().upper())
    return {"items": [_upward_receipt(r, with_payload=True) for r in reports.order_by("pk")]}


@api.get(
    "/upward-reports/{report_id}",
    response={200: schemas.UpwardReportOut, **errors(400, 401, 404)},
    tags=["upward reports"],
    by_alias=True,
)
def upward_report_detail(request, report_id: schemas.DbId):
    """One periodic report: its status, version, the reason it was returned and when it was
    answered (the sender reads its answer here), and its payload."""
    report = _upward_reports_for(request.auth).filter(pk=report_id).first()
    if report is None:
        raise Http404
    return _upward_receipt(report, with_payload=True)


@api.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", auth=None, include_in_schema=False
)
def unknown(request, rest: str):
    """Any other path under /api/v1/ answers JSON, not the site's HTML 404 page."""
    raise Http404
