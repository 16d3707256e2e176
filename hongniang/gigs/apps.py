from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GigsConfig(AppConfig):
    name = "hongniang.gigs"
    label = "gigs"
    verbose_name = _("零工超市")

    def ready(self):
        from hongniang.core import nav  # lazy: ready() runs after the models load

        nav.register("gigs", _("零工"), "gigs:list", roles=("anonymous", "user"), order=20, public=True,
                     hint=_("零工超市：按天干活，当天结算"))
