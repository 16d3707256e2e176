from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "hongniang.notifications"
    label = "notifications"
    verbose_name = _("消息")

    def ready(self):
        from hongniang.core import viewer  # lazy: ready() runs after the models load

        from .services import unread_count  # lazy: ready() runs after the models load

        # the count next to "消息" on every page, kept with the logged-in user (a new or read message bumps it)
        viewer.register_extra("unread_notifications", unread_count)
