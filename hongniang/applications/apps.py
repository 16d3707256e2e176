from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "hongniang.applications"
    label = "applications"
    verbose_name = _("报名")

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from hongniang.core import nav  # lazy: ready() runs after the models load

        nav.register("pay_record", _("薪酬兑现"), "applications:pay_record", roles=("bureau",), order=220)

        from hongniang.recommend import outcomes  # lazy: ready() runs after the models load

        from . import outcomes as mine  # lazy: ready() runs after the models load

        outcomes.register(self.label, mine.extract)  # outcome events for the placement dashboard and learning
