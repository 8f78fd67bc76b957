"""The composed task pages: a plan with its tasks, a task with its reports, evidence, alerts
and directives, a unit's tasks, and the forms on them. Thin: reads through the selectors of
plans, reporting and alerts; every POST goes through a form of ``tracking.forms`` and writes
through ``tracking.services`` (the progress chain) or ``reporting.services``."""

import datetime
from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from theodoi.alerts.selectors import alert_summary
from theodoi.core.access import Action, can, can_import_plans, can_see_organization
from theodoi.core.clock import today
from theodoi.core.fragments import cached_fragment, cached_rows
from theodoi.core.inputs import safe_next
from theodoi.plans import selectors
from theodoi.plans import services as plan_services
from theodoi.plans.models import Plan, ReportingCycle, Task
from theodoi.plans.periods import (
    CYCLES,
    PeriodError,
    label_of,
    parse_period,
    period_of,
    periods_between,
)
from theodoi.plans.states import (
    TaskState,
    expected_progress,
    late_against_original,
    report_timeliness,
)
from theodoi.reporting import selectors as reporting_selectors
from theodoi.reporting.models import Directive, Evidence
from theodoi.reporting.selectors import period_states
from theodoi.tracking import cascade_views, services
from theodoi.tracking.forms import (
    GAP_FILTER_CHOICES,
    BulkAssignForm,
    DeadlinePreviewForm,
    DirectiveAnswerForm,
    DirectiveForm,
    EvidenceAddQuery,
    EvidenceFilesForm,
    EvidenceReviewForm,
    GapFilterForm,
    IndicatorEditForm,
    PlanEditForm,
    ReportDecisionForm,
    ReportForm,
    RestoreForm,
    TaskEditForm,
    TaskFilterForm,
    WithdrawForm,
)
from theodoi.tracking.history import PAGE as HISTORY_PAGE
from theodoi.tracking.history import sendings_of, task_history, with_sendings
from theodoi.tracking.province import assignment_form

T = TypeVar("T")


def _form_errors(request, form) -> None:
    """Each error of a form as a message, shown where the page shows its messages."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@login_required
def plan_list(request):
    day = today()
    plans = selectors.plans_for_user(request.user).annotate(
        overdue_count=Count(
            "tasks",
            filter=Q(tasks__completed_on__isnull=True, tasks__due_date__lt=day),
            distinct=True,
        ),
        done_count=Count("tasks", filter=Q(tasks__completed_on__isnull=False), distinct=True),
    )
    # A province's people keep the province's own plans, listed apart from the wards' plans
    # they only read.
    organization = request.user.organization
    own = organization if organization is not None and not organization.is_local else None
    return render(
        request,
        "plans/plan_list.html",
        {
            "own_organization": own,
            "own_plans": plans.filter(organization=own) if own else [],
            "plans": plans.exclude(organization=own) if own else plans,
            "archived_plans": selectors.plans_for_user(request.user, archived=True),
            "can_import": can_import_plans(request.user),
            "alert_summary": alert_summary(request.user),
            "shows_unimplemented": cascade_views.shows_unimplemented_link(request.user),
        },
    )


@login_required
def plan_detail(request, pk: int):
    day = today()
    plan = selectors.plan_get_for_user(request.user, pk)
    filters = TaskFilterForm(request.GET).filters()
    # A withdrawn plan opens read-only with its tasks as they were (none of them counts).
    all_tasks = selectors.tasks_for_user(
        request.user, today=day, include_withdrawn=plan.is_archived
    ).filter(plan=plan, withdrawn_at__isnull=True)
    tasks = selectors.for_task_list(
        selectors.filter_tasks(all_tasks, today=day, **filters).order_by("order", "id"), "section"
    )
    is_filtered = any(filters.values())
    tasks = _with_rows(tasks, is_filtered=is_filtered)
    counts = dict(all_tasks.order_by().values_list("state").annotate(n=Count("id", distinct=True)))
    budget_years, budget_rows = selectors.budget_table(plan)
    context = {
        "plan": plan,
        "can_complete": can(request.user, Action.MANAGE_PLAN, plan),
        "completeness": selectors.plan_completeness(plan),
        "tasks": tasks,
        "filters": filters,
        "is_filtered": is_filtered,
        "units": selectors.plan_units(plan),
        "sections": plan.sections.all(),
        "state_counts": [(state.value, counts.get(state.value, 0)) for state in TaskState],
        "indicators": selectors.indicators_shown(plan, year=day.year),
        "budget_years": budget_years,
        "can_report": can(request.user, Action.DOWNLOAD_REPORT, plan),
        "can_manage": can(request.user, Action.MANAGE_PLAN, plan),
        "withdrawn_tasks": selectors.withdrawn_tasks(plan),
        "can_amend": can(request.user, Action.MANAGE_PLAN, plan) and not plan.is_archived,
        "budget_rows": budget_rows,
        "total": sum(counts.values()),
    }
    # A filter change from the page's own form swaps only the table body.
    if request.htmx and request.htmx.target == "task-rows":
        return render(request, "plans/_task_rows.html", context)
    return render(request, "plans/plan_detail.html", context)


def _with_rows(tasks, *, is_filtered: bool) -> list:
    """The plan's tasks, each with its row's HTML (``row_html``), from the cache when nothing
    it shows has changed: the rows were most of the page's time."""

    def shown(task) -> tuple:
        # A task's own fields change its updated_at; its state follows the day, its units and
        # section have names of their own.
        return (
            task.pk,
            task.updated_at,
            task.progress,
            task.state,
            [str(unit) for unit in task.lead_unit_list],
            str(task.section) if is_filtered and task.section else "",
            is_filtered,
        )

    rows = cached_rows(
        "plans/_task_row.html",
        tasks,
        key=shown,
        name="task",
        context={"is_filtered": is_filtered},
    )
    for task, html in rows:
        task.row_html = html
    return [task for task, _html in rows]


def report_periods(task, day: datetime.date) -> list:
    """The periods a unit may report for: from the task's start to the current one, newest
    first (a late report for an earlier period is still welcome)."""
    start = task.start
    current = period_of(day, task.cycle)
    periods = periods_between(min(start, current.start), current.end, task.cycle)
    return list(reversed(periods))[:24]


# A task's reports, newest period first: its Meta ordering, whose "task" is the same for all
# (a period has one report), without the joins through the task and its plan it costs.
_REPORT_ORDER = (F("period").desc(),)

# How many periods the task page shows before "show all", and reports a page of its list.
PERIODS_SHOWN = 12
REPORTS_SHOWN = 10

# What the history needs of every report (the page lists only a page of them): not the long
# texts a unit typed.
_HISTORY_REPORT_FIELDS = (
    "task_id",
    "unit_id",
    "period",
    "percent",
    "status",
    "version",
    "return_reason",
    "submitted_at",
    "reviewed_at",
    "submitted_by",
    "reviewed_by",
)


def _arrival(report, task, day: datetime.date) -> str:
    """Whether a report arrived by its period's due day; "" when its period is not one of the
    cycles (an old report kept as it was written)."""
    for cycle in (task.cycle, *CYCLES):
        try:
            period = parse_period(report.period, cycle)
        except PeriodError:
            continue
        return report_timeliness(
            due=period.due(task.plan.report_due_days),
            submitted_on=report.submitted_on,
            today=day,
            returned=report.status == "returned",
        ).value
    return ""


def _attach_sendings(task, reports, day: datetime.date, found: dict) -> None:
    """Each report with its first sending and its last correction or resending: correcting a
    report keeps the day that decides whether it came on time, but not the time it changed."""
    for report in reports:
        sending = found.get(report.pk)
        report.first_sent_at = sending.first_at if sending else report.submitted_at
        report.changed_at = sending.last_at if sending else None
        report.resent = bool(sending and sending.resent)
        report.arrival = _arrival(report, task, day)


def _task_page(
    request,
    task,
    *,
    report_form: ReportForm | None = None,
    rows=None,
    report_closed: bool = False,
    typed: dict | None = None,
    status: int = 200,
):
    """The task page; with a report form that was refused, the form keeps what was typed
    (``rows``: its files' rows; ``report_closed``: the period's report was already accepted)."""
    day = today()
    directives = list(task.directives.select_related("author", "answered_by"))
    # Every report, lightly, for the history (which reads their people, once each) and the
    # form's versions; the list shows a page.
    reports = list(task.reports.only(*_HISTORY_REPORT_FIELDS).order_by(*_REPORT_ORDER))
    evidence = reporting_selectors.task_evidence(task)
    alerts = list(task.alerts.select_related("unit", "acknowledged_by").order_by("-opened_at"))
    # Long lists (a weekly task has a hundred periods in two years) show their newest rows;
    # the rest on request, so that the page stays light on a phone.
    show = {name for name in ("history", "periods") if request.GET.get(name) == "all"}
    history = task_history(
        task,
        reports=reports,
        evidence=evidence,
        directives=directives,
        alerts=alerts,
        limit=None if "history" in show else HISTORY_PAGE,
    )
    # The list's page is counted from the reports read above, and says when each was sent
    # from the history's reading of the trail.
    report_page = report_list_page(
        request, task, day, count=len(reports), sendings=history.sendings
    )
    periods = list(reversed(period_states(task, today=day)))
    # A withdrawn task, or one of a withdrawn plan, is history: shown, never reported on.
    live = not task.is_withdrawn and not task.plan.is_archived
    # A province task the wards carry out takes its progress from theirs, not from reports.
    rollup = selectors.task_rollup(task, today=day)
    can_report = live and rollup is None and can(request.user, Action.REPORT, task)
    offered = report_periods(task, day) if can_report else []
    offered_keys = {str(period) for period in offered}
    evidence_rows = (
        rows
        if rows is not None
        else EvidenceFilesForm(task=task, rejected=reporting_selectors.rejected_among(evidence))
    )
    # Most tasks have no subtask: one light question instead of the scoped list's query
    # (asked with the task when it was read for this page).
    has_subtasks = getattr(task, "has_subtasks", None)
    if has_subtasks is None:
        has_subtasks = task.subtasks.exists()
    context = {
        "task": task,
        "subtasks": (
            selectors.tasks_for_user(request.user, today=day).filter(parent=task)
            if has_subtasks
            else []
        ),
        "reports": reports,
        "evidence": evidence,
        "directives": directives,
        "open_alerts": [a for a in alerts if a.closed_at is None],
        # An alert belongs to its task's ward: asked once for the task, not per alert.
        "can_manage_alerts": (
            {a.pk for a in alerts if a.closed_at is None}
            if live and can(request.user, Action.MANAGE_ALERT, task)
            else set()
        ),
        "today": day,
        "period_states": periods if "periods" in show else periods[:PERIODS_SHOWN],
        "periods_hidden": 0 if "periods" in show else max(len(periods) - PERIODS_SHOWN, 0),
        "report_page": report_page,
        "history": history,
        "expected": expected_progress(start=task.start, due=task.due_date, on=day),
        "deadline_amendment": selectors.deadline_amendment(task),
        "late_against_original": late_against_original(
            due=task.due_date,
            original_due=task.original_due_date,
            completed_on=task.completed_on,
            today=day,
        ),
        "live": live,
        "can_manage": live and can(request.user, Action.MANAGE_PLAN, task),
        "can_direct": live and can(request.user, Action.DIRECT, task),
        "can_answer": live and can(request.user, Action.ANSWER_DIRECTIVE, task),
        "can_report": can_report and not has_subtasks,
        "can_review": live and can(request.user, Action.REVIEW, task),
        "can_confirm": live and can(request.user, Action.CONFIRM_REPORT, task),
        "periods": offered,
        # The version of each offered period's report as the page showed it: a report someone
        # else saved meanwhile is not overwritten (ReportForm.versions).
        "report_versions": ";".join(
            f"{r.period}={r.version}" for r in reports if r.period in offered_keys
        ),
        "current_period": str(period_of(day, task.cycle)),
        "cycle_label": ReportingCycle(task.cycle).label,
        "evidence_kinds": Evidence.Kind.choices,
        "report_form": report_form or ReportForm(),
        "rows": evidence_rows,
        # A new page's empty evidence rows are the same for every task but for the rejected
        # files a row may replace: kept in the cache with those.
        "rows_html": _empty_evidence_rows(evidence_rows) if rows is None and can_report else "",
        "report_closed": report_closed,
        # A refused directive or answer, as typed.
        "typed": typed or {},
        "can_add_evidence": can_report,
        **cascade_views.upper_task_context(request.user, task, live=live),
        # A province task the wards carry out: their tasks, one row per ward.
        "rollup": rollup,
        # A ward's people read the province task but not the other wards' tasks: those rows
        # name the task without a link that would only answer "not found".
        "rollup_readable": (
            {row.ward.pk for row in rollup.rows if can_see_organization(request.user, row.ward)}
            if rollup is not None
            else set()
        ),
    }
    return render(request, "plans/task_detail.html", context, status=status)


def _empty_evidence_rows(rows):
    replaceable = [
        (f.pk, f.original_name, getattr(f.latest_review, "reason", "")) for f in rows.rejected
    ]
    return cached_fragment(
        "plans/_evidence_rows.html",
        {"rows": rows, "evidence_kinds": Evidence.Kind.choices},
        key=replaceable,
    )


def report_list_page(
    request, task, day: datetime.date, *, count: int | None = None, sendings: dict | None = None
):
    """A page of the task's reports, newest period first (``?reports_page=2`` the earlier
    ones): a weekly task has a hundred reports in two years, and the page shows ten.
    ``count``: how many reports the task has, and ``sendings``, when they were read already."""
    reports = task.reports.select_related("submitted_by", "reviewed_by").order_by(*_REPORT_ORDER)
    if sendings is None:
        reports = with_sendings(reports)
    paginator = Paginator(reports, REPORTS_SHOWN)
    if count is not None:
        paginator.count = count  # read already: no COUNT query
    page = paginator.get_page(request.GET.get("reports_page"))
    page.object_list = list(page.object_list)
    found = sendings if sendings is not None else sendings_of(page.object_list)
    _attach_sendings(task, page.object_list, day, found)
    return page


@login_required
def task_detail(request, pk: int):
    if request.htmx and request.htmx.target == "report-list":
        # The list shows none of the task's units: read only if the permissions need them.
        task = selectors.task_get_for_user(
            request.user, pk, today=today(), include_withdrawn=True, units=False
        )
        # Another page of the reports: only the list is read and sent.
        live = not task.is_withdrawn and not task.plan.is_archived
        context = {
            "task": task,
            "report_page": report_list_page(request, task, today()),
            "can_review": live and can(request.user, Action.REVIEW, task),
            "can_confirm": live and can(request.user, Action.CONFIRM_REPORT, task),
        }
        return render(request, "plans/_report_list.html", context)
    return _task_page(request, selectors.task_page_get(request.user, pk, today=today()))


# What a row of My unit's tasks and its cache key read (plans/_my_task_row.html): a unit's
# landing page builds fifty tasks and their plans at each visit, and the columns it never shows
# were most of that work.
MY_TASK_ROW_FIELDS = (
    "id",
    "plan_id",
    "code",
    "title",
    "due_date",
    "deadline_text",
    "progress",
    "updated_at",
    "plan__id",
    "plan__number",
    "plan__title",
)


@login_required
def my_tasks(request):
    day = today()
    tasks = selectors.for_task_list(selectors.my_unit_tasks(request.user, today=day), "plan").only(
        *MY_TASK_ROW_FIELDS
    )
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
    unit = request.user.unit
    unit_id = request.user.unit_id

    def shown(task) -> tuple:
        # Everything the row shows that may change (a task's own fields change its updated_at).
        lead = any(u.pk == unit_id for u in task.lead_unit_list)
        return (task.pk, task.updated_at, task.progress, task.state, task.plan.short_name, lead)

    rows = cached_rows(
        "plans/_my_task_row.html",
        page.object_list,
        key=shown,
        name="task",
        context={"unit": unit},
    )
    # A short summary only: the unit's tasks must stay above the fold.
    return render(
        request,
        "plans/my_tasks.html",
        {
            "page": page,
            "rows": rows,
            "to_act": reporting_selectors.to_act(request.user),
            "unit": unit,
            "alert_summary": alert_summary(request.user),
        },
    )


# --- Directives -----------------------------------------------------------------------------


@login_required
@require_POST
def directive_create(request, pk: int):
    """A leader's directive; refused, the task page comes back with the text as typed."""
    task = selectors.task_get_for_user(request.user, pk, today=today(), action=Action.DIRECT)
    form = DirectiveForm(request.POST)
    if form.is_valid():
        try:
            services.directive_create(actor=request.user, task=task, text=form.cleaned_data["text"])
        except services.EmptyText:
            messages.error(request, _("Write the directive before sending it."))
        except services.ReportingError as exc:  # too long, or not storable
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The directive has been sent to the lead unit."))
            return redirect(task.get_absolute_url() + "#directives")
    else:
        _form_errors(request, form)
    return _task_page(request, task, typed={"directive": form["text"].value() or ""})


@login_required
@require_POST
def directive_answer(request, pk: int, directive_pk: int):
    """The lead unit's answer; refused, the task page comes back with the answer as typed."""
    task = selectors.task_get_for_user(
        request.user, pk, today=today(), action=Action.ANSWER_DIRECTIVE
    )
    directive = get_object_or_404(Directive, pk=directive_pk, task=task)
    form = DirectiveAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.directive_answer(
                actor=request.user, directive=directive, answer=form.cleaned_data["answer"]
            )
        except services.EmptyText:
            messages.error(request, _("Write the answer before sending it."))
        except services.ReportingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Your answer has been recorded."))
            return redirect(task.get_absolute_url() + "#directives")
    else:
        _form_errors(request, form)
    return _task_page(
        request, task, typed={"answer_to": directive.pk, "answer": form["answer"].value() or ""}
    )


# --- Reports and evidence -------------------------------------------------------------------


def _rows_errors(request, rows) -> None:
    """The errors of the evidence rows as messages too (each row also shows its own)."""
    for error in rows.non_form_errors():
        messages.error(request, error)
    for row in rows.forms:
        _form_errors(request, row)


@login_required
@require_POST
def report_submit(request, pk: int):
    """The unit's report for a period, with evidence files each on its own row (its kind,
    number, date): all saved, or nothing saved and the form shown again with everything typed
    and what to do next."""
    task = selectors.task_get_for_user(request.user, pk, today=today(), action=Action.REPORT)
    form = ReportForm(request.POST, request.FILES)
    rows = EvidenceFilesForm(request.POST, request.FILES, task=task)
    closed = False
    valid = form.is_valid()
    valid = rows.is_valid() and valid
    if valid:
        data = form.cleaned_data
        try:
            report, files = services.report_submit_with_files(
                actor=request.user,
                task=task,
                period=data["period"],
                percent=data["percent"],
                result=data["result"],
                difficulties=data["difficulties"],
                proposals=data["proposals"],
                version=data["version"],
                files=rows.evidence_files(),
            )
        except services.ReportClosed as exc:
            form.add_error(None, str(exc))
            closed = True
        except services.ReportingError as exc:  # storage down included: nothing was saved
            form.add_error(None, str(exc))
    if not valid or form.errors:
        _form_errors(request, form)
        _rows_errors(request, rows)
        response = _task_page(
            request, task, report_form=form, rows=rows, report_closed=closed, status=200
        )
        if request.htmx:
            # The form was sent by htmx: the page with the refused form replaces the page.
            response["HX-Retarget"] = "body"
            response["HX-Reswap"] = "innerHTML"
        return response
    messages.success(
        request,
        _("Report for %(period)s saved (%(percent)s%%), %(files)s evidence file(s) attached.")
        % {"period": label_of(report.period), "percent": report.percent, "files": len(files)},
    )
    _warn_rejected_copies(request, files)
    if request.htmx:
        # Without a fragment: the same URL with only "#reports" would scroll, not reload.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = task.get_absolute_url()
        return response
    return redirect(task.get_absolute_url() + "#reports")


def _warn_rejected_copies(request, files) -> None:
    """Say, without refusing anything, that a file sent repeats one the office rejected."""
    for item, copy in reporting_selectors.rejected_copies(files):
        messages.warning(
            request,
            _(
                "«%(name)s» is the same file as «%(earlier)s», which was rejected (%(reason)s). "
                "It has been sent; the reviewer will see that it repeats the rejected file."
            )
            % {
                "name": item.original_name,
                "earlier": copy.evidence.original_name,
                "reason": copy.review.reason if copy.review else "",
            },
        )


@login_required
def evidence_add(request, pk: int):
    """Evidence for a task at any time, not only with a report: a replacement for a rejected
    file (``?replaces=<id>`` chooses it), a document signed after the period's report was
    accepted. Each file on its own row; all saved, or nothing and the page again as typed."""
    task = selectors.task_get_for_user(request.user, pk, today=today(), action=Action.REPORT)
    status = 200
    if request.method == "POST":
        rows = EvidenceFilesForm(request.POST, request.FILES, task=task, require_one=True)
        if rows.is_valid():
            try:
                added = services.evidence_add(
                    actor=request.user, task=task, files=rows.evidence_files()
                )
            except services.ReportingError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s evidence file added; it waits for the standing office's review.",
                        "%(count)s evidence files added; they wait for the standing office's "
                        "review.",
                        len(added),
                    )
                    % {"count": len(added)},
                )
                _warn_rejected_copies(request, added)
                return redirect(task.get_absolute_url() + "#evidence")
        _rows_errors(request, rows)
        status = 400
    else:
        replaces = EvidenceAddQuery(request.GET).chosen()
        rows = EvidenceFilesForm(task=task, initial=[{"replaces": replaces}] if replaces else None)
    return render(
        request,
        "plans/evidence_add.html",
        {"task": task, "rows": rows, "evidence_kinds": Evidence.Kind.choices},
        status=status,
    )


@login_required
@require_POST
def report_decide(request, pk: int):
    """The standing office accepts a report, returns it with a reason, or a unit head confirms."""
    form = ReportDecisionForm(request.POST)
    valid = form.is_valid()
    action = form.cleaned_data.get("action")
    needed = Action.CONFIRM_REPORT if action == "confirm" else Action.REVIEW
    report = reporting_selectors.report_get_for_user(request.user, pk, action=needed)
    back = safe_next(request, report.task.get_absolute_url() + "#reports")
    if not valid:
        _form_errors(request, form)
        return redirect(back)
    # The version the page showed: a report corrected or decided on since is not decided on
    # again unseen (the service says so, and the page shows the report as it is now).
    version = form.cleaned_data["version"]
    try:
        if action == "accept":
            services.report_accept(actor=request.user, report=report, version=version)
            messages.success(request, _("The report has been accepted."))
        elif action == "return":
            services.report_return(
                actor=request.user,
                report=report,
                reason=form.cleaned_data["reason"],
                version=version,
            )
            messages.success(request, _("The report has been returned to the unit."))
        else:
            services.report_confirm(actor=request.user, report=report, version=version)
            messages.success(request, _("The report has been confirmed."))
    except services.ReportingError as exc:
        messages.error(request, str(exc))
    return redirect(back)


@login_required
@require_POST
def evidence_review(request, pk: int):
    evidence = reporting_selectors.evidence_get_for_user(request.user, pk, action=Action.REVIEW)
    back = safe_next(request, reverse("review_queue"))
    form = EvidenceReviewForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(back)
    decision = form.cleaned_data["decision"]
    try:
        services.evidence_review(
            actor=request.user,
            evidence=evidence,
            decision=decision,
            reason=form.cleaned_data["reason"],
            # The id of the latest review the page showed (0: none yet).
            expected_review_id=form.cleaned_data["version"],
        )
    except services.ReportingError as exc:
        messages.error(request, str(exc))
    else:
        if decision in ("accept", "accepted"):
            messages.success(request, _("%(name)s: accepted.") % {"name": evidence.original_name})
        else:
            messages.success(request, _("%(name)s: rejected.") % {"name": evidence.original_name})
    return redirect(back)


@login_required
def review_queue(request):
    ward = request.user.organization
    if ward is None or not can(request.user, Action.REVIEW, ward):
        raise PermissionDenied
    evidence, reports = reporting_selectors.review_queue(request.user)
    reporting_selectors.attach_chains(evidence)
    return render(
        request, "reporting/review_queue.html", {"evidence": evidence, "reports": reports}
    )


@login_required
def evidence_file(request, pk: int):
    """Serve an evidence file to someone who may see its task, and record the access. Files are
    downloads, except PDF and images that the review page shows inline, sandboxed."""
    return services.evidence_open(
        actor=request.user, evidence_id=pk, inline=request.GET.get("inline") == "1"
    )


# --- Editing a plan -------------------------------------------------------------------------


def _try_edit(form, write: Callable[[dict], T]) -> tuple[T | None, int]:
    """Validate a bound edit form and run its write with the cleaned data. Answers the write's
    result and 200 when it was written; otherwise nothing and the status the page is shown
    again with, the reason on the form: 400 when the form is invalid or the change refused,
    409 when someone else saved the same thing since the form was opened."""
    if not form.is_valid():
        return None, 400
    try:
        return write(form.cleaned_data), 200
    except services.StaleEdit as exc:
        form.add_error(None, str(exc))
        return None, 409
    except ValueError as exc:
        form.add_error(None, str(exc))
        return None, 400


def _task_form_page(
    request, form: TaskEditForm, *, plan: Plan, task: Task | None, parent=None, status: int = 200
):
    return render(
        request,
        "plans/task_form.html",
        {
            "form": form,
            "plan": plan,
            "task": task,
            "parent": parent,
            "wards_form": assignment_form(task),
        },
        status=status,
    )


def _save_task(request, form: TaskEditForm, *, plan: Plan, task: Task | None, parent=None):
    """Show the form again (the deadline's reading, or why it was refused, with what was
    typed), or save the task and go to its page."""
    if not form.is_valid() or form.cleaned_data.get("action") == "preview":
        return _task_form_page(
            request,
            form,
            plan=plan,
            task=task,
            parent=parent,
            status=200 if form.is_valid() else 400,
        )
    if task is None:
        saved, status = _try_edit(
            form,
            lambda data: services.task_create(
                actor=request.user,
                plan=plan,
                lead_units=form.ordered_lead_units(),
                coordinating_units=data["coordinating_units"],
                **form.changes(),
            ),
        )
        done = _("The task has been added to the plan.")
    else:
        saved, status = _try_edit(
            form,
            lambda data: services.task_update(
                actor=request.user,
                task=task,
                changes=form.changes(),
                lead_units=form.ordered_lead_units(),
                coordinating_units=data["coordinating_units"],
                expected_updated_at=data["updated_at"] or None,
            ),
        )
        done = _("The task has been saved.")
    if saved is None:
        return _task_form_page(request, form, plan=plan, task=task, parent=parent, status=status)
    messages.success(request, done)
    return redirect(saved.get_absolute_url())


@login_required
def task_edit(request, pk: int):
    task = selectors.task_get_for_user(request.user, pk, today=today(), action=Action.MANAGE_PLAN)
    if request.method == "POST":
        form = TaskEditForm(request.POST, plan=task.plan, task=task)
        return _save_task(request, form, plan=task.plan, task=task)
    form = TaskEditForm(initial=TaskEditForm.initial_for(task), plan=task.plan, task=task)
    return _task_form_page(request, form, plan=task.plan, task=task)


@login_required
def task_add(request, pk: int):
    plan = selectors.plan_get_for_user(request.user, pk, action=Action.MANAGE_PLAN)
    if plan.is_archived:
        raise PermissionDenied
    if request.method == "POST":
        return _save_task(request, TaskEditForm(request.POST, plan=plan), plan=plan, task=None)
    return _task_form_page(request, TaskEditForm(plan=plan), plan=plan, task=None)


@login_required
def subtask_add(request, pk: int):
    parent = selectors.task_get_for_user(request.user, pk, today=today(), action=Action.MANAGE_PLAN)
    plan = parent.plan
    if request.method == "POST":
        form = TaskEditForm(request.POST, plan=plan)
        return _save_task(request, form, plan=plan, task=None, parent=parent)
    form = TaskEditForm(initial={"parent": parent.pk, "section": parent.section_id}, plan=plan)
    return _task_form_page(request, form, plan=plan, task=None, parent=parent)


@login_required
def deadline_preview(request, pk: int):
    """How a deadline being typed will be read (the task form asks as the person types)."""
    plan = selectors.plan_get_for_user(request.user, pk, action=Action.MANAGE_PLAN)
    form = DeadlinePreviewForm(request.GET)
    reading = None
    if form.is_valid() and form.cleaned_data["deadline_text"]:
        reading = plan_services.deadline_reading(form.cleaned_data["deadline_text"], plan=plan)
    return render(request, "plans/_deadline_reading.html", {"reading": reading})


@login_required
def task_withdraw(request, pk: int):
    """Confirm, with a reason, that a task (and its subtasks) leaves the plan."""
    task = selectors.task_get_for_user(request.user, pk, today=today(), action=Action.MANAGE_PLAN)
    subtasks = selectors.descendants(task)
    status = 200
    if request.method == "POST":
        form = WithdrawForm(request.POST)
        _saved, status = _try_edit(
            form,
            lambda data: services.task_withdraw(
                actor=request.user,
                task=task,
                reason=data["reason"],
                expected_updated_at=data["updated_at"] or None,
            ),
        )
        if status == 200:
            messages.success(request, _("The task has been withdrawn from the plan."))
            return redirect(task.get_absolute_url())
    else:
        form = WithdrawForm(initial={"updated_at": task.updated_at.isoformat()})
    return render(
        request,
        "plans/task_withdraw.html",
        {
            "task": task,
            "form": form,
            "subtasks": subtasks,
            "report_count": task.reports.count(),
        },
        status=status,
    )


@login_required
def plan_edit(request, pk: int):
    plan = selectors.plan_get_for_user(request.user, pk, action=Action.MANAGE_PLAN)
    status = 200
    if request.method == "POST":
        form = PlanEditForm(request.POST)
        _saved, status = _try_edit(
            form,
            lambda data: services.plan_update(
                actor=request.user,
                plan=plan,
                changes=form.changes(),
                expected_updated_at=data["updated_at"] or None,
            ),
        )
        if status == 200:
            messages.success(request, _("The plan has been saved."))
            return redirect(plan.get_absolute_url())
    else:
        form = PlanEditForm(initial=PlanEditForm.initial_for(plan))
    return render(request, "plans/plan_form.html", {"plan": plan, "form": form}, status=status)


@login_required
def plan_withdraw(request, pk: int):
    """Confirm withdrawing a plan imported by mistake: said beforehand whether it will be
    deleted (nothing reported on it) or archived (its history kept)."""
    plan = selectors.plan_get_for_user(request.user, pk, action=Action.MANAGE_PLAN)
    if plan.is_archived:
        return redirect(plan.get_absolute_url())
    status = 200
    if request.method == "POST":
        form = WithdrawForm(request.POST)
        outcome, status = _try_edit(
            form,
            lambda data: services.plan_withdraw(
                actor=request.user,
                plan=plan,
                reason=data["reason"],
                expected_updated_at=data["updated_at"] or None,
            ),
        )
        if outcome == "deleted":
            messages.success(request, _("The plan has been deleted."))
            return redirect("plan_list")
        if status == 200:
            messages.success(
                request,
                _("The plan has been withdrawn: it no longer counts, and its history is kept."),
            )
            return redirect(plan.get_absolute_url())
    else:
        form = WithdrawForm(initial={"updated_at": plan.updated_at.isoformat()})
    context = {
        "plan": plan,
        "form": form,
        "will_delete": not services.plan_was_reported_on(plan),
        "task_count": plan.tasks.count(),
        "indicator_count": plan.indicators.count(),
    }
    return render(request, "plans/plan_withdraw.html", context, status=status)


@login_required
@require_POST
def plan_restore(request, pk: int):
    plan = selectors.plan_get_for_user(request.user, pk, action=Action.MANAGE_PLAN)
    form = RestoreForm(request.POST)
    if form.is_valid():
        try:
            services.plan_restore(actor=request.user, plan=plan)
        except ValueError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The plan has been restored and counts again."))
    return redirect(plan.get_absolute_url())


@login_required
def indicator_edit(request, pk: int):
    indicator = selectors.indicator_get_for_user(request.user, pk, action=Action.MANAGE_PLAN)
    plan = indicator.plan
    if plan.is_archived:
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = IndicatorEditForm(request.POST, plan=plan)
        _saved, status = _try_edit(
            form,
            lambda data: services.indicator_update(
                actor=request.user,
                indicator=indicator,
                changes=form.changes(),
                milestones=data["milestones"],
                expected_updated_at=data["updated_at"] or None,
            ),
        )
        if status == 200:
            messages.success(request, _("The indicator has been saved."))
            return redirect(plan.get_absolute_url() + "#indicators")
    else:
        form = IndicatorEditForm(initial=IndicatorEditForm.initial_for(indicator), plan=plan)
    return render(
        request,
        "plans/indicator_form.html",
        {"indicator": indicator, "plan": plan, "form": form},
        status=status,
    )


# --- Completing the "6 rõ" ------------------------------------------------------------------


def _gap_tabs(completeness: selectors.Completeness) -> list[tuple[str, str, int]]:
    counts = {
        "not_trackable": completeness.not_trackable,
        "any": completeness.incomplete,
        **{gap.value: completeness.gaps[gap] for gap in selectors.Gap},
    }
    return [(value, str(label), counts[value]) for value, label in GAP_FILTER_CHOICES]


@login_required
def plan_complete(request, pk: int):
    """The standing office gives many tasks at once what the import left empty: a lead unit,
    coordinating units, a deadline, an output, a KPI. The list shows the tasks still lacking
    the chosen gap, so it shrinks as they are completed."""
    plan = selectors.plan_get_for_user(request.user, pk, action=Action.MANAGE_PLAN)
    gap = GapFilterForm(request.GET).chosen()
    status = 200
    if request.method == "POST":
        form = BulkAssignForm(request.POST, plan=plan)
        if form.is_valid():
            data = form.cleaned_data
            try:
                changed = services.tasks_bulk_assign(
                    actor=request.user,
                    tasks=data["tasks"],
                    lead_units=[data["lead_unit"]] if data["lead_unit"] else None,
                    coordinating_units=data["coordinating_units"] or None,
                    deadline_text=data["deadline_text"] or None,
                    output=data["output"] or None,
                    kpi=data["kpi"] or None,
                )
            except services.AssignError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    ngettext("Assigned %(count)s task.", "Assigned %(count)s tasks.", len(changed))
                    % {"count": len(changed)},
                )
                return redirect(request.get_full_path())
        status = 400
    else:
        form = BulkAssignForm(plan=plan)
    completeness = selectors.plan_completeness(plan)
    tasks = list(
        selectors.tasks_with_gaps(Task.objects.filter(plan=plan), gap=gap).order_by("order", "id")
    )
    labels = dict(GAP_FILTER_CHOICES)
    for task in tasks:
        task.gap_list = [(gap.value, labels[gap.value]) for gap in selectors.task_gaps(task)]
    return render(
        request,
        "plans/complete.html",
        {
            "plan": plan,
            "form": form,
            "gap": gap,
            "tabs": _gap_tabs(completeness),
            "tasks": tasks,
            "completeness": completeness,
            "selected": form.selected_ids(),
            "chosen_coordinators": form.chosen_coordinators(),
        },
        status=status,
    )
