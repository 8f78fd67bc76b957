from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "theodoi.dashboards"
    label = "dashboards"
