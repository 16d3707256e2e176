from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeekersConfig(AppConfig):
    name = "hongniang.seekers"
    label = "seekers"
    verbose_name = _("求职者")

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from hongniang.core import nav  # lazy: ready() runs after the models load

        nav.register("me", _("我的"), "seekers:me", roles=("seeker",), order=100)
