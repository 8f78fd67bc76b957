"""The leaders' dashboards, the indicator page and the upper level's comparison. Thin: reads
through ``dashboards.selectors``, writes through ``dashboards.services``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from theodoi.alerts.selectors import with_heads
from theodoi.core.access import Action, can, can_edit_catalogue
from theodoi.core.clock import today
from theodoi.core.forms import first_error, whole_number
from theodoi.core.fragments import cached_rows
from theodoi.dashboards import measures, services
from theodoi.dashboards.forms import CatalogueEntryForm, CatalogueLinkForm
from theodoi.dashboards.measures import IndicatorStatus
from theodoi.dashboards.models import IndicatorCatalogue
from theodoi.dashboards.selectors import charts, indicators, province, ward_board
from theodoi.dashboards.templatetags.dashboards import STATUS_COLOURS
from theodoi.plans import selectors as plan_selectors
from theodoi.plans.models import Indicator
from theodoi.plans.states import TaskState
from theodoi.plans.templatetags.plans import STATE_COLOURS


def _state_charts(board: ward_board.WardDashboard) -> tuple[dict, dict]:
    states = list(TaskState)
    doughnut = {
        "kind": "doughnut",
        "labels": [s.label for s in states],
        "values": [board.counts[s.value] for s in states],
        "colours": [STATE_COLOURS[s] for s in states],
    }
    trend = {
        "kind": "trend",
        "labels": [day.strftime("%d/%m/%Y") for day in board.trend_days],
        "series": [
            {"label": s.label, "colour": STATE_COLOURS[s], "values": board.trend[s]} for s in states
        ],
    }
    return doughnut, trend


def _render_ward(request, ward):
    board = ward_board.ward_dashboard(request.user, ward, today=today())
    # The indicators' rows, rendered once for what they show (their own values are the key).
    for indicator, html in cached_rows(
        "dashboards/_indicator_row.html",
        board.indicators,
        key=lambda i: (
            i.pk,
            i.code,
            i.name,
            i.unit_of_measure,
            i.comparator,
            i.latest,
            i.expected,
            i.status,
        ),
        name="indicator",
    ):
        indicator.row_html = html
    # The alerts each group shows (``alerts/_ward_section.html`` lists five of a unit).
    with_heads(
        [alert for group in board.alert_groups for alert in group.alerts[:5]], today=board.today
    )
    doughnut, trend = _state_charts(board)
    return render(
        request,
        "dashboards/ward.html",
        {
            "board": board,
            "ward": ward,
            "doughnut": doughnut,
            "trend": trend,
            "from_above": request.user.organization_id != ward.pk,
        },
    )


@login_required
def dashboard(request):
    """A ward's own people get their ward; the upper level, which has no ward of its own, gets
    the comparison of its wards."""
    user = request.user
    if not (user.organization_id and user.organization.is_local) and can(
        user, Action.SEE_PROVINCE, None
    ):
        return redirect("province_dashboard")
    return _render_ward(request, ward_board.ward_dashboard_get(user))


@login_required
def ward_dashboard(request, pk: int):
    return _render_ward(request, ward_board.ward_dashboard_get(request.user, pk))


@login_required
def ward_tasks(request, pk: int):
    """The tasks of all the ward's plans in progress, filtered like a plan's task list: where the
    dashboard's numbers lead when the ward runs several plans."""
    day = today()
    ward = ward_board.ward_get_for_user(request.user, pk)
    filters = {
        "unit": whole_number(request.GET.get("unit")),
        "state": request.GET.get("state", ""),
        "deadline": request.GET.get("deadline", ""),
        "q": request.GET.get("q", "").strip()[:200],
    }
    tasks = plan_selectors.for_task_list(
        plan_selectors.filter_tasks(
            ward_board.ward_tasks(request.user, ward, today=day), today=day, **filters
        ).order_by("plan_id", "order", "id"),
        "plan",
        "section",
    )
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
    unit = ward.units.filter(pk=filters["unit"]).first() if filters["unit"] else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dashboards/ward_tasks.html",
        {
            "ward": ward,
            "page": page,
            "filters": filters,
            "unit": unit,
            "units": ward.units.order_by("order", "name"),
            "query": query.urlencode(),
            "can_see_dashboard": can(request.user, Action.SEE_WARD_DASHBOARD, ward),
        },
    )


@login_required
def indicator_detail(request, pk: int):
    indicator = charts.indicator_get_for_user(request.user, pk)
    day = today()
    indicators.with_status([indicator], year=day.year)
    projection = charts.indicator_projection(indicator)
    values = sorted(
        indicator.values.all(),
        key=lambda v: measures.period_end(v.period) or day,
        reverse=True,
    )
    link = getattr(indicator, "catalogue_link", None)
    can_link = can(request.user, Action.LINK_CATALOGUE, indicator)
    context = {
        "indicator": indicator,
        "ward": indicator.plan.organization,
        "values": values,
        "milestones": list(indicator.milestones.all()),
        "projection": projection,
        "chart": {
            **charts.indicator_chart(indicator, projection),
            "names": {
                "roadmap": _("Roadmap"),
                "actual": _("Actual values"),
                "projection": _("Current trend"),
            },
        },
        "link": link,
        "can_link": can_link,
        "catalogue": list(IndicatorCatalogue.objects.order_by("code")) if can_link else [],
        "proposal": province.catalogue_proposal(indicator) if can_link and not link else None,
        # A province indicator computed from its wards' values, period by period.
        "rollup": indicators.province_rollup(indicator),
    }
    return render(request, "dashboards/indicator.html", context)


@login_required
@require_POST
def indicator_catalogue_link(request, pk: int):
    indicator = charts.indicator_get_for_user(request.user, pk)
    form = CatalogueLinkForm(request.POST)
    entry_id = form.cleaned_data["catalogue"] if form.is_valid() else None
    entry = get_object_or_404(IndicatorCatalogue, pk=entry_id) if entry_id else None
    services.catalogue_link(actor=request.user, indicator=indicator, catalogue=entry)
    if entry:
        messages.success(request, _("The indicator is linked to the catalogue entry."))
    else:
        messages.success(request, _("The indicator is no longer linked to the catalogue."))
    return redirect("indicator_detail", pk=indicator.pk)


def _require_province(user) -> None:
    if not can(user, Action.SEE_PROVINCE, None):
        raise PermissionDenied


@login_required
def province_dashboard(request):
    _require_province(request.user)
    rows = province.province_table(request.user, today=today())
    totals = {
        state.value: sum(dict(row.counts)[state.value] for row in rows) for state in TaskState
    }
    return render(
        request,
        "dashboards/province.html",
        {
            "rows": rows,
            "totals": [(state.value, totals[state.value]) for state in TaskState],
            "grand_total": sum(totals.values()),
            "entries": province.catalogue_entries(request.user),
            "can_edit_catalogue": can_edit_catalogue(request.user),
            "comparators": Indicator.Comparator.choices,
        },
    )


@login_required
@require_POST
def catalogue_create(request):
    _require_province(request.user)
    if not can_edit_catalogue(request.user):
        raise PermissionDenied  # before the form, so a refused person learns nothing of it
    form = CatalogueEntryForm(request.POST)
    try:
        if not form.is_valid():
            raise services.CatalogueError(first_error(form))
        entry = services.catalogue_create(actor=request.user, **form.cleaned_data)
    except services.CatalogueError as error:
        messages.error(request, str(error))
        return redirect("province_dashboard")
    messages.success(request, _("The catalogue entry has been created."))
    return redirect("catalogue_compare", pk=entry.pk)


def _bar_label(row, rows) -> str:
    # A ward that linked two of its plans' indicators shows which plan each bar is.
    twice = sum(1 for other in rows if other.ward.pk == row.ward.pk) > 1
    plan = row.indicator.plan
    return f"{row.ward.name} · {plan.number or plan.pk}" if twice else row.ward.name


@login_required
def catalogue_compare(request, pk: int):
    _require_province(request.user)
    entry = get_object_or_404(IndicatorCatalogue, pk=pk)
    day = today()
    rows = province.catalogue_comparison(request.user, entry, today=day)
    shown = [row for row in rows if row.indicator and row.indicator.latest]
    chart = {
        "kind": "bars",
        "unit": entry.unit_of_measure,
        "labels": [_bar_label(row, shown) for row in shown],
        "values": [float(row.indicator.latest[1]) for row in shown],
        "colours": [STATUS_COLOURS[IndicatorStatus(row.indicator.status)] for row in shown],
        "milestones": [
            float(row.indicator.expected) if row.indicator.expected is not None else None
            for row in shown
        ],
        "names": {"value": _("Latest value"), "milestone": _("This year's milestone")},
    }
    return render(
        request,
        "dashboards/catalogue.html",
        {
            "entry": entry,
            "rows": rows,
            "chart": chart,
            "year": day.year,
        },
    )
