from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "theodoi.assessment"
    verbose_name = _("Digital-transformation self-assessment")

    def ready(self) -> None:
        # Registers the answers' evidence with reporting, which serves and reviews the files.
        from theodoi.assessment import evidence  # noqa: F401
