from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hongniang.core"
    label = "core"
    verbose_name = "基础"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from hongniang.core import nav  # lazy: ready() runs after the models load

        nav.register("audit", _("审计日志"), "core:audit", roles=("bureau",), order=230)
        nav.register("admin", _("管理后台"), "admin:index", roles=("bureau",), order=240)
