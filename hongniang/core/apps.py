from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hongniang.core"
    label = "core"
    verbose_name = "基础"
