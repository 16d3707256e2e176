"""因人设厂: saved recommender scenarios (shareable with an enterprise) and sites opened through the platform (for
calibration: predicted against actual headcount). Figures here are aggregates: no person is stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hongniang.core import roles
from hongniang.core.statemachine import Action, StateMachine, TransitionEvent


class ScenarioStatus(models.TextChoices):
    PRIVATE = "private", _("仅工作人员可见")
    SHARED = "shared", _("已分享给企业")


class Scenario(models.Model):
    """A saved recommender query with its answer (site figures only). Created by staff, the bureau or an
    enterprise's HR; a scenario made for an enterprise can be shared with it."""

    title = models.CharField(_("名称"), max_length=100)
    enterprise = models.ForeignKey("employers.Enterprise", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="siting_scenarios", verbose_name=_("企业"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("创建人"))
    by_enterprise = models.BooleanField(_("企业自建"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=ScenarioStatus.choices,
                              default=ScenarioStatus.PRIVATE, db_index=True)
    params = models.JSONField(_("条件"), default=dict)
    result = models.JSONField(_("结果"), default=dict)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("选址方案")
        verbose_name_plural = _("选址方案")
        constraints = [
            models.CheckConstraint(condition=~Q(status="shared") | Q(enterprise__isnull=False),
                                   name="siting_scenario_shared_has_enterprise"),
        ]

    def __str__(self) -> str:
        return self.title


class ScenarioEvent(TransitionEvent):
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="events")
    ACTION_LABELS = {"share": "分享给企业", "unshare": "取消分享"}


def _may_share(user, scenario) -> bool:
    return scenario.enterprise_id is not None and not scenario.by_enterprise and (
        roles.is_bureau(user) or bool(roles.service_point_ids(user)))


SCENARIO = StateMachine(
    Scenario, event_model=ScenarioEvent, event_fk="scenario", noun=_("方案"), touch_fields=("updated_at",),
    actions=[
        Action("share", sources={"private"}, target="shared", label=_("分享给企业"), allowed=_may_share),
        Action("unshare", sources={"shared"}, target="private", label=_("取消分享"), allowed=_may_share,
               style="secondary"),
    ],
)


class SiteKind(models.TextChoices):
    BRANCH = "branch", _("分厂")
    WORKSHOP = "workshop", _("帮扶车间")
    SHUTTLE = "shuttle", _("班车线路")


class OpenedSite(models.Model):
    """A site an enterprise opened through the platform. Its headcount is the hires at its postings; the
    prediction made when it was chosen is compared with it at 3, 6 and 12 months."""

    enterprise = models.ForeignKey("employers.Enterprise", on_delete=models.CASCADE, related_name="opened_sites",
                                   verbose_name=_("企业"))
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=SiteKind.choices, default=SiteKind.BRANCH)
    region = models.ForeignKey("geo.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("所在乡镇/村"))
    lat = models.FloatField(_("纬度"))
    lon = models.FloatField(_("经度"))
    opened_on = models.DateField(_("开设日期"))
    scenario = models.ForeignKey(Scenario, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="opened_sites", verbose_name=_("依据的方案"))
    predicted_3m = models.PositiveIntegerField(_("预计3个月用工"))
    predicted_6m = models.PositiveIntegerField(_("预计6个月用工"))
    predicted_12m = models.PositiveIntegerField(_("预计12个月用工"))
    postings = models.ManyToManyField("jobs.JobPosting", blank=True, related_name="+",
                                      verbose_name=_("该地点的岗位"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("已开设地点")
        verbose_name_plural = _("已开设地点")
        constraints = [
            models.CheckConstraint(condition=Q(predicted_3m__gt=0) & Q(predicted_6m__gt=0) & Q(predicted_12m__gt=0),
                                   name="siting_opened_predicted_positive"),
            models.CheckConstraint(condition=Q(lat__gte=-90) & Q(lat__lte=90) & Q(lon__gte=-180) & Q(lon__lte=180),
                                   name="siting_opened_latlon_range"),
        ]

    def __str__(self) -> str:
        return self.name

    def predicted(self) -> dict[int, int]:
        return {3: self.predicted_3m, 6: self.predicted_6m, 12: self.predicted_12m}


class Disclosure(models.Model):
    """What an enterprise was shown by one labour-supply query: for each figure it saw, the people behind it (seeker
    ids only, compressed; never shown to anyone). Kept DISCLOSURE_DAYS so that a later query whose figure differs from
    an earlier one by fewer than 10 people is withheld: two filters differing by one attribute must not single out a
    group under the minimum size (differencing)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    enterprise = models.ForeignKey("employers.Enterprise", null=True, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(db_index=True)
    cells = models.BinaryField()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("企业查询留痕")
        verbose_name_plural = _("企业查询留痕")
