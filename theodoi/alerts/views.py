"""The alert pages: every open alert of the person grouped by unit and task, and the office's
form to acknowledge one with a note or snooze it. Thin: selectors read, services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from theodoi.alerts import selectors, services
from theodoi.alerts.forms import AlertActionForm, AlertFilterForm
from theodoi.core.access import Action, can
from theodoi.core.clock import today
from theodoi.core.forms import first_error
from theodoi.core.inputs import safe_next

# The page lists every alert of a ward grouped; past this many it asks for a filter.
PAGE_LIMIT = 500


def _scoped(request, *, include_snoozed: bool):
    return selectors.alerts_for_user(request.user, include_snoozed=include_snoozed)


@login_required
def alert_list(request):
    day = today()
    form = AlertFilterForm(request.GET)
    filters = form.filters()
    state = filters["state"]
    alerts = _scoped(request, include_snoozed=state == "snoozed")
    if state == "snoozed":
        alerts = alerts.filter(snoozed_until__gt=day)
    elif state == "acknowledged":
        alerts = alerts.filter(acknowledged_at__isnull=False)
    elif state == "open":
        alerts = alerts.filter(acknowledged_at__isnull=True)
    if filters["unit"]:
        alerts = alerts.filter(unit_id=filters["unit"])
    shown = list(selectors.by_urgency(alerts)[:PAGE_LIMIT])
    if filters["rule"]:
        # Any alert holding the reason, not only those whose most urgent reason it is.
        shown = [alert for alert in shown if filters["rule"] in alert.reason_rules]
    total = len(shown)
    units = {alert.unit for alert in _scoped(request, include_snoozed=True) if alert.unit}
    return render(
        request,
        "alerts/list.html",
        {
            "form": form,
            "groups": selectors.group_by_unit(shown),
            "total": total,
            "shown": len(shown),
            "snoozed_count": _scoped(request, include_snoozed=True)
            .filter(snoozed_until__gt=day)
            .count(),
            "units": sorted(units, key=str),
            "can_manage": {a.pk for a in shown if can(request.user, Action.MANAGE_ALERT, a)},
            "today": day,
        },
    )


@login_required
@require_POST
def alert_act(request, pk: int):
    """Acknowledge or snooze one alert. With htmx the alert's row comes back in place; without,
    the page the form was on, with a message."""
    alert = _scoped(request, include_snoozed=True).filter(pk=pk, closed_at__isnull=True).first()
    if alert is None:
        raise Http404
    if not can(request.user, Action.MANAGE_ALERT, alert):
        raise PermissionDenied
    form = AlertActionForm(request.POST)
    fallback = reverse("alert_list")
    error = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == AlertActionForm.SNOOZE:
                alert = services.alert_snooze(
                    actor=request.user, alert=alert, until=data["until"], note=data["note"]
                )
                done = _("Alert snoozed until %(day)s.") % {
                    "day": data["until"].strftime("%d/%m/%Y")
                }
            else:
                alert = services.alert_acknowledge(
                    actor=request.user, alert=alert, note=data["note"]
                )
                done = _("Alert acknowledged.")
        except services.AlertError as exc:
            error = str(exc)
    else:
        error = first_error(form)
    if request.htmx:
        # 200 even when refused: htmx swaps only successful answers, and the form with its
        # error must replace the one that was sent.
        alert = _scoped(request, include_snoozed=True).filter(pk=pk).first() or alert
        return render(
            request,
            "alerts/_alert_item.html",
            {
                "alert": alert,
                "can_manage": {alert.pk},
                "form": form if error else None,
                "error": error,
                "done": "" if error else done,
                "today": today(),
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect(safe_next(request, fallback))
