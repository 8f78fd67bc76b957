from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPAppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "theodoi.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from theodoi.accounts import signals  # noqa: F401  (connects the sign-in receiver)


# The admin titles each app by its verbose name; these two apps give none a ward's
# administrator can read ("Axes", "Otp_Totp"), so they are installed through these subclasses.
class AxesConfig(AxesAppConfig):
    verbose_name = _("Sign-in attempts")


class TOTPConfig(TOTPAppConfig):
    verbose_name = _("Two-factor sign-in")
