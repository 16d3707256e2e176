from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "hongniang.events"
    label = "events"
    verbose_name = "招聘会与入园入企"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from hongniang.core import nav  # lazy: ready() runs after the models load

        nav.register("events", _("招聘会"), "events:list", roles=("anonymous", "user"), order=25, public=True,
                     hint=_("招聘会、坐班车进园区进企业"))
