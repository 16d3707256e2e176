from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "hongniang.notifications"
    label = "notifications"
    verbose_name = "消息"
