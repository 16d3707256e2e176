from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "hongniang.workshops"
    label = "workshops"
    verbose_name = "社区工厂"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from hongniang.core import nav

        from .permissions import is_workshop_owner, is_workshop_worker

        nav.register_role("workshop", is_workshop_owner)
        nav.register_role("workshop_worker", is_workshop_worker)
        nav.register("workshops", _("社区工厂"), "workshops:index",
                     roles=("enterprise", "workshop", "staff", "bureau"), order=130)
        nav.register("workshop_wages", _("我的计件工钱"), "workshops:my_wages", roles=("workshop_worker",), order=131)
