from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    name = "hongniang.employers"
    label = "employers"
    verbose_name = _("用人单位")

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from hongniang.core import nav  # lazy: ready() runs after the models load

        nav.register("enterprise", _("企业招聘"), "employers:dashboard", roles=("enterprise",), order=110)
