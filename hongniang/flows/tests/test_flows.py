"""The cross-app flows: each runs several apps' services in one transaction."""

from __future__ import annotations

import datetime as dt

import pytest

from hongniang.applications.models import Application
from hongniang.applications.services import application_apply
from hongniang.core.errors import Conflict
from hongniang.flows.calls import record_call
from hongniang.flows.hiring import pipeline_act
from hongniang.jobs.hooks import posting_written
from hongniang.outreach.models import CallLog, FollowUp
from hongniang.outreach.services import AlreadyCalled
from hongniang.seekers.hooks import seeker_written


def test_an_interested_call_applies_for_the_seeker_and_logs_the_call(staff_a, seeker, posting):
    log = record_call(actor=staff_a, posting=posting, seeker=seeker, outcome="interested", verbal_consent=True)
    application = Application.objects.get(seeker=seeker, posting=posting)
    assert log.application == application and application.channel == "staff"
    assert application.consent_witness == staff_a


def test_a_second_call_is_refused_before_anything_is_written(staff_a, seeker, posting):
    record_call(actor=staff_a, posting=posting, seeker=seeker, outcome="no_answer")
    with pytest.raises(AlreadyCalled):
        record_call(actor=staff_a, posting=posting, seeker=seeker, outcome="interested", verbal_consent=True)
    assert not Application.objects.filter(seeker=seeker).exists()
    assert CallLog.objects.count() == 1


def test_a_call_whose_application_fails_logs_nothing(staff_a, seeker, posting):
    posting.status = "closed"
    posting.save(update_fields=["status"])
    with pytest.raises(Exception, match="停止招聘"):
        record_call(actor=staff_a, posting=posting, seeker=seeker, outcome="interested", verbal_consent=True)
    assert not CallLog.objects.exists() and not Application.objects.exists()


def test_a_hire_through_the_pipeline_schedules_its_follow_ups(hr, seeker, posting):
    a = application_apply(seeker=seeker, posting=posting, actor=seeker.user)
    pipeline_act(actor=hr, application=a, action="offer")
    pipeline_act(actor=hr, application=a, action="hire", start_date=dt.date(2030, 1, 10))
    assert sorted(FollowUp.objects.filter(application=a).values_list("day", flat=True)) == [7, 30, 90]


def test_a_refused_hire_schedules_nothing(hr, seeker, posting):
    a = application_apply(seeker=seeker, posting=posting, actor=seeker.user)
    with pytest.raises(Conflict):
        pipeline_act(actor=hr, application=a, action="no_show")
    pipeline_act(actor=hr, application=a, action="reject", reason="年龄不符")
    with pytest.raises(Conflict):
        pipeline_act(actor=hr, application=a, action="hire", start_date=dt.date(2030, 1, 10))
    assert not FollowUp.objects.exists()


def test_the_indexes_listen_to_the_owners_hooks():
    assert set(posting_written.receivers) >= {"search.index_posting", "recommend.posting_changed"}
    assert "recommend.seeker_changed" in seeker_written.receivers
