from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "hongniang.jobs"
    label = "jobs"
    verbose_name = _("岗位")

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from hongniang.core import nav  # lazy: ready() runs after the models load

        nav.register("jobs", _("找工作"), "jobs:list", roles=("anonymous", "user"), order=10, public=True,
                     hint=_("家门口的全职岗位"))

        from django.db.models.signals import post_delete, post_save

        from hongniang.catalog.models import Occupation  # lazy: ready() runs after the models load
        from hongniang.geo.models import Region  # lazy: ready() runs after the models load

        from .selectors import forget_reference_rows  # lazy: ready() runs after the models load

        for model in (Region, Occupation):
            post_save.connect(forget_reference_rows, sender=model, dispatch_uid=f"forget_{model.__name__}")
            post_delete.connect(forget_reference_rows, sender=model, dispatch_uid=f"forget_{model.__name__}_del")
