from django.apps import AppConfig


class RecommendConfig(AppConfig):
    name = "hongniang.recommend"
    label = "recommend"
    verbose_name = "人岗匹配"
