from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "hongniang.workshops"
    label = "workshops"
    verbose_name = _("社区工厂")

    def ready(self):
        from hongniang.core import nav  # lazy: ready() runs after the models load

        # In the menu of every logged-in user: enterprises, workshop owners, staff and the bureau have their pages
        # there, and workers (often seekers) their piece wages. No role test of its own: a role test runs a query
        # on every page for every user (the pages' query counts are kept flat).
        nav.register("workshops", _("社区工厂"), "workshops:index", roles=("user",), order=130)
