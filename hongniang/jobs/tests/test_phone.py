"""A job seeker on a cheap phone: the services on the home page, sharing, printing, reading aloud, plain words."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_home_page_links_every_public_service(client, db):
    html = client.get("/").content.decode()
    assert 'href="/gigs/"' in html  # the gig market is findable from the home page
    services = html.split('class="services"')[1].split("</ul>")[0]
    for url in ("/jobs/", "/gigs/", "/points/"):
        assert f'href="{url}"' in services


def test_a_service_registered_later_appears_on_the_home_page_and_in_the_header(client, db):
    from hongniang.core import nav

    nav.register("fairs_test", "招聘会", "about", public=True, order=30, hint="现场招聘，面对面")
    try:
        html = client.get("/").content.decode()
        assert "招聘会" in html.split('class="nav-services"')[1].split("</nav>")[0]
        assert "现场招聘，面对面" in html.split('class="services"')[1]
    finally:
        nav._items.pop("fairs_test")


def test_a_service_whose_app_has_not_landed_is_left_out(client, db):
    from hongniang.core import nav

    nav.register("live_test", "直播", "live:list", public=True, order=40)
    try:
        assert client.get("/").status_code == 200
    finally:
        nav._items.pop("live_test")


def test_the_header_marks_the_page_shown(client, db):
    html = client.get("/gigs/").content.decode()
    assert '<a href="/gigs/" aria-current="page">' in html


@pytest.mark.parametrize(("who", "shortcut"), [
    ("seeker_user", "我的"), ("hr", "企业招聘"), ("staff_a", "站点工作台"), ("bureau", "数据看板")])
def test_the_one_shortcut_beside_the_menu_is_the_roles_own_workspace(client, request, who, shortcut):
    client.force_login(request.getfixturevalue(who))
    html = client.get("/jobs/").content.decode()
    own = html.split('class="own"', 1)[1].split("</a>", 1)[0]
    assert own.endswith(shortcut), own


def test_a_job_page_carries_an_open_graph_card(client, posting):
    html = client.get(reverse("jobs:detail", args=[posting.pk])).content.decode()
    assert f'<meta property="og:title" content="{posting.title} · 月薪 4500–6000 元">' in html
    assert "瑞金红都服饰有限公司 · 象湖镇" in html.split('property="og:description"')[1].split(">")[0]
    assert 'property="og:image" content="http://testserver/static/hongniang/share.png"' in html
    assert f'property="og:url" content="http://testserver/jobs/{posting.pk}/"' in html


def test_a_job_has_a_short_printable_address_and_a_qr_code(client, posting):
    html = client.get(reverse("jobs:detail", args=[posting.pk])).content.decode()
    assert f"testserver/j/{posting.pk}" in html
    r = client.get(f"/j/{posting.pk}")
    assert r.status_code == 301 and r["Location"] == f"/jobs/{posting.pk}/"
    qr = client.get(reverse("jobs:qr", args=[posting.pk]))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    printed = client.get(reverse("jobs:print", args=[posting.pk])).content.decode()
    assert f'src="/jobs/{posting.pk}/qr.svg"' in printed and f"testserver/j/{posting.pk}" in printed


def test_a_hidden_job_has_no_qr_code(client, make_posting):
    draft = make_posting(status="draft", published_at=None)
    assert client.get(reverse("jobs:qr", args=[draft.pk])).status_code == 404
    assert client.get(reverse("jobs:print", args=[draft.pk])).status_code == 404


def test_read_aloud_is_offered_hidden_until_the_phone_has_a_chinese_voice(client, posting):
    html = client.get(reverse("jobs:detail", args=[posting.pk])).content.decode()
    assert 'data-speak="#job-speech"' in html and "读给我听</button>" in html
    assert "hidden>读给我听" in html  # site.js shows it only where a Chinese voice exists
    speech = html.split('id="job-speech" hidden>')[1].split("</p>")[0]
    assert speech.startswith(f"{posting.title}。月薪 4500 到 6000 元。瑞金红都服饰有限公司，在象湖镇")


def test_pay_and_distance_from_home_are_written_out_plainly(client, make_posting, seeker_user):
    seeker = seeker_user.seeker
    seeker.lat, seeker.lon = 25.8950, 116.0188
    seeker.save(update_fields=["lat", "lon"])
    p = make_posting(title="近处岗位", lat=25.8950, lon=116.0488)
    client.force_login(seeker_user)
    html = client.get(reverse("jobs:list")).content.decode()
    assert "月薪 4500–6000 元" in html and "离你家 3 公里" in html
    assert "离你家 3 公里" in client.get(reverse("jobs:detail", args=[p.pk])).content.decode()


def test_no_distance_for_a_visitor(client, make_posting):
    make_posting(lat=25.8950, lon=116.0488)
    assert "离你家" not in client.get(reverse("jobs:list")).content.decode()


def test_the_favicon_exists(client, db):
    r = client.get("/favicon.ico")
    assert r.status_code == 301 and r["Location"].endswith("hongniang/favicon.svg")
