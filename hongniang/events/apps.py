from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "hongniang.events"
    label = "events"
    verbose_name = _("招聘会与入园入企")

    def ready(self):
        from hongniang.core import nav  # lazy: ready() runs after the models load

        nav.register("events", _("招聘会"), "events:list", roles=("anonymous", "user"), order=25, public=True,
                     hint=_("招聘会、坐班车进园区进企业"))
