"""Apply and withdraw (services)."""

from __future__ import annotations

import pytest

from hongniang.applications import services
from hongniang.applications.models import Application, ApplicationEvent
from hongniang.core.errors import InvalidInput, PermissionDeniedError
from hongniang.core.models import AuditEvent, User
from hongniang.flows.applying import quick_apply
from hongniang.seekers.models import Seeker


def test_apply_creates_application_and_event(seeker, posting):
    a = services.application_apply(seeker=seeker, posting=posting, actor=seeker.user)
    assert a.created and a.status == "applied" and a.channel == "self"
    ev = ApplicationEvent.objects.get(application=a)
    assert (ev.from_status, ev.to_status, ev.actor) == ("", "applied", seeker.user)


def test_repeat_apply_returns_existing_without_duplicate(seeker, posting):
    first = services.application_apply(seeker=seeker, posting=posting, actor=seeker.user)
    again = services.application_apply(seeker=seeker, posting=posting, actor=seeker.user)
    assert again.pk == first.pk and not again.created
    assert Application.objects.count() == 1 and ApplicationEvent.objects.count() == 1


def test_closed_posting_is_refused(seeker, posting):
    posting.status = "closed"
    posting.save()
    with pytest.raises(InvalidInput) as exc:
        services.application_apply(seeker=seeker, posting=posting, actor=seeker.user)
    assert exc.value.message == "该岗位已停止招聘"
    assert not Application.objects.exists()


def test_cannot_apply_for_someone_else_as_self(seeker, posting, outsider):
    with pytest.raises(PermissionDeniedError):
        services.application_apply(seeker=seeker, posting=posting, actor=outsider)


def test_staff_apply_on_behalf_requires_consent(staff_a, seeker_a2, posting):
    with pytest.raises(InvalidInput) as exc:
        services.application_apply(seeker=seeker_a2, posting=posting, actor=staff_a, channel="staff")
    assert exc.value.errors == {"consent_confirmed": ["代人报名前，请确认求职者本人已同意"]}
    assert not Application.objects.exists()


def test_staff_apply_on_behalf_with_consent(staff_a, seeker_a2, posting):
    a = services.application_apply(seeker=seeker_a2, posting=posting, actor=staff_a, channel="staff",
                                   consent_confirmed=True)
    assert a.channel == "staff" and a.created_by == staff_a
    assert AuditEvent.objects.get(action="application.apply").detail["consent_confirmed"] is True


def test_staff_cannot_apply_for_other_point_seeker(staff_b, seeker_a2, posting):
    with pytest.raises(PermissionDeniedError):
        services.application_apply(seeker=seeker_a2, posting=posting, actor=staff_b, channel="staff",
                                   consent_confirmed=True)


def test_withdraw_records_event(seeker, posting):
    a = services.application_apply(seeker=seeker, posting=posting, actor=seeker.user)
    services.application_withdraw(actor=seeker.user, application=a, reason="找到别的工作了")
    a.refresh_from_db()
    assert a.status == "withdrawn"
    ev = a.events.last()
    assert (ev.from_status, ev.to_status, ev.reason) == ("applied", "withdrawn", "找到别的工作了")


def test_withdraw_twice_is_refused(seeker, posting):
    a = services.application_apply(seeker=seeker, posting=posting, actor=seeker.user)
    services.application_withdraw(actor=seeker.user, application=a)
    with pytest.raises(InvalidInput):
        services.application_withdraw(actor=seeker.user, application=a)


def test_others_cannot_withdraw(seeker, posting, staff_b, hr):
    a = services.application_apply(seeker=seeker, posting=posting, actor=seeker.user)
    for actor in (staff_b, hr):
        with pytest.raises(PermissionDeniedError):
            services.application_withdraw(actor=actor, application=a)


def test_apply_after_withdraw_reopens_same_application(seeker, posting):
    a = services.application_apply(seeker=seeker, posting=posting, actor=seeker.user)
    services.application_withdraw(actor=seeker.user, application=a)
    again = services.application_apply(seeker=seeker, posting=posting, actor=seeker.user)
    assert again.pk == a.pk and again.status == "applied"
    assert list(a.events.values_list("to_status", flat=True)) == ["applied", "withdrawn", "applied"]


def _code(phone: str) -> str:
    from hongniang.notifications.phone_codes import phone_code_send

    return phone_code_send(phone=phone, purpose="quick_apply")


def test_quick_apply_creates_account_profile_and_application(posting, regions):
    user, a = quick_apply(name="赖秀英", phone="13811112222", posting=posting, consent=True, code=_code("13811112222"))
    assert user.username == "13811112222" and not user.has_usable_password()
    assert a.seeker.name == "赖秀英" and a.seeker.user == user and a.seeker.consent_channel == "online"


def test_quick_apply_with_a_known_phone_and_its_code_applies_as_that_seeker(seeker, posting):
    user, a = quick_apply(name="某人", phone="13900000001", posting=posting, consent=True, code=_code("13900000001"))
    assert user == seeker.user and a.seeker == seeker and Seeker.objects.count() == 1


def test_quick_apply_with_a_wrong_code_saves_nothing(seeker, posting):
    _code("13900000001")
    with pytest.raises(InvalidInput) as exc:
        quick_apply(name="某人", phone="13900000001", posting=posting, consent=True, code="000000")
    assert exc.value.code == "phone_code_invalid"
    assert Seeker.objects.count() == 1 and not Application.objects.exists()


def test_quick_apply_without_consent_saves_nothing(posting):
    with pytest.raises(InvalidInput):
        quick_apply(name="赖秀英", phone="13811112222", posting=posting, consent=False, code=_code("13811112222"))
    assert not User.objects.filter(phone="13811112222").exists()


def test_quick_apply_closed_posting_saves_nothing(posting):
    posting.status = "filled"
    posting.save()
    with pytest.raises(InvalidInput):
        quick_apply(name="赖秀英", phone="13811112222", posting=posting, consent=True, code="123456")
    assert not User.objects.filter(phone="13811112222").exists()
