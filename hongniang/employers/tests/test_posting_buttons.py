"""The HR's posting page shows the buttons the posting's state machine allows now."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from hongniang.jobs import services
from hongniang.jobs.models import JobPosting, PostingStatus

BUTTONS = {"edit": "employers:posting_edit", "submit": "employers:posting_submit",
           "refresh": "employers:posting_refresh", "fill": "employers:posting_fill",
           "close": "employers:posting_close"}


@pytest.mark.parametrize(("status", "shown"), [
    (PostingStatus.DRAFT, {"edit", "submit", "close"}),
    (PostingStatus.PENDING, {"edit", "close"}),
    (PostingStatus.PUBLISHED, {"edit", "refresh", "fill", "close"}),
    (PostingStatus.EXPIRED, {"refresh", "close"}),
    (PostingStatus.CLOSED, set()),
    (PostingStatus.REMOVED, set()),
])
def test_posting_page_buttons_follow_the_machine(client, hr, posting, status, shown):
    JobPosting.objects.filter(pk=posting.pk).update(status=status)
    client.force_login(hr)
    page = client.get(reverse("employers:posting_detail", args=[posting.pk])).content.decode()
    for name, url in BUTTONS.items():
        assert (reverse(url, args=[posting.pk]) in page) == (name in shown), name


def test_a_closed_posting_refuses_the_fill_it_no_longer_shows(client, hr, posting):
    services.posting_close(actor=hr, posting=posting)
    client.force_login(hr)
    page = client.get(reverse("employers:posting_detail", args=[posting.pk])).content.decode()
    assert reverse("employers:posting_fill", args=[posting.pk]) not in page
    with pytest.raises(services.InvalidTransition, match="只有招聘中的岗位可以标记为已招满"):
        services.posting_mark_filled(actor=hr, posting=posting)


@pytest.mark.parametrize("status", list(PostingStatus))
def test_the_dashboard_links_ranked_candidates_only_for_a_published_posting(client, hr, posting, status):
    JobPosting.objects.filter(pk=posting.pk).update(status=status)
    client.force_login(hr)
    page = client.get(reverse("employers:dashboard")).content.decode()
    assert posting.title in page
    assert (reverse("recommend:candidates", args=[posting.pk]) in page) == (status == PostingStatus.PUBLISHED)
    detail = client.get(reverse("employers:posting_detail", args=[posting.pk])).content.decode()
    public = f'href="{reverse("jobs:detail", args=[posting.pk])}"'
    assert (public in detail) == (status == PostingStatus.PUBLISHED)


@pytest.mark.parametrize("status", list(PostingStatus))
def test_the_public_page_offers_a_report_only_for_a_published_posting(client, hr, posting, status):
    JobPosting.objects.filter(pk=posting.pk).update(status=status)
    client.force_login(hr)  # the HR sees the page in every status, the public only while published
    page = client.get(reverse("jobs:detail", args=[posting.pk])).content.decode()
    report = reverse("moderation:report_new", args=[posting.pk])
    assert (report in page) == (status == PostingStatus.PUBLISHED)
    client.logout()
    assert (client.get(report).status_code == 200) == (status == PostingStatus.PUBLISHED)


def test_hr_is_told_when_offers_and_hires_reach_the_headcount(client, hr, posting):
    from hongniang.applications.models import Application
    from hongniang.testing import factories as f

    JobPosting.objects.filter(pk=posting.pk).update(status=PostingStatus.PUBLISHED, headcount=2)
    client.force_login(hr)
    url = reverse("employers:posting_detail", args=[posting.pk])
    Application.objects.create(seeker=f.SeekerFactory(), posting=posting, status="hired",
                               start_date=datetime.date(2026, 12, 1))
    page = client.get(url).content.decode()
    assert "已录用和上岗 1 人" in page and "达到招聘人数" not in page
    Application.objects.create(seeker=f.SeekerFactory(), posting=posting, status="offered")
    Application.objects.create(seeker=f.SeekerFactory(), posting=posting, status="applied")  # holds no place
    page = client.get(url).content.decode()
    assert "已录用和上岗 2 人，达到招聘人数（2 人）" in page
    assert reverse("employers:posting_fill", args=[posting.pk]) in page  # the button the notice names
