from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hongniang.catalog.codes import Shift
from hongniang.core.crypto import decrypt, encrypt, lookup_hash
from hongniang.zh.validators import mask_id_number, mask_name, mask_phone


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class ConsentChannel(models.TextChoices):
    ONLINE = "online", _("本人线上勾选")
    PAPER = "paper", _("纸质签字")
    VERBAL = "verbal", _("口头同意（工作人员见证）")
    SCREEN = "screen", _("现场屏幕确认")


class Seeker(models.Model):
    """A person looking for work, registered by themselves or by staff on their behalf.

    The ID number is stored encrypted (`id_number_encrypted`) with a keyed hash (`id_number_hash`)
    for exact look-up; pages show `id_number_masked` unless the viewer may see full data."""

    ENCRYPTED_FIELDS = [("id_number_encrypted", "id_number_hash")]  # hongniang.core.crypto: key rotation

    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="seeker")
    name = models.CharField(_("姓名"), max_length=50)
    id_number_encrypted = models.TextField(_("身份证号（加密）"), blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    id_number_masked = models.CharField(_("身份证号"), max_length=18, blank=True, editable=False)
    # A number the person typed themselves (self-service) is theirs to show but not yet a registration: it does
    # not take the unique hash (nobody can block the real person by typing their number first, nor learn that it
    # is taken), only this keyed hash, for staff to confirm or merge (seekers.selectors.id_number_conflicts).
    id_number_claim_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone = models.CharField(_("手机号码"), max_length=11, db_index=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)
    home_region = models.ForeignKey("geo.Region", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="seekers", verbose_name=_("家庭住址（村/社区）"))
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    desired_occupations = models.JSONField(_("意向工种（按优先顺序）"), default=list, blank=True)
    certificates = models.JSONField(_("持有证书"), default=list, blank=True)
    expected_pay = models.PositiveIntegerField(_("期望月薪（元）"), null=True, blank=True)
    acceptable_shifts = models.JSONField(_("可接受班次"), default=list, blank=True)
    max_commute_km = models.PositiveSmallIntegerField(_("最远通勤（公里）"), null=True, blank=True)
    relocate = models.BooleanField(_("提供住宿可外出务工"), default=False)
    unavailable_months = models.JSONField(_("农忙月份（不能全职）"), default=list, blank=True)
    service_point = models.ForeignKey("geo.ServicePoint", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="seekers", verbose_name=_("登记站点"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name=_("代为登记人"))
    consent_at = models.DateTimeField(_("授权同意时间"), null=True, blank=True)
    consent_channel = models.CharField(_("授权方式"), max_length=10, choices=ConsentChannel.choices, blank=True)
    consent_witness = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", verbose_name=_("见证人"))
    is_active = models.BooleanField(_("正在求职"), default=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("求职者")
        verbose_name_plural = _("求职者")
        constraints = [
            models.CheckConstraint(condition=Q(expected_pay__isnull=True) | Q(expected_pay__lte=200000),
                                   name="seeker_expected_pay_sane"),
        ]

    def __str__(self) -> str:
        return mask_name(self.name)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_id(self) -> str:
        return self.id_number_masked or ""

    @property
    def acceptable_shift_labels(self) -> list[str]:
        """The shifts' names (长白班、两班倒, translated), in the seeker's order; an unknown code as it is."""
        return [Shift(s).label if s in Shift.values else s for s in (self.acceptable_shifts or ())]

    def reveal_id_number(self) -> str:
        """Decrypt the ID number. Callers must audit the view (hongniang.seekers.services.reveal_seeker)."""
        return decrypt(self.id_number_encrypted) if self.id_number_encrypted else ""

    @staticmethod
    def mask(id_number: str) -> str:
        return mask_id_number(id_number)

    def set_id_number(self, id_number: str, *, registered: bool = True, digest: str | None = None) -> None:
        """Store an ID number (not saved): encrypted, masked, and its look-up hash. A registered number (staff saw
        the ID card, an import) takes the unique `id_number_hash`; one the person typed themselves is only
        claimed (`id_number_claim_hash`). `digest`: the look-up hash when the caller has computed it already."""
        digest = digest or lookup_hash(id_number)
        self.id_number_encrypted = encrypt(id_number)
        self.id_number_masked = self.mask(id_number)
        self.id_number_hash, self.id_number_claim_hash = (digest, "") if registered else (None, digest)
