"""Forms of the indicator page, the province's indicator catalogue and its answers to the
wards' periodic reports."""

from django import forms
from django.utils.translation import gettext_lazy as _

from theodoi.core.forms import IdField, TextField, VersionField
from theodoi.dashboards.selectors.upward import period_from
from theodoi.plans.models import Indicator
from theodoi.plans.periods import Period, PeriodError


class CatalogueLinkForm(forms.Form):
    """The catalogue entry an indicator counts toward; empty unlinks it."""

    catalogue = IdField()


class CatalogueEntryForm(forms.Form):
    code = TextField(label=_("Code"), max_length=40, required=True)
    name = TextField(label=_("Name"), max_length=1000, required=True)
    unit_of_measure = TextField(label=_("Unit of measure"), max_length=100)
    comparator = forms.ChoiceField(
        label=_("Direction"),
        choices=Indicator.Comparator.choices,
        required=False,
    )

    def clean_comparator(self) -> str:
        return self.cleaned_data["comparator"] or Indicator.Comparator.GE


class UpwardPeriodForm(forms.Form):
    """The month ("2026-09") or quarter ("2026-Q3") the province's table shows."""

    period = TextField(label=_("Period"), max_length=10)

    def clean_period(self) -> Period | None:
        text = self.cleaned_data["period"]
        if not text:
            return None
        try:
            return period_from(text)
        except PeriodError as error:
            raise forms.ValidationError(
                _("Choose a month such as 2026-09 or a quarter such as 2026-Q3.")
            ) from error


class UpwardAnswerForm(forms.Form):
    """Accept the report, or return it with the reason the ward reads to correct it."""

    action = forms.ChoiceField(choices=[("accept", "accept"), ("return", "return")])
    version = VersionField()
    reason = TextField(label=_("Reason for returning"), max_length=4000)

    def clean(self):
        data = super().clean()
        if (
            data.get("action") == "return"
            and not data.get("reason")
            and "reason" not in self.errors
        ):
            self.add_error(
                "reason",
                _("Write why the report is returned, so that the ward knows what to correct."),
            )
        return data
