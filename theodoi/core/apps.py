from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "theodoi.core"
    label = "core"

    def ready(self):
        from theodoi.core import checks  # noqa: F401  (registers the system checks)
