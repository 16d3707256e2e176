from django.apps import AppConfig


class SeekersConfig(AppConfig):
    name = "hongniang.seekers"
    label = "seekers"
    verbose_name = "求职者"
