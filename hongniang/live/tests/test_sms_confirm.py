"""Confirming a lead with an SMS code (the security helper's phone-code service): the person's open leads in the
session become applications, consent online; a wrong code writes nothing."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from hongniang.applications.models import Application
from hongniang.core.errors import InvalidInput
from hongniang.flows.live_leads import lead_confirm_by_sms, lead_send_code
from hongniang.live import services
from hongniang.live.models import LeadStatus
from hongniang.notifications.tests.fixtures import SENT, immediate_tasks  # noqa: F401
from hongniang.seekers.models import Seeker

pytestmark = pytest.mark.django_db


def _code() -> str:
    return re.search(r"\d{6}", SENT[-1][1]).group(0)


def test_a_texted_code_confirms_every_open_lead_of_the_number(immediate_tasks, session, posting, posting2):  # noqa: F811
    a = services.lead_signup(session=session, posting_id=posting.pk, name="钟秀兰", phone="13812340000")
    services.lead_signup(session=session, posting_id=posting2.pk, name="钟秀兰", phone="13812340000")
    lead_send_code(session=session, phone="13812340000")
    rows = lead_confirm_by_sms(session=session, phone="13812340000", code=_code())
    assert [lead.status for lead, _ in rows] == [LeadStatus.CONFIRMED] * 2
    apps = Application.objects.filter(channel="live", source_id=session.pk)
    assert apps.count() == 2 and {x.consent_channel for x in apps} == {"online"}
    seeker = Seeker.objects.get(phone="13812340000")
    assert seeker.user is not None and seeker.name == "钟秀兰"
    a.refresh_from_db()
    assert a.confirmed_via == "sms" and a.application.seeker == seeker


def test_a_wrong_code_confirms_nothing(immediate_tasks, session, posting):  # noqa: F811
    services.lead_signup(session=session, posting_id=posting.pk, name="钟秀兰", phone="13812340000")
    lead_send_code(session=session, phone="13812340000")
    wrong = "000000" if _code() != "000000" else "111111"
    with pytest.raises(InvalidInput):
        lead_confirm_by_sms(session=session, phone="13812340000", code=wrong)
    assert not Application.objects.exists() and not Seeker.objects.filter(phone="13812340000").exists()


def test_a_number_that_did_not_sign_up_gets_the_same_answer_and_no_code(immediate_tasks, client, session,  # noqa: F811
                                                                         posting):
    """Whether a number signed up in a session is not told: the same page, no SMS, and a guessed code fails like
    a wrong one."""
    services.lead_signup(session=session, posting_id=posting.pk, name="钟秀兰", phone="13812340000")
    lead_send_code(session=session, phone="13812349999")  # no error
    assert SENT == []
    pages = [client.post(reverse("live:sms_send", args=[session.pk]), {"phone": p}) for p in
             ("13812340000", "13812349999")]
    assert [r.status_code for r in pages] == [200, 200]
    def text(r):  # the page without the number typed and the per-request CSRF tokens
        html = r.content.decode().replace("13812340000", "N").replace("13812349999", "N")
        return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', "", html)
    assert text(pages[0]) == text(pages[1])
    assert len(SENT) == 1
    with pytest.raises(InvalidInput) as exc:
        lead_confirm_by_sms(session=session, phone="13812349999", code="123456")
    assert exc.value.field == "code" or "code" in exc.value.errors


def test_the_known_person_is_used(immediate_tasks, session, posting, seeker):  # noqa: F811
    services.lead_signup(session=session, posting_id=posting.pk, name=seeker.name, phone=seeker.phone)
    lead_send_code(session=session, phone=seeker.phone)
    [(lead, application)] = lead_confirm_by_sms(session=session, phone=seeker.phone, code=_code())
    assert application.seeker == seeker and Seeker.objects.filter(phone=seeker.phone).count() == 1


def test_the_pages(immediate_tasks, client, session, posting):  # noqa: F811
    r = client.post(reverse("live:signup", args=[session.pk]), {"posting_id": posting.pk, "name": "钟秀兰",
                                                                 "phone": "13812340000"})
    assert "发短信验证码确认" in r.content.decode()
    r = client.post(reverse("live:sms_send", args=[session.pk]), {"phone": "13812340000"})
    assert r.status_code == 200 and "验证码已发到" in r.content.decode()
    r = client.post(reverse("live:sms_confirm", args=[session.pk]), {"phone": "13812340000", "code": _code()})
    assert r.status_code == 200 and "已确认报名" in r.content.decode()
    assert Application.objects.filter(channel="live").count() == 1
