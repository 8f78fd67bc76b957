from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "theodoi.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        # Connects the token revocation and the delivery of sent reports upstream.
        from theodoi.api import signals  # noqa: F401
