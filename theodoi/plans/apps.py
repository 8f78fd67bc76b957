from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "theodoi.plans"
    label = "plans"
