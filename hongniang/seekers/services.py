"""The one write path for seekers: registration (by themselves or by staff), updates, and the audited
full view of personal data. Keyword-only; the outer function opens the transaction; errors are
domain errors with Chinese messages (hongniang.core.errors)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongniang.catalog.codes import Shift
from hongniang.catalog.models import Occupation
from hongniang.core import roles, throttle
from hongniang.core.audit import audit
from hongniang.core.crypto import lookup_hash, lookup_hashes
from hongniang.core.errors import Conflict, InvalidInput, NotFoundError, PermissionDeniedError
from hongniang.core.models import AuditEvent, User
from hongniang.core.passwords import password_errors
from hongniang.geo.models import Region, RegionKind, ServicePoint
from hongniang.notifications.phone_codes import phone_code_check, phone_code_send
from hongniang.notifications.recipients import notify_bureau
from hongniang.notifications.services import notify
from hongniang.zh.validators import id_number_facts, normalize_id_number, normalize_phone

from .hooks import seeker_written
from .models import ConsentChannel, Gender, Seeker

MAX_DESIRED_OCCUPATIONS = 3
MAX_CERTIFICATES = 10
PROFILE_FIELDS = (
    "name", "id_number", "phone", "home_region_code", "gender", "birth_year", "desired_occupations",
    "certificates", "expected_pay", "acceptable_shifts", "max_commute_km", "relocate", "unavailable_months",
)


class DuplicatePerson(Conflict):
    """The ID number is already registered; `existing` is the registered seeker (check visibility before
    showing it)."""

    code = "duplicate_person"
    message = gettext_lazy("该身份证号已登记")

    def __init__(self, existing: Seeker, message: str | None = None):
        super().__init__(message, field="id_number")
        self.existing = existing


# --- validation -------------------------------------------------------------------------------------


class _Errors:
    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str):
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self):
        if self.errors:
            first_field, msgs = next(iter(self.errors.items()))
            exc = InvalidInput(msgs[0], errors=self.errors)
            exc.field = first_field
            raise exc


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        return [v for v in (x.strip() for x in value.replace("，", ",").split(",")) if v]
    return list(value)


def _clean(fields: dict, *, current: Seeker | None = None) -> dict:
    """Validate the given profile fields; return model-ready values. Raises InvalidInput listing every
    problem. Only keys present in `fields` are cleaned."""

    err = _Errors()
    out: dict = {}

    if "name" in fields:
        name = " ".join((fields["name"] or "").split())
        if not name:
            err.add("name", _("请填写姓名"))
        elif len(name) > 50:
            err.add("name", _("姓名太长（最多 50 个字）"))
        out["name"] = name

    birth = None
    id_gender = None
    if "id_number" in fields:
        raw = (fields["id_number"] or "").strip()
        if raw:
            try:
                number = normalize_id_number(raw)
                birth, id_gender = id_number_facts(number)
                if age_on(birth, timezone.localdate()) < MIN_WORKING_AGE:
                    raise ValueError(_("身份证号码显示未满 %(age)s 周岁，不能登记求职（法定最低就业年龄）") % {"age": MIN_WORKING_AGE})
                out["id_number"] = number
            except ValueError as exc:
                birth = id_gender = None
                err.add("id_number", str(exc))
        else:
            out["id_number"] = ""

    if "phone" in fields:
        try:
            out["phone"] = normalize_phone(fields["phone"] or "")
        except ValueError as exc:
            err.add("phone", str(exc))

    if "gender" in fields and fields["gender"]:
        if fields["gender"] not in Gender.values:
            err.add("gender", _("性别只能是男或女"))
        elif id_gender and fields["gender"] != id_gender:
            err.add("gender", _("性别与身份证号码不一致"))
        else:
            out["gender"] = fields["gender"]
    if "birth_year" in fields and fields["birth_year"] not in (None, ""):
        try:
            year = int(fields["birth_year"])
        except (TypeError, ValueError):
            year = None
            err.add("birth_year", _("出生年份应为数字"))
        if year is not None:
            this_year = timezone.localdate().year
            if not (1900 <= year <= this_year - MIN_WORKING_AGE):
                err.add("birth_year", _("出生年份不正确"))
            elif birth and year != birth.year:
                err.add("birth_year", _("出生年份与身份证号码不一致"))
            else:
                out["birth_year"] = year
    if birth:
        out["birth_year"] = birth.year
        out["gender"] = id_gender

    if "home_region_code" in fields:
        code = (fields["home_region_code"] or "").strip()
        if code:
            region = Region.objects.select_related("parent").filter(
                code=code, kind__in=[RegionKind.VILLAGE, RegionKind.TOWNSHIP]).first()
            if region is None:
                err.add("home_region_code", _("请选择有效的乡镇和村（社区）"))
            else:
                out["home_region"] = region
                out["lat"], out["lon"] = region.lat, region.lon
        else:
            out["home_region"] = None
            out["lat"] = out["lon"] = None

    if "desired_occupations" in fields:
        codes: list[str] = []
        for c in _as_list(fields["desired_occupations"]):
            c = str(c).strip()
            if c and c not in codes:
                codes.append(c)
        if len(codes) > MAX_DESIRED_OCCUPATIONS:
            err.add("desired_occupations", _("意向工种最多选 %(n)s 个") % {"n": MAX_DESIRED_OCCUPATIONS})
        elif codes:
            known = set(Occupation.objects.filter(code__in=codes).values_list("code", flat=True))
            unknown = [c for c in codes if c not in known]
            if unknown:
                err.add("desired_occupations", _("意向工种不在职业目录中：%(names)s") % {"names": "、".join(unknown)})
        out["desired_occupations"] = codes

    if "certificates" in fields:
        certs: list[str] = []
        for c in _as_list(fields["certificates"]):
            c = " ".join(str(c).split())
            if c and c not in certs:
                certs.append(c)
        if len(certs) > MAX_CERTIFICATES or any(len(c) > 50 for c in certs):
            err.add("certificates", _("证书最多填 %(n)s 个，每个不超过 50 字") % {"n": MAX_CERTIFICATES})
        out["certificates"] = certs

    for key, label, top in (("expected_pay", _("期望月薪"), 200000), ("max_commute_km", _("最远通勤距离"), 500)):
        if key in fields:
            value = fields[key]
            if value in (None, ""):
                out[key] = None
                continue
            try:
                value = int(value)
            except (TypeError, ValueError):
                err.add(key, _("%(label)s应为整数") % {"label": label})
                continue
            if not (0 <= value <= top):
                err.add(key, _("%(label)s应在 0 到 %(top)s 之间") % {"label": label, "top": top})
            else:
                out[key] = value

    if "acceptable_shifts" in fields:
        shifts = []
        for s in _as_list(fields["acceptable_shifts"]):
            if s not in Shift.values:
                err.add("acceptable_shifts", _("未知班次：%(shift)s") % {"shift": s})
            elif s not in shifts:
                shifts.append(s)
        out["acceptable_shifts"] = [s for s in Shift.values if s in shifts]

    if "unavailable_months" in fields:
        months = set()
        for m in _as_list(fields["unavailable_months"]):
            try:
                m = int(m)
            except (TypeError, ValueError):
                m = 0
            if not 1 <= m <= 12:
                err.add("unavailable_months", _("月份应在 1 到 12 之间"))
            else:
                months.add(m)
        out["unavailable_months"] = sorted(months)

    if "relocate" in fields:
        out["relocate"] = bool(fields["relocate"])

    err.raise_if_any()
    return out


def _check_duplicate(id_number: str, *, exclude_pk: int | None = None) -> str:
    digest = lookup_hash(id_number)
    existing = Seeker.objects.filter(id_number_hash__in=lookup_hashes(id_number)).exclude(pk=exclude_pk).first()
    if existing is not None:
        raise DuplicatePerson(existing)
    return digest


def _apply_id_number(seeker: Seeker, id_number: str, digest: str) -> None:
    """A registered number (staff saw the ID card, or an import): takes the unique hash."""
    seeker.set_id_number(id_number, digest=digest)


def _is_self_service(actor, seeker: Seeker) -> bool:
    """The person editing their own profile (not staff of their point, not the bureau)."""
    return bool(seeker.user_id and getattr(actor, "pk", None) == seeker.user_id
                and not roles.is_bureau(actor) and seeker.service_point_id not in roles.service_point_ids(actor))


def _claim_id_number(seeker: Seeker, id_number: str) -> None:
    """A number typed by the person themselves: shown to them (masked), not registered (see the model)."""
    seeker.set_id_number(id_number, registered=False)


def _flag_if_conflicting(seeker: Seeker, *, actor) -> None:
    """A self-entered number that is someone's registered number (or another self-entered one): the answer to
    the caller stays the same; the bureau is told, and staff confirm who is who (id_number_conflicts)."""
    number = seeker.reveal_id_number()
    hashes = lookup_hashes(number)
    others = Seeker.objects.exclude(pk=seeker.pk).filter(Q(id_number_hash__in=hashes)
                                                        | Q(id_number_claim_hash__in=hashes))
    if others.exists():
        audit(actor=actor, action="seeker.id_number_conflict", target=seeker,
              others=list(others.values_list("pk", flat=True)[:10]))
        notify_bureau(template="id_number_conflict", context={"seeker_id": seeker.pk}, url="/me/staff/id-conflicts/")


ID_CONFLICT_DECISIONS = {"same_person": "id_number_same_person", "not_same_person": "id_number_recheck"}


def id_conflict_resolve(*, actor, keep: Seeker, drop: Seeker, decision: str) -> Seeker:
    """Staff (of either profile's point) or the bureau settle two profiles with the same ID number, after
    checking the ID card or calling the person. The number stays with `keep`; `drop` must be a self-entered
    claim (a number staff registered from the ID card is never taken away here), and loses it:
    - "same_person": one person with two profiles; the verified one is kept, nothing else moves (applications,
      gig work and calls stay where they were, so no enterprise's or employer's record changes under them); the
      owner of `drop` is told the service point holds their record and how to have it joined;
    - "not_same_person": the real holder keeps it; the owner of `drop` is asked to re-check their number.
    One audit row names both profiles and the decision. Returns `drop`."""
    if decision not in ID_CONFLICT_DECISIONS:
        raise InvalidInput(_("请选择处理方式"), field="decision")
    if not roles.is_staff_or_bureau(actor):
        raise PermissionDeniedError(_("只有就业之家工作人员可以处理身份证号冲突"))
    with transaction.atomic():
        rows = {s.pk: s for s in Seeker.objects.select_for_update(of=("self",)).filter(pk__in=[keep.pk, drop.pk])
                .select_related("service_point", "user").order_by("pk")}
        keep, drop = rows.get(keep.pk), rows.get(drop.pk)
        if keep is None or drop is None or keep.pk == drop.pk:
            raise NotFoundError(_("找不到这两份档案"))
        if not (roles.is_bureau(actor)
                or {keep.service_point_id, drop.service_point_id} & set(roles.service_point_ids(actor))):
            raise PermissionDeniedError(_("只能处理本站点求职者的身份证号冲突"))
        if drop.id_number_hash:
            raise InvalidInput(_("工作人员登记的身份证号不能在这里清除，请到该求职者的档案中更正"), field="drop")
        held = {h for h in (keep.id_number_hash, keep.id_number_claim_hash) if h}
        if not drop.id_number_claim_hash or drop.id_number_claim_hash not in held:
            raise Conflict(_("这两份档案的身份证号已不再相同，可能已有人处理"), code="conflict_gone")
        drop.id_number_encrypted = ""
        drop.id_number_claim_hash = ""
        drop.id_number_masked = ""
        drop.save(update_fields=["id_number_encrypted", "id_number_claim_hash", "id_number_masked", "updated_at"])
        seeker_written.send(drop)
        audit(actor=actor, action="seeker.id_conflict_resolve", target=drop, decision=decision, keep=keep.pk,
              keep_registered=bool(keep.id_number_hash))
        point = keep.service_point.name if keep.service_point_id else "就业之家"
        notify(recipient=drop.user, phone=drop.phone, template=ID_CONFLICT_DECISIONS[decision],
               context={"point": point}, sms=True, url="/me/profile/")
    return drop


ID_CHANGE_RULES = (
    throttle.Rule(scope="id_number:user", limit=3, window=dt.timedelta(days=1),
                  message=gettext_lazy("身份证号今天修改次数太多，请明天再试或到就业之家办理")),
)


def _id_change_guard(actor) -> None:
    """Self-service ID numbers are rate-limited per account (guessing numbers costs accounts and days)."""
    throttle.guard([(rule, str(actor.pk)) for rule in ID_CHANGE_RULES])


def _save_unique(seeker: Seeker) -> None:
    """Save; the unique ID-number hash is the last word when two desks register the same person at once."""
    try:
        with transaction.atomic():
            seeker.save()
        seeker_written.send(seeker)
    except IntegrityError:
        existing = Seeker.objects.filter(id_number_hash=seeker.id_number_hash).first()
        if existing is None:
            raise
        raise DuplicatePerson(existing) from None


MIN_WORKING_AGE = 16  # 劳动法 第十五条: no one younger may be employed


def age_on(birth, day) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# --- look-ups ---------------------------------------------------------------------------------------


def seeker_find_by_id_number(id_number: str) -> Seeker | None:
    """The seeker registered with this ID number, or None. Invalid numbers raise InvalidInput."""
    try:
        number = normalize_id_number(id_number)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="id_number") from None
    return Seeker.objects.filter(id_number_hash__in=lookup_hashes(number)).first()


def may_edit_seeker(user, seeker: Seeker) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if roles.is_bureau(user):
        return True
    if seeker.user_id and seeker.user_id == user.pk:
        return True
    return bool(seeker.service_point_id and seeker.service_point_id in roles.service_point_ids(user))


# --- writes -----------------------------------------------------------------------------------------


REGISTER_CODE_PURPOSE = "register"
QUICK_APPLY_CODE_PURPOSE = "quick_apply"
PASSWORD_CODE_PURPOSE = "password"
LOGIN_CODE_PURPOSE = "login"
#: after logging in with an SMS code (account_login_by_code) or a quick apply by SMS code, that session may set a
#: password without a second code for this long: the phone was just proven, and codes are limited to one a minute per number
CODE_LOGIN_PROOF_WINDOW = dt.timedelta(minutes=10)
#: the ways a session may just have proven its account's phone by an SMS code (set the password without a second
#: code within CODE_LOGIN_PROOF_WINDOW): proof kind (the set-password audit row's "proof") → the audit action the
#: service wrote when the code was checked
RECENT_PHONE_PROOFS = {"recent_code_login": "account.login_code", "recent_quick_apply": "account.login_quick_apply",
                       "recent_gig_signup": "account.login_gig_signup"}


def account_register(*, phone: str, password: str, consent: bool, code: str = "") -> User:
    """Self-registration step 1: a login account named by the phone number, for the person who holds it (the
    SMS code sent for REGISTER_CODE_PURPOSE). Consent to the privacy terms is required and recorded in the
    audit log (the seeker profile copies it in step 2). Whether the number is registered is said only after the
    code proved the caller holds it."""
    err = _Errors()
    try:
        phone = normalize_phone(phone)
    except ValueError as exc:
        err.add("phone", str(exc))
        phone = ""
    if not consent:
        err.add("consent", _("请阅读并同意《个人信息保护说明》"))
    if password is None or password == "":
        err.add("password", _("请设置密码"))
    else:
        for m in password_errors(password, User(username=phone, phone=phone)):
            err.add("password", m)
    if not (code or "").strip():
        err.add("code", _("请填写短信验证码"))
    err.raise_if_any()
    phone_code_check(phone=phone, purpose=REGISTER_CODE_PURPOSE, code=code)  # before the transaction
    with transaction.atomic():
        if User.objects.filter(phone=phone).exists() or User.objects.filter(username=phone).exists():
            raise Conflict(_("该手机号已注册，请直接登录"), code="phone_registered", field="phone")
        user = User(username=phone, phone=phone)
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            raise Conflict(_("该手机号已注册，请直接登录"), code="phone_registered", field="phone") from None
        audit(actor=user, action="account.register", target=user, consent="online",
              consent_at=timezone.now().isoformat(), phone_verified=True)
    return user


def account_login_send_code(*, phone: str, ip: str | None = None) -> str:
    """Step 1 of logging in with an SMS code: text a code to the number. The same answer for every number
    (nothing here looks at who holds it); InvalidInput for a malformed number, RateLimited, SmsUnavailable."""
    try:
        phone = normalize_phone(phone or "")
    except ValueError as exc:
        raise InvalidInput(str(exc), field="phone") from None
    return phone_code_send(phone=phone, purpose=LOGIN_CODE_PURPOSE, ip=ip)


def account_login_by_code(*, phone: str, code: str) -> User | None:
    """Step 2: the code proves the caller holds `phone`; then the account to log in, or None when nobody has
    that number (saying so leaks nothing: the caller holds the number). A profile staff registered with this
    number and no account is claimed (an account with no password, like quick apply). Accounts that see other
    people's data (core.roles.may_log_in_by_sms: staff, the bureau, HR) are refused with PermissionDeniedError
    "password_login" and nothing is logged in; a wrong or expired code raises InvalidInput (field "code")."""
    try:
        phone = normalize_phone(phone or "")
    except ValueError as exc:
        raise InvalidInput(str(exc), field="phone") from None
    if not (code or "").strip():
        raise InvalidInput(_("请填写短信验证码"), field="code")
    phone_code_check(phone=phone, purpose=LOGIN_CODE_PURPOSE, code=code)  # before the transaction
    with transaction.atomic():
        user = User.objects.filter(phone=phone).first() or User.objects.filter(username=phone).first()
        if user is None:
            unclaimed = (Seeker.objects.select_for_update().filter(phone=phone, user__isnull=True, is_active=True)
                         .order_by("pk").first())
            if unclaimed is None:
                return None
            user = User(username=phone, phone=phone, display_name=unclaimed.name)
            user.set_unusable_password()
            user.save()
            unclaimed.user = user
            unclaimed.save(update_fields=["user"])
            audit(actor=user, action="seeker.claim", target=unclaimed, channel="login_code")
    if not user.is_active:
        raise PermissionDeniedError(_("该账号已停用，请联系就业之家工作人员。"), code="inactive")
    if not roles.may_log_in_by_sms(user):
        audit(actor=None, action="account.login_code_refused", target=user)  # the holder of a staff/HR phone
        staff = user.is_staff or user.is_superuser or roles.is_staff_or_bureau(user)
        raise PermissionDeniedError(_("工作人员账号请用密码登录") if staff else _("企业招聘账号请用密码登录"),
                                    code="password_login")
    audit(actor=user, action="account.login_code", target=user)
    return user


def account_set_password(*, user, new_password: str, old_password: str = "", code: str = "",
                         recent_proof: str = "") -> User:
    """A new password for `user`, after the old one, a fresh SMS code to the account's phone
    (PASSWORD_CODE_PURPOSE), or `recent_proof` (a key of RECENT_PHONE_PROOFS): the caller vouches that this very
    session proved the account's phone with an SMS code within CODE_LOGIN_PROOF_WINDOW — by logging in with it
    (account_login_by_code, "recent_code_login") or by a quick apply (account_quick_apply_logged_in,
    "recent_quick_apply") — and the service's own audit row of that proof for `user` in that window must also
    exist. A session left open, or taken over, cannot keep the account by setting a password. The audit row says
    which proof was used ("password", "sms", "recent_code_login", "recent_quick_apply"). Sessions elsewhere and
    API tokens end (the caller keeps this session with update_session_auth_hash)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDeniedError()
    if not new_password:
        raise InvalidInput(_("请设置新密码"), field="new_password")
    problems = password_errors(new_password, user)
    if problems:
        raise InvalidInput(problems[0], field="new_password", errors={"new_password": problems})
    if old_password:
        if not user.has_usable_password() or not user.check_password(old_password):
            raise InvalidInput(_("原密码不正确"), code="wrong_password", field="old_password")
        proof = "password"
    elif (code or "").strip() and user.phone:
        phone_code_check(phone=user.phone, purpose=PASSWORD_CODE_PURPOSE, code=code)
        proof = "sms"
    elif recent_proof in RECENT_PHONE_PROOFS and user.phone and phone_proven_lately(user, recent_proof):
        proof = recent_proof
    else:
        raise InvalidInput(_("请填写原密码，或用短信验证码确认是本人"), code="proof_required", field="old_password")
    user.set_password(new_password)
    user.save()
    audit(actor=user, action="account.set_password", target=user, proof=proof)
    return user


def account_quick_apply_logged_in(*, user) -> None:
    """Record that a quick apply's SMS code just proved `user`'s phone and the page logs the person in as `user`
    (account.login_quick_apply): that session may then set a password without a second code for
    CODE_LOGIN_PROOF_WINDOW, as after a code login. Call inside the quick apply's transaction, after the code."""
    audit(actor=user, action=RECENT_PHONE_PROOFS["recent_quick_apply"], target=user)


def account_gig_signup_logged_in(*, user) -> None:
    """As account_quick_apply_logged_in, for a gig worker's self sign-up by SMS code (account.login_gig_signup)."""
    audit(actor=user, action=RECENT_PHONE_PROOFS["recent_gig_signup"], target=user)


def phone_proven_lately(user, kind: str) -> bool:
    """An audit row of the proof `kind` (RECENT_PHONE_PROOFS) for `user` within CODE_LOGIN_PROOF_WINDOW, and no
    password set since with a recent proof (a proof is good for one password)."""
    action = RECENT_PHONE_PROOFS.get(kind)
    if action is None:
        return False
    since = timezone.now() - CODE_LOGIN_PROOF_WINDOW
    last = (AuditEvent.objects.filter(action=action, actor=user, at__gte=since)
            .order_by("-at", "-pk").first())
    if last is None:
        return False
    return not AuditEvent.objects.filter(action="account.set_password", actor=user,
                                         detail__proof__in=list(RECENT_PHONE_PROOFS), pk__gt=last.pk).exists()


def seeker_register(*, actor, name, id_number, phone, home_region_code, gender=None, birth_year=None,
                    desired_occupations=(), certificates=(), expected_pay=None, acceptable_shifts=(),
                    max_commute_km=None, relocate=False, unavailable_months=(), service_point=None,
                    consent_channel, consent_witness=None, user=None) -> Seeker:
    """Register a seeker, by themselves (`user` = `actor`, ID number optional) or by staff of a service
    point (ID number and home village required; staff is the consent witness). A person whose ID number
    is already registered raises DuplicatePerson (a Conflict, code "duplicate_person")."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDeniedError(_("请先登录"))
    self_registration = user is not None and user.pk == actor.pk
    actor_points = roles.service_point_ids(actor)
    if not self_registration:
        if service_point is None and len(actor_points) >= 1:
            service_point = _first_point(actor_points)
        if service_point is None and not roles.is_bureau(actor):
            raise PermissionDeniedError(_("只有就业之家工作人员可以代人登记"))
        if service_point is not None and service_point.pk not in actor_points and not roles.is_bureau(actor):
            raise PermissionDeniedError(_("您不是该站点的工作人员"))

    cleaned = _clean(dict(
        name=name, id_number=id_number, phone=phone, home_region_code=home_region_code, gender=gender,
        birth_year=birth_year, desired_occupations=desired_occupations, certificates=certificates,
        expected_pay=expected_pay, acceptable_shifts=acceptable_shifts, max_commute_km=max_commute_km,
        relocate=relocate, unavailable_months=unavailable_months,
    ))
    err = _Errors()
    if not self_registration:
        if not cleaned.get("id_number"):
            err.add("id_number", _("请填写身份证号码"))
        if cleaned.get("home_region") is None:
            err.add("home_region_code", _("请选择家庭住址所在的村（社区）"))
    if consent_channel not in ConsentChannel.values:
        err.add("consent_channel", _("请记录求职者的授权同意方式"))
    elif not self_registration and consent_channel == ConsentChannel.ONLINE:
        err.add("consent_channel", _("代人登记请选择纸质签字、口头同意或现场屏幕确认"))
    err.raise_if_any()

    with transaction.atomic():
        if user is not None and Seeker.objects.filter(user=user).exists():
            raise Conflict(_("您已登记过求职信息，请在“我的”页面修改"), code="already_registered")
        id_number = cleaned.pop("id_number", "")
        if id_number and self_registration:
            _id_change_guard(actor)
        digest = _check_duplicate(id_number) if id_number and not self_registration else None
        seeker = Seeker(**cleaned, user=user, service_point=service_point,
                        registered_by=None if self_registration else actor,
                        consent_at=timezone.now(), consent_channel=consent_channel,
                        consent_witness=None if self_registration else (consent_witness or actor))
        if id_number and self_registration:
            _claim_id_number(seeker, id_number)
        elif id_number:
            _apply_id_number(seeker, id_number, digest)
        _save_unique(seeker)
        if id_number and self_registration:
            _flag_if_conflicting(seeker, actor=actor)
        audit(actor=actor, action="seeker.register", target=seeker,
              channel="self" if self_registration else "staff", consent_channel=consent_channel,
              service_point=service_point.pk if service_point else None)
    return seeker


def _first_point(point_ids: list[int]):

    return ServicePoint.objects.filter(pk__in=point_ids).order_by("pk").first()


def seeker_for_verified_phone(*, name: str, phone: str, consent: bool) -> tuple[User | None, Seeker]:
    """The person holding `phone` (the caller has checked an SMS code for it) as a seeker with a log-in:
    - an account with this number that may log in by SMS (core.roles.may_log_in_by_sms) → that account, with a
      minimal profile made if it has none;
    - an account that must use its password (HR, staff, the bureau) → Conflict "password_login";
    - a profile staff registered with this number and no account → that profile, now with an account;
    - nobody → a new account (no password yet) and a minimal profile (seeker_quick_register).
    Returns (user, seeker)."""
    phone = normalize_phone(phone)
    existing = User.objects.filter(phone=phone).first() or User.objects.filter(username=phone).first()
    if existing is not None:
        if not roles.may_log_in_by_sms(existing):
            raise Conflict(_("该手机号的账号请用密码登录后再报名"), code="password_login", field="phone")
        seeker = roles.seeker_of(existing)
        if seeker is None:
            cleaned = _clean({"name": name or existing.display_name or "", "phone": phone})
            seeker = Seeker.objects.create(user=existing, name=cleaned["name"], phone=phone,
                                           consent_at=timezone.now(), consent_channel=ConsentChannel.ONLINE)
            audit(actor=existing, action="seeker.register", target=seeker, channel="quick_apply",
                  consent_channel="online")
        return existing, seeker
    unclaimed = (Seeker.objects.select_for_update().filter(phone=phone, user__isnull=True, is_active=True)
                 .order_by("pk").first())
    if unclaimed is not None:
        if not consent:
            raise InvalidInput(_("请勾选同意《个人信息保护说明》"), field="consent")
        user = User(username=phone, phone=phone, display_name=unclaimed.name)
        user.set_unusable_password()
        user.save()
        unclaimed.user = user
        unclaimed.save(update_fields=["user"])
        audit(actor=user, action="seeker.claim", target=unclaimed, channel="sms_code")
        return user, unclaimed
    return seeker_quick_register(name=name, phone=phone, consent=consent)


def seeker_quick_register(*, name: str, phone: str, consent: bool) -> tuple[User, Seeker]:
    """One-tap apply by an unknown phone number: a login account with an unusable password (the person
    sets a password later) and a minimal seeker profile. A known phone raises Conflict "phone_registered"."""
    err = _Errors()
    if not consent:
        err.add("consent", _("请勾选同意《个人信息保护说明》"))
    try:
        cleaned = _clean({"name": name, "phone": phone})
    except InvalidInput as exc:
        for f, msgs in exc.errors.items():
            for m in msgs:
                err.add(f, m)
        cleaned = {}
    err.raise_if_any()
    phone = cleaned["phone"]
    with transaction.atomic():
        if phone_is_registered(phone):
            raise Conflict(_("该手机号已注册，请先登录"), code="phone_registered", field="phone")
        user = User(username=phone, phone=phone, display_name=cleaned["name"])
        user.set_unusable_password()
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            raise Conflict(_("该手机号已注册，请先登录"), code="phone_registered", field="phone") from None
        seeker = Seeker.objects.create(user=user, name=cleaned["name"], phone=phone, consent_at=timezone.now(),
                                       consent_channel=ConsentChannel.ONLINE)
        audit(actor=user, action="seeker.register", target=seeker, channel="quick_apply", consent_channel="online")
    return user, seeker


def seeker_register_walk_in(*, actor, name: str, phone: str, desired_occupations=(), home_region_code: str = "",
                            consent_channel: str = ConsentChannel.VERBAL, service_point=None) -> tuple[Seeker, bool]:
    """A person registered in under a minute by staff (at an event's door, or on a call back): name, phone and
    wanted work; the ID number and village can be added later. A seeker already known by this phone number is
    returned instead (staff see the name to check it is the same person). Returns (seeker, created)."""
    actor_points = roles.service_point_ids(actor)
    if not (actor_points or roles.is_bureau(actor)):
        raise PermissionDeniedError(_("只有就业之家工作人员可以代人登记"))
    if service_point is None and actor_points:
        service_point = _first_point(actor_points)
    if service_point is not None and service_point.pk not in actor_points and not roles.is_bureau(actor):
        raise PermissionDeniedError(_("您不是该站点的工作人员"))
    if consent_channel not in (ConsentChannel.PAPER, ConsentChannel.VERBAL, ConsentChannel.SCREEN):
        raise InvalidInput(_("代人登记请选择纸质签字、口头同意或现场屏幕确认"), field="consent_channel")
    fields = {"name": name, "phone": phone, "desired_occupations": desired_occupations}
    if home_region_code:
        fields["home_region_code"] = home_region_code
    cleaned = _clean(fields)
    with transaction.atomic():
        existing = (Seeker.objects.select_for_update().filter(phone=cleaned["phone"])
                    .order_by(F("user_id").desc(nulls_last=True), "pk").first())
        if existing is not None:
            return existing, False
        seeker = Seeker.objects.create(**cleaned, service_point=service_point, registered_by=actor,
                                       consent_at=timezone.now(), consent_channel=consent_channel,
                                       consent_witness=actor)
        audit(actor=actor, action="seeker.register", target=seeker, channel="walk_in",
              consent_channel=consent_channel, service_point=service_point.pk if service_point else None)
    return seeker, True


def seekers_import(*, actor, rows: list[dict], service_point, batch_size: int = 500) -> list[int]:
    """A roster imported by staff (outreach): one seeker per validated row (keys as outreach.imports gives them:
    name, phone, id_number, id_number_hash, home_region_code, ...), registered at `service_point` with the
    paper consent staff collected, in bulk. Returns the new ids in the rows' order. Someone registering the same
    ID number meanwhile raises Conflict "import_race" and nothing is written."""

    now = timezone.now()
    coords = dict((code, (lat, lon)) for code, lat, lon in Region.objects.filter(
        code__in={d["home_region_code"] for d in rows}).values_list("code", "lat", "lon"))
    objs = []
    for d in rows:
        lat, lon = coords.get(d["home_region_code"], (None, None))
        seeker = Seeker(
            name=d["name"], phone=d["phone"], gender=d.get("gender", ""), birth_year=d.get("birth_year"),
            home_region_id=d["home_region_code"], lat=lat, lon=lon,
            desired_occupations=d["desired_occupations"], acceptable_shifts=d.get("acceptable_shifts", []),
            unavailable_months=d.get("unavailable_months", []), expected_pay=d.get("expected_pay"),
            max_commute_km=d.get("max_commute_km"), service_point=service_point, registered_by=actor,
            consent_at=now, consent_channel=ConsentChannel.PAPER, consent_witness=actor)
        seeker.set_id_number(d["id_number"], digest=d["id_number_hash"])
        objs.append(seeker)
    try:
        with transaction.atomic():
            made = Seeker.objects.bulk_create(objs, batch_size=batch_size)
    except IntegrityError:
        raise Conflict(_("导入期间有人登记了表中相同的身份证号，请重新上传预览"), code="import_race") from None
    if made and made[0].pk is None:  # a backend that does not return keys
        by_hash = dict(Seeker.objects.filter(id_number_hash__in=[o.id_number_hash for o in objs])
                       .values_list("id_number_hash", "pk"))
        return [by_hash[o.id_number_hash] for o in objs]
    return [o.pk for o in made]


def phone_is_registered(phone: str) -> bool:
    return (User.objects.filter(phone=phone).exists() or User.objects.filter(username=phone).exists()
            or Seeker.objects.filter(phone=phone).exists())


def seeker_update(*, actor, seeker: Seeker, **fields) -> Seeker:
    """Change profile fields with the same validation as registration. The seeker, staff of the seeker's
    point and the bureau may edit."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise InvalidInput(_("不能修改这些内容：%(fields)s") % {"fields": "、".join(sorted(unknown))})
    if not may_edit_seeker(actor, seeker):
        raise PermissionDeniedError()
    if "id_number" in fields and not (fields["id_number"] or "").strip():
        if seeker.id_number_hash:
            raise InvalidInput(_("身份证号码不能删除"), field="id_number")
        fields.pop("id_number")
    # gender / birth year must agree with the stored ID number too
    check = dict(fields)
    if ("gender" in check or "birth_year" in check) and "id_number" not in check and seeker.id_number_encrypted:
        check["id_number"] = seeker.reveal_id_number()
    cleaned = _clean(check, current=seeker)
    if "id_number" not in fields:
        cleaned.pop("id_number", None)
    with transaction.atomic():
        id_number = cleaned.pop("id_number", None)
        changed = sorted(k for k, v in cleaned.items() if getattr(seeker, k) != v)
        for k, v in cleaned.items():
            setattr(seeker, k, v)
        claimed = False
        if id_number and _is_self_service(actor, seeker):
            if lookup_hash(id_number) not in (seeker.id_number_hash, seeker.id_number_claim_hash):
                _id_change_guard(actor)
                _claim_id_number(seeker, id_number)
                changed.append("id_number")
                claimed = True
        elif id_number:
            digest = _check_duplicate(id_number, exclude_pk=seeker.pk)
            if digest != seeker.id_number_hash:
                _apply_id_number(seeker, id_number, digest)
                changed.append("id_number")
        _save_unique(seeker)
        if claimed:
            _flag_if_conflicting(seeker, actor=actor)
        if changed:
            audit(actor=actor, action="seeker.update", target=seeker, fields=changed)
    return seeker


def reveal_seeker(*, actor, seeker: Seeker, reason: str) -> dict:
    """Full personal data (ID number, phone) for someone allowed to see it; writes an audit row."""
    if not roles.may_see_seeker_in_full(actor, seeker):
        raise PermissionDeniedError(_("您无权查看该求职者的完整信息"))
    audit(actor=actor, action="seeker.view_full", target=seeker, reason=reason or "")
    return {
        "id": seeker.pk,
        "name": seeker.name,
        "id_number": seeker.reveal_id_number(),
        "phone": seeker.phone,
        "gender": seeker.gender,
        "birth_year": seeker.birth_year,
    }


# --- the seeker's own data: export and deletion (PIPL) ----------------------------------------------


def seeker_export_profile(*, actor, seeker: Seeker) -> dict:
    """The seeker's own profile and registration consent, for the seeker (ID number in full). The whole export
    (with applications and messages) is assembled by hongniang.flows.accounts.export_my_data."""
    if not (seeker.user_id and getattr(actor, "pk", None) == seeker.user_id):
        raise PermissionDeniedError(_("只能导出本人的数据"))

    def iso(v):
        return v.isoformat() if v else None

    return {
        "profile": {
            "name": seeker.name, "phone": seeker.phone, "id_number": seeker.reveal_id_number(),
            "gender": seeker.gender, "birth_year": seeker.birth_year,
            "home_region": seeker.home_region.full_name if seeker.home_region_id else "",
            "desired_occupations": list(seeker.desired_occupations or []),
            "certificates": list(seeker.certificates or []), "expected_pay": seeker.expected_pay,
            "acceptable_shifts": list(seeker.acceptable_shifts or []), "max_commute_km": seeker.max_commute_km,
            "relocate": seeker.relocate, "unavailable_months": list(seeker.unavailable_months or []),
            "service_point": seeker.service_point.name if seeker.service_point_id else "",
            "created_at": iso(seeker.created_at),
        },
        "consent": {"what": "个人信息登记与求职服务", "at": iso(seeker.consent_at), "channel": seeker.consent_channel,
                    "witness": str(seeker.consent_witness) if seeker.consent_witness_id else ""},
    }


DELETED_NAME = "已注销"


def account_check_password(*, user, password: str) -> None:
    """Deleting an account is confirmed by the password (raises InvalidInput otherwise)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDeniedError()
    if not user.has_usable_password():
        raise InvalidInput(_("请先设置密码，再用密码确认注销"), code="no_password", field="password")
    if not user.check_password(password or ""):
        raise InvalidInput(_("密码不正确"), code="wrong_password", field="password")


def seeker_erase(*, seeker: Seeker) -> str:
    """Erase the seeker's personal data (name → "已注销", phone, ID number, certificates, coordinates); gender,
    birth year and home village stay as statistics. Returns the old phone (other apps clear their copies)."""
    seeker = Seeker.objects.select_for_update().get(pk=seeker.pk)
    old_phone = seeker.phone
    seeker.name = DELETED_NAME
    seeker.phone = ""
    seeker.id_number_encrypted = ""
    seeker.id_number_hash = None
    seeker.id_number_masked = ""
    seeker.certificates = []
    seeker.lat = seeker.lon = None
    seeker.is_active = False
    seeker.user = None
    seeker.save()
    seeker_written.send(seeker)
    return old_phone
