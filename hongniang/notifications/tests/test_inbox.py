"""The inbox page, the unread count in the navigation, and the inbox API."""

from __future__ import annotations

import pytest

from hongniang.notifications import services
from hongniang.notifications.models import Notification
from hongniang.testing import factories as f


@pytest.fixture
def notes(seeker_user, immediate_tasks):
    a = services.notify(recipient=seeker_user, template="text", context={"title": "第一条", "text": "内容一"},
                        url="/me/applications/")
    b = services.notify(recipient=seeker_user, template="text", context={"title": "第二条", "text": "内容二"})
    return a, b


def test_every_role_has_the_inbox_link_with_unread_count(client, notes, seeker_user, hr, staff_a, bureau):
    client.force_login(seeker_user)
    body = client.get("/notifications/").content.decode()
    assert "第一条" in body and "第二条" in body
    assert 'aria-label="未读">2</span>' in body
    for user in (hr, staff_a, bureau):
        client.force_login(user)
        page = client.get("/notifications/")
        assert page.status_code == 200 and "消息" in page.content.decode()


def test_inbox_needs_login(client, db):
    assert client.get("/notifications/").status_code == 302


def test_opening_marks_read_and_follows_the_link(client, notes, seeker_user):
    client.force_login(seeker_user)
    r = client.post(f"/notifications/{notes[0].pk}/open/")
    assert r.status_code == 302 and r.url == "/me/applications/"
    notes[0].refresh_from_db()
    assert notes[0].read_at is not None
    assert services.unread_count(seeker_user) == 1


def test_cannot_open_someone_elses_message(client, notes, outsider):
    client.force_login(outsider)
    assert client.post(f"/notifications/{notes[0].pk}/open/").status_code == 404
    notes[0].refresh_from_db()
    assert notes[0].read_at is None


def test_mark_all_read(client, notes, seeker_user):
    client.force_login(seeker_user)
    client.post("/notifications/read-all/")
    assert services.unread_count(seeker_user) == 0


def test_inbox_page_query_count_does_not_grow(client, seeker_user, immediate_tasks, django_assert_max_num_queries):
    for i in range(25):
        services.notify(recipient=seeker_user, template="text", context={"title": f"消息{i}", "text": "x"})
    client.force_login(seeker_user)
    with django_assert_max_num_queries(12):
        assert client.get("/notifications/").status_code == 200


def test_api_list_unread_and_mark_read(client, notes, seeker_user):
    client.force_login(seeker_user)
    rows = client.get("/api/v1/notifications").json()
    assert [r["title"] for r in rows] == ["第二条", "第一条"]
    assert client.get("/api/v1/notifications/unread-count").json() == {"unread": 2}
    assert client.post(f"/api/v1/notifications/{notes[1].pk}/read").json() == {"marked": 1}
    assert [r["title"] for r in client.get("/api/v1/notifications?unread=true").json()] == ["第一条"]
    assert client.post("/api/v1/notifications/read-all").json() == {"marked": 1}


def test_api_other_users_message_is_not_found(client, notes, outsider):
    client.force_login(outsider)
    r = client.post(f"/api/v1/notifications/{notes[0].pk}/read")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert client.get("/api/v1/notifications").json() == []


def test_api_anonymous_is_401(client, db):
    assert client.get("/api/v1/notifications").status_code == 401


def test_gig_notices_go_through_the_shared_outbox(db, immediate_tasks, django_capture_on_commit_callbacks):
    from hongniang.gigs.services import notify as gig_notify

    user = f.UserFactory(username="worker1", phone="13800000009")
    with django_capture_on_commit_callbacks(execute=True):
        gig_notify(text="明天下雨停工", user=user, phone="13800000009")
    assert Notification.objects.get(recipient=user).body == "明天下雨停工"
    assert immediate_tasks == [("13800000009", "【瑞金就业】明天下雨停工")]
