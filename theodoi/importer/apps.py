from django.apps import AppConfig


class ImporterConfig(AppConfig):
    name = "theodoi.importer"
    label = "importer"
