"""/api/v1/jobs transitions, history and review queue: states, roles, 401/403, listed in the OpenAPI document."""

from __future__ import annotations

import json

import pytest

from hongniang.jobs.models import PostingStatus

URL = "/api/v1/jobs"
S = PostingStatus


def post_json(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


@pytest.fixture
def pending(make_posting):
    return make_posting(status=S.PENDING, published_at=None, valid_from=None, valid_until=None,
                        check_flags=["fee_required", "duplicate"], duplicate_ids=[])


@pytest.fixture
def draft(make_posting):
    return make_posting(status=S.DRAFT, published_at=None, valid_from=None, valid_until=None)


@pytest.mark.parametrize("path", ["approve", "reject", "remove"])
def test_bureau_actions_are_401_anonymous_and_403_for_hr(client, hr, pending, path):
    assert post_json(client, f"{URL}/{pending.pk}/{path}", {"reason": "x"}).status_code == 401
    client.force_login(hr)
    r = post_json(client, f"{URL}/{pending.pk}/{path}", {"reason": "x"})
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


def test_bureau_approves_over_the_api(client, bureau, pending):
    client.force_login(bureau)
    r = post_json(client, f"{URL}/{pending.pk}/approve")
    assert r.status_code == 200 and r.json()["status"] == "published"


def test_reject_without_reason_is_422(client, bureau, pending):
    client.force_login(bureau)
    r = post_json(client, f"{URL}/{pending.pk}/reject", {"reason": ""})
    assert r.status_code == 422 and r.json()["code"] == "reason_required" and "reason" in r.json()["errors"]


def test_wrong_state_is_409_with_code(client, bureau, posting):
    client.force_login(bureau)
    r = post_json(client, f"{URL}/{posting.pk}/approve")
    assert r.status_code == 409 and r.json()["code"] == "invalid_transition"


def test_hr_submits_a_draft(client, hr, draft):
    client.force_login(hr)
    r = post_json(client, f"{URL}/{draft.pk}/submit")
    assert r.status_code == 200 and r.json()["status"] == "published"


def test_unverified_submit_is_409(client, unverified_hr, unverified_enterprise, make_posting):
    p = make_posting(enterprise=unverified_enterprise, status=S.DRAFT, published_at=None, valid_until=None)
    client.force_login(unverified_hr)
    r = post_json(client, f"{URL}/{p.pk}/submit")
    assert r.status_code == 409 and r.json()["code"] == "enterprise_not_verified"


def test_fill_and_refresh_by_own_hr_only(client, hr, other_hr, posting):
    client.force_login(other_hr)
    assert post_json(client, f"{URL}/{posting.pk}/refresh").status_code == 403
    client.force_login(hr)
    assert post_json(client, f"{URL}/{posting.pk}/refresh").json()["status"] == "published"
    assert post_json(client, f"{URL}/{posting.pk}/fill").json()["status"] == "filled"
    assert post_json(client, f"{URL}/{posting.pk}/fill").status_code == 409


def test_history_lists_events_and_checks_for_hr_and_bureau_only(client, hr, other_hr, bureau, pending):
    assert client.get(f"{URL}/{pending.pk}/history").status_code == 401
    client.force_login(other_hr)
    assert client.get(f"{URL}/{pending.pk}/history").status_code == 403
    client.force_login(bureau)
    post_json(client, f"{URL}/{pending.pk}/reject", {"reason": "请删除收费内容"})
    client.force_login(hr)
    body = client.get(f"{URL}/{pending.pk}/history").json()
    assert body["status"] == "draft" and body["review_note"] == "请删除收费内容"
    assert [c["code"] for c in body["checks"]] == ["fee_required", "duplicate"]
    ev = body["events"][-1]
    assert (ev["action"], ev["from_status"], ev["to_status"], ev["reason"]) == (
        "reject", "pending", "draft", "请删除收费内容")
    assert ev["actor"] == str(bureau)


def test_review_queue_is_bureau_only_and_shows_flags(client, hr, bureau, pending, posting, django_assert_max_num_queries):
    assert client.get(f"{URL}/review-queue").status_code == 401
    client.force_login(hr)
    assert client.get(f"{URL}/review-queue").status_code == 403
    client.force_login(bureau)
    with django_assert_max_num_queries(8):
        body = client.get(f"{URL}/review-queue").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == pending.pk and {c["code"] for c in item["checks"]} == {"fee_required", "duplicate"}


def test_all_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for p in ("/api/v1/jobs/{posting_id}/submit", "/api/v1/jobs/{posting_id}/approve",
              "/api/v1/jobs/{posting_id}/reject", "/api/v1/jobs/{posting_id}/close", "/api/v1/jobs/{posting_id}/fill",
              "/api/v1/jobs/{posting_id}/refresh", "/api/v1/jobs/{posting_id}/remove",
              "/api/v1/jobs/{posting_id}/history", "/api/v1/jobs/review-queue",
              "/api/v1/enterprises/{enterprise_id}/verification", "/api/v1/verifications",
              "/api/v1/verifications/{request_id}/approve", "/api/v1/verifications/{request_id}/reject",
              "/api/v1/reports", "/api/v1/reports/{report_id}/resolve"):
        assert p in paths, p
