"""Pages and JSON travel gzipped to phones (hongniang.core.compression), but never where BREACH could read a
logged-in person's data: a request another site could have made for them gets the page uncompressed."""

from __future__ import annotations

import gzip
import json

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from hongniang.core.compression import PageGZipMiddleware

GZIP = {"accept-encoding": "gzip, deflate, br"}


def _text(response) -> str:
    body = response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return body.decode()


@pytest.mark.django_db
def test_an_anonymous_visitor_gets_the_job_list_gzipped_to_half_or_less(posting):
    plain = Client().get("/jobs/")
    zipped = Client().get("/jobs/", headers=GZIP)
    assert plain.status_code == zipped.status_code == 200
    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert int(zipped["Content-Length"]) == len(zipped.content) < len(plain.content) / 2
    assert posting.title in _text(zipped)


@pytest.mark.django_db
def test_a_staff_members_seeker_page_is_gzipped_only_when_the_browser_says_it_came_from_our_pages(
        client, staff_a, seeker):
    client.force_login(staff_a)
    url = reverse("seekers:staff_seeker", args=[seeker.pk])
    # a link, form or htmx request on our own pages, or an address the person typed: compressed
    for site in ("same-origin", "none"):
        r = client.get(url, headers={**GZIP, "sec-fetch-site": site})
        assert r.status_code == 200 and r["Content-Encoding"] == "gzip", site
        assert seeker.phone in _text(r)
    # another site's page (a link in a forum, a hidden frame, an image tag) or an old browser that does not say:
    # the page holds the person's phone number, so it goes uncompressed
    for headers in ({"sec-fetch-site": "cross-site"}, {"sec-fetch-site": "same-site"}, {}):
        r = client.get(url, headers={**GZIP, **headers})
        assert r.status_code == 200 and "Content-Encoding" not in r, headers
        assert "Accept-Encoding" in r["Vary"]  # a cache must not hand it the compressed copy either
        assert seeker.phone in r.content.decode()


@pytest.mark.django_db
def test_a_seekers_own_data_from_the_api_is_gzipped_for_our_pages_but_not_for_a_cross_site_request(
        client, seeker_user):
    client.force_login(seeker_user)
    same = client.get("/api/v1/me", headers={**GZIP, "sec-fetch-site": "same-origin"})
    cross = client.get("/api/v1/me", headers={**GZIP, "sec-fetch-site": "cross-site"})
    assert same.status_code == cross.status_code == 200
    assert len(cross.content) >= 200  # else Django leaves it alone and this test would prove nothing
    assert same["Content-Encoding"] == "gzip" and "Content-Encoding" not in cross
    assert json.loads(_text(same)) == cross.json()
    assert seeker_user.phone in cross.content.decode()


def _answer(content_type: str, body: bytes = b"x" * 5000):
    request = RequestFactory().get("/", headers={**GZIP, "sec-fetch-site": "same-origin"})
    return PageGZipMiddleware(lambda r: HttpResponse(body, content_type=content_type))(request)


def test_only_text_is_compressed_excel_and_images_are_already_compressed():
    for kind in ("text/html; charset=utf-8", "application/json", "text/csv", "image/svg+xml"):
        assert _answer(kind)["Content-Encoding"] == "gzip", kind
    for kind in ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "image/png",
                 "application/pdf", "application/zip", "text/event-stream"):
        assert "Content-Encoding" not in _answer(kind), kind


def test_each_gzipped_answer_is_padded_by_a_random_length():
    # Heal the Breach: the same page's compressed size varies, so its length alone does not tell a guess
    sizes = {len(_answer("text/html", b"<p>" + "招工".encode() * 2000).content) for _ in range(20)}
    assert len(sizes) > 3
