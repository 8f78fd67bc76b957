"""The forms of the person's own account pages (Django's own forms serve the passwords)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from theodoi.core.forms import IdField, TextField


class CodeForm(forms.Form):
    """A code from the authenticator app; spaces typed between the digits are ignored."""

    code = TextField(label=_("Code"), max_length=64)
    action = forms.ChoiceField(
        choices=[("enable", "enable"), ("disable", "disable")], required=False
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())


class TokenRevokeForm(forms.Form):
    token = IdField()
