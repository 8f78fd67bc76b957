from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "theodoi.org"
    label = "org"
