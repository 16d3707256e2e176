from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "hongniang.dashboards"
    label = "dashboards"
    verbose_name = _("数据看板与月报")

    def ready(self):
        from hongniang.core import nav  # lazy: ready() runs after the models load

        nav.register("dashboard", _("数据看板"), "dashboards:dashboard", roles=("bureau", "staff"), order=115)
        nav.register("public_figures", _("公开数据"), "public_figures", roles=("anonymous", "user"), order=60,
                     public=True)
