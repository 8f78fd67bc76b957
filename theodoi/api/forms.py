"""The forms of the pages that connect two installations."""

from django import forms
from django.utils.translation import gettext_lazy as _

from theodoi.core.forms import IdField, TextField


class WardConnectionForm(forms.Form):
    """Issue a code to a ward (``ward``) or revoke one of its codes (``ward`` and ``token``)."""

    ward = IdField()
    token = IdField(required=False)


class UpstreamLinkForm(forms.Form):
    base_url = TextField(
        label=_("Address of the province's installation"),
        max_length=300,
        required=False,
        widget=forms.URLInput(attrs={"class": "form-control", "autocomplete": "url"}),
        help_text=_(
            "As it opens in a browser, e.g. https://theodoi.haiphong.gov.vn. Empty: the "
            "reports stay in this installation."
        ),
    )
    token = TextField(
        label=_("Connection code"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "off"}),
        help_text=_(
            "The code the province issued to the ward. Leave it empty to keep the one "
            "already entered."
        ),
    )
