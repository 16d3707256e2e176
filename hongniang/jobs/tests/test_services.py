"""The posting rules, checked at the service (the one write path for pages and API)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hongniang.core.errors import InvalidInput, PermissionDeniedError
from hongniang.core.models import AuditEvent
from hongniang.jobs import services
from hongniang.jobs.models import JobPosting, PostingStatus


def create(actor, enterprise, data, **changes):
    return services.posting_create(actor=actor, enterprise=enterprise, data={**data, **changes})


def errors_of(actor, enterprise, data, **changes) -> dict:
    with pytest.raises(InvalidInput) as exc:
        create(actor, enterprise, data, **changes)
    assert JobPosting.objects.count() == 0
    return exc.value.errors


def test_verified_enterprise_posting_is_published_at_once(hr, enterprise, valid_posting_data):
    p = create(hr, enterprise, valid_posting_data)
    assert p.status == PostingStatus.PUBLISHED
    assert p.published_at is not None
    assert (p.valid_until - p.valid_from).days == 30


def test_unverified_enterprise_posting_stays_draft(unverified_hr, unverified_enterprise, valid_posting_data):
    p = create(unverified_hr, unverified_enterprise, valid_posting_data)
    assert p.status == PostingStatus.DRAFT
    assert p.published_at is None


def test_village_region_sets_its_township_and_coordinates(hr, enterprise, valid_posting_data, regions):
    p = create(hr, enterprise, valid_posting_data)
    assert p.region == regions["v_jiubao"]
    assert p.township == regions["jiubao"]
    assert (p.lat, p.lon) == (regions["v_jiubao"].lat, regions["v_jiubao"].lon)


def test_create_is_audited(hr, enterprise, valid_posting_data):
    p = create(hr, enterprise, valid_posting_data)
    assert AuditEvent.objects.filter(action="posting_create", target_id=str(p.pk), actor=hr).exists()


@pytest.mark.parametrize("pay_type,pay_min,pay_max,expected", [
    ("monthly", "4000", "5000", (4000, 5000)),
    ("daily", "150", "200", (3900, 5200)),
    ("hourly", "20", "25", (4160, 5200)),
])
def test_monthly_estimate_by_pay_type(hr, enterprise, valid_posting_data, pay_type, pay_min, pay_max, expected):
    p = create(hr, enterprise, valid_posting_data, pay_type=pay_type, pay_min=pay_min, pay_max=pay_max)
    assert (p.monthly_min, p.monthly_max) == expected


def test_piece_pay_uses_the_enterprise_estimate(hr, enterprise, valid_posting_data):
    p = create(hr, enterprise, valid_posting_data, pay_type="piece", pay_min="0.8", pay_max="1.2", piece_unit="双",
               est_monthly_min="3500", est_monthly_max="6000")
    assert (p.monthly_min, p.monthly_max) == (3500, 6000)
    assert p.pay_text == "0.8–1.2 元/双"


def test_piece_pay_needs_unit_and_estimate(hr, enterprise, valid_posting_data):
    errors = errors_of(hr, enterprise, valid_posting_data, pay_type="piece", pay_min="1", pay_max="2")
    assert "计件单位" in errors["piece_unit"][0]
    assert "估算月收入" in errors["est_monthly_min"][0]


def test_pay_min_above_max_is_refused(hr, enterprise, valid_posting_data):
    errors = errors_of(hr, enterprise, valid_posting_data, pay_min="6000", pay_max="5000")
    assert errors["pay_max"] == ["最高薪资不能低于最低薪资"]


@pytest.mark.parametrize("pay_type,pay_min,shown", [
    ("monthly", "1500", "1610 元/月"), ("hourly", "15", "16.1 元/小时"), ("daily", "70", "74.02 元/天"),
])
def test_pay_below_minimum_wage_is_refused(hr, enterprise, valid_posting_data, pay_type, pay_min, shown):
    errors = errors_of(hr, enterprise, valid_posting_data, pay_type=pay_type, pay_min=pay_min, pay_max=pay_min)
    assert errors["pay_min"] == [f"薪资低于江西省最低工资标准（{shown}）"]


def test_pay_at_minimum_wage_is_accepted(hr, enterprise, valid_posting_data):
    p = create(hr, enterprise, valid_posting_data, pay_type="daily", pay_min="74.02", pay_max="80")
    assert p.pay_min == Decimal("74.02")


@pytest.mark.parametrize("headcount", ["0", "-3"])
def test_headcount_must_be_positive(hr, enterprise, valid_posting_data, headcount):
    errors = errors_of(hr, enterprise, valid_posting_data, headcount=headcount)
    assert errors["headcount"] == ["招聘人数至少为 1 人"]


def test_inverted_age_range_is_refused(hr, enterprise, valid_posting_data):
    errors = errors_of(hr, enterprise, valid_posting_data, age_min="50", age_max="30")
    assert errors["age_max"] == ["最高年龄不能小于最低年龄"]


def test_unknown_region_is_refused(hr, enterprise, valid_posting_data):
    errors = errors_of(hr, enterprise, valid_posting_data, region="360781999999")
    assert "找不到该地点" in errors["region"][0]


def test_county_is_not_a_workplace(hr, enterprise, valid_posting_data):
    errors = errors_of(hr, enterprise, valid_posting_data, region="360781000000")
    assert errors["region"] == ["请选择具体的乡镇或村"]


def test_unknown_occupation_is_refused(hr, enterprise, valid_posting_data):
    errors = errors_of(hr, enterprise, valid_posting_data, occupation="9-99-99-99")
    assert "找不到该工种" in errors["occupation"][0]


def test_every_error_is_reported_at_once(hr, enterprise, valid_posting_data):
    errors = errors_of(hr, enterprise, valid_posting_data, title="", headcount="0", age_min="60", age_max="20")
    assert {"title", "headcount", "age_max"} <= errors.keys()


def test_other_enterprise_hr_may_not_create(other_hr, enterprise, valid_posting_data):
    with pytest.raises(PermissionDeniedError):
        create(other_hr, enterprise, valid_posting_data)
    assert JobPosting.objects.count() == 0


def test_other_hr_may_not_edit_or_close(other_hr, posting):
    with pytest.raises(PermissionDeniedError):
        services.posting_update(actor=other_hr, posting=posting, data={"title": "改名"})
    with pytest.raises(PermissionDeniedError):
        services.posting_close(actor=other_hr, posting=posting)
    posting.refresh_from_db()
    assert (posting.title, posting.status) == ("缝纫工", PostingStatus.PUBLISHED)


def test_bureau_may_close_any_posting(bureau, posting):
    services.posting_close(actor=bureau, posting=posting, reason="虚假信息")
    posting.refresh_from_db()
    assert posting.status == PostingStatus.CLOSED
    assert AuditEvent.objects.get(action="posting_close").reason == "虚假信息"


def test_partial_update_keeps_other_fields_and_revalidates(hr, posting):
    services.posting_update(actor=hr, posting=posting, data={"pay_min": "5000"})
    posting.refresh_from_db()
    assert (posting.pay_min, posting.pay_max, posting.monthly_min) == (Decimal("5000"), Decimal("6000"), 5000)
    with pytest.raises(InvalidInput):
        services.posting_update(actor=hr, posting=posting, data={"pay_min": "7000"})
    posting.refresh_from_db()
    assert posting.pay_min == Decimal("5000")


def test_closed_posting_cannot_be_edited(hr, posting):
    services.posting_close(actor=hr, posting=posting)
    with pytest.raises(services.PostingNotEditable):
        services.posting_update(actor=hr, posting=posting, data={"title": "新标题"})


def test_draft_of_unverified_enterprise_cannot_be_published(unverified_hr, unverified_enterprise,
                                                            valid_posting_data):
    p = create(unverified_hr, unverified_enterprise, valid_posting_data)
    with pytest.raises(services.EnterpriseNotVerified, match="等待企业认证后发布"):
        services.posting_publish(actor=unverified_hr, posting=p)
    unverified_enterprise.verification_status = "verified"
    unverified_enterprise.save()
    services.posting_publish(actor=unverified_hr, posting=p)
    p.refresh_from_db()
    assert p.status == PostingStatus.PUBLISHED
