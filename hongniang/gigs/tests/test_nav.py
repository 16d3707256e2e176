"""The gig market's tabs offer each viewer what they can use: a worker their own page, anyone else the sign-up
(staff: for walk-ins), and 我发的订单 only to those who post orders."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

TAB = re.compile(r'<nav class="tags gig-nav"[^>]*>(.*?)</nav>', re.S)


def tabs(user) -> list[str]:
    c = Client()
    if user is not None:
        c.force_login(user)
    nav = TAB.search(c.get("/gigs/").content.decode()).group(1)
    return [t.strip() for t in re.findall(r">([^<]+)</a>", nav)]


@pytest.mark.parametrize("who, has, lacks", [
    ("anonymous", ["登记做零工"], ["我的零工", "我发的订单"]),
    ("seeker_user", ["登记做零工"], ["我的零工", "我发的订单"]),
    ("worker_user", ["我的零工"], ["登记做零工", "我发的订单"]),
    ("individual_employer", ["登记做零工", "我发的订单"], ["我的零工"]),
    ("hr", ["我发的订单"], ["我的零工"]),
    ("staff_a", ["代群众登记零工", "我发的订单", "零工数据"], ["我的零工", "登记做零工"]),
    ("bureau", ["零工数据", "欠薪预警"], ["我的零工", "登记做零工"]),
])
def test_each_viewer_gets_the_tabs_they_can_use(who, has, lacks, request):
    user = None
    if who != "anonymous":
        obj = request.getfixturevalue(who)
        user = obj.user if who == "individual_employer" else obj
    shown = tabs(user)
    assert all(t in shown for t in has), shown
    assert not any(t in shown for t in lacks), shown
