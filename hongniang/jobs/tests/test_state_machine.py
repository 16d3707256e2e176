"""Postings as a state machine: each transition allowed from the right state by the right role, refused
otherwise; every transition leaves an event; checks and duplicates on submit; expiry with one warning."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from hongniang.core.errors import InvalidInput, PermissionDeniedError
from hongniang.jobs import services
from hongniang.jobs.models import JobPosting, PostingEvent, PostingStatus
from hongniang.notifications.models import Notification
from hongniang.testing import factories as f

S = PostingStatus


def create(actor, enterprise, data, **changes):
    return services.posting_create(actor=actor, enterprise=enterprise, data={**data, **changes})


def trail(posting) -> list[tuple[str, str, str]]:
    return [(e.action, e.from_status, e.to_status) for e in PostingEvent.objects.filter(posting=posting)]


@pytest.fixture
def pending(make_posting):
    return make_posting(status=S.PENDING, published_at=None, valid_from=None, valid_until=None,
                        check_flags=["gender_restriction"])


@pytest.fixture
def draft(make_posting):
    return make_posting(status=S.DRAFT, published_at=None, valid_from=None, valid_until=None)


# ---------------------------------------------------------------- submit and auto-approval


def test_clean_posting_of_verified_enterprise_is_auto_approved_with_two_events(hr, enterprise, valid_posting_data):
    p = create(hr, enterprise, valid_posting_data)
    assert p.status == S.PUBLISHED and p.check_flags == []
    assert trail(p) == [("create", "", "draft"), ("submit", "draft", "pending"),
                        ("auto_approve", "pending", "published")]
    submit = PostingEvent.objects.get(posting=p, action="submit")
    assert submit.actor == hr and PostingEvent.objects.get(posting=p, action="auto_approve").actor is None


def test_saved_as_draft_stays_draft_until_submitted(hr, enterprise, valid_posting_data):
    p = services.posting_create(actor=hr, enterprise=enterprise, data=valid_posting_data, submit=False)
    assert p.status == S.DRAFT
    p = services.posting_submit(actor=hr, posting=p)
    assert p.status == S.PUBLISHED


@pytest.mark.parametrize("description,flag", [
    ("限男性，身体健康", "gender_restriction"),
    ("限汉族", "ethnicity_restriction"),
    ("河南人勿扰", "region_restriction"),
    ("入职需交押金300元", "fee_required"),
    ("时薪10元", "below_minimum_wage"),
])
def test_flagged_posting_waits_for_review_and_the_flag_is_kept(hr, enterprise, valid_posting_data, description,
                                                                flag, bureau):
    p = create(hr, enterprise, valid_posting_data, description=description)
    assert p.status == S.PENDING
    assert flag in p.check_flags
    assert trail(p)[-1] == ("submit", "draft", "pending")
    assert Notification.objects.filter(recipient=bureau, template="posting_pending_review").exists()


def test_unverified_enterprise_cannot_submit(unverified_hr, unverified_enterprise, valid_posting_data):
    p = create(unverified_hr, unverified_enterprise, valid_posting_data)
    assert p.status == S.DRAFT
    with pytest.raises(services.EnterpriseNotVerified):
        services.posting_submit(actor=unverified_hr, posting=p)
    assert JobPosting.objects.get(pk=p.pk).status == S.DRAFT


def test_submit_refused_outside_draft(hr, posting):
    with pytest.raises(services.InvalidTransition):
        services.posting_submit(actor=hr, posting=posting)


def test_submit_refused_to_another_enterprise(other_hr, draft):
    with pytest.raises(PermissionDeniedError):
        services.posting_submit(actor=other_hr, posting=draft)


# ---------------------------------------------------------------- duplicates


def test_near_duplicate_of_an_open_posting_is_flagged(hr, enterprise, valid_posting_data):
    first = create(hr, enterprise, valid_posting_data)
    second = create(hr, enterprise, valid_posting_data, headcount="5")
    assert second.status == S.PENDING
    assert "duplicate" in second.check_flags and second.duplicate_ids == [first.pk]


def test_different_work_is_not_a_duplicate(hr, enterprise, valid_posting_data):
    create(hr, enterprise, valid_posting_data)
    other = create(hr, enterprise, valid_posting_data, title="仓库管理员",
                   description="负责仓库收发货、盘点，会用电脑记账。")
    assert other.status == S.PUBLISHED and other.duplicate_ids == []


def test_same_text_by_another_enterprise_is_not_a_duplicate(hr, enterprise, other_hr, other_enterprise,
                                                            valid_posting_data):
    create(hr, enterprise, valid_posting_data)
    assert create(other_hr, other_enterprise, valid_posting_data).status == S.PUBLISHED


def test_closed_posting_is_not_a_duplicate_target(hr, enterprise, valid_posting_data):
    first = create(hr, enterprise, valid_posting_data)
    services.posting_close(actor=hr, posting=first)
    assert create(hr, enterprise, valid_posting_data).status == S.PUBLISHED


def test_jaccard():
    assert services.jaccard({"a", "b"}, {"a", "b"}) == 1.0
    assert services.jaccard({"a", "b", "c", "d", "e"}, {"a", "b", "c", "d"}) == 0.8
    assert services.jaccard({"a"}, {"b"}) == 0.0


# ---------------------------------------------------------------- review


def test_bureau_approves_pending(bureau, pending, hr):
    p = services.posting_approve(reviewer=bureau, posting=pending)
    assert p.status == S.PUBLISHED and p.published_at and p.valid_until
    assert trail(p)[-1] == ("approve", "pending", "published")
    assert Notification.objects.filter(recipient=hr, template="posting_approved").exists()


def test_hr_cannot_approve(hr, pending):
    with pytest.raises(PermissionDeniedError):
        services.posting_approve(reviewer=hr, posting=pending)


def test_approve_refused_outside_pending(bureau, posting, draft):
    for p in (posting, draft):
        with pytest.raises(services.InvalidTransition):
            services.posting_approve(reviewer=bureau, posting=p)


def test_approve_refused_when_enterprise_lost_verification(bureau, pending, enterprise):
    enterprise.verification_status = "due"
    enterprise.save()
    with pytest.raises(services.EnterpriseNotVerified):
        services.posting_approve(reviewer=bureau, posting=pending)


def test_reject_returns_to_draft_with_reason(bureau, pending, hr):
    p = services.posting_reject(reviewer=bureau, posting=pending, reason="请删除“限男性”")
    assert p.status == S.DRAFT and p.review_note == "请删除“限男性”"
    e = PostingEvent.objects.filter(posting=p).last()
    assert (e.action, e.from_status, e.to_status, e.actor, e.reason) == (
        "reject", "pending", "draft", bureau, "请删除“限男性”")
    assert Notification.objects.filter(recipient=hr, template="posting_rejected").exists()


def test_reject_needs_a_reason(bureau, pending):
    with pytest.raises(InvalidInput):
        services.posting_reject(reviewer=bureau, posting=pending, reason="  ")


def test_reject_refused_to_hr_and_outside_pending(hr, bureau, pending, posting):
    with pytest.raises(PermissionDeniedError):
        services.posting_reject(reviewer=hr, posting=pending, reason="x")
    with pytest.raises(services.InvalidTransition):
        services.posting_reject(reviewer=bureau, posting=posting, reason="x")


def test_editing_a_published_posting_into_a_flag_sends_it_back_to_review(hr, posting):
    p = services.posting_update(actor=hr, posting=posting, data={"description": "只招女工，需交押金"})
    assert p.status == S.PENDING
    assert trail(p)[-1][0] == "edit_flagged"
    assert "fee_required" in p.check_flags


def test_harmless_edit_keeps_a_published_posting_live(hr, posting):
    assert services.posting_update(actor=hr, posting=posting, data={"headcount": 8}).status == S.PUBLISHED


# ---------------------------------------------------------------- close, fill, remove, refresh


def test_fill_only_when_published(hr, posting, draft):
    assert services.posting_mark_filled(actor=hr, posting=posting).status == S.FILLED
    assert trail(posting)[-1] == ("fill", "published", "filled")
    with pytest.raises(services.InvalidTransition):
        services.posting_mark_filled(actor=hr, posting=draft)


def test_fill_refused_to_other_hr(other_hr, posting):
    with pytest.raises(PermissionDeniedError):
        services.posting_mark_filled(actor=other_hr, posting=posting)


def test_close_from_draft_and_refused_from_filled(hr, draft, posting):
    assert services.posting_close(actor=hr, posting=draft).status == S.CLOSED
    services.posting_mark_filled(actor=hr, posting=posting)
    with pytest.raises(services.InvalidTransition):
        services.posting_close(actor=hr, posting=posting)


def test_bureau_removes_with_reason_and_hr_is_told(bureau, hr, posting):
    p = services.posting_remove(reviewer=bureau, posting=posting, reason="虚假招聘")
    assert p.status == S.REMOVED and trail(p)[-1] == ("remove", "published", "removed")
    assert Notification.objects.filter(recipient=hr, template="posting_removed").exists()
    with pytest.raises(services.InvalidTransition):
        services.posting_remove(reviewer=bureau, posting=p, reason="again")


def test_remove_refused_to_hr_and_without_reason(hr, bureau, posting):
    with pytest.raises(PermissionDeniedError):
        services.posting_remove(reviewer=hr, posting=posting, reason="x")
    with pytest.raises(InvalidInput):
        services.posting_remove(reviewer=bureau, posting=posting, reason="")


def test_refresh_extends_validity_and_keeps_the_publication_date(hr, make_posting):
    old = timezone.now() - dt.timedelta(days=28)
    p = make_posting(published_at=old, valid_until=timezone.localdate() + dt.timedelta(days=2),
                     expiry_warned_at=timezone.now())
    p = services.posting_refresh(actor=hr, posting=p)
    assert p.valid_until == timezone.localdate() + dt.timedelta(days=30)
    assert p.published_at == old and p.expiry_warned_at is None
    assert trail(p)[-1] == ("refresh", "published", "published")


def test_refresh_republishes_an_expired_posting(hr, make_posting):
    p = make_posting(status=S.EXPIRED, valid_until=timezone.localdate() - dt.timedelta(days=3))
    assert services.posting_refresh(actor=hr, posting=p).status == S.PUBLISHED


def test_refresh_refused_for_draft_and_for_others(hr, other_hr, draft, posting):
    with pytest.raises(services.InvalidTransition):
        services.posting_refresh(actor=hr, posting=draft)
    with pytest.raises(PermissionDeniedError):
        services.posting_refresh(actor=other_hr, posting=posting)


def test_expire_refused_before_the_date(posting):
    with pytest.raises(services.InvalidTransition):
        services.posting_expire(posting=posting)


# ---------------------------------------------------------------- expire_postings


def _run(*args) -> str:
    out = StringIO()
    call_command("expire_postings", *args, stdout=out)
    return out.getvalue()


def test_expire_postings_dry_run_changes_nothing(make_posting):
    p = make_posting(valid_until=timezone.localdate() - dt.timedelta(days=1))
    out = _run()
    assert "would expire" in out and "DRY RUN" in out
    assert JobPosting.objects.get(pk=p.pk).status == S.PUBLISHED


def test_expire_postings_expires_overdue_and_warns_soon_ones_once(make_posting, hr):
    today = timezone.localdate()
    overdue = make_posting(title="过期", valid_until=today - dt.timedelta(days=1))
    soon = make_posting(title="快到期", valid_until=today + dt.timedelta(days=3))
    later = make_posting(title="还早", valid_until=today + dt.timedelta(days=10))
    _run("--wet-run")
    assert JobPosting.objects.get(pk=overdue.pk).status == S.EXPIRED
    assert trail(overdue)[-1] == ("expire", "published", "expired")
    assert JobPosting.objects.get(pk=soon.pk).status == S.PUBLISHED
    assert JobPosting.objects.get(pk=later.pk).expiry_warned_at is None
    warnings = Notification.objects.filter(recipient=hr, template="posting_expiring")
    assert warnings.count() == 1 and "快到期" in warnings.get().body
    _run("--wet-run")
    assert warnings.count() == 1  # once per posting
    assert Notification.objects.filter(recipient=hr, template="posting_expired").count() == 1


def test_expired_posting_leaves_the_public_list(client, make_posting):
    p = make_posting(valid_until=timezone.localdate() - dt.timedelta(days=1))
    _run("--wet-run")
    assert client.get(f"/jobs/{p.pk}/").status_code == 404


def test_published_posting_needs_dates_in_the_database(enterprise, occupations):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        f.JobPostingFactory(enterprise=enterprise, published_at=None)
