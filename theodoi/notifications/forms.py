from django import forms
from django.utils.translation import gettext_lazy as _

from theodoi.notifications.models import Delivery, Kind


class PreferencesForm(forms.Form):
    """One choice of delivery per kind of notification."""

    def __init__(self, *args, has_email: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        choices = Delivery.choices if has_email else [(Delivery.APP, Delivery.APP.label)]
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=choices,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )


class PushSubscriptionForm(forms.Form):
    """The browser's PushSubscription, as its toJSON() gives it."""

    endpoint = forms.URLField(max_length=1000, assume_scheme="https")
    p256dh = forms.CharField(max_length=200)
    auth = forms.CharField(max_length=100)

    def clean_endpoint(self):
        endpoint = self.cleaned_data["endpoint"]
        if not endpoint.startswith("https://"):
            raise forms.ValidationError(_("A push service address starts with https://."))
        return endpoint
