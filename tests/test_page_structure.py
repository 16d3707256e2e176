"""Page structure that screen readers rely on (the axe-core rules `region`, `heading-order` and
`empty-table-header`, checked on the rendered HTML without a browser): everything in the body sits in a
landmark, heading levels never skip going down, and no table header is blank."""

from html.parser import HTMLParser

import pytest

LANDMARKS = {"header", "nav", "main", "footer", "aside"}


class Outline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.depth = 0
        self.stray = []          # top-level body children that are not landmarks
        self.headings = []       # levels in document order
        self.th_text = None
        self.blank_th = 0
        self.in_body = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body":
            self.in_body, self.depth = True, 0
            return
        if tag in ("br", "img", "input", "meta", "link", "hr", "source"):
            return
        if self.in_body:
            if self.depth == 0 and tag not in LANDMARKS | {"script", "template"} and "skip" not in (a.get("class") or ""):
                self.stray.append((tag, a.get("class")))
            self.depth += 1
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.headings.append(int(tag[1]))
        if tag == "th":
            self.th_text = ""

    def handle_endtag(self, tag):
        if tag == "th" and self.th_text is not None:
            if not self.th_text.strip():
                self.blank_th += 1
            self.th_text = None
        if self.in_body and tag not in ("br", "img", "input", "meta", "link", "hr", "source", "body", "html"):
            self.depth -= 1

    def handle_data(self, data):
        if self.th_text is not None:
            self.th_text += data


def outline(html: str) -> Outline:
    o = Outline()
    o.feed(html)
    return o


def skips(levels):
    return [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/jobs/", "/gigs/", "/points/", "/accounts/login/"])
def test_public_pages_keep_content_in_landmarks_and_headings_in_order(client, posting, point_a, path):
    html = client.get(path).content.decode()
    o = outline(html)
    assert o.stray == [], f"{path}: content outside any landmark: {o.stray}"
    assert o.headings and o.headings[0] == 1
    assert skips(o.headings) == [], f"{path}: heading levels skip: {o.headings}"


@pytest.mark.django_db
def test_job_list_with_results_has_a_list_heading_before_the_cards(client, posting):
    o = outline(client.get("/jobs/").content.decode())
    assert 3 in o.headings  # the posting card
    assert skips(o.headings) == []


@pytest.mark.django_db
def test_staff_workspace_table_headers_are_not_blank(client, staff_a, posting):
    client.force_login(staff_a)
    html = client.get("/staff/").content.decode()
    o = outline(html)
    assert o.blank_th == 0
    assert o.stray == []


@pytest.mark.django_db
def test_for_you_on_its_own_page_has_a_main_heading(client, seeker_user, posting):
    client.force_login(seeker_user)
    o = outline(client.get("/recommend/for-you/").content.decode())  # the page without JavaScript
    assert o.headings[:1] == [1] and skips(o.headings) == []
    o = outline(client.get("/recommend/for-you/", HTTP_HX_REQUEST="true").content.decode())  # the slot on 我的
    assert 1 not in o.headings
