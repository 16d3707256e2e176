"""People of the gig market: phone codes, individual and enterprise employers, workers and their free days."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniang.core import roles
from hongniang.core.audit import audit
from hongniang.core.errors import Conflict, FieldErrors, InvalidInput, PermissionDeniedError
from hongniang.notifications.phone_codes import phone_code_check
from hongniang.seekers.services import account_gig_signup_logged_in

from ..models import (
    GigAvailability,
    GigEmployer,
    GigWorker,
    WorkType,
)
from ..permissions import (
    worker_of,
)
from .base import MAX_DAYS_AHEAD, _now, _phone

# ------------------------------------------------------------------------------------ phone and people

EMPLOYER_CODE_PURPOSE = "gig_employer"  # hongniang.notifications.phone_codes purpose for individual employers
WORKER_CODE_PURPOSE = "gig_join"  # ... and for a worker's own sign-up


def employer_for_enterprise(*, enterprise, actor=None) -> GigEmployer:
    """The enterprise's gig employer, created the first time (a verified enterprise only). `actor`, when given,
    forgets the employers it acts for, so the new one counts in the same request."""
    if not enterprise.is_verified:
        raise PermissionDeniedError(_("单位通过认证后才能发布零工订单"), code="enterprise_unverified")
    emp, created = GigEmployer.objects.get_or_create(
        enterprise=enterprise,
        defaults=dict(name=enterprise.name, phone=enterprise.contact_phone or "", region=enterprise.region))
    if created and actor is not None:
        if hasattr(actor, "_gig_employer_ids"):
            del actor._gig_employer_ids
    return emp


def individual_employer_register(*, actor, name: str, phone: str, code: str = "", region=None) -> GigEmployer:
    """A person hiring for a gig. Self-registration needs an SMS code; staff may vouch instead."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("请填写姓名"), field="name")
    phone = _phone(phone)
    staff = roles.is_staff_member(actor) or roles.is_bureau(actor)
    if not staff:
        if not getattr(actor, "is_authenticated", False):
            raise PermissionDeniedError(_("请先登录"), code="unauthorized")
        phone_code_check(phone=phone, purpose=EMPLOYER_CODE_PURPOSE, code=code)
    with transaction.atomic():
        existing = GigEmployer.objects.filter(enterprise__isnull=True, phone=phone).first()
        if existing:
            if not staff and existing.user_id and existing.user_id != actor.pk:
                raise Conflict(_("该手机号已登记为其他个人雇主"))
            if not staff and existing.user_id is None:
                existing.user = actor
                existing.save(update_fields=["user"])
            return existing
        emp = GigEmployer.objects.create(
            user=None if staff else actor, name=name[:100], phone=phone, phone_verified_at=_now(),
            verified_by=actor if staff else None, region=region)
        audit(actor=actor, action="gigs.employer_register", target=emp)
        if hasattr(actor, "_gig_employer_ids"):
            del actor._gig_employer_ids
    return emp


def may_join_with_account_phone(user) -> bool:
    """A logged-in plain account (a seeker's) joins the gig market with its own log-in number, without a code:
    that number was proved by a code when the account was made, or vouched for by staff, and it is the number
    password resets go to. Accounts that see other people's data, and accounts without a number, need the code."""
    return bool(getattr(user, "is_authenticated", False) and user.phone and roles.may_log_in_by_sms(user)
                and worker_of(user) is None)


def worker_quick_signup(*, actor, name: str, phone: str = "", work_types=(), home_region=None,
                        service_point=None, code: str = "", account_phone: bool = False) -> GigWorker:
    """Phone and name are enough. Staff sign up walk-ins on their behalf (staff vouch for the number); anyone
    else proves the number with the SMS code sent for WORKER_CODE_PURPOSE first, except a logged-in seeker who
    asks for `account_phone`: the account's own log-in number is used (any `phone` given is ignored) and needs
    no code (`may_join_with_account_phone`). Self sign-up links the logged-in user; an anonymous caller becomes
    the plain account of that number (a new one when there is none) — `worker.user` is the account the page
    logs in. A walk-in staff registered with this number is claimed. Audited as `gigs.worker_signup` with the
    proof (staff, account_phone or sms_code)."""
    name = (name or "").strip()
    User = get_user_model()
    staff = roles.is_staff_member(actor)
    signed_in = getattr(actor, "is_authenticated", False)
    own_number = account_phone and not staff and may_join_with_account_phone(actor)
    if account_phone and not staff and not own_number:
        raise PermissionDeniedError(_("请用短信验证码证明手机号"), code="code_required")
    if own_number:
        phone = actor.phone
    errors = FieldErrors()
    if not name or len(name) > 50:
        errors.add("name", _("请填写姓名"))
    phone = errors.check("phone", _phone, phone)
    types = errors.check("work_types", _work_types, work_types)
    errors.raise_if_any()
    proof = "staff" if staff else "account_phone" if own_number else "sms_code"
    if not staff and not own_number:
        if not (code or "").strip():
            raise InvalidInput(_("请填写短信验证码"), field="code")
        phone_code_check(phone=phone, purpose=WORKER_CODE_PURPOSE, code=code)  # before the transaction
    with transaction.atomic():
        existing = GigWorker.objects.select_for_update().filter(phone=phone).order_by("pk").first()
        user = None
        if staff:
            if existing is not None:
                raise Conflict(_("该手机号已登记为零工"), field="phone")
        else:
            if signed_in:
                if worker_of(actor) is not None:
                    raise Conflict(_("您已登记为零工"))
                user = actor
            else:
                user = User.objects.filter(phone=phone).first() or User.objects.filter(username=phone).first()
                if user is not None and not roles.may_log_in_by_sms(user):
                    raise Conflict(_("该手机号的账号请用密码登录后再登记"), field="phone", code="password_login")
                if user is None:
                    user = User(username=phone, phone=phone, display_name=name)
                    user.set_unusable_password()
                    user.save()
                # the code just proved the number and the page logs the person in: for a while that session
                # may set a password without a second code (seekers.phone_proof)
                account_gig_signup_logged_in(user=user)
            if existing is not None:
                if existing.user_id and existing.user_id != user.pk:
                    raise Conflict(_("该手机号已登记为零工，请用该手机号登录"), field="phone")
                if existing.user_id is None:  # a walk-in registered by staff: the number's holder claims it
                    existing.user = user
                    existing.seeker = existing.seeker or roles.seeker_of(user)
                    existing.save(update_fields=["user", "seeker"])
                    audit(actor=user, action="gigs.worker_claim", target=existing, proof=proof)
                return existing
        seeker = roles.seeker_of(user) if user is not None else None
        lat = lon = None
        if home_region is not None:
            lat, lon = home_region.lat, home_region.lon
        worker = GigWorker.objects.create(
            user=user, seeker=seeker, name=name, phone=phone, work_types=types, home_region=home_region,
            lat=lat, lon=lon, service_point=service_point if staff else None,
            registered_by=actor if staff else None)
        audit(actor=actor if signed_in else user, action="gigs.worker_signup", target=worker,
              proof=proof)
    return worker


def _work_types(values) -> list[str]:
    valid = set(WorkType.values)
    out = []
    for v in values or ():
        if v not in valid:
            raise InvalidInput(_("工种不在列表中"), field="work_types")
        if v not in out:
            out.append(v)
    return out


def worker_update(*, actor, worker: GigWorker, work_types=None, home_region=None, max_distance_km=None) -> GigWorker:
    if worker_of(actor) != worker and not roles.is_staff_member(actor):
        raise PermissionDeniedError(_("只能修改自己的资料"))
    fields = []
    if work_types is not None:
        worker.work_types = _work_types(work_types)
        fields.append("work_types")
    if home_region is not None:
        worker.home_region, worker.lat, worker.lon = home_region, home_region.lat, home_region.lon
        fields += ["home_region", "lat", "lon"]
    if max_distance_km is not None:
        if not 1 <= int(max_distance_km) <= 200:
            raise InvalidInput(_("距离请填 1 到 200 公里"), field="max_distance_km")
        worker.max_distance_km = int(max_distance_km)
        fields.append("max_distance_km")
    if fields:
        worker.save(update_fields=fields)
    return worker


def availability_set(*, actor, worker: GigWorker, dates) -> list[dt.date]:
    """Replace the worker's free days from today on with `dates`."""
    if worker_of(actor) != worker and not roles.is_staff_member(actor):
        raise PermissionDeniedError(_("只能修改自己的空闲日期"))
    today = timezone.localdate()
    clean = sorted(set(dates))
    for d in clean:
        if d < today:
            raise InvalidInput(_("不能选择已经过去的日期"), field="dates")
        if d > today + dt.timedelta(days=MAX_DAYS_AHEAD):
            raise InvalidInput(_("只能选择 %(days)s 天以内的日期") % {"days": MAX_DAYS_AHEAD}, field="dates")
    with transaction.atomic():
        GigAvailability.objects.filter(worker=worker, date__gte=today).exclude(date__in=clean).delete()
        have = set(GigAvailability.objects.filter(worker=worker, date__in=clean).values_list("date", flat=True))
        GigAvailability.objects.bulk_create([GigAvailability(worker=worker, date=d) for d in clean if d not in have])
    return clean
