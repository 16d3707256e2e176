"""Who sees what, the ranking of workshops for an order, and the bureau's figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from hongniang.core.errors import NotFoundError
from hongniang.core.models import AuditEvent
from hongniang.testing import factories as f
from hongniang.workshops import selectors, services
from hongniang.workshops.models import HandoverKind, WorkshopKind

from .conftest import make_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def split(order, hr, workshop, other_workshop, owner, other_owner):
    a, b = services.order_offer(actor=hr, order=order, offers=[(workshop, 600), (other_workshop, 400)])
    services.share_accept(actor=owner, share=a)
    services.share_accept(actor=other_owner, share=b)
    return a, b


@pytest.fixture
def other_order(other_hr, other_enterprise, occupations):
    return make_order(other_hr, other_enterprise, product="耳机线")


def test_a_workshop_owner_sees_only_its_own_shares_and_workers(split, owner, other_owner, workshop, other_workshop,
                                                               order, workers, other_workers):
    a, b = split
    assert list(selectors.shares_of(owner, order)) == [a]
    assert list(selectors.shares_of(other_owner, order)) == [b]
    assert [w.pk for w in selectors.workers_of(owner, workshop)] == sorted(
        (w.pk for w in workers), key=lambda pk: [w.name for w in workers if w.pk == pk][0])
    with pytest.raises(NotFoundError):
        selectors.workers_of(owner, other_workshop)
    with pytest.raises(NotFoundError):
        selectors.share_for(other_owner, a.pk)
    assert list(selectors.workshops_for(owner)) == [workshop]


def test_an_enterprise_sees_only_its_own_orders(order, other_order, hr, other_hr, split):
    assert list(selectors.orders_for(hr)) == [order]
    assert list(selectors.orders_for(other_hr)) == [other_order]
    with pytest.raises(NotFoundError):
        selectors.order_for(other_hr, order.pk)
    assert len(selectors.shares_of(hr, order)) == 2


def test_a_workshop_sees_the_orders_it_has_a_share_of_only(order, other_order, owner, split):
    assert list(selectors.orders_for(owner)) == [order]
    with pytest.raises(NotFoundError):
        selectors.order_for(owner, other_order.pk)


def test_staff_see_the_workshops_and_shares_in_their_townships(staff_a, staff_b, workshop, other_workshop, split,
                                                               order):
    assert list(selectors.workshops_for(staff_a)) == [workshop]
    assert list(selectors.workshops_for(staff_b)) == [other_workshop]
    assert [s.workshop for s in selectors.shares_of(staff_a, order)] == [workshop]
    assert list(selectors.orders_for(staff_b)) == [order]


def test_staff_cannot_register_a_workshop_outside_their_area(staff_a, regions, occupations):
    from hongniang.core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        services.workshop_register(actor=staff_a, name="九堡车间", region=regions["v_jiubao"], owner_name="刘",
                                   owner_phone="13600000005")


def test_the_bureau_sees_everything(bureau, order, other_order, split, workshop, other_workshop):
    assert set(selectors.orders_for(bureau)) == {order, other_order}
    assert set(selectors.workshops_for(bureau)) == {workshop, other_workshop}
    assert len(selectors.shares_of(bureau, order)) == 2


def test_a_seeker_or_outsider_sees_nothing(seeker_user, outsider, order, split, workshop):
    for user in (seeker_user, outsider):
        assert not selectors.orders_for(user).exists()
        assert not selectors.workshops_for(user).exists()
        with pytest.raises(NotFoundError):
            selectors.order_for(user, order.pk)


def test_reading_workers_pieces_and_wages_is_audited(owner, workshop, workers, order, split):
    selectors.workers_of(owner, workshop)
    selectors.wages_of(owner, order)
    assert set(AuditEvent.objects.filter(actor=owner).values_list("action", flat=True)) >= {
        "workshops.view_workers", "workshops.view_wages"}


def test_public_list_has_no_personal_data_and_no_home_workers(workshop, other_workshop, staff_a, regions):
    services.workshop_register(actor=staff_a, name="钟阿姨居家", kind=WorkshopKind.HOME, region=regions["v_xianghu"],
                               owner_name="钟阿姨", owner_phone="13600000007")
    rows = selectors.public_dicts(selectors.public_workshops())
    assert {r["name"] for r in rows} == {"沙洲坝帮扶车间", "九堡村社区工厂"}
    text = repr(rows)
    assert "13600000001" not in text and "钟春兰" not in text
    assert rows[0]["skills"] and rows[0]["free_hours_per_day"] == Decimal("140.0")


def test_ranking_puts_the_near_skilled_workshop_first(order, workshop, other_workshop):
    rows = selectors.rank_workshops(order)
    assert [r["workshop"] for r in rows] == [workshop, other_workshop]
    assert rows[0]["skill"] == 1 and rows[1]["skill"] == Decimal("0.2")
    assert rows[0]["distance_km"] < rows[1]["distance_km"]


def test_ranking_prefers_a_better_record_when_otherwise_equal(order, hr, staff_a, regions, occupations, today):
    a = services.workshop_register(actor=staff_a, name="甲车间", region=regions["v_xianghu"], owner_name="甲",
                                   owner_phone="13600000021", stations=5, skills=["6-05-01-03"])
    b = services.workshop_register(actor=staff_a, name="乙车间", region=regions["v_xianghu"], owner_name="乙",
                                   owner_phone="13600000022", stations=5, skills=["6-05-01-03"])
    # b delivered a past order with many rejects
    past = make_order(hr, order.enterprise, quantity=100)
    [s] = services.order_offer(actor=hr, order=past, offers=[(b, 100)])
    services.share_accept(actor=b.owner_user, share=s)
    services.handover_record(actor=hr, share=s, kind=HandoverKind.OUT, quantity=100)
    services.share_start(actor=b.owner_user, share=s)
    services.handover_record(actor=hr, share=s, kind=HandoverKind.BACK, quantity=70)
    from .conftest import photo

    services.handover_record(actor=hr, share=s, kind=HandoverKind.REJECT, quantity=30, reason="脱线",
                             photos=[photo()])
    services.share_deliver(actor=b.owner_user, share=s)
    ranked = [r["workshop"] for r in selectors.rank_workshops(order) if r["workshop"] in (a, b)]
    assert ranked == [a, b]


def test_bureau_figures(producing, owner, workers, today, hr):
    services.pieces_record(actor=owner, share=producing, day=today, entries=[
        {"worker": workers[1], "pieces": 60, "hours": "6"}])  # 8 元/h: below the minimum
    services.handover_record(actor=owner, share=producing, kind=HandoverKind.BACK, quantity=600)
    services.share_deliver(actor=owner, share=producing)
    from hongniang.workshops.models import WageLine

    services.wage_pay(actor=owner, wage=WageLine.objects.get(worker=workers[0]))
    fig = selectors.bureau_figures()
    assert fig["workshops_active"] == 1
    assert fig["people_working"] == 2 and fig["people_near_home"] == 2
    assert fig["worker_months"] in (2, 3)  # yesterday may be last month
    assert fig["wages_paid"] == Decimal("96.00") and fig["wages_due"] == Decimal("48.00")
    assert fig["pieces"] == 180
    [town] = fig["by_township"]
    assert town["township_name"] == "象湖镇" and town["people"] == 2 and town["workshops"] == 1
    assert selectors.bureau_figures(township="360781103000")["people_working"] == 0
    later = selectors.bureau_figures(since=today + dt.timedelta(days=1))
    assert later["people_working"] == 0 and later["pieces"] == 0


def test_enterprise_overview_shows_late_shares_and_outstanding_material(producing, hr, today):
    from hongniang.workshops.models import OutsourcingOrder

    OutsourcingOrder.objects.filter(pk=producing.order_id).update(deadline=today - dt.timedelta(days=1))
    view = selectors.enterprise_overview(hr)
    assert [s.pk for s in view["late"]] == [producing.pk]
    assert view["outstanding"][0]["outstanding"] == 600


def test_a_seeker_worker_sees_own_wages(producing, owner, workers, today):
    user = f.UserFactory(username="13500000001", phone="13500000001")
    workers[0].user = user
    workers[0].save()
    services.handover_record(actor=owner, share=producing, kind=HandoverKind.BACK, quantity=600)
    services.share_deliver(actor=owner, share=producing)
    assert [w.worker_id for w in selectors.my_wages(user)] == [workers[0].pk]
    assert [w.worker_id for w in selectors.wages_of(user, producing.order)] == [workers[0].pk]
