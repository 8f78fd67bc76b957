"""Forms of the indicator page and the province's indicator catalogue."""

from django import forms
from django.utils.translation import gettext_lazy as _

from theodoi.core.forms import IdField, TextField
from theodoi.plans.models import Indicator


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
