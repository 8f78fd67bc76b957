"""The forms of the person's own account pages (Django's own forms serve the passwords)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from theodoi.core.forms import IdField, IdListField, TextField, TextListField, WholeNumberField
from theodoi.org.bulk import PHONE_RE, USERNAME_RE, split_aliases


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


# --- The ward administration pages --------------------------------------------------------------


class _Styled:
    """Bootstrap classes on every widget, and the error state on a field that has an error."""

    def _style(self) -> None:
        for name, field in self.fields.items():
            widget = field.widget
            base = "form-select" if isinstance(widget, forms.Select) else "form-control"
            classes = base + (" is-invalid" if self.is_bound and name in self.errors else "")
            widget.attrs["class"] = classes

    def full_clean(self):
        super().full_clean()
        self._style()


class UnitForm(_Styled, forms.Form):
    name = TextField(label=_("Unit name"), max_length=200, required=True)
    short_name = TextField(label=_("Short name"), max_length=60)
    aliases = TextField(
        label=_("Aliases"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Other spellings plans use for this unit, separated by «;» or one per line "
            "(e.g. VHXH; VH-XH). Case, accents and punctuation are ignored when matching."
        ),
    )
    order = WholeNumberField(label=_("Order"), max_value=9999)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    def clean_aliases(self) -> list[str]:
        return split_aliases(self.cleaned_data["aliases"])


class PersonForm(_Styled, forms.Form):
    """A person of the ward; the unit and role choices are the ward's and the admin's own."""

    full_name = TextField(label=_("Full name"), max_length=150, required=True)
    username = TextField(
        label=_("User name"),
        max_length=150,
        required=True,
        help_text=_("Letters without accents, digits and . _ @ + - (e.g. an.nv)."),
    )
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    role = forms.ChoiceField(label=_("Role"))
    position = TextField(label=_("Position"), max_length=120)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Enter a valid e-mail address, such as an.nv@example.vn.")},
    )
    phone = TextField(label=_("Phone"), max_length=20)

    def __init__(self, *args, units, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self._units = {str(unit.pk): unit for unit in units}
        self.fields["unit"].choices = [("", _("— no unit —"))] + [
            (str(unit.pk), unit.name) for unit in units
        ]
        self.fields["role"].choices = [(role.value, role.label) for role in roles]
        self._style()

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if not USERNAME_RE.match(username):
            raise forms.ValidationError(
                _("A user name may hold only letters without accents, digits and . _ @ + -")
            )
        return username

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE_RE.match(phone):
            raise forms.ValidationError(_("Enter a phone number, such as 0912 345 678."))
        return phone

    def clean_unit(self):
        return self._units.get(self.cleaned_data["unit"] or "")


class ConfirmForm(forms.Form):
    """A confirmation button, with the choice it confirms."""

    action = forms.ChoiceField(
        choices=[
            ("deactivate", "deactivate"),
            ("reactivate", "reactivate"),
            ("delete", "delete"),
            ("link", "link"),
        ]
    )


class WardWorkbookForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        error_messages={
            "required": _("Choose the filled-in template (.xlsx) to upload."),
            "empty": _("The file is empty: choose the filled-in template."),
        },
    )

    # A ward's people fit in far less; a bigger file is a mistake.
    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB: is it the template?"))
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _("Upload an Excel workbook (.xlsx): save the file as .xlsx and try again.")
            )
        return upload


class WardImportConfirmForm(forms.Form):
    token = TextField(max_length=64, required=True)


class StandardUnitsForm(forms.Form):
    """The standard list, each row editable: ticked rows (their index) are made."""

    chosen = IdListField()
    name = TextListField(max_length=200, max_items=50)
    short_name = TextListField(max_length=60, max_items=50)
    aliases = TextListField(max_length=1000, max_items=50)
