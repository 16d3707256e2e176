from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "hongniang.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self):
        from hongniang.core import nav  # lazy: ready() runs after the models load

        nav.register("audit", _("审计日志"), "core:audit", roles=("bureau",), order=230)
        nav.register("admin", _("管理后台"), "admin:index", roles=("bureau",), order=240)
