from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hongniang.moderation"
    verbose_name = _("内容审核与举报")

    def ready(self):
        from hongniang.core import nav  # lazy: ready() runs after the models load

        nav.register("moderation", _("审核"), "moderation:index", roles=("bureau",), order=200)
