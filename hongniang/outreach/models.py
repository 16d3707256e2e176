"""Staff work at a service point: Excel imports (a batch previewed before it is written), call outcomes
for a posting's call list, and follow-ups (回访) after a hire."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hongniang.core.statemachine import TransitionEvent

# --- imports ----------------------------------------------------------------------------------------


class ImportKind(models.TextChoices):
    SEEKERS = "seekers", _("求职者花名册")
    POSTINGS = "postings", _("企业岗位清单")


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("待确认")
    COMMITTED = "committed", _("已导入")
    CANCELLED = "cancelled", _("已取消")


class ImportBatch(models.Model):
    """One uploaded spreadsheet, parsed and validated row by row. The file itself is never stored: the
    parsed rows live encrypted in `payload` (they hold ID numbers) until the batch is committed or
    cancelled, then only the per-row outcome (masked) is kept in `report`."""

    ENCRYPTED_FIELDS = [("payload", None)]  # hongniang.core.crypto: key rotation

    kind = models.CharField(_("类型"), max_length=10, choices=ImportKind.choices)
    status = models.CharField(_("状态"), max_length=10, choices=ImportStatus.choices,
                              default=ImportStatus.PREVIEWED, db_index=True)
    service_point = models.ForeignKey("geo.ServicePoint", null=True, blank=True, on_delete=models.CASCADE,
                                      related_name="import_batches", verbose_name=_("站点"))
    enterprise = models.ForeignKey("employers.Enterprise", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="+", verbose_name=_("代为导入岗位的企业"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("上传人"))
    filename = models.CharField(_("文件名"), max_length=200)
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    valid_rows = models.PositiveIntegerField(_("有效行数"), default=0)
    error_rows = models.PositiveIntegerField(_("有误行数"), default=0)
    created_rows = models.PositiveIntegerField(_("已导入行数"), default=0)
    payload = models.TextField(_("解析后的数据（加密）"), blank=True, editable=False)
    report = models.JSONField(_("逐行结果（已脱敏）"), default=list, blank=True, editable=False)
    notes = models.JSONField(_("提示"), default=list, blank=True, editable=False,
                             help_text=_("整表的提示：被忽略的列、跳过的空行"))
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        constraints = [
            models.CheckConstraint(condition=models.Q(valid_rows__lte=models.F("total_rows")),
                                   name="import_valid_le_total"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.filename}"


class ImportBatchEvent(TransitionEvent):
    """One transition of an import batch: who, when, from, to, why (the kit's event row)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="events")

    ACTION_LABELS = {"upload": "上传预览", "commit": "确认导入", "cancel": "取消", "purge": "超时清除"}

    class Meta(TransitionEvent.Meta):
        verbose_name = _("导入批次记录")
        verbose_name_plural = _("导入批次记录")


# --- outreach ---------------------------------------------------------------------------------------


class CallOutcome(models.TextChoices):
    NO_ANSWER = "no_answer", _("未接通")
    NOT_INTERESTED = "not_interested", _("不感兴趣")
    INTERESTED = "interested", _("有意向（已代为报名）")
    ALREADY_WORKING = "already_working", _("已在工作")


class CallLog(models.Model):
    """One call by staff to a seeker about a posting. Nobody is called twice for the same job: the
    (posting, seeker) pair is unique."""

    posting = models.ForeignKey("jobs.JobPosting", on_delete=models.CASCADE, related_name="call_logs")
    seeker = models.ForeignKey("seekers.Seeker", on_delete=models.CASCADE, related_name="call_logs")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("拨打人"))
    service_point = models.ForeignKey("geo.ServicePoint", null=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField(_("结果"), max_length=16, choices=CallOutcome.choices)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    application = models.ForeignKey("applications.Application", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("代为报名"))
    at = models.DateTimeField(_("拨打时间"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("外呼记录")
        verbose_name_plural = _("外呼记录")
        constraints = [models.UniqueConstraint(fields=["posting", "seeker"], name="uniq_call_per_posting_seeker")]


# --- follow-ups -------------------------------------------------------------------------------------

FOLLOWUP_DAYS = (7, 30, 90)


class FollowUpStatus(models.TextChoices):
    PENDING = "pending", _("待回访")
    DONE = "done", _("已回访")
    UNREACHABLE = "unreachable", _("联系不上")


class FollowUp(models.Model):
    """A check after a hire, at 7, 30 or 90 days: still working? paid as promised? problems?"""

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE,
                                    related_name="followups")
    seeker = models.ForeignKey("seekers.Seeker", on_delete=models.CASCADE, related_name="followups")
    enterprise = models.ForeignKey("employers.Enterprise", on_delete=models.CASCADE, related_name="followups")
    service_point = models.ForeignKey("geo.ServicePoint", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="followups", verbose_name=_("负责站点"))
    day = models.PositiveSmallIntegerField(_("上岗后第几天"))
    hired_on = models.DateField(_("上岗日期"))
    due_on = models.DateField(_("应回访日期"), db_index=True)
    status = models.CharField(_("状态"), max_length=12, choices=FollowUpStatus.choices,
                              default=FollowUpStatus.PENDING, db_index=True)
    still_working = models.BooleanField(_("仍在岗"), null=True, blank=True)
    paid_as_promised = models.BooleanField(_("工资按约定发放"), null=True, blank=True)
    problems = models.CharField(_("遇到的问题"), max_length=500, blank=True)
    done_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("回访人"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("回访")
        verbose_name_plural = _("回访")
        constraints = [
            models.UniqueConstraint(fields=["application", "day"], name="uniq_followup_per_day"),
            models.CheckConstraint(condition=models.Q(day__in=FOLLOWUP_DAYS), name="followup_day_known"),
        ]
        indexes = [models.Index(fields=["service_point", "status", "due_on"], name="followup_point_due")]


class FollowUpEvent(TransitionEvent):
    """One transition of a follow-up (pending → done / unreachable) (the kit's event row)."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="events")

    ACTION_LABELS = {"schedule": "安排回访", "record": "已回访", "unreachable": "联系不上"}

    class Meta(TransitionEvent.Meta):
        verbose_name = _("回访记录")
        verbose_name_plural = _("回访记录")
