"""The forms of the alert pages: acknowledging or snoozing one alert, and the list's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from theodoi.alerts import rules
from theodoi.core.forms import DateField, IdField, TextField

NOTE_MAX_LENGTH = 2000


class AlertActionForm(forms.Form):
    """Acknowledge with a note, or snooze to a day (a day given means a snooze). Which it is
    comes from the button pressed (``action``)."""

    ACKNOWLEDGE = "acknowledge"
    SNOOZE = "snooze"

    action = forms.ChoiceField(
        choices=[(ACKNOWLEDGE, _("Acknowledge")), (SNOOZE, _("Snooze"))],
        error_messages={"required": _("Choose to acknowledge or to snooze.")},
    )
    note = TextField(
        label=_("Note"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What is being done about it."),
    )
    until = DateField(label=_("Snooze until"))
    next = TextField(max_length=500, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == self.ACKNOWLEDGE and not (data.get("note") or "").strip():
            self.add_error("note", _("Write a note: what is being done about it."))
        if action == self.SNOOZE and not data.get("until") and "until" not in self.errors:
            self.add_error("until", _("Choose the day the alert shows again."))
        return data


STATE_CHOICES = [
    ("", _("Needing action and acknowledged")),
    ("open", _("Needing action")),
    ("acknowledged", _("Acknowledged")),
    ("snoozed", _("Snoozed")),
]


class AlertFilterForm(forms.Form):
    """The alert page's filters; anything unreadable is simply no filter."""

    rule = forms.ChoiceField(
        label=_("Reason"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
        choices=[("", _("All reasons"))] + [(rule.value, rule.label) for rule in rules.URGENCY],
    )
    unit = IdField(label=_("Unit"), required=False)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=STATE_CHOICES,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def filters(self) -> dict[str, object]:
        if not self.is_valid():
            return {"rule": "", "unit": None, "state": ""}
        return {
            "rule": self.cleaned_data.get("rule") or "",
            "unit": self.cleaned_data.get("unit"),
            "state": self.cleaned_data.get("state") or "",
        }
