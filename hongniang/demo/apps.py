from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "hongniang.demo"
    label = "demo"
    verbose_name = "演示数据"
