"""The live pages show the forms the state machines allow, as they did when the templates tested the status:
"现在介绍这个岗位" while the session is live, the SMS confirmation while the lead is still open."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from hongniang.core.errors import Conflict
from hongniang.live import services

pytestmark = pytest.mark.django_db

PRESENT = "现在介绍这个岗位"
SMS = "发短信验证码确认"


def _manage(client, user, session) -> str:
    client.force_login(user)
    return client.get(reverse("live:manage", args=[session.pk])).content.decode()


def test_presenting_a_posting_is_offered_only_while_live(client, staff_a, point_a, posting, posting2):
    s = services.session_create(actor=staff_a, title="明晚直播", host_name="小红", platform="douyin",
                                starts_at=timezone.now(), postings=[posting, posting2], organiser_point=point_a)
    html = _manage(client, staff_a, s)
    assert PRESENT not in html and "开始直播" in html  # scheduled
    with pytest.raises(Conflict):
        services.session_present(actor=staff_a, session=s, posting=posting)
    s = services.session_act(actor=staff_a, session=s, action="go_live")
    assert _manage(client, staff_a, s).count(PRESENT) == 2
    services.session_present(actor=staff_a, session=s, posting=posting)
    assert _manage(client, staff_a, s).count(PRESENT) == 1  # not for the posting on air
    s = services.session_act(actor=staff_a, session=s, action="end")
    assert PRESENT not in _manage(client, staff_a, s)


def test_present_is_not_a_session_action_of_its_own(staff_a, session):
    with pytest.raises(Exception, match="未知操作"):
        services.session_act(actor=staff_a, session=session, action="present")


@pytest.mark.parametrize(("call", "shown"), [(None, True), ("no_answer", True), ("decline", False)])
def test_the_sms_confirmation_is_offered_while_the_lead_is_open(client, session, posting, staff_a, call, shown):
    data = {"posting_id": posting.pk, "name": "钟秀兰", "phone": "13812340000"}
    lead = services.lead_signup(session=session, posting_id=posting.pk, name="钟秀兰", phone="13812340000")
    if call:
        services.lead_call(actor=staff_a, lead=lead, action=call)
    r = client.post(reverse("live:signup", args=[session.pk]), data)  # the same person again: their lead
    assert r.status_code == 200 and (SMS in r.content.decode()) is shown
