from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "theodoi.audit"
    label = "audit"

    def ready(self):
        from theodoi.audit import checks  # noqa: F401  (registers the deploy checks)
