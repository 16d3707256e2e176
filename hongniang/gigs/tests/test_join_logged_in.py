"""A logged-in seeker joins the gig market with one tap: their log-in number, no second SMS code; and a person
who came from an order goes back to it to sign up."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hongniang.core.errors import PermissionDeniedError
from hongniang.core.models import AuditEvent
from hongniang.gigs import services
from hongniang.gigs.models import GigWorker
from hongniang.testing import factories as f

pytestmark = pytest.mark.django_db


def test_a_logged_in_seeker_joins_with_their_log_in_number_and_no_code(client, seeker_user, regions, sms):
    seeker = seeker_user.seeker
    seeker.home_region = regions["v_xianghu"]
    seeker.save(update_fields=["home_region"])
    client.force_login(seeker_user)
    page = client.get(reverse("gigs:join")).content.decode()
    assert seeker_user.phone in page and "获取短信验证码" not in page and 'name="code"' not in page
    assert 'value="刘小红"' in page  # the name comes from the profile
    assert f'value="{regions["v_xianghu"].code}" selected' in page  # and the home
    # a number typed into a forged form is ignored: only the account's own number joins without a code
    r = client.post(reverse("gigs:join"), {"name": "刘小红", "phone": "13512345678", "work_types": ["cleaning"],
                                           "home_region": regions["v_xianghu"].code})
    assert r.status_code == 302 and r.url == reverse("gigs:my_gigs")
    w = GigWorker.objects.get()
    assert (w.user, w.phone, w.work_types, w.home_region) == (seeker_user, "13900000001", ["cleaning"],
                                                               regions["v_xianghu"])
    assert sms.sent == []
    row = AuditEvent.objects.get(action="gigs.worker_signup")
    assert row.actor == seeker_user and row.detail == {"proof": "account_phone"}
    assert client.get(reverse("gigs:my_gigs")).status_code == 200


def test_joining_from_an_order_goes_back_to_it_where_the_sign_up_button_now_is(client, seeker_user, order):
    client.force_login(seeker_user)
    detail = reverse("gigs:order", args=[order.pk])
    page = client.get(detail).content.decode()
    assert "报名（先登记做零工）" in page and "我要报名" not in page
    join = reverse("gigs:join") + "?next=" + detail
    assert f'name="next" value="{detail}"' in client.get(join).content.decode()
    r = client.post(join, {"name": "刘小红", "work_types": ["moving"], "next": detail})
    assert r.status_code == 302 and r.url == detail
    page = client.get(detail).content.decode()
    assert "登记成功！现在可以报名这个活了" in page and "我要报名" in page


def test_a_next_to_another_site_is_ignored(client, seeker_user):
    client.force_login(seeker_user)
    r = client.post(reverse("gigs:join"), {"name": "刘小红", "next": "https://evil.example/x"})
    assert r.status_code == 302 and r.url == reverse("gigs:my_gigs")


def test_accounts_that_see_other_peoples_data_or_have_no_number_still_prove_it_by_code(client, hr, regions):
    with pytest.raises(PermissionDeniedError):
        services.worker_quick_signup(actor=hr, name="人事", work_types=["moving"], account_phone=True)
    no_number = f.UserFactory(username="noname", phone=None, display_name="无号码")
    client.force_login(no_number)
    page = client.get(reverse("gigs:join")).content.decode()
    assert "获取短信验证码" in page and 'name="phone"' in page
    r = client.post(reverse("gigs:join"), {"name": "无号码", "phone": "13512345678", "work_types": ["moving"]})
    assert r.status_code == 422 and not GigWorker.objects.exists()


def test_a_seeker_who_is_already_a_worker_is_sent_on(client, seeker_user, order):
    client.force_login(seeker_user)
    client.post(reverse("gigs:join"), {"name": "刘小红"})
    detail = reverse("gigs:order", args=[order.pk])
    r = client.get(reverse("gigs:join") + "?next=" + detail)
    assert r.status_code == 302 and r.url == detail
    assert GigWorker.objects.count() == 1
