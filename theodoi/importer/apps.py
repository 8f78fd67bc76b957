from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImporterConfig(AppConfig):
    name = "theodoi.importer"
    label = "importer"
    verbose_name = _("Import")
