"""Issue 13 item 4: a withdrawn applicant is masked for the enterprise everywhere (the applicants API as on the
page, and the recommendation candidates), and an applicants list is audited with who was seen."""

from __future__ import annotations

import pytest

from hongniang.applications.models import Application
from hongniang.core.models import AuditEvent
from hongniang.recommend import state
from hongniang.testing import factories as f


@pytest.fixture(autouse=True)
def _fresh_indexes(monkeypatch):
    monkeypatch.setattr(state, "BACKGROUND_PRICES", False)
    state.reset()
    yield
    state.reset()


def test_applicants_api_masks_a_withdrawn_applicant_and_audits_who_was_seen(client, hr, posting, seeker, regions):
    other = f.SeekerFactory(name="王大山", phone="13900000077")
    Application.objects.create(seeker=seeker, posting=posting, status="withdrawn")
    Application.objects.create(seeker=other, posting=posting)
    client.force_login(hr)
    items = {i["seeker_id"]: i for i in client.get(f"/api/v1/enterprise/jobs/{posting.pk}/applicants").json()["items"]}
    assert items[seeker.pk]["phone"] == "139****0001" and items[seeker.pk]["name"] != "刘小红"
    assert items[other.pk]["phone"] == "13900000077" and items[other.pk]["name"] == "王大山"
    event = AuditEvent.objects.filter(action="view_applicants", actor=hr).latest("at")
    assert event.detail["seekers_full"] == [other.pk] and event.detail["seekers_masked"] == [seeker.pk]


def test_recommendation_candidates_mask_a_withdrawn_applicant(client, hr, enterprise, seeker):
    job = f.JobPostingFactory(enterprise=enterprise, title="缝纫工（近）", lat=25.901, lon=116.001)
    Application.objects.create(seeker=seeker, posting=job, status="withdrawn")
    client.force_login(hr)
    row = next(c for c in client.get(f"/api/v1/recommend/jobs/{job.pk}/candidates").json()
               if c["seeker_id"] == seeker.pk)
    assert row["phone"] == "139****0001" and row["name"] != "刘小红" and row["applied"] is False
    page = client.get(f"/recommend/jobs/{job.pk}/candidates/").content.decode()
    assert "13900000001" not in page and "刘小红" not in page
