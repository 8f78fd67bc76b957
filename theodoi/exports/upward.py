"""The ward's periodic report sent upward: its JSON form (schema "theodoi.upward-report/1") and
its package (the Word report and the accepted evidence it cites), made from the same data as
the Word report, and the sending through ``reporting.upward``'s services.

The office's edits of the prose are kept on the report (``UpwardReport.text``) in the shape
the report page's edits have (``services.EDITABLE_FIELDS`` and the sections' texts in order),
so one mechanism applies them to the Word file and to the JSON form alike.
"""

import datetime
import hashlib
import io
from decimal import Decimal
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction

from theodoi.alerts.services import evaluate_upward
from theodoi.audit.anchor import current_anchor
from theodoi.core import clock
from theodoi.core.access import Action, Actor, require
from theodoi.plans.models import Indicator, Plan, Task
from theodoi.plans.periods import Period, label_vi_of, periods_between
from theodoi.plans.states import TaskState
from theodoi.reporting.models import Evidence, UpwardReport
from theodoi.reporting.upward import (
    upper_plan,
    upward_cycle,
    upward_report_save,
    upward_report_send,
)

from . import bundle, docx, report, selectors, services

SCHEMA = "theodoi.upward-report/1"

# Vietnamese on purpose: the report sent upward is an administrative document, in Vietnamese
# by law whatever the interface language.
# The prose outside the plan's sections, in the order of the report; the keys are the edit
# fields (and the payload's section codes), the titles those of the Word report.
PROSE_PARTS = (
    ("intro", "Mở đầu"),
    ("summary", "Kết quả chung"),
    ("indicators", "Kết quả thực hiện các chỉ tiêu"),
    ("shortcomings", "Nhiệm vụ chậm, quá hạn và nguyên nhân"),
    ("next_steps", "Nhiệm vụ trọng tâm kỳ tới"),
    ("proposals", "Kiến nghị, đề xuất"),
)


def period_of_report(upward: UpwardReport) -> Period:
    return report.parse_report_period(upward.period)


# --- The office's edits -----------------------------------------------------------------------


def edits_to_json(edits: dict[str, Any]) -> dict[str, Any]:
    """The edits as stored on the report (JSON: the date as text)."""
    stored = dict(edits)
    if isinstance(stored.get("date"), datetime.date):
        stored["date"] = stored["date"].isoformat()
    return stored


def edits_from_json(stored: dict[str, Any]) -> dict[str, Any]:
    """The stored edits as ``services.apply_edits`` takes them; a date that does not read is
    left out (the assembled one stays)."""
    edits = dict(stored or {})
    if isinstance(edits.get("date"), str):
        try:
            edits["date"] = datetime.date.fromisoformat(edits["date"])
        except ValueError:
            edits.pop("date")
    return edits


def content_of(upward: UpwardReport, data: report.ReportData) -> report.ReportContent:
    """The report's text: assembled from the data, with the office's saved edits."""
    content = report.assemble(data)
    if upward.text:
        content = services.apply_edits(content, edits_from_json(upward.text))
    return content


def report_data_for(actor: Actor, upward: UpwardReport, today: datetime.date) -> report.ReportData:
    return selectors.report_data(actor, upward.plan, period_of_report(upward), today=today)


# --- The JSON form ----------------------------------------------------------------------------


def _text(value: str) -> str | None:
    value = (value or "").strip()
    return value or None


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def summary_of(tasks: tuple[report.TaskRow, ...]) -> dict[str, Any]:
    """The counts of the payload: every task, subtasks included, as the plan page counts them;
    an open task not yet overdue is in progress once it reports any progress."""
    open_not_due = [t for t in tasks if t.state == TaskState.OPEN_NOT_DUE]
    top = [t.progress for t in tasks if t.depth == 0] or [t.progress for t in tasks]
    average = round(sum(top) / len(top), 1) if top else None
    return {
        "tasks_total": len(tasks),
        "done": sum(t.state in (TaskState.DONE_ON_TIME, TaskState.DONE_LATE) for t in tasks),
        "done_on_time": sum(t.state == TaskState.DONE_ON_TIME for t in tasks),
        "overdue": sum(t.state == TaskState.OPEN_OVERDUE for t in tasks),
        "in_progress": sum(t.progress > 0 for t in open_not_due),
        "not_started": sum(t.progress == 0 for t in open_not_due),
        "average_progress": average,
    }


def sections_of(content: report.ReportContent, data: report.ReportData) -> list[dict[str, Any]]:
    """The prose as the office edited it: the opening and overall results, each section of
    the plan, then the indicators, shortcomings, next period and proposals."""
    results = report.section_results(data)
    parts: list[dict[str, Any]] = []
    for key, title in PROSE_PARTS[:2]:
        if hasattr(content, key):
            parts.append({"code": key, "title": title, "text": getattr(content, key)})
    for index, section in enumerate(content.sections):
        code = results[index].code if index < len(results) else ""
        title = results[index].title if index < len(results) else section.heading
        parts.append({"code": code or None, "title": title, "text": section.text})
    for key, title in PROSE_PARTS[2:]:
        if hasattr(content, key):
            parts.append({"code": key, "title": title, "text": getattr(content, key)})
    return parts


def tasks_of(data: report.ReportData) -> list[dict[str, Any]]:
    ids = [task.id for task in data.tasks]
    upper = dict(Task.objects.filter(pk__in=ids).values_list("pk", "upper_task__code"))
    return [
        {
            "code": task.code or None,
            "title": task.title,
            "upper_task_code": upper.get(task.id) or None,
            "lead_unit": task.lead_units[0] if task.lead_units else None,
            "state": str(task.state),
            "progress": task.progress,
            "due_date": _date(task.due),
            "result": _text(task.result),
            "difficulties": _text(task.difficulties),
            "proposals": _text("\n".join(task.proposals)),
        }
        for task in data.tasks
    ]


def indicators_of(data: report.ReportData) -> list[dict[str, Any]]:
    ids = [row.id for row in data.indicators]
    # Through the indicator's reverse link: the catalogue is the dashboards' business.
    catalogue = dict(
        Indicator.objects.filter(pk__in=ids).values_list("pk", "catalogue_link__catalogue__code")
    )
    return [
        {
            "code": row.code or None,
            "name": row.name,
            "unit": _text(row.unit_of_measure),
            "target": _number(row.target),
            "milestone": _number(row.milestone),
            "value": _number(row.latest),
            "period": row.latest_period or None,
            "catalogue_code": catalogue.get(row.id) or None,
        }
        for row in data.indicators
    ]


def accepted_entries(data: report.ReportData) -> list[bundle.Entry]:
    """The evidence files the report cites whose latest review accepted them: a file not yet
    reviewed, or rejected, does not go upward."""
    return [entry for entry in bundle.entries(data) if entry.evidence.decision == "accepted"]


def _accepted_on(evidence_ids: list[int]) -> dict[int, datetime.date | None]:
    items = Evidence.objects.filter(pk__in=evidence_ids).prefetch_related("reviews")
    accepted: dict[int, datetime.date | None] = {}
    for item in items:
        review = item.latest_review
        accepted[item.pk] = review.reviewed_on if review is not None else None
    return accepted


def evidence_of(entries: list[bundle.Entry], missing: list[str]) -> list[dict[str, Any]]:
    """The files in the package (those the storage still had), each with its SHA-256."""
    accepted_on = _accepted_on([entry.evidence.id for entry in entries])
    return [
        {
            "name": entry.arcname,
            "sha256": entry.evidence.sha256,
            "size": entry.evidence.size,
            "task_code": entry.code,
            "accepted_on": _date(accepted_on.get(entry.evidence.id)),
        }
        for entry in entries
        if entry.arcname not in missing
    ]


def build_payload(
    upward: UpwardReport,
    data: report.ReportData,
    content: report.ReportContent,
    *,
    evidence: list[dict[str, Any]],
    package_sha256: str,
    sent_on: datetime.date,
) -> dict[str, Any]:
    """The report's JSON form as it is sent (the API's versioned schema); ``version`` is the
    sending this will be."""
    plan = upward.plan
    ward = plan.organization
    province = ward.parent if ward.parent_id else None
    above = upper_plan(plan)
    period = period_of_report(upward)
    return {
        "schema": SCHEMA,
        "ward": {"code": ward.code, "name": ward.name},
        "province": {"code": province.code, "name": province.name} if province else None,
        "plan": {
            "number": plan.number or None,
            "title": plan.title,
            "issued_on": _date(plan.issued_on),
            "upper_plan_number": (above.number or None) if above else None,
        },
        "period": {
            "key": str(period),
            "label": label_vi_of(str(period)),
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "due_on": _date(upward.due_on),
        "sent_on": sent_on.isoformat(),
        "version": upward.version + 1,
        "summary": summary_of(data.tasks),
        "sections": sections_of(content, data),
        "tasks": tasks_of(data),
        "indicators": indicators_of(data),
        "evidence": evidence,
        "package_sha256": package_sha256,
    }


# --- The package ------------------------------------------------------------------------------


def build_package(
    data: report.ReportData, content: report.ReportContent
) -> tuple[bytes, list[bundle.Entry], list[str]]:
    """The zip: the Word report, the accepted evidence it cites (each as it is stored, with
    ``SHA256SUMS`` and the index of the files). Returns the bytes, the evidence entries and
    the names of the files the storage no longer has."""
    stem = report.file_stem(data.plan, data.period)
    document = docx.write_docx(content, audit_anchor=current_anchor())
    entries = accepted_entries(data)
    out = io.BytesIO()
    written = bundle.write_bundle(
        out,
        xlsx_name=f"{stem}.docx",  # the package's main document: here the Word report
        xlsx=document,
        package=entries,
        open_file=lambda name: default_storage.open(name, "rb"),
    )
    return out.getvalue(), entries, written.missing


# --- Saving and sending -----------------------------------------------------------------------


def upward_save(
    *, actor: Actor, upward: UpwardReport, edits: dict[str, Any], version: int | None = None
) -> UpwardReport:
    """Keep the office's edits of the prose (the page's form, as ``ReportForm.edits``)."""
    return upward_report_save(
        actor=actor, report=upward, text=edits_to_json(edits), version=version
    )


def upward_send(
    *,
    actor: Actor,
    upward: UpwardReport,
    edits: dict[str, Any] | None = None,
    version: int | None = None,
    on: datetime.date | None = None,
) -> UpwardReport:
    """Save the edits given (if any), then make the Word report, the package and the JSON form
    from the data as of today and send them. The edits are kept even when the sending fails,
    so nothing typed is lost. ``on`` records a sending made earlier (the demo's history): the
    report is made from the data as of that day."""
    require(actor, Action.COMPILE_REPORTS, upward.plan)
    if edits is not None:
        upward = upward_save(actor=actor, upward=upward, edits=edits, version=version)
    today = on or clock.today()
    data = report_data_for(actor, upward, today)
    content = content_of(upward, data)
    package, entries, missing = build_package(data, content)
    digest = hashlib.sha256(package).hexdigest()
    with transaction.atomic():
        payload = build_payload(
            upward,
            data,
            content,
            evidence=evidence_of(entries, missing),
            package_sha256=digest,
            sent_on=today,
        )
        sent = upward_report_send(
            actor=actor,
            report=upward,
            payload=payload,
            package=package,
            version=version,
            sent_on=today,
        )
        # The report is no longer missing: its alert closes now, not at the next scan.
        evaluate_upward(sent.plan)
    return sent


def plan_periods(plan: Plan, today: datetime.date) -> list[Period]:
    """The months or quarters of the plan's upward cycle from its start to the current one,
    newest first."""
    start = plan.start  # the same start the alert of a late report counts from
    if start > today:
        return []
    return list(reversed(periods_between(start, today, upward_cycle(plan))))
