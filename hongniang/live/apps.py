from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "hongniang.live"
    label = "live"
    verbose_name = _("直播招聘")

    def ready(self):
        from hongniang.core import nav  # lazy: ready() runs after the models load

        nav.register("live", _("直播"), "live:list", roles=("anonymous", "user"), order=27, public=True,
                     hint=_("看直播，点链接报名"))
        nav.register("live_leads", _("直播线索"), "live:leads", roles=("staff", "bureau"), order=125)
