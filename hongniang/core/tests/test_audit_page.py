"""The bureau's audit log page in Chinese: labelled actions, named targets, short details; still bureau only."""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path

import pytest

from hongniang.core import audit_labels
from hongniang.core.audit import audit
from hongniang.core.audit_labels import ACTION_LABELS, DETAIL_VALUE_LABELS, _matches

SOURCE = Path(__file__).resolve().parents[2]  # hongniang/


def _machine_expansions() -> dict[str, set[str]]:
    """The codes an f-string action can produce, from the state machines whose action names it takes."""
    from hongniang.applications.machines import APPLICATION
    from hongniang.employers.machines import VERIFICATION
    from hongniang.events.machines import BOOTH, EVENT, INTENTION
    from hongniang.jobs.machines import POSTING
    from hongniang.live.machines import LEAD, SESSION

    def names(machine, prefix):
        return {prefix + a.name for a in machine.actions}

    return {
        "f'application.{to}'": {f"application.{a.target}" for a in APPLICATION.actions if a.target},
        "f'verification_{action}'": names(VERIFICATION, "verification_"),
        "f'event.{action}'": names(EVENT, "event."),
        "f'event.booth_{action}'": names(BOOTH, "event.booth_"),
        "f'event.intention_{action}'": names(INTENTION, "event.intention_"),
        "f'posting_{action}'": names(POSTING, "posting_"),
        "f'live.{action}'": names(SESSION, "live."),
        "f'live.lead_{action}'": names(LEAD, "live.lead_"),
    }


def _module_constants(tree: ast.Module) -> dict[str, set[str]]:
    """Module-level NAME = "code" and NAME = {key: "code", ...}: the codes each name can give."""
    out: dict[str, set[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                continue
            if isinstance(value, str):
                out[node.targets[0].id] = {value}
            elif isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
                out[node.targets[0].id] = set(value.values())
    return out


def _audit_calls():
    """(where, the action codes it can write or None when unreadable, the call) for every `audit(...)` in
    hongniang."""
    expansions = _machine_expansions()
    for path in sorted(SOURCE.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _module_constants(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name != "audit":
                continue
            action = next((k.value for k in node.keywords if k.arg == "action"), None)
            where = f"{path.relative_to(SOURCE.parent)}:{node.lineno}"
            codes = None
            if isinstance(action, ast.Constant) and isinstance(action.value, str):
                codes = {action.value}
            elif action is not None and ast.unparse(action) in expansions:
                codes = expansions[ast.unparse(action)]
            elif isinstance(action, ast.Name) and action.id in constants:
                codes = constants[action.id]
            elif isinstance(action, ast.Subscript) and isinstance(action.value, ast.Name) \
                    and action.value.id in constants:  # CODES["key"]: any of the dict's codes
                codes = constants[action.value.id]
            yield where, codes, node


def source_action_codes() -> tuple[set[str], list[str]]:
    """(every action code an `audit(...)` call in hongniang can write, the calls whose code cannot be read)."""
    codes: set[str] = set()
    unreadable: list[str] = []
    for where, found, node in _audit_calls():
        if found is None:
            action = next((k.value for k in node.keywords if k.arg == "action"), None)
            unreadable.append(f"{where} {ast.unparse(action) if action is not None else '(no action)'}")
        else:
            codes |= found
    return codes, unreadable


def _literal_codes(node: ast.expr) -> tuple[list[str], bool]:
    """(the string literals a detail value can be, whether it looks like a code: a literal or Choices.MEMBER)."""
    if isinstance(node, ast.Constant):
        return ([node.value], True) if isinstance(node.value, str) else ([], False)
    if isinstance(node, ast.IfExp):
        (a, a_code), (b, b_code) = _literal_codes(node.body), _literal_codes(node.orelse)
        return a + b, a_code or b_code
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.attr.isupper():
        return [], True
    return [], False


def test_every_detail_value_that_is_a_code_has_a_chinese_label():
    """A detail key known to hold codes (DETAIL_VALUE_LABELS), or a literal code / Choices.MEMBER written as a
    detail value, needs an entry for the action writing it, and each literal code needs its label."""
    missing, checked = [], 0
    for where, codes, node in _audit_calls():
        for kw in node.keywords:
            if kw.arg in (None, "actor", "action", "target", "reason"):
                continue
            literals, code_like = _literal_codes(kw.value)
            if kw.arg not in DETAIL_VALUE_LABELS and not code_like:
                continue
            for code in codes or ():
                checked += 1
                if not any(_matches(pattern, code) for pattern, _labels in DETAIL_VALUE_LABELS.get(kw.arg, ())):
                    missing.append(f"{where} {code} {kw.arg}")
                missing += [f"{where} {code} {kw.arg}={lit!r}" for lit in literals
                            if audit_labels.code_label(kw.arg, code, lit) is None]
    assert checked > 40  # the scan found the calls
    assert not missing, f"add these to DETAIL_VALUE_LABELS in hongniang/core/audit_labels.py: {missing}"


def test_detail_values_that_are_codes_read_in_chinese(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    items = dict(audit_labels.detail_items({
        "kind": "out", "quantity": 30, "consent_at": "2026-12-06T06:05:09.123+00:00", "closes_on": "2026-12-20",
        "status": "unheard_of", "fields": ["title", "no_such_field"]}, "workshops.handover"))
    assert items["类型"] == "发料" and items["数量"] == "30"
    assert items["同意时间"] == "2026-12-06 14:05" and items["截止日期"] == "2026-12-20"
    assert items["状态"] == "unheard_of"  # an unknown value stays as it is
    assert audit_labels.code_label("kind", "event.create", "out") is None  # the same key, another action
    assert dict(audit_labels.detail_items({"before": "pending", "after": "published"}, "posting_approve")) == {
        "原状态": "待审核", "新状态": "招聘中"}
    assert dict(audit_labels.detail_items({"fields": ["title", "x_y"]}, "posting_update"))["改动字段"] == "岗位名称、x_y"
    assert dict(audit_labels.detail_items({"before": "12.50"}, "workshops.order_retrial"))["原计件单价"] == "12.50"


def test_every_action_the_code_writes_has_a_chinese_label():
    codes, unreadable = source_action_codes()
    assert not unreadable, ("audit() calls whose action this test cannot list; write a literal code or add the "
                            f"f-string to _machine_expansions: {unreadable}")
    assert len(codes) > 140  # the scan found the calls (144+ codes on 2026-12-06)
    missing = sorted(codes - ACTION_LABELS.keys())
    assert not missing, f"add these to hongniang/core/audit_labels.py: {missing}"
    assert all(re.search(r"[\u4e00-\u9fff]", str(label)) for label in ACTION_LABELS.values())


def test_unknown_codes_fall_back_to_the_raw_code():
    assert audit_labels.action_label("workshops.view_wages") == "查看计件工钱"
    assert audit_labels.action_label("old.retired_code") == "old.retired_code"


def test_detail_is_short_chinese_key_value_text():
    items = dict(audit_labels.detail_items({
        "count": 3, "below_promise": True, "seekers": list(range(1, 13)), "note_x": "a" * 100, "via": None}))
    assert items["条数"] == "3" and items["低于承诺"] == "是" and items["方式"] == "—"
    assert items["求职者"].startswith("1、2、3、4、5") and "等 12 项" in items["求职者"]
    assert items["note_x"].endswith("…") and len(items["note_x"]) == audit_labels.DETAIL_VALUE_MAX  # unknown key kept
    assert audit_labels.detail_items({}) == []


def _cells(body: str) -> list[str]:
    """The visible text of the audit table's cells, tags stripped."""
    table = body.split('<table class="data audit">', 1)[1].split("</table>", 1)[0]
    return [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", table, re.S)]


@pytest.fixture
def rows(seeker, staff_a, hr, enterprise, posting, regions):
    from hongniang.workshops.services import workshop_register

    ws = workshop_register(actor=staff_a, name="沙洲坝帮扶车间", region=regions["v_xianghu"], owner_name="钟春兰",
                           owner_phone="13600000001", stations=20, hours_per_day="7", skills=["6-05-01-03"],
                           skills_text="缝纫、锁边")
    audit(actor=staff_a, action="workshops.view_wages", target=ws)
    audit(actor=staff_a, action="seeker.view_full", target=seeker, reason="站点工作台查看详情")
    audit(actor=hr, action="view_applicants", target=posting, channel="staff", count=2, seekers_full=[seeker.pk])
    audit(actor=None, action="retired.code", target=None, mystery="x" * 80)
    return {"workshop": ws, "seeker": seeker, "posting": posting}


def test_the_page_shows_labels_names_and_short_details(client, bureau, rows):
    client.force_login(bureau)
    body = client.post("/audit/", {}).content.decode()
    cells = _cells(body)
    text = " | ".join(cells)
    assert "查看计件工钱" in text and "社区工厂「沙洲坝帮扶车间」" in text
    assert "查看求职者完整信息" in text and f"求职者 #{rows['seeker'].pk}" in text
    assert "查看报名人员" in text and f"岗位「{rows['posting'].title}」" in text
    assert "渠道：staff" in text and "条数：2" in text and f"完整联系方式的求职者：{rows['seeker'].pk}" in text
    # an unknown (old) code and an unknown detail key are shown raw; long values are cut
    assert "retired.code" in text and "mystery：" + "x" * 39 + "…" in text
    assert "{" not in text  # no raw JSON


def test_code_values_written_by_services_show_their_chinese_label(client, bureau, staff_a, hr, seeker, posting):
    """Rows written by the real services: the choice values on the page are their labels, not the codes."""
    from hongniang.applications.services import application_apply
    from hongniang.jobs.services import posting_close
    from hongniang.outreach.services import call_log_record

    application_apply(seeker=seeker, posting=posting, actor=staff_a, channel="staff", consent_confirmed=True,
                      consent_channel="paper")
    call_log_record(actor=staff_a, posting=posting, seeker=seeker, outcome="not_interested")
    posting_close(actor=hr, posting=posting)
    client.force_login(bureau)
    text = " | ".join(_cells(client.post("/audit/", {}).content.decode()))
    assert "渠道：工作人员代报" in text and "已确认同意：是" in text and "同意渠道：纸质签字" in text
    assert "结果：不感兴趣" in text
    assert "原状态：招聘中" in text and "新状态：已关闭" in text
    for code in ("：staff", "：paper", "not_interested", "：published", "：closed"):
        assert code not in text


def test_the_page_never_shows_a_persons_name_as_target(client, bureau, rows):
    seeker = rows["seeker"]
    client.force_login(bureau)
    body = client.post("/audit/", {"target": f"seekers.seeker#{seeker.pk}"}).content.decode()
    assert f"求职者 #{seeker.pk}" in body
    assert seeker.name not in body and seeker.name[1:] not in body


def test_search_by_code_and_by_the_labelled_picker(client, bureau, rows):
    client.force_login(bureau)
    by_code = " ".join(_cells(client.post("/audit/", {"action": "workshops.view_wages"}).content.decode()))
    assert "查看计件工钱" in by_code and "查看求职者完整信息" not in by_code
    by_prefix = " ".join(_cells(client.post("/audit/", {"action": "seeker."}).content.decode()))
    assert "查看求职者完整信息" in by_prefix and "查看计件工钱" not in by_prefix
    body = client.post("/audit/", {"action_code": "view_applicants"}).content.decode()
    picked = " ".join(_cells(body))
    assert "查看报名人员" in picked and "查看计件工钱" not in picked and "retired.code" not in picked
    assert '<option value="view_applicants" selected>查看报名人员</option>' in body
    assert 'name="action_code"' in body and "<optgroup" in body


def test_the_page_is_cards_on_a_phone_with_labelled_cells(client, bureau, rows):
    """Under 600 px site.css turns table.data rows into cards; each cell names its column."""
    client.force_login(bureau)
    body = client.post("/audit/", {}).content.decode()
    assert '<div class="table-scroll">' in body and 'data-label="操作"' in body and 'data-label="对象"' in body


def test_rendering_a_page_costs_a_few_queries(client, bureau, rows, django_assert_max_num_queries):
    client.force_login(bureau)
    with django_assert_max_num_queries(14):
        client.post("/audit/", {})


@pytest.mark.parametrize("who", ["staff_a", "hr", "seeker_user", "outsider"])
def test_the_audit_page_is_refused_to_everyone_but_the_bureau(client, who, request, rows):
    client.force_login(request.getfixturevalue(who))
    for r in (client.get("/audit/"), client.post("/audit/", {"action_code": "seeker.view_full"})):
        assert r.status_code == 403
        assert "沙洲坝帮扶车间" not in r.content.decode() and "查看求职者完整信息" not in r.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, rows):
    r = client.get("/audit/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_details_read_in_the_same_order_whatever_order_the_database_keeps():
    """PostgreSQL's jsonb returns keys in its own order; the page and the API still read 原状态 before 新状态."""
    for detail in ({"before": "pending", "after": "published"}, {"after": "published", "before": "pending"}):
        assert [k for k, _v in audit_labels.detail_items(detail, "posting_approve")] == ["原状态", "新状态"]
    assert [k for k, _v in audit_labels.detail_items({"zz": 1, "before": "x", "aa": 2})] == ["原状态", "aa", "zz"]
