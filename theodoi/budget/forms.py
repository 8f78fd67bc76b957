"""The budget page's forms: a line of the plan's budget (added or corrected on the web), what
was allocated and disbursed on it, the ward's total."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from theodoi.budget.amounts import parse_amount
from theodoi.budget.models import BudgetLine
from theodoi.budget.selectors import input_value
from theodoi.core.forms import TextField, VersionField, VietnameseDecimalField, YearField
from theodoi.plans.models import Plan, Task


class BudgetLineForm(forms.Form):
    """Allocated and disbursed in million VND; a field left empty is "not known yet"."""

    allocated = VietnameseDecimalField(label=_("Allocated amount"))
    disbursed = VietnameseDecimalField(label=_("Disbursed amount"))
    version = VersionField()


class WardBudgetForm(forms.Form):
    year = YearField(required=True)
    total = VietnameseDecimalField(label=_("The ward's total budget"), required=True)


class AmountField(VietnameseDecimalField):
    """An amount in million VND as the office types it: "1.200.000", "12,5", or with a unit,
    "1,5 tỷ", "200 triệu" (``budget.amounts``). Digits after the comma, sign and size are
    checked as for any Vietnamese number."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 60)
        kwargs.setdefault(
            "help_text",
            _("In million dong, for example 1.200.000 or 12,5; or with a unit: 1,5 tỷ, 200 triệu."),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        text = (value or "").strip() if isinstance(value, str) else value
        if not text:
            return super().clean(text)
        amount = parse_amount(text) if len(text) <= (self.max_length or 60) else None
        if amount is None:
            raise ValidationError(
                _(
                    "%(label)s: type an amount in million dong, for example 1.200.000 or 12,5 "
                    "(or with a unit: 1,5 tỷ, 200 triệu)."
                )
                % {"label": self.label or _("The amount")},
                code="invalid",
            )
        return super().clean(input_value(amount))


class _TaskChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        title = obj.title if len(obj.title) <= 90 else obj.title[:89] + "…"
        return f"{obj.code} {title}".strip()


class BudgetLineEditForm(forms.Form):
    """A line of the plan's budget: what it pays for, the year, the funding source, the
    estimate, and the plan's task it serves when there is one."""

    content = TextField(label=_("Item"), required=True, widget=forms.Textarea(attrs={"rows": 2}))
    code = TextField(label=_("Code"), max_length=30)
    year = YearField()
    source = forms.ChoiceField(label=_("Funding source"), choices=BudgetLine.Source.choices)
    estimate = AmountField(label=_("Estimate (million VND)"))
    task = _TaskChoice(label=_("Task of the plan"), queryset=Task.objects.none(), required=False)
    note = TextField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))
    version = VersionField()

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        # The plan's tasks that count (withdrawn ones left out), in the plan's order.
        self.fields["task"].queryset = plan.tasks.order_by("order", "id")
        self.fields["task"].empty_label = _("— not linked to a task —")
        self.fields["year"].help_text = _("The year the estimate is for.")
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if self.is_bound and name in self.errors:
                css += " is-invalid"
                widget.attrs["aria-describedby"] = f"id_{name}_errors"
            widget.attrs["class"] = css
        self.fields["estimate"].widget.attrs["inputmode"] = "decimal"
        self.fields["year"].widget.attrs["inputmode"] = "numeric"

    def clean(self):
        data = super().clean()
        if (
            data.get("estimate") is not None
            and data.get("year") is None
            and "year" not in self.errors
        ):
            self.add_error("year", _("Enter the year the estimate is for, for example 2026."))
        return data

    @staticmethod
    def initial_for(line: BudgetLine) -> dict:
        return {
            "content": line.content,
            "code": line.code,
            "year": line.year,
            "source": line.source,
            "estimate": input_value(line.estimate),
            "task": line.task_id,
            "note": line.note,
            "version": line.version,
        }


class BudgetLineDeleteForm(forms.Form):
    """The confirmation of a removal: the version the person saw, so a line corrected by
    someone else meanwhile is not removed unseen."""

    version = VersionField()
