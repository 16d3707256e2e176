from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "hongniang.workshops"
    label = "workshops"
    verbose_name = "社区工厂"
