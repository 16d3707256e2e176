"""GET /api/v1/outsourcing/arrears (arrears alerts: the bureau all of them, staff those of their townships'
workshops, nobody else) and POST /api/v1/outsourcing/arrears/{id}/resolve (the bureau)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from hongniang.core.audit import AuditEvent
from hongniang.testing import factories as f
from hongniang.workshops import services
from hongniang.workshops.models import HandoverKind, WageArrearsAlert, WageLine

pytestmark = pytest.mark.django_db
URL = "/api/v1/outsourcing/arrears"


def client_for(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def _overdue_wage(share, owner, worker, today, pieces=100):
    services.pieces_record(actor=owner, share=share, day=today, entries=[{"worker": worker, "pieces": pieces,
                                                                            "hours": "5"}])
    services.handover_record(actor=owner, share=share, kind=HandoverKind.BACK, quantity=pieces)
    services.share_deliver(actor=owner, share=share, balance_reason="余料退回仓库")
    wage = WageLine.objects.get(share=share, worker=worker)
    WageLine.objects.filter(pk=wage.pk).update(due_date=today - dt.timedelta(days=3))
    return WageLine.objects.get(pk=wage.pk)


@pytest.fixture
def alerts(share, hr, owner, workers, other_workshop, other_owner, other_workers, today):
    """An arrears alert in 象湖镇 (沙洲坝帮扶车间, 钟小芳, raised first) and one in 九堡镇 (九堡村社区工厂, 刘小兰)."""
    services.handover_record(actor=hr, share=share, kind=HandoverKind.OUT, quantity=600, handed_by="仓管 李")
    here = services.arrears_raise(wage=_overdue_wage(share, owner, workers[0], today))
    [far] = services.order_offer(actor=hr, order=share.order, offers=[(other_workshop, 300)])
    far = services.share_accept(actor=other_owner, share=far, quantity=300)
    services.handover_record(actor=hr, share=far, kind=HandoverKind.OUT, quantity=300, handed_by="仓管 李")
    there = services.arrears_raise(wage=_overdue_wage(far, other_owner, other_workers[0], today, pieces=50))
    WageArrearsAlert.objects.filter(pk=here.pk).update(raised_at=there.raised_at - dt.timedelta(hours=2))
    return {"here": WageArrearsAlert.objects.get(pk=here.pk), "there": there}


def test_the_bureau_lists_every_open_alert_oldest_first_with_the_phone(alerts, bureau):
    r = client_for(bureau).get(URL)
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 2 and [a["id"] for a in body["items"]] == [alerts["here"].pk, alerts["there"].pk]
    first = body["items"][0]
    assert first["workshop_name"] == "沙洲坝帮扶车间" and first["township_name"] == "象湖镇"
    assert first["worker_name"] != "钟小芳" and first["worker_name"].startswith("钟")  # masked
    assert first["worker_phone"] == "13500000001"  # the bureau calls them, like on its disputes page
    assert first["amount"] == "80.00" and first["wage_status"] == "due" and first["resolved_at"] is None
    assert first["product"] == "儿童背包" and first["reason"] == "超过约定日期未发计件工钱"
    assert AuditEvent.objects.filter(action="workshops.view_arrears", actor=bureau).exists()


def test_staff_see_only_the_alerts_of_their_townships_and_no_full_phone(alerts, staff_a, staff_b):
    body = client_for(staff_a).get(URL).json()
    assert [a["id"] for a in body["items"]] == [alerts["here"].pk] and body["count"] == 1
    assert body["items"][0]["worker_phone"] != "13500000001" and "钟小芳" not in json.dumps(body, ensure_ascii=False)
    body = client_for(staff_b).get(URL).json()
    assert [a["id"] for a in body["items"]] == [alerts["there"].pk]
    assert AuditEvent.objects.filter(action="workshops.view_arrears", actor=staff_a).exists()


def test_anonymous_callers_get_401(alerts):
    r = Client().get(URL)
    assert r.status_code == 401 and r.json()["code"] == "unauthorized"


@pytest.mark.parametrize("who", ["seeker_user", "hr", "owner", "other_owner", "worker"])
def test_seekers_enterprises_workshops_and_workers_get_403(alerts, who, request, workers):
    if who == "worker":
        user = f.UserFactory(username="13500000001", phone="13500000001")
        workers[0].user = user
        workers[0].save()
    else:
        user = request.getfixturevalue(who)
    r = client_for(user).get(URL)
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert "钟小芳" not in r.content.decode() and "13500000001" not in r.content.decode()


def test_the_status_filter_and_the_bureau_resolving_an_alert(alerts, bureau):
    c = client_for(bureau)
    here = alerts["here"]
    r = c.post(f"{URL}/{here.pk}/resolve", {"resolution": "电话核实已现金结清"}, content_type="application/json")
    assert r.status_code == 200
    assert r.json()["resolution"] == "电话核实已现金结清" and r.json()["resolved_at"]
    assert AuditEvent.objects.filter(action="workshops.arrears_resolve", target_id=str(here.pk)).exists()
    assert [a["id"] for a in c.get(URL).json()["items"]] == [alerts["there"].pk]
    assert [a["id"] for a in c.get(URL + "?status=resolved").json()["items"]] == [here.pk]
    assert c.get(URL + "?status=all").json()["count"] == 2
    again = c.post(f"{URL}/{here.pk}/resolve", {"resolution": "再次"}, content_type="application/json")
    assert again.status_code == 409


def test_bad_status_or_limit_gets_a_422_with_a_chinese_message(alerts, bureau):
    r = client_for(bureau).get(URL + "?status=closed")
    assert r.status_code == 422 and r.json()["code"] == "invalid_input"
    assert "status" in r.json()["errors"] and "未处理" in r.json()["message"]
    assert client_for(bureau).get(URL + "?limit=0").status_code == 422
    page = client_for(bureau).get(URL + "?limit=1&offset=1").json()
    assert page["count"] == 2 and [a["id"] for a in page["items"]] == [alerts["there"].pk]


def test_only_the_bureau_resolves_and_a_resolution_is_required(alerts, bureau, staff_a, owner):
    here = alerts["here"]
    for user in (staff_a, owner):
        r = client_for(user).post(f"{URL}/{here.pk}/resolve", {"resolution": "已结清"},
                                  content_type="application/json")
        assert r.status_code == 403
    assert Client().post(f"{URL}/{here.pk}/resolve", {"resolution": "已结清"},
                         content_type="application/json").status_code == 401
    r = client_for(bureau).post(f"{URL}/{here.pk}/resolve", {"resolution": " "}, content_type="application/json")
    assert r.status_code == 422 and r.json()["errors"]["resolution"]
    assert client_for(bureau).post(f"{URL}/999999/resolve", {"resolution": "已结清"},
                                   content_type="application/json").status_code == 404
    assert WageArrearsAlert.objects.get(pk=here.pk).resolved_at is None
