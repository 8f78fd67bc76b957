from django.apps import AppConfig


class BudgetConfig(AppConfig):
    name = "theodoi.budget"
    label = "budget"
