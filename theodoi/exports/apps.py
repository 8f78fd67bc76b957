from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "theodoi.exports"
    label = "exports"
