from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "hongniang.applications"
    label = "applications"
    verbose_name = "报名"
