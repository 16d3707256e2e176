from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitingConfig(AppConfig):
    name = "hongniang.siting"
    label = "siting"
    verbose_name = _("因人设厂")

    def ready(self):
        from hongniang.core import nav  # lazy: ready() runs after the models load

        nav.register("siting", _("因人设厂"), "siting:supply", roles=("staff", "bureau", "enterprise"), order=140)
