"""What the figures are computed from: daily facts (flows of a day and stocks at its end, written by the daily
aggregation and never from today's state afterwards) and one frozen record per hire.

A day's facts are written once (the aggregation is idempotent: it replaces a day's rows as a whole), so a
past month's report reads the same rows later, whatever has changed in the live tables since."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Period(models.TextChoices):
    DAY = "d", _("日")
    MONTH = "m", _("月（按日汇总）")


class Grain(models.TextChoices):
    AREA = "area", _("乡镇 × 站点")
    OCCUPATION = "occ", _("乡镇 × 职业")
    INDUSTRY = "ind", _("乡镇 × 行业")
    CHANNEL = "chan", _("乡镇 × 站点 × 渠道")


class Fact(models.Model):
    """One number: a flow (what happened on the day, or in the month for period "m") or a stock (how many at
    the end of the day), for one cell of a grain. `verified` is the part of `value` that is backed by a second
    party (a verified enterprise, an in-person registration, ...): see hongniang.dashboards.metrics."""

    period = models.CharField(max_length=1, choices=Period.choices, default=Period.DAY)
    day = models.DateField(_("日期（月：当月 1 日）"))
    metric = models.CharField(_("指标"), max_length=32)
    grain = models.CharField(max_length=4, choices=Grain.choices, default=Grain.AREA)
    township = models.CharField(_("乡镇代码"), max_length=12, blank=True)
    point_id = models.IntegerField(_("站点"), default=0, help_text=_("0：不按站点区分（岗位、企业）"))
    key = models.CharField(_("职业 / 行业 / 渠道"), max_length=20, blank=True)
    value = models.BigIntegerField(default=0)
    verified = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("汇总数据")
        verbose_name_plural = _("汇总数据")
        constraints = [
            models.UniqueConstraint(fields=["period", "day", "metric", "grain", "township", "point_id", "key"],
                                    name="uniq_fact_cell"),
            models.CheckConstraint(condition=models.Q(verified__lte=models.F("value")), name="fact_verified_le_value"),
        ]
        indexes = [
            models.Index(fields=["grain", "period", "day"], name="fact_grain_day"),
            models.Index(fields=["township", "grain", "period", "day"], name="fact_township_day"),
            models.Index(fields=["point_id", "grain", "period", "day"], name="fact_point_day"),
            # a few metrics over a period's whole months and edge days, by township or point (not every metric's
            # cells of the edge days, as the unique index's (period, day, metric, ...) order reads them)
            models.Index(fields=["grain", "metric", "period", "day"], name="fact_metric_day"),
        ]


class FactDay(models.Model):
    """A day the aggregation has written, and how: `stocks_live` when its stocks were counted on the day
    itself (or the day after); False when they were rebuilt afterwards from timestamps (a backfill)."""

    day = models.DateField(primary_key=True)
    computed_at = models.DateTimeField()
    stocks = models.BooleanField(default=True, help_text=_("此日的在册数是否保留（近 40 天每日、更早只留月末）"))
    stocks_live = models.BooleanField(default=True)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("已汇总日期")
        verbose_name_plural = _("已汇总日期")


class HireRecord(models.Model):
    """One hire (an application that reached 录用上岗, or a gig worked) as the figures count it. Its dimensions
    are frozen when it is first counted; its outcomes (confirmed start, follow-ups at 7/30/90 days, first
    pay) are added once each, with the date they became known, so a figure "as of a date" never moves."""

    source = models.CharField(max_length=8)  # "app" | "gig"
    source_id = models.BigIntegerField()
    person_id = models.BigIntegerField(default=0)  # the seeker (app) or gig worker (gig)
    hired_on = models.DateField(_("录用日期"))
    township = models.CharField(_("求职者所在乡镇"), max_length=12, blank=True)
    point_id = models.IntegerField(_("登记站点"), default=0)
    work_township = models.CharField(_("岗位所在乡镇"), max_length=12, blank=True)
    enterprise_id = models.IntegerField(default=0)
    occupation = models.CharField(max_length=16, blank=True)
    industry = models.CharField(max_length=8, blank=True)
    channel = models.CharField(_("渠道"), max_length=12)
    days_to_fill = models.IntegerField(_("岗位发布至录用（天）"), null=True, blank=True)
    promised_min = models.IntegerField(_("承诺月收入下限（元）"), null=True, blank=True)
    start_on = models.DateField(_("约定上岗日期"), null=True, blank=True)
    confirmed_on = models.DateField(_("本人确认上岗日期"), null=True, blank=True)
    pay_amount = models.IntegerField(_("首月实发（元）"), null=True, blank=True)
    pay_on = models.DateField(null=True, blank=True)
    f7_on = models.DateField(null=True, blank=True)
    f7_working = models.BooleanField(null=True, blank=True)
    f30_on = models.DateField(null=True, blank=True)
    f30_working = models.BooleanField(null=True, blank=True)
    f90_on = models.DateField(null=True, blank=True)
    f90_working = models.BooleanField(null=True, blank=True)
    paid_ok = models.BooleanField(_("回访：工资按约定发放"), null=True, blank=True)
    paid_ok_on = models.DateField(null=True, blank=True)
    verified_on = models.DateField(_("得到第二方确认的日期"), null=True, blank=True)
    #: the hired_on of the same person's previous app hire (records ordered by hired_on, id); None for a person's
    #: first app hire and for gigs. Kept by hirestats.link_people wherever records are written, so that the
    #: people placed in a period (a person counted once) are its app hires less those whose previous hire was
    #: in the period too: a count of a few repeat hires instead of a distinct count over every hire.
    prev_hired_on = models.DateField(_("本人上一次录用日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("录用记录（统计）")
        verbose_name_plural = _("录用记录（统计）")
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="uniq_hire_record")]
        indexes = [
            models.Index(fields=["hired_on"], name="hire_day"),
            models.Index(fields=["township", "hired_on"], name="hire_township_day"),
            models.Index(fields=["point_id", "hired_on"], name="hire_point_day"),
            models.Index(fields=["start_on"], name="hire_start_day"),
            models.Index(fields=["pay_on"], name="hire_pay_day"),
            # outcomes known after a period's end are taken back out of the pre-summed HireStat rows
            models.Index(fields=["verified_on"], name="hire_verified_day"),
            models.Index(fields=["confirmed_on"], name="hire_confirmed_day"),
            models.Index(fields=["f7_on"], name="hire_f7_day"),
            models.Index(fields=["f30_on"], name="hire_f30_day"),
            models.Index(fields=["f90_on"], name="hire_f90_day"),
            models.Index(fields=["paid_ok_on"], name="hire_paid_ok_day"),
            # the repeat hires of a period (figures.HireView.people): only records with a previous hire
            models.Index(fields=["prev_hired_on", "hired_on"], name="hire_repeat_day",
                         condition=models.Q(prev_hired_on__isnull=False)),
        ]


def _measure(label: str):
    return models.BigIntegerField(label, default=0)


class HireStat(models.Model):
    """Hire records pre-summed per day and per month (period "m") on one of their dates (anchor: hired "h",
    started "s", pay reported "p"), for the county (township "*", grains area / chan / occ / ttf) and each
    township × service point (grain area). Outcomes are those known when written; readers take back those known
    after their period's end. Rewritten as a whole by each aggregation run (hongniang.dashboards.hirestats)."""

    period = models.CharField(max_length=1, choices=Period.choices, default=Period.DAY)
    day = models.DateField(_("日期（月：当月 1 日）"))
    anchor = models.CharField(max_length=1)
    grain = models.CharField(max_length=4)
    township = models.CharField(max_length=12, blank=True)
    point_id = models.IntegerField(default=0)
    key = models.CharField(_("渠道 / 职业 / 录用周期天数"), max_length=20, blank=True)
    n = _measure(_("记录数"))
    app = _measure(_("岗位录用"))
    gig = _measure(_("零工完工"))
    verified = _measure(_("已核实录用"))
    gig_confirmed = _measure(_("零工工人确认收款"))
    gig_r30 = _measure(_("零工 30 天已知"))
    gig_w30 = _measure(_("零工 30 天内再次上工"))
    r7 = _measure(_("7 天已回访"))
    w7 = _measure(_("7 天仍在岗"))
    r30 = _measure(_("30 天已回访"))
    w30 = _measure(_("30 天仍在岗"))
    r90 = _measure(_("90 天已回访"))
    w90 = _measure(_("90 天仍在岗"))
    promised = _measure(_("承诺月收入下限合计"))
    actual = _measure(_("首月实发合计"))
    below = _measure(_("低于承诺"))
    confirmed = _measure(_("回访确认按约定发放"))

    class Meta:
        verbose_name = _("录用汇总")
        verbose_name_plural = _("录用汇总")
        constraints = [models.UniqueConstraint(fields=["period", "day", "anchor", "grain", "township", "point_id",
                                                       "key"], name="uniq_hire_stat_cell")]
        indexes = [models.Index(fields=["anchor", "period", "day"], name="hire_stat_day")]


class MonthlyReport(models.Model):
    """A monthly report written to disk (by the periodic command or the button), and who was told."""

    month = models.DateField(_("月份（当月 1 日）"), unique=True)
    xlsx_path = models.CharField(max_length=300)
    pdf_path = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(_("已送达人社局收件箱"), null=True, blank=True)
    figures = models.JSONField(_("主要数字"), default=dict, blank=True)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("月报")
        verbose_name_plural = _("月报")


class Snapshot(models.Model):
    """A figure set computed right after an aggregation run for a scope people open first (the county for each of
    the dashboard's preset periods, and the public figures), so that the first view after the night reads one row
    instead of computing it. Keyed like figures.cached (the key holds the run's stamp); each run replaces them."""

    key = models.CharField(max_length=120, unique=True)
    payload = models.JSONField()
    computed_at = models.DateTimeField()
    seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = _("预先算好的看板数字")
        verbose_name_plural = _("预先算好的看板数字")
