"""Inside: the booths that suit a checked-in seeker (in walking order), and booth scans entering the hiring
pipeline with the event as their source; intentions count only when both sides confirmed."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from hongniang.applications.models import Application, ApplicationEvent
from hongniang.core.errors import Conflict, PermissionDeniedError
from hongniang.events import selectors, services
from hongniang.events.models import EventKind, Intention, IntentionStatus
from hongniang.flows.event_booth_scan import booth_scan, intention_confirm
from hongniang.testing import factories as f

from .conftest import approved_booth, make_event

pytestmark = pytest.mark.django_db


def test_the_booth_list_ranks_by_match_and_lists_booths_in_walking_order(today_event, staff_a, hr, enterprise,
                                                                          other_hr, other_enterprise, occupations,
                                                                          checked_in, regions):
    sewing = f.JobPostingFactory(enterprise=enterprise, title="缝纫工", occupation=occupations["6-05-01-03"])
    cleaner = f.JobPostingFactory(enterprise=other_enterprise, title="保洁员", occupation=occupations["4-09-08-01"],
                                  monthly_min=2000, monthly_max=2200, pay_min=2000, pay_max=2200)
    third_ent = f.EnterpriseFactory(name="瑞金第三服饰厂")
    third_hr = f.make_hr(third_ent, "hr_c")
    sewing2 = f.JobPostingFactory(enterprise=third_ent, title="车工", occupation=occupations["6-05-01-03"])
    too_old = f.JobPostingFactory(enterprise=third_ent, title="青年缝纫工", occupation=occupations["6-05-01-03"],
                                  age_min=18, age_max=25)
    b1 = approved_booth(today_event, other_hr, other_enterprise, [cleaner], staff_a)  # booth 1
    b2 = approved_booth(today_event, third_hr, third_ent, [too_old, sewing2], staff_a)  # booth 2
    b3 = approved_booth(today_event, hr, enterprise, [sewing], staff_a)  # booth 3
    assert (b1.number, b2.number, b3.number) == (1, 2, 3)
    picks = selectors.booths_for_seeker(checked_in, top=2)
    # the two sewing booths beat the cleaning one; listed by booth number, each with its best fitting posting
    assert [p.booth.pk for p in picks] == [b2.pk, b3.pk]
    assert picks[0].posting == sewing2  # the 18–25 posting breaks a hard rule for a seeker born in 1985
    assert all(p.reasons for p in picks)


def test_the_booth_list_uses_the_settings_minimum_wage(today_event, staff_a, hr, enterprise, occupations,
                                                       checked_in, settings):
    """The booth list's index is built with the settings' MatchConfig: below MINIMUM_WAGE_MONTHLY is said."""
    sewing = f.JobPostingFactory(enterprise=enterprise, title="缝纫工", occupation=occupations["6-05-01-03"],
                                 monthly_min=4500, monthly_max=6000, pay_min=4500, pay_max=6000)
    approved_booth(today_event, hr, enterprise, [sewing], staff_a)
    (pick,) = selectors.booths_for_seeker(checked_in)
    assert "低于最低工资" not in pick.reasons
    settings.MINIMUM_WAGE_MONTHLY = 7000
    (pick,) = selectors.booths_for_seeker(checked_in)
    assert "低于最低工资" in pick.reasons


def test_a_scan_of_the_code_confirms_both_sides_and_enters_the_pipeline(today_event, booth, posting, hr,
                                                                        checked_in):
    intention, application = booth_scan(actor=hr, event=today_event, posting=posting, code=checked_in.code)
    assert intention.status == IntentionStatus.CONFIRMED
    assert intention.seeker_confirmed_at and intention.enterprise_confirmed_at
    assert (application.channel, application.source_id, application.status) == ("fair", today_event.pk, "applied")
    assert application.seeker_id == checked_in.seeker_id and application.consent_channel == "screen"
    assert ApplicationEvent.objects.filter(application=application, to_status="applied").exists()
    assert intention.application_id == application.pk


def test_a_scan_can_book_an_interview_at_once(today_event, booth, posting, hr, checked_in):
    import datetime as dt

    from django.utils import timezone

    when = timezone.now() + dt.timedelta(minutes=30)
    _, application = booth_scan(actor=hr, event=today_event, posting=posting, code=checked_in.code,
                                interview_at=when)
    assert application.status == "interview" and application.interview_at == when


def test_a_park_visit_scan_has_the_visit_as_its_channel(staff_a, point_a, hr, enterprise, posting, seeker):
    import datetime as dt

    visit = make_event(staff_a, point_a, kind=EventKind.PARK_VISIT, starts_in=-dt.timedelta(hours=1),
                       host_enterprise=enterprise, title="走进红都服饰")
    approved_booth(visit, hr, enterprise, [posting], staff_a)
    reg = services.registration_create(actor=seeker.user, event=visit, seeker=seeker)
    services.registration_check_in(actor=staff_a, event=visit, code=reg.code)
    _, application = booth_scan(actor=hr, event=visit, posting=posting, code=reg.code)
    assert application.channel == "park_visit" and application.source_id == visit.pk


def test_scanning_twice_keeps_one_intention_and_one_application(today_event, booth, posting, hr, checked_in):
    booth_scan(actor=hr, event=today_event, posting=posting, code=checked_in.code)
    booth_scan(actor=hr, event=today_event, posting=posting, code=checked_in.code)
    assert Intention.objects.count() == 1 and Application.objects.count() == 1


def test_found_by_phone_the_intention_waits_for_the_seeker_then_enters_the_pipeline(today_event, booth, posting,
                                                                                     hr, checked_in, seeker):
    intention, application = booth_scan(actor=hr, event=today_event, posting=posting, phone=seeker.phone)
    assert intention.status == IntentionStatus.PENDING_SEEKER and application is None
    assert not Application.objects.exists()
    intention, application = intention_confirm(actor=seeker.user, intention=intention, action="confirm_seeker")
    assert intention.status == IntentionStatus.CONFIRMED and application.channel == "fair"
    assert application.consent_channel == "online"


def test_a_seeker_declared_intention_counts_once_the_enterprise_confirms(today_event, booth, posting, hr,
                                                                         checked_in, seeker):
    intention = services.intention_declare(actor=seeker.user, registration=checked_in, posting=posting)
    assert intention.status == IntentionStatus.PENDING_ENTERPRISE
    with pytest.raises(PermissionDeniedError):  # the seeker cannot confirm for the enterprise
        intention_confirm(actor=seeker.user, intention=intention, action="confirm_enterprise")
    intention, application = intention_confirm(actor=hr, intention=intention, action="confirm_enterprise")
    assert intention.status == IntentionStatus.CONFIRMED and application is not None


def test_a_person_not_checked_in_cannot_be_scanned(today_event, booth, posting, hr, seeker):
    reg = services.registration_create(actor=seeker.user, event=today_event, seeker=seeker)
    with pytest.raises(Conflict) as exc:
        booth_scan(actor=hr, event=today_event, posting=posting, code=reg.code)
    assert exc.value.code == "not_checked_in"
    assert not Intention.objects.exists() and not Application.objects.exists()


def test_another_enterprise_cannot_scan_for_a_posting_it_does_not_bring(today_event, booth, posting, other_hr,
                                                                         checked_in):
    with pytest.raises(PermissionDeniedError):
        booth_scan(actor=other_hr, event=today_event, posting=posting, code=checked_in.code)


def test_intentions_can_never_exceed_people_times_postings(today_event, booth, posting, checked_in):
    Intention.objects.create(event=today_event, registration=checked_in, booth=booth, posting=posting,
                             status="pending_seeker")
    with pytest.raises(IntegrityError):
        Intention.objects.create(event=today_event, registration=checked_in, booth=booth, posting=posting,
                                 status="pending_seeker")


def test_the_database_refuses_a_confirmed_intention_without_both_sides(today_event, booth, posting, checked_in):
    with pytest.raises(IntegrityError):
        Intention.objects.create(event=today_event, registration=checked_in, booth=booth, posting=posting,
                                 status="confirmed")
