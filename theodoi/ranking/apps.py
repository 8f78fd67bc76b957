from django.apps import AppConfig


class RankingConfig(AppConfig):
    name = "theodoi.ranking"
    label = "ranking"
