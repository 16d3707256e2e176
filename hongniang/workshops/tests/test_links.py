"""No workshop page links to a page that refuses its viewer: for each role, every /workshops/ link on the pages
they open answers 200 (a workshop they may not open is named without a link). The arrears check tells the worker
the truth of their case, and the dispatch list says in words how well a workshop's skills fit."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from hongniang.notifications.models import Notification
from hongniang.workshops import selectors, services
from hongniang.workshops.models import HandoverKind, WageLine

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"]+)"')


def client_for(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def workshop_links(client: Client, start: list[str]) -> dict[str, int]:
    """Every /workshops/ page reachable by links from the start pages (GET), with its status code."""
    seen: dict[str, int] = {}
    todo = list(start)
    while todo and len(seen) < 200:
        page = todo.pop(0)
        if page in seen:
            continue
        r = client.get(page)
        seen[page] = r.status_code
        if r.status_code != 200 or "html" not in r.get("Content-Type", ""):
            continue
        for href in HREF.findall(r.content.decode()):
            url = urljoin(page, href.replace("&amp;", "&")).split("#")[0]
            if urlsplit(url).path.startswith("/workshops/") and not url.endswith(".xlsx") and url not in seen:
                todo.append(url)
    return seen


@pytest.fixture
def scene(producing, order, hr, other_workshop, other_owner, other_workers, seeker_user, workers):
    """One order with a share of each workshop (象湖镇's producing, 九堡镇's accepted); the seeker works at 象湖镇."""
    [other] = services.order_offer(actor=hr, order=order, offers=[(other_workshop, 300)])
    services.share_accept(actor=other_owner, share=other, quantity=300)
    workers[0].user = seeker_user
    workers[0].save(update_fields=["user"])
    return {"order": order, "share": producing, "other": other}


def test_every_workshop_link_each_role_sees_opens(scene, hr, owner, other_owner, staff_a, staff_b, bureau,
                                                  seeker_user, outsider):
    order, share, other = scene["order"], scene["share"], scene["other"]
    starts = {
        None: ["/workshops/"],
        outsider: ["/workshops/"],
        seeker_user: ["/workshops/", "/workshops/wages/"],
        hr: ["/workshops/", "/workshops/enterprise/", f"/workshops/orders/{order.pk}/"],
        owner: ["/workshops/", "/workshops/mine/", "/workshops/mine/wages/", f"/workshops/orders/{order.pk}/",
                f"/workshops/shares/{share.pk}/pieces/"],
        other_owner: ["/workshops/", "/workshops/mine/", f"/workshops/orders/{order.pk}/"],
        staff_a: ["/workshops/", "/workshops/staff/", f"/workshops/orders/{order.pk}/",
                  f"/workshops/shares/{share.pk}/pieces/"],
        staff_b: ["/workshops/", "/workshops/staff/", f"/workshops/orders/{order.pk}/",
                  f"/workshops/shares/{other.pk}/pieces/"],
        bureau: ["/workshops/", "/workshops/staff/", "/workshops/bureau/", "/workshops/bureau/disputes/",
                 f"/workshops/orders/{order.pk}/", f"/workshops/shares/{share.pk}/pieces/"],
    }
    for user, start in starts.items():
        seen = workshop_links(client_for(user), start)
        refused = {url: code for url, code in seen.items() if code != 200}
        assert not refused, f"{getattr(user, 'username', 'anonymous')} is shown links that refuse them: {refused}"
        assert len(seen) > len(start) or user in (None, outsider, seeker_user)


def test_the_list_links_only_the_workshops_the_viewer_may_open(scene, workshop, other_workshop, staff_a, hr,
                                                               owner, bureau):
    a, b = f'href="/workshops/{workshop.pk}/"', f'href="/workshops/{other_workshop.pk}/"'
    body = client_for(staff_a).get("/workshops/").content.decode()
    assert a in body and b not in body and "九堡村社区工厂" in body  # listed, named, not linked
    body = client_for(owner).get("/workshops/").content.decode()
    assert a in body and b not in body
    body = client_for(hr).get("/workshops/").content.decode()
    assert a not in body and b not in body and "沙洲坝帮扶车间" in body
    body = client_for(bureau).get("/workshops/").content.decode()
    assert a in body and b in body
    assert client_for(staff_a).get(f"/workshops/{other_workshop.pk}/").status_code == 404


def test_the_enterprise_sees_its_workshops_named_on_its_order_without_links(scene, workshop, other_workshop, hr):
    body = client_for(hr).get(f"/workshops/orders/{scene['order'].pk}/").content.decode()
    assert "沙洲坝帮扶车间" in body and "九堡村社区工厂" in body
    assert f'href="/workshops/{workshop.pk}/"' not in body and f'href="/workshops/{other_workshop.pk}/"' not in body


def test_staff_on_the_pieces_page_go_back_to_the_workshop_not_to_the_owners_page(scene, workshop, staff_a, owner):
    url = f"/workshops/shares/{scene['share'].pk}/pieces/"
    body = client_for(staff_a).get(url).content.decode()
    assert 'href="/workshops/mine/"' not in body and f'href="/workshops/{workshop.pk}/"' in body
    assert "回到沙洲坝帮扶车间" in body
    assert 'href="/workshops/mine/"' in client_for(owner).get(url).content.decode()


# ------------------------------------------------------------------------------ what the worker is told

def _overdue(share, owner, workers, seeker_user, today):
    workers[0].user = seeker_user
    workers[0].save(update_fields=["user"])
    services.pieces_record(actor=owner, share=share, day=today, entries=[
        {"worker": workers[0], "pieces": 200, "hours": "8"}, {"worker": workers[1], "pieces": 280, "hours": "10"}])
    services.handover_record(actor=owner, share=share, kind=HandoverKind.BACK, quantity=600)
    services.share_deliver(actor=owner, share=share)
    return WageLine.objects.get(share=share, worker=workers[0])


def _worker_note(seeker_user):
    """The worker's newest inbox note (the arrears check's)."""
    return Notification.objects.filter(recipient=seeker_user).order_by("-pk").first()


def test_a_worker_whose_wage_was_paid_but_not_confirmed_is_asked_to_confirm(producing, owner, workers, seeker_user,
                                                                          today):
    wage = _overdue(producing, owner, workers, seeker_user, today)
    services.wage_pay(actor=owner, wage=wage, amount=None)
    WageLine.objects.update(due_date=today - dt.timedelta(days=1))
    before = Notification.objects.filter(recipient=seeker_user).count()
    call_command("check_workshop_arrears", "--wet-run")
    assert Notification.objects.filter(recipient=seeker_user).count() == before + 1
    note = _worker_note(seeker_user)
    assert "车间说已发给您 256.00 元" in note.body and "沙洲坝帮扶车间“儿童背包”" in note.body
    assert f"{today.month}月那批" in note.body and "“收到了”" in note.body and "“有异议”" in note.body
    assert "未结清" not in note.body and "还没发" not in note.body
    assert note.url == "/workshops/wages/"
    r = client_for(seeker_user).get(note.url)
    assert r.status_code == 200 and "收到了" in r.content.decode()


def test_a_worker_whose_wage_was_not_paid_is_told_it_was_not_and_the_bureau_follows_up(producing, owner, workers,
                                                                                       seeker_user, today):
    _overdue(producing, owner, workers, seeker_user, today)
    due = today - dt.timedelta(days=1)
    WageLine.objects.update(due_date=due)
    call_command("check_workshop_arrears", "--wet-run")
    note = _worker_note(seeker_user)
    assert "计件工钱 256.00 元" in note.body and f"约定{due.month}月{due.day}日前发，车间还没发" in note.body
    assert "已报人社局跟进" in note.body and "车间说已发" not in note.body
    assert note.url == "/workshops/wages/"


# ------------------------------------------------------------------------------ the dispatch list

def test_the_dispatch_list_says_in_words_how_well_each_workshop_fits(order, hr, workshop, other_workshop):
    body = client_for(hr).get(f"/workshops/orders/{order.pk}/").content.decode()
    assert "技能匹配" not in body
    assert "熟练：做过同样的活" in body  # 沙洲坝 sews (6-05-01-03, the order's own occupation)
    assert selectors.skill_label(Decimal("0.8")) == "做过类似的活"
    assert selectors.skill_label(Decimal("0.4")) == "没登记会做什么"
    assert selectors.skill_label(0) == "新手：没做过这类活"


LINK = re.compile(r'<a [^>]*href="([^"]+)"[^>]*>([^<]+)</a>')


@pytest.mark.parametrize("who", ["seeker_user", "owner", "hr", "staff_a", "bureau"])
def test_the_workshops_page_names_each_link_once(scene, who, request):
    """A label shown twice (a tab and a big button saying the same) makes people wonder which one to tap."""
    page = client_for(request.getfixturevalue(who)).get("/workshops/").content.decode()
    page = page[page.index("<main"):page.index("</main>")]
    labels = [text.strip() for _href, text in LINK.findall(page) if text.strip()]
    assert len(labels) == len(set(labels)), sorted(t for t in labels if labels.count(t) > 1)
