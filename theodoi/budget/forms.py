"""The budget page's forms: what was allocated and disbursed on a line, the ward's total."""

from django import forms
from django.utils.translation import gettext_lazy as _

from theodoi.core.forms import VersionField, VietnameseDecimalField, YearField


class BudgetLineForm(forms.Form):
    """Allocated and disbursed in million VND; a field left empty is "not known yet"."""

    allocated = VietnameseDecimalField(label=_("Allocated amount"))
    disbursed = VietnameseDecimalField(label=_("Disbursed amount"))
    version = VersionField()


class WardBudgetForm(forms.Form):
    year = YearField(required=True)
    total = VietnameseDecimalField(label=_("The ward's total budget"), required=True)
