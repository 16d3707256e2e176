"""What the engine recommended and the platform showed to whom (impressions), and fitted calibrations."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Surface(models.TextChoices):
    FOR_YOU = "for_you", _("为你推荐（网页）")
    API = "api", _("接口")


class Impression(models.Model):
    """A posting the engine recommended and the platform showed to a seeker: one row per (seeker, posting),
    with the first and last time it was shown, how often, its rank and score the first time, and when the seeker
    opened it from the list."""

    seeker = models.ForeignKey("seekers.Seeker", on_delete=models.CASCADE, related_name="+")
    posting = models.ForeignKey("jobs.JobPosting", on_delete=models.CASCADE, related_name="+")
    surface = models.CharField(_("展示位置"), max_length=8, choices=Surface.choices, default=Surface.FOR_YOU)
    engine = models.CharField(_("推荐方式"), max_length=40, help_text=_("例如 capacity（分流）/ plain；校准版本"))
    rank = models.PositiveSmallIntegerField(_("名次"))
    score = models.FloatField(_("匹配分"))
    first_shown_at = models.DateTimeField(_("首次展示"), db_index=True)
    last_shown_at = models.DateTimeField(_("最近展示"), db_index=True)  # outcomes since a day: dashboard, prices
    times_shown = models.PositiveIntegerField(_("展示次数"), default=1)
    viewed_at = models.DateTimeField(_("查看时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("推荐展示")
        verbose_name_plural = _("推荐展示")
        constraints = [
            models.UniqueConstraint(fields=["seeker", "posting"], name="uniq_impression"),
            models.CheckConstraint(condition=models.Q(rank__gte=1), name="impression_rank_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.seeker_id} → {self.posting_id} #{self.rank}"


class MatchCalibration(models.Model):
    """A county's calibration of the soft score's weights, fitted offline from outcomes (``fit_matching``).
    The newest active one is used when the matching index is built."""

    county = models.CharField(_("县级区划代码"), max_length=12)
    weights = models.JSONField(_("权重"))
    examples = models.JSONField(_("样本数"), default=dict)
    figures = models.JSONField(_("回放检验"), default=dict, blank=True)
    fitted_at = models.DateTimeField(_("拟合时间"), auto_now_add=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["-fitted_at", "-pk"]
        verbose_name = _("匹配权重校准")
        verbose_name_plural = _("匹配权重校准")

    def __str__(self) -> str:
        return f"{self.county} {self.fitted_at:%Y-%m-%d}"
