from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "hongniang.outreach"
    label = "outreach"
    verbose_name = "站点工作台（导入导出、外呼、回访）"
