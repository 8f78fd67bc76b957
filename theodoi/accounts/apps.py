from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "theodoi.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from theodoi.accounts import signals  # noqa: F401  (connects the sign-in receiver)
