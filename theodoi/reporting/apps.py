from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "theodoi.reporting"
    label = "reporting"
