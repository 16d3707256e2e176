"""The migrations that moved the seven event models onto the kit keep every history row: `detail` becomes
`details`, reasons are widened, and rows written before the kit get an action named from their move."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from hongniang.applications.models import ApplicationEvent
from hongniang.applications.services import application_apply
from hongniang.jobs.machines import POSTING
from hongniang.jobs.models import PostingEvent
from hongniang.jobs.services import posting_close

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_THE_KIT = [("applications", "0003_application_actual_start_date_and_more"), ("jobs", "0002_posting_review"),
                  ("gigs", "0002_delete_phonecode"), ("outreach", "0001_initial"), ("employers", "0002_verification")]


def test_history_rows_written_before_the_kit_survive_and_get_an_action(posting, seeker, bureau):
    application = application_apply(seeker=seeker, posting=posting, actor=seeker.user)
    POSTING.record(posting, "create", actor=None)
    posting_close(actor=bureau, posting=posting, reason="测试")
    posting_events = PostingEvent.objects.filter(posting=posting).count()
    assert posting_events == 2

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_THE_KIT)
    old = executor.loader.project_state(BEFORE_THE_KIT).apps
    OldPostingEvent = old.get_model("jobs", "PostingEvent")
    OldApplicationEvent = old.get_model("applications", "ApplicationEvent")
    OldPostingEvent.objects.filter(posting_id=posting.pk).update(detail={"flags": ["fee_required"]})
    OldApplicationEvent.objects.create(application_id=application.pk, from_status="applied", to_status="viewed",
                                       reason="企" * 200)
    OldApplicationEvent.objects.create(application_id=application.pk, from_status="hired", to_status="hired",
                                       reason="填报首月实发工资 3000 元")
    OldApplicationEvent.objects.create(application_id=application.pk, from_status="hired", to_status="hired",
                                       reason="确认实际上岗 2026-01-05")
    OldApplicationEvent.objects.create(application_id=application.pk, from_status="withdrawn", to_status="applied")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert PostingEvent.objects.filter(posting=posting).count() == posting_events
    assert all(e.details == {"flags": ["fee_required"]} for e in PostingEvent.objects.filter(posting=posting))
    rows = list(ApplicationEvent.objects.filter(application=application).order_by("id"))
    assert [(e.from_status, e.to_status, e.action) for e in rows] == [
        ("", "applied", "apply"), ("applied", "viewed", "view"), ("hired", "hired", "report_pay"),
        ("hired", "hired", "confirm_start"), ("withdrawn", "applied", "reapply")]
    assert rows[1].reason == "企" * 200 and rows[0].details == {}
    long_reason = "因" * 500  # the kit's reason is 500 characters wide
    ApplicationEvent.objects.filter(pk=rows[1].pk).update(reason=long_reason)
    assert ApplicationEvent.objects.get(pk=rows[1].pk).reason == long_reason
