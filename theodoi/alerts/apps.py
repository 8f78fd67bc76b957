from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "theodoi.alerts"
    label = "alerts"
