from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "hongniang.outreach"
    label = "outreach"
    verbose_name = _("站点工作台（导入导出、外呼、回访）")

    def ready(self):
        from hongniang.core import nav  # lazy: ready() runs after the models load

        nav.register("workspace", _("站点工作台"), "outreach:workspace", roles=("staff",), order=112)
        nav.register("figures", _("全县数据"), "outreach:figures", roles=("bureau",), order=210)

        from hongniang.recommend import outcomes  # lazy: ready() runs after the models load

        from . import outcomes as mine  # lazy: ready() runs after the models load

        outcomes.register(self.label, mine.extract)  # outcome events for the placement dashboard and learning
