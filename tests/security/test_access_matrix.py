"""The access matrix (issue 7): every page URL name and every API endpoint × every persona ×
own ward / other ward; allowed, 403 or 404, never data of another ward.

Pages are enumerated from theodoi.urls.urlpatterns: a new URL name without a row here fails.
Cells list the GET status for the personas in PERSONAS order. Write-only URLs answer GET with
405; their POST side is checked for the other ward and the other unit below.
"""

import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse

from tests.api.helpers import client_for
from tests.security.matrix_world import catalogue_entry, objects_of
from theodoi.reporting.models import Evidence, ProgressReport
from theodoi.urls import urlpatterns

PERSONAS = [
    "officer", "head", "police_officer", "office", "leader",
    "ward_admin", "upper", "other_upper", "other_ward",
]  # fmt: skip
EXCLUDED_PREFIXES = ("admin/", "static/")
# Not about a ward's data: the language switch and the sign-in page itself.
NOT_SCOPED = {"login", "set_language", "api:openapi-json", "api:openapi-view", "api:api-root",
              "api:auth_token", "api:unknown",
              # The password reset pages, for people not signed in; and a person's own token,
              # which tests/api/test_auth.py checks is nobody else's to revoke.
              "password_reset", "password_reset_done", "password_reset_confirm",
              "password_reset_complete", "api:auth_token_revoke",
              # The installable app's pieces, the same for everyone (tests/core/test_pwa.py).
              "service_worker", "manifest", "offline", "offline_csrf",
              # A person's own notification: anyone else's is a 404
              # (tests/notifications/test_pages.py).
              "notification_open"}  # fmt: skip

A, F, N, R, M = 200, 403, 404, 302, 405
ALL = lambda code: [code] * 9  # noqa: E731
# Only the upper level of the province and ward B's own people see ward B.
OTHER = [N, N, N, N, N, N, A, N, A]
OWN = [A, A, A, A, A, A, A, N, N]
ONLY_B = [N, N, N, N, N, N, N, N, A]  # ward B's office alone
WARD_ADMIN = [F, F, F, F, F, A, F, N, N]  # people who see ward A; its admin alone manages it
WARD_ADMIN_OTHER = [N, N, N, N, N, N, F, N, F]
EDIT = [F, F, F, A, F, A, F, N, N]  # the ward's standing office and its admin edit its plans
EDIT_OTHER = [N, N, N, N, N, N, F, N, A]

# name: (kwargs from a ward's objects and the catalogue pk, own ward row, other ward row)
PAGES = {
    "home": (None, ALL(R), None),
    "logout": (None, ALL(M), None),
    # Completing the "6 rõ" is the standing office's (Action.MANAGE_PLAN).
    "plan_complete": (
        lambda o, c: {"pk": o["plan"]},
        EDIT,
        EDIT_OTHER,
    ),
    "plan_list": (None, ALL(A), None),
    "my_tasks": (None, ALL(A), None),
    "plan_detail": (lambda o, c: {"pk": o["plan"]}, OWN, OTHER),
    "task_detail": (lambda o, c: {"pk": o["task"]}, OWN, OTHER),
    # Editing a plan: the ward's standing office only; the upper level reads, never edits.
    "plan_edit": (lambda o, c: {"pk": o["plan"]}, EDIT, EDIT_OTHER),
    "plan_withdraw": (lambda o, c: {"pk": o["plan"]}, EDIT, EDIT_OTHER),
    "plan_restore": (lambda o, c: {"pk": o["plan"]}, ALL(M), ALL(M)),
    "task_add": (lambda o, c: {"pk": o["plan"]}, EDIT, EDIT_OTHER),
    "deadline_preview": (lambda o, c: {"pk": o["plan"]}, EDIT, EDIT_OTHER),
    "task_edit": (lambda o, c: {"pk": o["task"]}, EDIT, EDIT_OTHER),
    "subtask_add": (lambda o, c: {"pk": o["task"]}, EDIT, EDIT_OTHER),
    "task_withdraw": (lambda o, c: {"pk": o["task"]}, EDIT, EDIT_OTHER),
    "indicator_edit": (lambda o, c: {"pk": o["indicator"]}, EDIT, EDIT_OTHER),
    # Amending a plan is the standing office's; its versions are for everyone who reads it.
    "amendment_create": (
        lambda o, c: {"pk": o["plan"]},
        EDIT,
        EDIT_OTHER,
    ),
    "plan_versions": (lambda o, c: {"pk": o["plan"]}, OWN, OTHER),
    "plan_version": (lambda o, c: {"pk": o["plan"], "version": 0}, OWN, OTHER),
    "directive_create": (lambda o, c: {"pk": o["task"]}, ALL(M), ALL(M)),
    "directive_answer": (
        lambda o, c: {"pk": o["task"], "directive_pk": o["directive"]},
        ALL(M),
        ALL(M),
    ),
    "report_submit": (lambda o, c: {"pk": o["task"]}, ALL(M), ALL(M)),
    # Adding evidence: whoever may report on the task (its lead unit, the office).
    "evidence_add": (
        lambda o, c: {"pk": o["task"]},
        [A, A, F, A, F, F, F, N, N],
        EDIT_OTHER,
    ),
    "report_decide": (lambda o, c: {"pk": o["report"]}, ALL(M), ALL(M)),
    "evidence_review": (lambda o, c: {"pk": o["evidence"]}, ALL(M), ALL(M)),
    "evidence_file": (lambda o, c: {"pk": o["evidence"]}, OWN, OTHER),
    "review_queue": (None, [F, F, F, A, F, F, F, F, A], None),
    # Every person's own alerts, scoped like the selectors; acting on one is a POST.
    "alert_list": (None, ALL(A), None),
    "alert_act": (lambda o, c: {"pk": o["alert"]}, ALL(M), ALL(M)),
    # Every person's own notifications and their choices; marking and subscribing are POSTs.
    "notifications": (None, ALL(A), None),
    "notification_preferences": (None, ALL(A), None),
    "notifications_read_all": (None, ALL(M), None),
    "push_subscribe": (None, ALL(M), None),
    # The audit trail: admins only (ward B's office is no admin).
    "audit_export": (None, [F, F, F, F, F, A, F, F, F], None),
    # Uploading a plan: a ward's office or admin for the ward, the upper level for its own
    # province's plans (the page imports into the uploader's own organisation).
    "import_upload": (None, [F, F, F, A, F, A, A, A, A], None),
    "import_review": (
        lambda o, c: {"pk": o["draft"]},
        [F, F, F, R, F, R, F, N, N],
        [N, N, N, N, N, N, F, N, R],
    ),
    # A scan being read: the people who import plans, of its own ward.
    "import_reading": (lambda o, c: {"pk": o["reading"]}, EDIT, EDIT_OTHER),
    "dashboard": (None, [F, F, F, A, A, F, R, R, A], None),
    "dashboard_ward": (lambda o, c: {"pk": o["ward"]}, [F, F, F, A, A, F, A, N, N], OTHER),
    "dashboard_ward_tasks": (lambda o, c: {"pk": o["ward"]}, OWN, OTHER),
    "indicator_detail": (lambda o, c: {"pk": o["indicator"]}, OWN, OTHER),
    "indicator_catalogue_link": (lambda o, c: {"pk": o["indicator"]}, ALL(M), ALL(M)),
    "province_dashboard": (None, [F, F, F, F, F, F, A, A, F], None),
    # The wards' periodic reports: the province receives them (each its own wards'); the ward's
    # office that sent one and its leaders read it, its units and its admin do not.
    "upward_received": (None, [F, F, F, F, F, F, A, A, F], None),
    **{
        name: (
            lambda o, c: {"pk": o["upward_report"]},
            [F, F, F, A, A, F, A, N, N],
            OTHER,
        )
        for name in ("upward_received_report", "upward_report_package")
    },
    "upward_report_answer": (lambda o, c: {"pk": o["upward_report"]}, ALL(M), ALL(M)),
    "catalogue_create": (None, ALL(M), None),
    "catalogue_compare": (lambda o, c: {"pk": c}, [F, F, F, F, F, F, A, A, F], None),
    "export_report": (lambda o, c: {"pk": o["plan"]}, [F, F, F, A, A, F, A, N, N], OTHER),
    "export_report_file": (
        lambda o, c: {"pk": o["plan"], "fmt": "xlsx"},
        [F, F, F, A, A, F, A, N, N],
        OTHER,
    ),
    # A ward plan's periodic reports to the level above: read as the report page is.
    "upward_list": (lambda o, c: {"pk": o["plan"]}, [F, F, F, A, A, F, A, N, N], OTHER),
    "upward_report": (
        lambda o, c: {"pk": o["plan"], "period": "2026-Q3"},
        [F, F, F, A, A, F, A, N, N],
        OTHER,
    ),
    "export_report_prepare": (lambda o, c: {"pk": o["plan"], "fmt": "docx"}, ALL(M), ALL(M)),
    # A report made by the background worker is its asker's alone (the office of each ward).
    "export_status": (lambda o, c: {"pk": o["export"]}, [N, N, N, A, N, N, N, N, N], ONLY_B),
    "export_download": (lambda o, c: {"pk": o["export"]}, [N, N, N, A, N, N, N, N, N], ONLY_B),
    "ranking": (None, ALL(A), None),
    "ranking_ward": (lambda o, c: {"ward_id": o["ward"]}, OWN, OTHER),
    # The page as an Excel table: the same people, the same lines.
    "ranking_export": (lambda o, c: {"ward_id": o["ward"]}, OWN, OTHER),
    "ranking_scale": (
        lambda o, c: {"ward_id": o["ward"]},
        [F, F, F, A, F, A, F, N, N],
        [N, N, N, N, N, N, F, N, A],
    ),
    "plan_budget": (lambda o, c: {"pk": o["plan"]}, OWN, OTHER),
    "ward_budget_record": (lambda o, c: {"pk": o["plan"]}, ALL(M), ALL(M)),
    "budget_line_record": (lambda o, c: {"pk": o["budget_line"]}, ALL(M), ALL(M)),
    # Adding, correcting and removing budget lines: as editing the plan (Action.EDIT_BUDGET_LINES);
    # the removal's GET is only its confirmation page.
    "budget_line_add": (lambda o, c: {"pk": o["plan"]}, EDIT, EDIT_OTHER),
    "budget_line_edit": (lambda o, c: {"pk": o["budget_line"]}, EDIT, EDIT_OTHER),
    "budget_line_delete": (lambda o, c: {"pk": o["budget_line"]}, EDIT, EDIT_OTHER),
    "two_factor_setup": (None, [F, F, F, A, A, A, F, F, A], None),
    "two_factor_verify": (None, ALL(R), None),
    # One's own account: password change and API tokens, for everyone.
    "password_change": (None, ALL(A), None),
    "api_tokens": (None, ALL(A), None),
    # The self-assessment toolkit (issue 8): the office runs it; a unit sees its own form.
    "assessment_home": (None, ALL(A), None),
    "assessment_framework_import": (None, ALL(M), None),
    "assessment_framework_default": (None, ALL(M), None),
    "assessment_framework": (lambda o, c: {"pk": o["framework"]}, OWN, OTHER),
    "assessment_framework_export": (
        lambda o, c: {"pk": o["framework"], "fmt": "xlsx"},
        OWN,
        OTHER,
    ),
    "assessment_campaign_new": (None, [F, F, F, A, F, A, F, F, A], None),
    "assessment_campaign": (lambda o, c: {"pk": o["campaign"]}, OWN, OTHER),
    "assessment_campaign_close": (lambda o, c: {"pk": o["campaign"]}, ALL(M), ALL(M)),
    "assessment_results": (lambda o, c: {"pk": o["campaign"]}, OWN, OTHER),
    "assessment_results_export": (
        lambda o, c: {"pk": o["campaign"], "fmt": "docx"},
        [F, F, F, A, A, A, A, N, N],
        OTHER,
    ),
    "assessment_tasks": (lambda o, c: {"pk": o["campaign"]}, ALL(M), ALL(M)),
    # Officer and head are of the assessed unit; the police officer is of another unit.
    "assessment_submission": (
        lambda o, c: {"pk": o["submission"]},
        [A, A, N, A, A, A, A, N, N],
        OTHER,
    ),
    "assessment_evidence": (lambda o, c: {"pk": o["submission"]}, ALL(M), ALL(M)),
    "assessment_review": (lambda o, c: {"pk": o["submission"]}, ALL(M), ALL(M)),
    # The ward administration: the ward's admin only; above it the upper level sees the ward
    # but manages nothing in it.
    "ward_admin": (None, [F, F, F, F, F, R, F, F, F], None),
    **{
        name: (lambda o, c: {"ward_id": o["ward"]}, WARD_ADMIN, WARD_ADMIN_OTHER)
        for name in (
            "ward_users",
            "ward_user_create",
            "ward_units",
            "ward_unit_create",
            "ward_standard_units",
            "ward_import",
            "ward_import_template",
        )
    },  # fmt: skip
    "ward_import_confirm": (lambda o, c: {"ward_id": o["ward"]}, ALL(M), ALL(M)),
    "ward_unit_edit": (lambda o, c: {"pk": o["unit"]}, WARD_ADMIN, WARD_ADMIN_OTHER),
    "ward_unit_remove": (lambda o, c: {"pk": o["unit"]}, WARD_ADMIN, WARD_ADMIN_OTHER),
    "ward_user_edit": (lambda o, c: {"pk": o["person"]}, WARD_ADMIN, WARD_ADMIN_OTHER),
    "ward_user_status": (lambda o, c: {"pk": o["person"]}, WARD_ADMIN, WARD_ADMIN_OTHER),
    # The chain of plans: linking a ward task to the province task it carries out and giving a
    # province task to wards are POSTs of the task page and its edit page (the wards' address
    # opened leads to the edit page, which checks who may open it).
    "task_link_upper": (lambda o, c: {"pk": o["task"]}, ALL(M), ALL(M)),
    "task_assign_wards": (lambda o, c: {"pk": o["task"]}, ALL(R), ALL(R)),
    # A ward's "not yet made concrete" list: its people, and the upper level for its wards (a
    # province with no wards has nothing to choose from).
    "unimplemented_upper_tasks": (None, [A, A, A, A, A, A, A, F, A], None),
    # The upper installation a ward sends its reports to: the ward's admin sets it.
    "upstream_link": (None, [F, F, F, F, F, A, F, F, F], None),
    # The codes the province issues to its wards' own installations: its upper level (one
    # with no wards below has none to issue).
    "ward_connections": (None, [F, F, F, F, F, F, A, F, F], None),
}

# API: (method, path from a ward's objects, own ward row, other ward row)
API = {
    "api:upward_report_list": ("get", lambda o: "/upward-reports", ALL(A), None),
    "api:upward_report_detail": (
        "get",
        lambda o: f"/upward-reports/{o['upward_report']}",
        OWN,
        OTHER,
    ),
    "api:upward_reports": ("post", lambda o: "/upward-reports", None, None),
    "api:me": ("get", lambda o: "/me", ALL(A), None),
    "api:auth_token_list": ("get", lambda o: "/auth/tokens", ALL(A), None),
    "api:plan_list": ("get", lambda o: "/plans", ALL(A), None),
    "api:alert_list": ("get", lambda o: "/alerts", ALL(A), None),
    "api:plan_tasks": ("get", lambda o: f"/plans/{o['plan']}/tasks", OWN, OTHER),
    "api:task_detail": ("get", lambda o: f"/tasks/{o['task']}", OWN, OTHER),
    "api:plan_completeness": ("get", lambda o: f"/plans/{o['plan']}/completeness", OWN, OTHER),
    "api:evidence_file": ("get", lambda o: f"/evidence/{o['evidence']}/file", OWN, OTHER),
    "api:plan_amendments": ("get", lambda o: f"/plans/{o['plan']}/amendments", OWN, OTHER),
    "api:plan_amendment": ("get", lambda o: f"/plans/{o['plan']}/amendments/0", OWN, OTHER),
    "api:amendment_create": (
        "post",
        lambda o: f"/plans/{o['plan']}/amendments",
        None,
        OTHER[:6] + [F, N, None],
    ),
    # Writes: a valid body; the other ward is refused before anything is written.
    "api:report_submit": (
        "post",
        lambda o: f"/tasks/{o['task']}/reports",
        None,
        OTHER[:6] + [F, N, None],
    ),
    "api:evidence_upload": ("post", lambda o: f"/tasks/{o['task']}/evidence", None, None),
    "api:evidence_review": (
        "post",
        lambda o: f"/evidence/{o['evidence']}/review",
        None,
        OTHER[:6] + [F, N, None],
    ),
    "api:indicator_value": (
        "post",
        lambda o: f"/indicators/{o['indicator']}/values",
        None,
        OTHER[:6] + [F, N, None],
    ),
    "api:task_update": ("patch", lambda o: f"/tasks/{o['task']}", None, OTHER[:6] + [F, N, None]),
    "api:task_create": (
        "post",
        lambda o: f"/plans/{o['plan']}/tasks",
        None,
        OTHER[:6] + [F, N, None],
    ),
    "api:task_withdraw": (
        "post",
        lambda o: f"/tasks/{o['task']}/withdraw",
        None,
        OTHER[:6] + [F, N, None],
    ),
    "api:indicator_update": (
        "patch",
        lambda o: f"/indicators/{o['indicator']}",
        None,
        OTHER[:6] + [F, N, None],
    ),
    "api:plan_update": ("patch", lambda o: f"/plans/{o['plan']}", None, OTHER[:6] + [F, N, None]),
    "api:plan_withdraw": (
        "post",
        lambda o: f"/plans/{o['plan']}/withdraw",
        None,
        OTHER[:6] + [F, N, None],
    ),
    "api:plan_tasks_assign": (
        "post",
        lambda o: f"/plans/{o['plan']}/tasks/assign",
        None,
        OTHER[:6] + [F, N, None],
    ),
}
API_BODIES = {
    "api:plan_tasks_assign": {"task_ids": [1], "output": "Báo cáo tổng kết"},
    "api:report_submit": {"period": "2026-Q4", "percent": 90},
    "api:evidence_review": {"decision": "reject", "reason": "Thiếu chữ ký"},
    "api:indicator_value": {"period": "2026", "value": 50},
    "api:task_update": {"title": "Sửa bởi người ngoài"},
    "api:task_create": {"title": "Thêm bởi người ngoài"},
    "api:task_withdraw": {"reason": "Rút bởi người ngoài"},
    "api:indicator_update": {"name": "Sửa bởi người ngoài"},
    "api:plan_update": {"title": "Sửa bởi người ngoài"},
    "api:plan_withdraw": {"reason": "Thu hồi bởi người ngoài"},
    "api:amendment_create": {
        "number": "25/KH-UBND",
        "changes": [{"kind": "added", "row": {"title": "Nhiệm vụ bổ sung"}}],
    },
}


def _names(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            full = f"{namespace}:{inner}" if namespace and inner else (namespace or inner)
            yield from _names(pattern.url_patterns, prefix + str(pattern.pattern), full)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, prefix + str(pattern.pattern)


def test_every_url_name_has_a_row_in_the_matrix():
    names = {name for name, route in _names(urlpatterns) if not route.startswith(EXCLUDED_PREFIXES)}
    assert None not in names, "every URL pattern needs a name to be in the matrix"
    missing = names - set(PAGES) - set(API) - NOT_SCOPED
    assert not missing, f"add these URL names to the access matrix: {sorted(missing)}"
    assert not (set(PAGES) | set(API)) - names, "the matrix names URLs that no longer exist"


@pytest.fixture
def matrix(world):
    people = world.people
    own = objects_of(world.plan_a, world.task_vhxh, people.office, people.leader)
    other = objects_of(world.plan_b, world.task_b, people.other_ward, people.other_ward)
    secrets = [world.task_b.title, f"Chỉ tiêu {world.plan_b.pk}"]
    if world.plan_b.title != world.plan_a.title:
        secrets.append(world.plan_b.title)
    return world, own, other, catalogue_entry().pk, secrets


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _sees_other_ward(persona: str) -> bool:
    return persona in ("upper", "other_ward")


def test_pages(matrix):
    world, own, other, catalogue, secrets = matrix
    failures = []
    for persona_index, persona in enumerate(PERSONAS):
        client = Client()
        client.force_login(getattr(world.people, persona))
        for name, (build, own_row, other_row) in PAGES.items():
            for scope, objects, row in (("own", own, own_row), ("other", other, other_row)):
                if row is None:
                    continue
                kwargs = build(objects, catalogue) if build else None
                response = client.get(reverse(name, kwargs=kwargs))
                expected = row[persona_index]
                if response.status_code != expected:
                    failures.append(f"{name}/{scope}/{persona}: {response.status_code}≠{expected}")
                body = _body(response)
                if not _sees_other_ward(persona):
                    leaked = [secret for secret in secrets if secret in body]
                    if leaked:
                        failures.append(f"{name}/{scope}/{persona} shows {leaked}")
    assert failures == [], "\n".join(failures)


def test_api(matrix):
    world, own, other, _, secrets = matrix
    failures = []
    for persona_index, persona in enumerate(PERSONAS):
        client = client_for(getattr(world.people, persona))
        for name, (method, build, own_row, other_row) in API.items():
            for scope, objects, row in (("own", own, own_row), ("other", other, other_row)):
                if row is None or row[persona_index] is None:
                    continue
                path = "/api/v1" + build(objects)
                if method == "get":
                    response = client.get(path)
                else:
                    body = json.dumps(API_BODIES[name])
                    send = getattr(client, method)
                    response = send(path, body, content_type="application/json")
                expected = row[persona_index]
                if response.status_code != expected:
                    failures.append(f"{name}/{scope}/{persona}: {response.status_code}≠{expected}")
                if not _sees_other_ward(persona):
                    leaked = [secret for secret in secrets if secret in _body(response)]
                    if leaked:
                        failures.append(f"{name}/{scope}/{persona} shows {leaked}")
    assert failures == [], "\n".join(failures)
    # Nothing was written into ward B by anyone refused.
    assert not ProgressReport.objects.filter(task=world.task_b, period="2026-Q4").exists()
    world.plan_b.refresh_from_db()
    world.task_b.refresh_from_db()
    assert world.plan_b.status == "active" and "người ngoài" not in world.plan_b.title
    assert world.task_b.withdrawn_at is None and "người ngoài" not in world.task_b.title
    assert not world.plan_b.tasks.filter(title__contains="người ngoài").exists()


def test_other_unit_cannot_report_on_a_task_it_does_not_lead(matrix):
    world, *_ = matrix
    police = client_for(world.people.police_officer)
    response = police.post(
        f"/api/v1/tasks/{world.task_vhxh.pk}/reports",
        json.dumps({"period": "2026-Q4", "percent": 90}),
        content_type="application/json",
    )
    assert response.status_code == 403
    page = Client()
    page.force_login(world.people.police_officer)
    refused = page.post(
        reverse("report_submit", args=[world.task_vhxh.pk]), {"period": "2026-Q4", "percent": 90}
    )
    assert refused.status_code in (403, 404)
    assert not ProgressReport.objects.filter(task=world.task_vhxh, period="2026-Q4").exists()


def test_page_writes_into_the_other_ward_are_refused(matrix):
    world, _, other, catalogue, _ = matrix
    client = Client()
    client.force_login(world.people.office)
    for name, (build, _, other_row) in PAGES.items():
        if other_row is None or other_row[0] != M:
            continue
        response = client.post(reverse(name, kwargs=build(other, catalogue)), {})
        assert response.status_code in (403, 404), name


def test_evidence_is_served_only_through_the_checking_view(matrix, client):
    world, own, *_ = matrix
    evidence = Evidence.objects.get(pk=own["evidence"])
    assert client.get(reverse("evidence_file", args=[evidence.pk])).status_code == 302
    public = "/" + settings.MEDIA_URL.strip("/") + "/" + evidence.file.name
    client.force_login(world.people.officer)
    assert client.get(public).status_code == 404, "no public media URL"
    response = client.get(reverse("evidence_file", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "bien-ban.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    api = client_for(world.people.officer).get(f"/api/v1/evidence/{evidence.pk}/file")
    assert api.status_code == 200 and api["Content-Type"] == "application/pdf"
    assert api["Content-Disposition"].startswith("attachment;")
