"""The /workshops/ pages as each role uses them: the public list, the enterprise's overview and order, the
owner's phone pages (offers, pieces for every worker on one screen, wages), the worker's wages, staff
registration and the bureau's figures with their Excel export."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client

from hongniang.testing import factories as f
from hongniang.workshops import services
from hongniang.workshops.models import HandoverKind, PieceRecord, ShareStatus, WageLine, Workshop

pytestmark = pytest.mark.django_db


def client_for(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def test_the_public_list_shows_workshops_without_personal_data(workshop, other_workshop):
    r = Client().get("/workshops/")
    body = r.content.decode()
    assert r.status_code == 200 and "沙洲坝帮扶车间" in body and "九堡村社区工厂" in body
    assert "13600000001" not in body and "钟春兰" not in body


def test_navigation_links_the_workshops_for_each_role(hr, owner, staff_a, bureau, seeker_user):
    for user in (hr, owner, staff_a, bureau, seeker_user):
        assert 'href="/workshops/"' in client_for(user).get("/").content.decode()
    assert 'href="/workshops/"' not in Client().get("/").content.decode()


def test_enterprise_page_shows_late_shares_and_outstanding_material(producing, hr, other_hr, today):
    from hongniang.workshops.models import OutsourcingOrder

    OutsourcingOrder.objects.filter(pk=producing.order_id).update(deadline=today - dt.timedelta(days=2))
    body = client_for(hr).get("/workshops/enterprise/").content.decode()
    assert "儿童背包" in body and "沙洲坝帮扶车间" in body
    assert "儿童背包" not in client_for(other_hr).get("/workshops/enterprise/").content.decode()
    assert client_for(owner_of(producing)).get("/workshops/enterprise/").status_code == 403


def owner_of(share):
    return share.workshop.owner_user


def test_enterprise_creates_an_order_and_a_low_rate_gets_a_chinese_error(hr, enterprise, occupations):
    c = client_for(hr)
    data = {"product": "儿童背包", "process": "车缝肩带", "quantity": "1000", "piece_rate": "0.5",
            "trial_workers": "5", "trial_pieces_per_hour": "30", "deadline": str(dt.date.today() + dt.timedelta(days=9)),
            "allowed_reject_rate": "2", "wage_days": "10", "splittable": "on"}
    r = c.post("/workshops/orders/new/", data)
    assert r.status_code == 200 and "公平最低单价 0.644" in r.content.decode()
    r = c.post("/workshops/orders/new/", data | {"piece_rate": "0.8"})
    assert r.status_code == 302
    detail = c.get(r["Location"]).content.decode()
    assert "24.00" in detail and "沙洲坝" not in detail  # no workshops yet in this test


def test_order_page_offers_to_ranked_workshops(order, hr, workshop, other_workshop):
    c = client_for(hr)
    body = c.get(f"/workshops/orders/{order.pk}/").content.decode()
    assert body.index("沙洲坝帮扶车间") < body.index("九堡村社区工厂")
    r = c.post(f"/workshops/orders/{order.pk}/offer/", {f"qty_{workshop.pk}": "600", f"qty_{other_workshop.pk}": ""})
    assert r.status_code == 302 and order.shares.get().workshop == workshop


def test_owner_accepts_on_the_phone_page(order, hr, workshop, owner):
    services.order_offer(actor=hr, order=order, offers=[(workshop, 600)])
    c = client_for(owner)
    body = c.get("/workshops/mine/").content.decode()
    assert "预计每小时" in body and "24.00" in body
    share = order.shares.get()
    r = c.post(f"/workshops/shares/{share.pk}/accept/", {"quantity": "400", "next": "/workshops/mine/"})
    assert r.status_code == 302
    share.refresh_from_db()
    assert share.status == ShareStatus.ACCEPTED and share.quantity == 400


def test_pieces_for_every_worker_on_one_screen(producing, owner, workers, today):
    c = client_for(owner)
    url = f"/workshops/shares/{producing.pk}/pieces/"
    body = c.get(url).content.decode()
    for w in workers:
        assert w.name in body and f'name="pieces_{w.pk}"' in body and f'name="hours_{w.pk}"' in body
    r = c.post(url, {"day": today.isoformat(), f"pieces_{workers[0].pk}": "100", f"hours_{workers[0].pk}": "5",
                     f"pieces_{workers[1].pk}": "80", f"hours_{workers[1].pk}": "4"})
    assert r.status_code == 302
    assert PieceRecord.objects.filter(day=today).count() == 2


def test_bad_pieces_on_the_page_show_the_error_and_write_nothing(producing, owner, workers, today):
    c = client_for(owner)
    r = c.post(f"/workshops/shares/{producing.pk}/pieces/", {
        "day": today.isoformat(), f"pieces_{workers[0].pk}": "-3", f"hours_{workers[0].pk}": "5",
        f"pieces_{workers[1].pk}": "80", f"hours_{workers[1].pk}": "4"})
    assert r.status_code == 200 and "钟小芳的件数不能是负数" in r.content.decode()
    assert not PieceRecord.objects.filter(day=today).exists()


def test_another_owner_cannot_open_the_pieces_page(producing, other_owner):
    assert client_for(other_owner).get(f"/workshops/shares/{producing.pk}/pieces/").status_code == 404


def test_deliver_with_a_shortfall_needs_a_reason_on_the_page(producing, owner):
    services.handover_record(actor=owner, share=producing, kind=HandoverKind.BACK, quantity=590)
    c = client_for(owner)
    url = f"/workshops/shares/{producing.pk}/deliver/"
    r = c.post(url, {"next": "/workshops/mine/"}, follow=True, HTTP_REFERER="/workshops/mine/")
    assert "还差 10 件" in r.content.decode()
    producing.refresh_from_db()
    assert producing.status == ShareStatus.IN_PRODUCTION
    c.post(url, {"reason": "10 片布料有污渍，退回企业", "next": "/workshops/mine/"})
    producing.refresh_from_db()
    assert producing.status == ShareStatus.DELIVERED


def test_owner_pays_and_the_worker_confirms(producing, owner, workers):
    user = f.UserFactory(username="13500000001", phone="13500000001")
    workers[0].user = user
    workers[0].save()
    services.handover_record(actor=owner, share=producing, kind=HandoverKind.BACK, quantity=600)
    services.share_deliver(actor=owner, share=producing)
    wage = WageLine.objects.get()
    assert "96.00" in client_for(owner).get("/workshops/mine/wages/").content.decode()
    client_for(owner).post(f"/workshops/wages/{wage.pk}/pay/", {"amount": "96.00", "next": "/workshops/mine/wages/"})
    wc = client_for(user)
    assert "收到了" in wc.get("/workshops/wages/").content.decode()
    wc.post(f"/workshops/wages/{wage.pk}/confirm/")
    wage.refresh_from_db()
    assert wage.status == "confirmed"


def test_staff_register_a_workshop_in_their_area(staff_a, regions, occupations):
    c = client_for(staff_a)
    body = c.get("/workshops/staff/").content.decode()
    assert "沙洲坝" in body and "坝溪" not in body  # only their own township's villages
    r = c.post("/workshops/staff/", {"name": "沙洲坝二车间", "kind": "workshop", "region": regions["v_xianghu"].pk,
                                     "owner_name": "钟", "owner_phone": "13600000044", "stations": "8",
                                     "hours_per_day": "6", "skills": "6-05-01-03", "skills_text": "要交押金 300 元"})
    assert r.status_code == 200 and "押金" in r.content.decode() and not Workshop.objects.exists()
    r = c.post("/workshops/staff/", {"name": "沙洲坝二车间", "kind": "workshop", "region": regions["v_xianghu"].pk,
                                     "owner_name": "钟", "owner_phone": "13600000044", "stations": "8",
                                     "hours_per_day": "6", "skills": "6-05-01-03"})
    assert r.status_code == 302 and Workshop.objects.get().township == regions["xianghu"]


def test_pages_refuse_the_wrong_roles(order, workshop, hr, seeker_user, staff_a, owner):
    assert client_for(seeker_user).get("/workshops/staff/").status_code == 403
    assert client_for(staff_a).get("/workshops/bureau/").status_code == 403
    assert client_for(seeker_user).get("/workshops/mine/").status_code == 403
    assert client_for(seeker_user).get(f"/workshops/orders/{order.pk}/").status_code == 404
    assert client_for(owner).get(f"/workshops/orders/{order.pk}/").status_code == 404  # not offered to it
    assert Client().get("/workshops/mine/").status_code == 302
    assert client_for(seeker_user).get(f"/workshops/{workshop.pk}/").status_code == 404
    assert client_for(staff_a).get(f"/workshops/{workshop.pk}/").status_code == 200


def test_bureau_page_and_excel_export_neutralise_formulas(producing, owner, workers, bureau, staff_a, regions):
    Workshop.objects.filter(pk=producing.workshop_id).update(name="=HYPERLINK(\"http://x\")")
    from hongniang.geo.models import Region

    Region.objects.filter(pk=regions["xianghu"].pk).update(name="=1+1镇")
    c = client_for(bureau)
    body = c.get("/workshops/bureau/").content.decode()
    assert "有计件的人" in body
    r = c.get("/workshops/bureau/export.xlsx")
    assert r.status_code == 200
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(r.content))
    cells = [c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "'=1+1镇" in cells and not any(v.startswith("=") for v in cells)


def test_pieces_page_hints_fit_the_viewer(share, owner, staff_a, bureau):
    """The owner adds workers under 我的车间; staff of the township and the bureau have no such page: they are
    told the owner does it, and that they record for the workshop."""
    url = f"/workshops/shares/{share.pk}/pieces/"  # no workers yet
    owner_hint, others_hint = "车间还没有工人，请先在“我的车间”添加。", "请车间负责人在手机上的“我的车间”添加工人"
    body = client_for(owner).get(url).content.decode()
    assert owner_hint in body and others_hint not in body and "代记" not in body
    assert "没做的人空着就行。交货后不能再改。" in body
    for user in (staff_a, bureau):
        r = client_for(user).get(url)
        body = r.content.decode()
        assert r.status_code == 200
        assert others_hint in body and owner_hint not in body, user
        assert "您在替沙洲坝帮扶车间代记件数，记录上会留下您的名字。" in body


def test_pieces_page_for_staff_with_workers_says_they_record_for_the_workshop(producing, owner, staff_a, workers,
                                                                             today):
    url = f"/workshops/shares/{producing.pk}/pieces/"
    body = client_for(staff_a).get(url).content.decode()
    assert all(w.name in body for w in workers) and "代记件数" in body and "请先在“我的车间”添加" not in body
    assert "代记" not in client_for(owner).get(url).content.decode()
    r = client_for(staff_a).post(url, {"day": today.isoformat(), f"pieces_{workers[1].pk}": "50",
                                       f"hours_{workers[1].pk}": "2"})
    assert r.status_code == 302
    assert PieceRecord.objects.get(day=today, worker=workers[1]).recorded_by == staff_a


def test_staff_of_another_township_cannot_open_the_pieces_page(producing, staff_b):
    assert client_for(staff_b).get(f"/workshops/shares/{producing.pk}/pieces/").status_code in (403, 404)
