from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "hongniang.jobs"
    label = "jobs"
    verbose_name = "岗位"
