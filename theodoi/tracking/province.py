"""Who carries out a province's task: its own departments, every ward and commune of the
province, or the ones listed. Chosen on the task's edit page of a province's plan (a ward's
plan has no such choice) and saved through ``plans.services.task_assign_wards``."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from theodoi.core.access import Action
from theodoi.core.clock import today
from theodoi.org.models import Organization
from theodoi.plans import selectors
from theodoi.plans import services as plan_services
from theodoi.plans.models import Task, WardAssignment
from theodoi.tracking.forms import TaskEditForm


class WardAssignmentForm(forms.Form):
    assignment = forms.ChoiceField(
        label=gettext_lazy("Carried out by"),
        choices=WardAssignment.choices,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"invalid_choice": gettext_lazy("Choose who carries out the task.")},
    )
    wards = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Wards and communes"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 8}),
        error_messages={
            "invalid_choice": gettext_lazy(
                "Choose the wards and communes from the list: one of them is not of this province."
            ),
            "invalid_pk_value": gettext_lazy(
                "Choose the wards and communes from the list: one of them is not of this province."
            ),
        },
    )

    def __init__(self, *args, task: Task, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task
        self.fields["wards"].queryset = selectors.wards_of(task.plan.organization)

    @classmethod
    def for_task(cls, task: Task) -> "WardAssignmentForm":
        return cls(
            task=task,
            initial={
                "assignment": task.ward_assignment,
                "wards": list(task.assigned_wards.values_list("pk", flat=True)),
            },
        )

    def clean(self):
        data = super().clean()
        if (
            data.get("assignment") == WardAssignment.LISTED_WARDS
            and "wards" not in self.errors
            and not data.get("wards")
        ):
            self.add_error("wards", _("Choose at least one ward or commune."))
        return data


def assignment_form(task: Task | None) -> WardAssignmentForm | None:
    """The form for a task of a province's plan; none for a ward's task or a new one."""
    if task is None or task.plan.organization.is_local:
        return None
    return WardAssignmentForm.for_task(task)


@login_required
@require_http_methods(["GET", "POST"])
def task_assign_wards(request, pk: int):
    if request.method == "GET":
        # The choice lives on the task's edit page (which checks who may open it); an address
        # typed or reloaded after a refused save leads there, not to a bare error page.
        return redirect(reverse("task_edit", args=[pk]))
    task = selectors.task_get_for_user(request.user, pk, today=today(), action=Action.MANAGE_PLAN)
    form = WardAssignmentForm(request.POST, task=task)
    if form.is_valid():
        try:
            plan_services.task_assign_wards(
                actor=request.user,
                task=task,
                assignment=form.cleaned_data["assignment"],
                wards=form.cleaned_data["wards"],
            )
        except plan_services.ChainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Who carries out the task has been saved."))
            return redirect(task.get_absolute_url())
    return render(
        request,
        "plans/task_form.html",
        {
            "form": TaskEditForm(initial=TaskEditForm.initial_for(task), plan=task.plan, task=task),
            "plan": task.plan,
            "task": task,
            "wards_form": form,
        },
        status=400,
    )
