"""The named API: /api/v1/workshops (public) and /api/v1/outsourcing/orders with its handovers, pieces and
wages; every role asks every personal route."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from hongniang.testing import factories as f
from hongniang.workshops import services
from hongniang.workshops.models import Handover, HandoverKind, OutsourcingOrder, PieceRecord, WageLine

from .conftest import JPEG, photo

pytestmark = pytest.mark.django_db


def client_for(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def post(c, url, data):
    return c.post(url, json.dumps(data, default=str), content_type="application/json")


ORDER_BODY = {"product": "儿童背包", "process": "车缝肩带", "occupation": "6-05-01-03", "quantity": 1000,
              "piece_rate": "0.80", "deadline": str(dt.date.today() + dt.timedelta(days=20)), "trial_workers": 5,
              "trial_pieces_per_hour": "30"}


def test_public_workshop_list_has_items_and_count_and_no_personal_data(workshop, other_workshop):
    r = Client().get("/api/v1/workshops")
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"items", "count"} and body["count"] == 2
    assert {"name", "township", "township_name", "lat", "lon", "skills", "stations", "free_hours_per_day"} <= set(
        body["items"][0])
    assert "13600000001" not in r.content.decode() and "钟春兰" not in r.content.decode()
    assert Client().get("/api/v1/workshops?township=360781103000").json()["count"] == 1
    assert Client().get("/api/v1/workshops?skill=6-05").json()["count"] == 1


def test_create_an_order_through_the_api(hr, enterprise, occupations):
    r = post(client_for(hr), "/api/v1/outsourcing/orders", ORDER_BODY)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["fair_minimum_rate"] == "0.644" and body["expected_hourly"] == "24.00"
    assert "offer" in body["actions"]


def test_an_order_below_the_fair_rate_gets_a_422_with_a_chinese_message(hr, enterprise, occupations):
    r = post(client_for(hr), "/api/v1/outsourcing/orders", ORDER_BODY | {"piece_rate": "0.5"})
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "invalid_input" and "公平最低单价" in body["errors"]["piece_rate"][0]
    assert not OutsourcingOrder.objects.exists()


def test_a_deposit_demand_gets_a_422(hr, enterprise, occupations):
    r = post(client_for(hr), "/api/v1/outsourcing/orders", ORDER_BODY | {"materials": "每人交押金100元"})
    assert r.status_code == 422 and "押金" in r.json()["message"]


def test_staff_or_seeker_cannot_create_orders(staff_a, seeker_user, enterprise, occupations):
    for user in (staff_a, seeker_user):
        r = post(client_for(user), "/api/v1/outsourcing/orders", ORDER_BODY | {"enterprise_id": enterprise.pk})
        assert r.status_code == 403
    assert post(Client(), "/api/v1/outsourcing/orders", ORDER_BODY).status_code == 401


def test_offer_accept_handover_pieces_wages_flow(order, hr, workshop, owner, workers, today):
    c_hr, c_ws = client_for(hr), client_for(owner)
    cand = c_hr.get(f"/api/v1/outsourcing/orders/{order.pk}/candidates").json()
    assert cand["items"][0]["workshop_id"] == workshop.pk
    r = post(c_hr, f"/api/v1/outsourcing/orders/{order.pk}/offer",
             {"offers": [{"workshop_id": workshop.pk, "quantity": 600}]})
    assert r.status_code == 200, r.content
    share_id = r.json()["items"][0]["id"]
    r = post(c_ws, f"/api/v1/outsourcing/orders/{order.pk}/accept", {"quantity": 500})
    assert r.status_code == 200 and r.json()["quantity"] == 500
    r = post(c_hr, f"/api/v1/outsourcing/orders/{order.pk}/handovers",
             {"share_id": share_id, "kind": "out", "quantity": 500, "handed_by": "仓管"})
    assert r.status_code == 201 and r.json()["balance"]["outstanding"] == 500
    r = post(c_ws, f"/api/v1/outsourcing/orders/{order.pk}/pieces", {"share_id": share_id, "day": str(today),
             "entries": [{"worker_id": workers[0].pk, "pieces": 150, "hours": "6"},
                         {"worker_id": workers[1].pk, "pieces": 140, "hours": "6"}]})
    assert r.status_code == 200 and r.json()["count"] == 2
    r = post(c_ws, f"/api/v1/outsourcing/orders/{order.pk}/handovers",
             {"share_id": share_id, "kind": "back", "quantity": 480})
    assert r.status_code == 201
    # a reject with a photo, as multipart
    r = c_hr.post(f"/api/v1/outsourcing/orders/{order.pk}/handovers",
                  {"share_id": share_id, "kind": "reject", "quantity": "10", "reason": "线头", "photos": [photo()]})
    assert r.status_code == 201, r.content
    assert r.json()["photos"] and r.json()["balance"]["outstanding"] == 10
    r = post(c_ws, f"/api/v1/outsourcing/orders/{order.pk}/shares/{share_id}/deliver", {})
    assert r.status_code == 422 and r.json()["code"] == "balance_off"
    r = post(c_ws, f"/api/v1/outsourcing/orders/{order.pk}/shares/{share_id}/deliver",
             {"balance_reason": "10 片布料缺角，已退回仓库"})
    assert r.status_code == 200 and r.json()["status"] == "delivered"
    wages = c_ws.get(f"/api/v1/outsourcing/orders/{order.pk}/wages").json()
    assert {w["amount"] for w in wages["items"]} == {"120.00", "112.00"}
    wid = wages["items"][0]["id"]
    r = post(c_ws, f"/api/v1/outsourcing/orders/{order.pk}/wages/{wid}/pay", {})
    assert r.status_code == 200 and r.json()["status"] == "paid"
    listed = c_hr.get(f"/api/v1/outsourcing/orders/{order.pk}/handovers").json()
    assert listed["total"] == {"out": 500, "back": 480, "reject": 10, "outstanding": 10, "reject_rate": "2.04"}


def test_bad_pieces_get_a_422_and_nothing_is_written(producing, owner, workers, today):
    c = client_for(owner)
    url = f"/api/v1/outsourcing/orders/{producing.order_id}/pieces"
    r = post(c, url, {"share_id": producing.pk, "day": str(today),
                      "entries": [{"worker_id": workers[1].pk, "pieces": 5, "hours": "1"},
                                  {"worker_id": workers[0].pk, "pieces": -1, "hours": "1"}]})
    assert r.status_code == 422 and "负数" in r.json()["message"]
    assert PieceRecord.objects.count() == 1
    r = post(c, url, {"share_id": producing.pk, "day": str(today + dt.timedelta(days=1)),
                      "entries": [{"worker_id": workers[1].pk, "pieces": 5, "hours": "1"}]})
    assert r.status_code == 422


def test_more_returned_than_sent_gets_a_422(producing, owner):
    r = post(client_for(owner), f"/api/v1/outsourcing/orders/{producing.order_id}/handovers",
             {"share_id": producing.pk, "kind": "back", "quantity": 9999})
    assert r.status_code == 422 and "交回数量多于发出的" in r.json()["message"]
    assert Handover.objects.count() == 1


def test_a_fake_photo_gets_a_422(producing, hr):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    r = client_for(hr).post(f"/api/v1/outsourcing/orders/{producing.order_id}/handovers",
                            {"share_id": producing.pk, "kind": "reject", "quantity": "3", "reason": "脱线",
                             "photos": [fake]})
    assert r.status_code == 422 and "JPG" in r.json()["message"]
    _ = JPEG


# ----------------------------------------------------------------------------------------------- every role

@pytest.fixture
def world(producing, hr, other_hr, owner, other_owner, other_workshop, staff_a, staff_b, bureau, seeker_user,
          workers, today):
    worker_user = f.UserFactory(username="13500000001", phone="13500000001")
    workers[0].user = worker_user
    workers[0].save()
    services.handover_record(actor=owner, share=producing, kind=HandoverKind.BACK, quantity=600)
    services.share_deliver(actor=owner, share=producing)
    users = {"anon": None, "seeker": seeker_user, "hr": hr, "other_hr": other_hr, "owner": owner,
             "other_owner": other_owner, "staff": staff_a, "other_staff": staff_b, "bureau": bureau,
             "worker": worker_user}
    return users, producing


PERSONAL = {
    "/api/v1/outsourcing/orders/{order}": {"hr", "owner", "staff", "bureau"},
    "/api/v1/outsourcing/orders/{order}/handovers": {"hr", "owner", "staff", "bureau"},
    "/api/v1/outsourcing/orders/{order}/pieces": {"hr", "owner", "staff", "bureau"},
    "/api/v1/outsourcing/orders/{order}/wages": {"hr", "owner", "staff", "bureau", "worker"},
    "/api/v1/outsourcing/orders/{order}/candidates": {"hr", "bureau"},
    "/api/v1/workshops/{workshop}/workers": {"owner", "staff", "bureau"},
    "/api/v1/outsourcing/arrears": {"staff", "other_staff", "bureau"},  # staff: their townships' only
}


@pytest.mark.parametrize("route", sorted(PERSONAL))
def test_every_role_on_every_personal_route(world, route):
    users, share = world
    url = route.format(order=share.order_id, workshop=share.workshop_id)
    got = {role for role, user in users.items() if client_for(user).get(url).status_code == 200}
    assert got == PERSONAL[route]


def test_the_order_list_shows_each_role_its_own(world, other_hr, occupations, other_enterprise):
    users, share = world
    from .conftest import make_order

    other = make_order(other_hr, other_enterprise, product="耳机线")
    seen = {role: {o["id"] for o in client_for(u).get("/api/v1/outsourcing/orders").json().get("items", [])}
            for role, u in users.items() if u is not None}
    assert seen["hr"] == {share.order_id} and seen["other_hr"] == {other.pk}
    assert seen["owner"] == {share.order_id} and seen["other_owner"] == set()
    assert seen["staff"] == {share.order_id} and seen["other_staff"] == set()
    assert seen["bureau"] == {share.order_id, other.pk} and seen["seeker"] == set()
    assert client_for().get("/api/v1/outsourcing/orders").status_code == 401


def test_what_each_role_sees_of_the_shares_and_wages(world, other_workshop, other_owner, hr, occupations):
    users, share = world
    order = share.order
    [other_share] = services.order_offer(actor=hr, order=OutsourcingOrder.objects.get(pk=order.pk),
                                         offers=[(other_workshop, 100)])
    detail = {role: {s["id"] for s in client_for(u).get(f"/api/v1/outsourcing/orders/{order.pk}").json()
                     .get("shares", [])} for role, u in users.items()}
    assert detail["hr"] == detail["bureau"] == {share.pk, other_share.pk}
    assert detail["owner"] == detail["staff"] == {share.pk}
    # the other workshop now sees the order, but only its own share and no one else's wages
    assert detail["other_owner"] == detail["other_staff"] == {other_share.pk}
    wages = client_for(users["other_owner"]).get(f"/api/v1/outsourcing/orders/{order.pk}/wages").json()
    assert wages["items"] == []
    mine = client_for(users["worker"]).get(f"/api/v1/outsourcing/orders/{order.pk}/wages").json()["items"]
    assert [w["worker_name"] for w in mine] == ["钟小芳"] and mine[0]["actions"] == ["dispute"]


def test_only_the_right_roles_may_act(world):
    users, share = world
    order_id = share.order_id
    wage = WageLine.objects.get(worker__user=users["worker"])
    # the worker cannot record a payment; the owner can; the worker confirms; the owner cannot confirm
    url = f"/api/v1/outsourcing/orders/{order_id}/wages/{wage.pk}"
    assert post(client_for(users["worker"]), f"{url}/pay", {}).status_code == 403
    assert post(client_for(users["other_owner"]), f"{url}/pay", {}).status_code == 404
    assert post(client_for(users["owner"]), f"{url}/pay", {}).status_code == 200
    assert post(client_for(users["owner"]), f"{url}/confirm", {}).status_code == 403
    assert post(client_for(users["worker"]), f"{url}/confirm", {}).status_code == 200
    # checking goods is the enterprise's; the other enterprise does not even see it
    check = f"/api/v1/outsourcing/orders/{order_id}/shares/{share.pk}/check"
    assert post(client_for(users["owner"]), check, {}).status_code == 403
    assert post(client_for(users["other_hr"]), check, {}).status_code == 404
    assert post(client_for(users["hr"]), check, {}).status_code == 200


def test_staff_register_a_workshop_in_their_area_and_its_owner_adds_workers(staff_a, staff_b, outsider, regions,
                                                                            occupations):
    body = {"name": "沙洲坝新车间", "region": regions["v_xianghu"].pk, "owner_name": "钟春兰",
            "owner_phone": "13600000031", "stations": 12, "skills": ["6-05-01-03"]}
    assert post(client_for(outsider), "/api/v1/workshops", body).status_code == 403
    assert post(client_for(staff_b), "/api/v1/workshops", body).status_code == 403
    r = post(client_for(staff_a), "/api/v1/workshops", body)
    assert r.status_code == 201 and r.json()["township_name"] == "象湖镇"
    ws_id = r.json()["id"]
    from django.contrib.auth import get_user_model

    owner = get_user_model().objects.get(phone="13600000031")
    r = post(client_for(owner), f"/api/v1/workshops/{ws_id}/workers", {"name": "钟小芳", "phone": "13500000041"})
    assert r.status_code == 201
    r = post(client_for(owner), f"/api/v1/workshops/{ws_id}/workers", {"name": "钟小芳", "phone": "13500000041"})
    assert r.status_code == 409
    assert post(client_for(staff_b), f"/api/v1/workshops/{ws_id}/workers",
                {"name": "王", "phone": "13500000042"}).status_code == 404
