"""Chinese wording for the audit log page: one label per action code the code base writes, the names of common
detail keys, the labels of detail values that are codes (a choice, a status), and the short names of audit targets.

Every `audit(action=...)` in the source must have a label here (hongniang/core/tests/test_audit_page.py scans the
source and fails on a code without one). Old rows whose code is no longer written show the raw code.
Codes built from a state machine's action names (f"posting_{action}", f"application.{to}" ...) are listed in full.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache

from django.apps import apps
from django.utils import dateformat, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

#: (group label, {action code: label}); the groups order the action picker on the page
ACTION_GROUPS: list[tuple[str, dict[str, str]]] = [
    (_("账号"), {
        "account.register": _("注册账号"),
        "account.login_code": _("短信验证码登录"),
        "account.login_code_refused": _("短信验证码登录被拒"),
        "account.login_quick_apply": _("快速报名时用短信验证码登录"),
        "account.login_gig_signup": _("登记零工时用短信验证码登录"),
        "account.set_password": _("设置密码"),
        "account.delete": _("注销账号"),
        "account_register_for_claim": _("注册账号并申请核实信用代码"),
    }),
    (_("求职者"), {
        "seeker.register": _("登记求职者"),
        "seeker.claim": _("求职者认领本人档案"),
        "seeker.update": _("修改求职者信息"),
        "seeker.view_full": _("查看求职者完整信息"),
        "seeker.view_contact": _("查看求职者联系方式"),
        "seeker.export": _("导出本人数据"),
        "seeker.id_number_conflict": _("身份证号重复待核对"),
        "seeker.id_conflict_resolve": _("处理身份证号重复"),
    }),
    (_("报名"), {
        "application.apply": _("报名岗位"),
        "application.withdraw": _("撤回报名"),
        "application.applied": _("标为已报名"),
        "application.viewed": _("企业标为已查看"),
        "application.contacted": _("企业已电话联系"),
        "application.interview": _("约面试"),
        "application.offered": _("录用"),
        "application.hired": _("办理上岗"),
        "application.rejected": _("企业标为不合适"),
        "application.no_show": _("标为未到场"),
        "application.withdrawn": _("报名已撤回"),
        "application.closed": _("报名超期关闭"),
        "application.offer_closing_warned": _("提醒录用即将超期"),
        "application.confirm_start": _("确认上岗"),
        "application.report_pay": _("填报工资"),
        "view_applicants": _("查看报名人员"),
    }),
    (_("用人单位"), {
        "enterprise_register": _("登记用人单位"),
        "verification_submit": _("提交企业认证"),
        "verification_renewal_submit": _("提交企业复审"),
        "verification_approve": _("企业认证通过"),
        "verification_reject": _("企业认证未通过"),
        "verification_renewal_reject": _("企业复审未通过"),
        "verification_expire": _("企业认证到期"),
        "verification_expiry_warning": _("提醒企业认证即将到期"),
        "view_licence": _("查看营业执照"),
        "credit_code_claim": _("申请核实信用代码"),
        "credit_code_claim_grant": _("信用代码核实属实"),
        "credit_code_claim_reject": _("信用代码核实不属实"),
        "credit_code_claim_withdraw": _("撤回信用代码核实申请"),
        "view_claim_licence": _("查看核实申请的营业执照"),
    }),
    (_("岗位"), {
        "posting_create": _("创建岗位"),
        "posting_create_on_behalf": _("代企业发布岗位"),
        "posting_update": _("修改岗位"),
        "posting_edit": _("修改岗位（状态不变）"),
        "posting_submit": _("提交岗位审核"),
        "posting_publish": _("发布岗位"),
        "posting_auto_approve": _("岗位自动审核通过"),
        "posting_approve": _("岗位审核通过"),
        "posting_reject": _("岗位退回修改"),
        "posting_refresh": _("刷新岗位"),
        "posting_fill": _("岗位已招满"),
        "posting_close": _("关闭岗位"),
        "posting_expire": _("岗位到期下线"),
        "posting_expiry_warning": _("提醒岗位即将到期"),
        "posting_reported": _("岗位举报过多暂停展示"),
        "posting_edit_flagged": _("岗位修改后需重新审核"),
        "posting_remove": _("下架岗位"),
        "posting_find_candidates": _("为岗位推荐人选"),
        "posting_report": _("举报岗位"),
        "report_dismiss": _("驳回岗位举报"),
        "report_uphold": _("岗位举报属实"),
        "view_candidates": _("查看推荐人选"),
        "view_call_list": _("查看外呼名单"),
    }),
    (_("站点工作"), {
        "import.upload": _("上传导入文件"),
        "import.commit": _("确认导入"),
        "import.cancel": _("取消导入"),
        "export.seekers": _("导出求职者名单"),
        "export.placements": _("导出就业去向"),
        "export.import_report": _("导出导入问题清单"),
        "outreach.call": _("记录外呼结果"),
        "followup.record": _("记录回访"),
        "followup.unreachable": _("回访未联系上"),
    }),
    (_("招聘活动"), {
        "event.create": _("创建招聘活动"),
        "event.publish": _("发布招聘活动"),
        "event.finish": _("结束招聘活动"),
        "event.cancel": _("取消招聘活动"),
        "event.bus_add": _("添加班车"),
        "event.invite": _("邀请求职者参加活动"),
        "event.register": _("活动报名"),
        "event.registration_cancel": _("取消活动报名"),
        "event.check_in": _("活动签到"),
        "event.followup": _("记录活动后回访"),
        "event.booth_request": _("预订展位"),
        "event.booth_approve": _("展位通过"),
        "event.booth_decline": _("展位不通过"),
        "event.booth_arrive": _("展位已到场"),
        "event.booth_no_show": _("展位未到场"),
        "event.booth_cancel": _("取消展位"),
        "event.booth_rebook": _("重新预订展位"),
        "event.booth_bar": _("禁止企业参展"),
        "event.intention": _("记录求职意向"),
        "event.intention_confirm_enterprise": _("企业确认意向"),
        "event.intention_confirm_seeker": _("求职者确认意向"),
        "event.intention_decline": _("意向未达成"),
        "event.intention_outcome": _("记录意向结果"),
        "event.view_registrations": _("查看活动报名名单"),
        "event.view_registration": _("查看一条活动报名"),
        "event.view_booth_intentions": _("查看展位意向名单"),
        "event.view_followups": _("查看活动回访名单"),
    }),
    (_("直播招聘"), {
        "live.create": _("创建直播"),
        "live.go_live": _("开始直播"),
        "live.end": _("结束直播"),
        "live.cancel": _("取消直播"),
        "live.present": _("直播介绍岗位"),
        "live.replay": _("设置直播回放"),
        "live.view_leads": _("查看直播报名线索"),
        "live.lead_confirm": _("线索本人确认报名"),
        "live.lead_no_answer": _("线索未接通"),
        "live.lead_decline": _("线索不报名"),
    }),
    (_("零工"), {
        "gigs.employer_register": _("登记零工雇主"),
        "gigs.worker_claim": _("认领工作人员代登记的零工"),
        "gigs.worker_signup": _("零工登记"),
        "gigs.view_workers": _("查看派工人员"),
        "gigs.arrears_resolve": _("处理零工欠薪预警"),
    }),
    (_("社区工厂"), {
        "workshops.register": _("登记社区工厂"),
        "workshops.photo_add": _("上传车间照片"),
        "workshops.photo_delete": _("删除车间照片"),
        "workshops.worker_add": _("添加车间工人"),
        "workshops.view_workers": _("查看车间工人"),
        "workshops.order_create": _("发布外发订单"),
        "workshops.order_retrial": _("重新试做"),
        "workshops.order_offer": _("向车间分单"),
        "workshops.order_cancel": _("取消外发订单"),
        "workshops.share_accept": _("车间接单"),
        "workshops.share_decline": _("车间不接单"),
        "workshops.share_start": _("车间开工"),
        "workshops.handover": _("记录交接"),
        "workshops.share_deliver": _("车间交货"),
        "workshops.share_check": _("验收分单"),
        "workshops.share_pay": _("支付分单货款"),
        "workshops.share_dispute": _("分单货款有异议"),
        "workshops.share_resolve": _("处理分单异议"),
        "workshops.share_cancel": _("取消分单"),
        "workshops.pieces": _("记录计件"),
        "workshops.view_pieces": _("查看计件记录"),
        "workshops.view_wages": _("查看计件工钱"),
        "workshops.wage_pay": _("发放计件工钱"),
        "workshops.wage_confirm": _("工人确认收到工钱"),
        "workshops.wage_receipt_code": _("发验证码请工人确认收到工钱"),
        "workshops.wage_dispute": _("工人对工钱有异议"),
        "workshops.wage_resolve": _("处理工钱异议"),
        "workshops.view_arrears": _("查看计件欠薪预警"),
        "workshops.arrears_resolve": _("处理计件欠薪预警"),
        "workshops.arrears_sms": _("短信告知工人计件欠薪"),
        "workshops.view_disputes": _("查看异议汇总"),
    }),
    (_("选址与统计"), {
        "siting.scenario_save": _("保存选址方案"),
        "siting.scenario_export": _("导出选址方案"),
        "siting.recommend_export": _("导出选址推荐"),
        "siting.supply_export": _("导出劳动力分布"),
        "siting.opened_site_create": _("登记已开设地点"),
        "dashboards.drill": _("查看看板明细"),
        "dashboards.monthly_report": _("生成并发送月报"),
    }),
]

ACTION_LABELS: dict[str, str] = {code: label for _group, codes in ACTION_GROUPS for code, label in codes.items()}


def action_label(code: str) -> str:
    """The Chinese label of an action code; an unknown (old) code is shown as it is."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


def action_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped (code, label) pairs for the page's action picker."""
    return [(str(group), [(code, str(label)) for code, label in codes.items()]) for group, codes in ACTION_GROUPS]


# --- detail -----------------------------------------------------------------------------------------------------

DETAIL_LABELS: dict[str, str] = {
    "channel": _("渠道"), "count": _("条数"), "rows": _("行数"), "valid": _("有效行"), "created": _("新建"),
    "ids": _("编号"), "seekers": _("求职者"), "seekers_full": _("完整联系方式的求职者"),
    "seekers_masked": _("隐去联系方式的求职者"), "seeker": _("求职者"), "consent": _("同意方式"),
    "consent_channel": _("同意渠道"), "consent_confirmed": _("已确认同意"), "consent_at": _("同意时间"),
    "status": _("状态"), "before": _("原状态"), "after": _("新状态"), "from_status": _("原状态"),
    "claim": _("核实申请"), "amount": _("金额"), "promised_min": _("承诺最低月薪"), "below_promise": _("低于承诺"),
    "kind": _("类型"), "event": _("活动"), "outcome": _("结果"), "via": _("方式"), "application": _("报名"),
    "source_id": _("来源编号"), "reopened": _("重新报名"), "bus": _("班车"), "postings": _("岗位"),
    "posting": _("岗位"), "enterprise": _("用人单位"), "fields": _("改动字段"), "full": _("完整信息"),
    "point": _("站点"), "service_point": _("站点"), "shares": _("分单"), "photo": _("照片"), "quantity": _("数量"),
    "closes_on": _("截止日期"), "actual_start_date": _("实际上岗日期"), "start": _("起始"), "end": _("截止"),
    "township": _("乡镇"), "page": _("页"), "month": _("月份"), "replace": _("替换原账号"),
    "removed_users": _("移除的账号"), "request_id": _("认证申请"), "flags": _("提示"), "valid_until": _("有效期至"),
    "session": _("直播"), "still_working": _("仍在岗"), "paid_as_promised": _("按承诺发薪"), "proof": _("凭据"),
    "others": _("其他档案"), "decision": _("处理结果"), "keep": _("保留档案"), "keep_registered": _("保留的已实名"),
    "phone_verified": _("手机号已验证"), "filters": _("筛选条件"), "wages": _("工钱条数"), "arrears": _("欠薪预警"),
    "piece_rate": _("计件单价"), "outstanding": _("未结数量"), "day": _("日期"), "workers": _("工人数"),
    "pieces": _("件数"), "late": _("临近开始才取消"), "worker": _("工人"), "entered_by": _("代为录入的人"),
}

#: detail values that are codes, by detail key: [(action, labels), ...]. `action` is an action code, a prefix
#: ending in "." or "_" (every code it starts), or "*" (any action). `labels` is a dict {code: label}, a model
#: field's choices as "app_label.Model.field", or a model's field names as "app_label.Model" (their verbose
#: names), read when a page is shown (core imports no feature app); None says the key's values for that action
#: are not codes. A value takes the label of the first matching entry that knows it, else it is shown as it is.
#: hongniang/core/tests/test_audit_page.py scans the source: every audit() call writing one of these keys must
#: find an entry for its action, and every literal code it writes must have a label.
DETAIL_VALUE_LABELS: dict[str, list[tuple[str, dict | str | None]]] = {
    "channel": [
        ("application.apply", "applications.Application.channel"),
        ("event.register", "events.Registration.channel"),
        ("view_applicants", {"page": _("网页"), "api": _("接口")}),
        ("seeker.register", {"self": _("本人登记"), "staff": _("工作人员登记"), "quick_apply": _("快速报名时登记"),
                             "walk_in": _("现场登记")}),
        ("seeker.claim", {"sms_code": _("短信验证码"), "login_code": _("验证码登录")}),
    ],
    "consent": [("*", "seekers.Seeker.consent_channel")],
    "consent_channel": [("*", "seekers.Seeker.consent_channel")],
    "status": [
        ("posting_", "jobs.JobPosting.status"),
        ("event.intention", "events.Intention.status"),
        ("event.view_registrations", "events.Registration.status"),
        ("live.view_leads", {"open": _("待处理")}),
        ("live.view_leads", "live.Lead.status"),
        ("workshops.view_arrears", {"open": _("未处理"), "resolved": _("已处理")}),
    ],
    "before": [
        ("posting_", "jobs.JobPosting.status"),
        ("verification_", "employers.Enterprise.verification_status"),
        ("workshops.order_retrial", None),  # the old piece rate
    ],
    "after": [
        ("posting_", "jobs.JobPosting.status"),
        ("verification_", "employers.Enterprise.verification_status"),
    ],
    "from_status": [("application.", "applications.Application.status")],
    "kind": [
        ("event.create", "events.Event.kind"),
        ("import.", "outreach.ImportBatch.kind"),
        ("workshops.handover", "workshops.Handover.kind"),
    ],
    "outcome": [
        ("event.followup", "events.Registration.followup_outcome"),
        ("event.intention_outcome", "events.Intention.outcome_30d"),
        ("outreach.call", "outreach.CallLog.outcome"),
    ],
    "via": [
        ("event.intention", {"code": _("出示签到码"), "phone": _("报手机号"), "app": _("本人在手机上确认")}),
        ("live.lead_confirm", {"call": _("电话"), "sms": _("短信验证码")}),
    ],
    "proof": [
        ("workshops.wage_confirm", "workshops.WageLine.confirmed_via"),
        ("gigs.worker_", {"staff": _("工作人员代为登记"), "account_phone": _("本人登录账号的手机号"),
                          "sms_code": _("短信验证码")}),
        ("account.set_password", {"password": _("原密码"), "sms": _("短信验证码"),
                                  "recent_code_login": _("刚用短信验证码登录"),
                                  "recent_quick_apply": _("刚用短信验证码快速报名"),
                                  "recent_gig_signup": _("刚用短信验证码登记零工")}),
    ],
    "decision": [("seeker.id_conflict_resolve", {"same_person": _("是同一人"), "not_same_person": _("不是同一人")})],
    "fields": [
        ("posting_update", "jobs.JobPosting"),
        ("seeker.update", {"id_number": _("身份证号")}),
        ("seeker.update", "seekers.Seeker"),
    ],
}

_HAN = re.compile(r"[\u4e00-\u9fff]")


def _matches(pattern: str, action: str) -> bool:
    return pattern in ("*", action) or (pattern[-1] in "._" and action.startswith(pattern))


@cache
def _model_labels(ref: str) -> dict:
    """{code: label} of "app_label.Model.field"'s choices, or {field name: verbose name} of "app_label.Model"."""
    label, _dot, field = ref.rpartition(".") if ref.count(".") == 2 else (ref, "", "")
    model = _model(label)
    if model is None:
        return {}
    if field:
        return dict(model._meta.get_field(field).flatchoices)
    return {f.name: f.verbose_name for f in model._meta.get_fields()  # only fields named in Chinese
            if _HAN.search(str(getattr(f, "verbose_name", "") or ""))}


def code_label(key: str, action: str, value) -> str | None:
    """The Chinese label of a detail value that is a code (`key` written by `action`), or None."""
    if not isinstance(value, str) or not value:
        return None
    for pattern, labels in DETAIL_VALUE_LABELS.get(key, ()):
        if not _matches(pattern, action):
            continue
        if labels is None:
            return None
        label = (labels if isinstance(labels, dict) else _model_labels(labels)).get(value)
        if label is not None:
            return str(label)
    return None


_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _datetime(text: str) -> str | None:
    """An ISO date-time (as `datetime.isoformat()` writes it) in local time, "2026-12-06 14:05"; else None."""
    if not _ISO_DATETIME.match(text):
        return None
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if timezone.is_aware(when):
        when = timezone.localtime(when)
    return dateformat.format(when, "Y-m-d H:i")


#: a detail key that means something else for one action: (action, key) → label
DETAIL_LABELS_BY_ACTION: dict[tuple[str, str], str] = {
    ("workshops.order_retrial", "before"): _("原计件单价"),
}

DETAIL_VALUE_MAX = 40
DETAIL_LIST_MAX = 5


def _short(text: str, limit: int = DETAIL_VALUE_MAX) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _value(value, key: str = "", action: str = "") -> str:
    if value is True:
        return gettext("是")
    if value is False:
        return gettext("否")
    if value is None or value == "":
        return "—"
    if isinstance(value, list | tuple):
        shown = "、".join(_short(code_label(key, action, v) or str(v), 20) for v in value[:DETAIL_LIST_MAX])
        if len(value) > DETAIL_LIST_MAX:
            shown += gettext("等 %(n)s 项") % {"n": len(value)}
        return shown or "—"
    if isinstance(value, dict):
        return _short(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str))
    if isinstance(value, str):
        return _short(code_label(key, action, value) or _datetime(value) or value)
    return _short(str(value))


def detail_items(detail, action: str = "") -> list[tuple[str, str]]:
    """A row's detail as short ("label", "value") pairs: known keys in Chinese, unknown keys as they are; values
    that are codes (see DETAIL_VALUE_LABELS) by their label, yes/no as 是/否, ISO date-times in local time;
    long values cut with "…", lists shortened to their first few entries."""
    if not isinstance(detail, dict):
        return [("", _short(str(detail)))] if detail not in (None, "", [], {}) else []
    # PostgreSQL's jsonb keeps no key order (SQLite's JSON does): read known keys in DETAIL_LABELS' order
    # (原状态 before 新状态), unknown ones after them by name, so both databases show the same order
    keys = sorted(detail, key=lambda k: (_KEY_ORDER.get(k, len(_KEY_ORDER)), k))
    return [(str(DETAIL_LABELS_BY_ACTION.get((action, key)) or DETAIL_LABELS.get(key, key)),
             _value(detail[key], key, action)) for key in keys]


_KEY_ORDER = {key: i for i, key in enumerate(DETAIL_LABELS)}


# --- targets ----------------------------------------------------------------------------------------------------

#: target types whose short name is organisational (not a person's): model label → the field to show.
#: Everything else (seekers, users, applications, workers ...) is shown as "verbose name #id" only: the audit
#: page never shows a person's name it did not show before.
TARGET_NAME_FIELDS: dict[str, str] = {
    "employers.enterprise": "name",
    "employers.verificationrequest": "enterprise__name",
    "employers.creditcodeclaim": "enterprise__name",
    "jobs.jobposting": "title",
    "events.event": "title",
    "events.booth": "enterprise__name",
    "live.livesession": "title",
    "workshops.workshop": "name",
    "workshops.share": "workshop__name",
    "workshops.outsourcingorder": "product",
    "siting.scenario": "title",
    "siting.openedsite": "name",
    "geo.servicepoint": "name",
    "geo.region": "name",
}

TARGET_NAME_MAX = 20


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def target_names(rows) -> dict[tuple[str, str], str]:
    """{(target_type, target_id): "车间「沙洲坝帮扶车间」" or "求职者 #12"} for audit rows; one query per
    target type with a name field (a page of 50 rows costs a handful of queries)."""
    wanted: dict[str, set[str]] = {}
    for row in rows:
        if row.target_type:
            wanted.setdefault(row.target_type, set()).add(row.target_id)
    out: dict[tuple[str, str], str] = {}
    for label, ids in wanted.items():
        model = _model(label)
        if model is None:
            for tid in ids:
                out[(label, tid)] = f"{label}#{tid}" if tid else label
            continue
        verbose = str(model._meta.verbose_name)
        names: dict[str, str] = {}
        field = TARGET_NAME_FIELDS.get(label)
        pks = [tid for tid in ids if tid.isdigit()]
        if field and pks:
            names = {str(pk): str(name) for pk, name in
                     model._default_manager.filter(pk__in=pks).values_list("pk", field) if name}
        for tid in ids:
            if tid in names:
                out[(label, tid)] = gettext("%(kind)s「%(name)s」") % {
                    "kind": verbose, "name": _short(names[tid], TARGET_NAME_MAX)}
            else:
                out[(label, tid)] = f"{verbose} #{tid}" if tid else verbose
    return out
