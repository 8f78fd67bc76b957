from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "theodoi.core"
    label = "core"
