from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPAppConfig


class AccountsConfig(AppConfig):
    name = "theodoi.accounts"
    verbose_name = _("Accounts")
    # This module also holds the configurations below: say which one "theodoi.accounts" means.
    default = True

    def ready(self) -> None:
        from theodoi.accounts import signals  # noqa: F401  (connects the sign-in receiver)


# The admin titles each app by its verbose name; these two apps give none a ward's
# administrator can read ("Axes", "Otp_Totp"), so they are installed through these subclasses.
class AxesConfig(AxesAppConfig):
    verbose_name = _("Sign-in protection")


class TOTPConfig(TOTPAppConfig):
    verbose_name = _("Two-factor sign-in")

    def ready(self) -> None:
        super().ready()
        # django-otp names its model in plain English, out of reach of any catalogue. Only the
        # displayed names change: migrations read the model's declared options, not these.
        model = self.get_model("TOTPDevice")
        model._meta.verbose_name = _("authenticator app")
        model._meta.verbose_name_plural = _("authenticator apps")
        # Its fields' names and help texts are plain English too: each becomes a lazy
        # translation of itself (translated in our catalogue). Migrations compare the declared
        # name (``_verbose_name``) and an English help text equal to the old one, so they
        # see no change.
        for field in model._meta.get_fields():
            # Plain strings only: a name already marked for translation stays as it is.
            if isinstance(getattr(field, "verbose_name", None), str):
                field.verbose_name = gettext_lazy(field.verbose_name)
            if isinstance(getattr(field, "help_text", None), str) and field.help_text:
                field.help_text = gettext_lazy(field.help_text)
