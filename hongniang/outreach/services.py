"""The one write path for staff work: import batches (upload → preview → commit / cancel), call outcomes,
follow-ups after a hire. Keyword-only; the outer function opens the transaction; one function per
transition with an event row; domain errors carry Chinese messages."""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from hongniang.applications.models import Application, ApplicationStatus
from hongniang.core import roles
from hongniang.core.audit import audit
from hongniang.core.crypto import decrypt, encrypt
from hongniang.core.errors import Conflict, InvalidInput, NotFoundError, PermissionDeniedError
from hongniang.geo.models import ServicePoint
from hongniang.jobs.services import posting_create_on_behalf
from hongniang.seekers.services import seekers_import

from . import imports
from .machines import FOLLOWUP, IMPORT_BATCH, may_see_point
from .machines import BatchNotOpen as BatchNotOpen  # raised by import_commit / import_cancel
from .models import (
    FOLLOWUP_DAYS,
    CallLog,
    CallOutcome,
    FollowUp,
    FollowUpStatus,
    ImportBatch,
    ImportKind,
    ImportStatus,
)

BULK_SIZE = 500


class AlreadyCalled(Conflict):
    code = "already_called"
    message = _lazy("该求职者已就此岗位联系过，不再重复拨打")


# --- who may act where ------------------------------------------------------------------------------


require_staff = roles.require_staff


def acting_point(user, point_id: int | None = None):
    """The service point the user acts for: the one asked for (if theirs; the bureau: any), else their first."""
    require_staff(user)
    points = roles.service_point_ids(user)
    if point_id:
        if point_id not in points and not roles.is_bureau(user):
            raise PermissionDeniedError(_("您不是该站点的工作人员"))
        point = ServicePoint.objects.filter(pk=point_id).first()
        if point is None:
            raise NotFoundError(_("找不到该站点"))
        return point
    if not points:
        raise InvalidInput(_("请选择站点"), field="service_point")
    return ServicePoint.objects.filter(pk__in=points).order_by("pk").first()




# --- imports ----------------------------------------------------------------------------------------


def _report_rows(results) -> list[dict]:
    return [{"n": r.n, "display": r.display, "errors": r.errors, "valid": not r.errors} for r in results]


def import_upload(*, actor, kind: str, data: bytes, filename: str, service_point=None,
                  enterprise=None) -> ImportBatch:
    """Read and check a spreadsheet; nothing is written but the batch (status previewed) with every row's
    problems. The file is not kept: its parsed rows are stored encrypted until commit or cancel."""
    require_staff(actor)
    if kind not in ImportKind.values:
        raise InvalidInput(_("未知的导入类型"), field="kind")
    if service_point is None:
        service_point = acting_point(actor)
    elif not may_see_point(actor, service_point.pk):
        raise PermissionDeniedError(_("您不是该站点的工作人员"))
    if kind == ImportKind.POSTINGS and enterprise is None:
        raise InvalidInput(_("请选择要代为发布岗位的企业"), field="enterprise")
    parsed = imports.parse(kind, data, filename)
    with translation.override(settings.LANGUAGE_CODE):  # the row problems are stored: in the site's language
        results = imports.VALIDATORS[kind](parsed["rows"])
    valid = sum(1 for r in results if not r.errors)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            kind=kind, service_point=service_point, enterprise=enterprise if kind == ImportKind.POSTINGS else None,
            created_by=actor, filename=(filename or "")[-200:], total_rows=len(results), valid_rows=valid,
            error_rows=len(results) - valid,
            payload=encrypt(json.dumps({"rows": parsed["rows"], "valid": {r.n: r.data for r in results if r.data}},
                                       ensure_ascii=False)),
            report=_report_rows(results), notes=parsed["notes"])
        IMPORT_BATCH.record(batch, "upload", actor=actor, reason=f"{len(results)} 行，{valid} 行有效")
        audit(actor=actor, action="import.upload", target=batch, kind=kind, rows=len(results), valid=valid)
    return batch


def _open_batch(actor, batch: ImportBatch) -> ImportBatch:
    require_staff(actor)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if not may_see_point(actor, batch.service_point_id):
        raise NotFoundError(_("找不到该导入批次"))
    IMPORT_BATCH.check(batch, "commit")
    return batch


def import_commit(*, actor, batch: ImportBatch) -> ImportBatch:
    """Write every row that is (still) valid, in one transaction; rows that became invalid since the
    preview (someone registered the same person meanwhile) are reported, not written."""
    with transaction.atomic():
        batch = _open_batch(actor, batch)
        payload = json.loads(decrypt(batch.payload))
        if batch.kind == ImportKind.SEEKERS:
            with translation.override(settings.LANGUAGE_CODE):  # stored in the report, as at upload
                results = imports.recheck_seekers(batch.report, payload["valid"])
            created = _create_seekers(actor, batch, results)
        else:
            with translation.override(settings.LANGUAGE_CODE):  # stored in the report, as at upload
                results = imports.validate_postings(payload["rows"])
            created = _create_postings(actor, batch, results)
        report = []
        for r in results:
            item = {"n": r.n, "display": r.display, "errors": r.errors, "valid": not r.errors}
            item["status_label"] = "已导入" if r.n in created else "未导入"
            if r.n in created:
                item["id"] = created[r.n]
            report.append(item)
        batch.report = report
        batch.created_rows = len(created)
        batch.valid_rows = len(created)
        batch.error_rows = batch.total_rows - len(created)
        batch.payload = ""  # the personal data is in the created rows now; the batch keeps a masked report
        batch.finished_at = timezone.now()
        batch.save()
        IMPORT_BATCH.transition(batch, "commit", actor=actor, lock=False, reason=f"导入 {len(created)} 行")
        audit(actor=actor, action="import.commit", target=batch, kind=batch.kind, created=len(created),
              ids=sorted(created.values()))
    return batch


def _create_seekers(actor, batch, results) -> dict[int, int]:
    """The roster's valid rows become seekers of the batch's point (seekers.services.seekers_import)."""
    rows = [r for r in results if r.data]
    ids = seekers_import(actor=actor, rows=[r.data for r in rows], service_point=batch.service_point,
                         batch_size=BULK_SIZE)
    return {r.n: pk for r, pk in zip(rows, ids, strict=True)}


def _create_postings(actor, batch, results) -> dict[int, int]:
    """Staff enter an enterprise's job list on its behalf through the same path as HR's posting_create: each row
    a draft with an event, submitted for a verified enterprise (content checks, review, history)."""
    enterprise = batch.enterprise
    created = {}
    for r in results:
        if not r.data:
            continue
        d = dict(r.data)
        values = dict(region_id=d.pop("region"), township_id=d.pop("township"), occupation_id=d.pop("occupation"), **d)
        posting = posting_create_on_behalf(actor=actor, enterprise=enterprise, values=values)
        created[r.n] = posting.pk
    return created


def import_cancel(*, actor, batch: ImportBatch, reason: str = "") -> ImportBatch:
    with transaction.atomic():
        batch = _open_batch(actor, batch)
        IMPORT_BATCH.transition(batch, "cancel", actor=actor, lock=False, reason=reason or "工作人员取消",
                                fields={"payload": "", "finished_at": timezone.now()})
        audit(actor=actor, action="import.cancel", target=batch)
    return batch


def import_purge_stale(*, older_than: dt.timedelta = dt.timedelta(days=2), wet_run: bool = False) -> int:
    """Cancel previewed batches left alone (their encrypted rows are dropped). Returns how many."""
    cutoff = timezone.now() - older_than
    stale = list(ImportBatch.objects.filter(status=ImportStatus.PREVIEWED, created_at__lt=cutoff))
    if wet_run:
        for batch in stale:
            with transaction.atomic():
                locked = IMPORT_BATCH.lock(batch)
                if IMPORT_BATCH.can(locked, "purge"):
                    IMPORT_BATCH.transition(locked, "purge", actor=None, lock=False, reason="超过保留期限自动取消",
                                            fields={"payload": "", "finished_at": timezone.now()})
    return len(stale)


# --- call outcomes ----------------------------------------------------------------------------------


def call_log_check(*, actor, posting, seeker, outcome: str, verbal_consent: bool = False) -> None:
    """The rules of recording a call, checked before anything is written: staff of the seeker's point, a known
    outcome, verbal consent for "interested", and nobody called twice about the same job."""
    require_staff(actor)
    if outcome not in CallOutcome.values:
        raise InvalidInput(_("请选择通话结果"), field="outcome")
    if not (seeker.service_point_id and seeker.service_point_id in roles.service_point_ids(actor)):
        raise PermissionDeniedError(_("只能联系本站点登记的求职者"))
    if outcome == CallOutcome.INTERESTED and not verbal_consent:
        raise InvalidInput(_("代为报名前，请确认求职者在电话中口头同意"), field="verbal_consent")
    if CallLog.objects.filter(posting=posting, seeker=seeker).exists():
        raise AlreadyCalled()


def call_log_record(*, actor, posting, seeker, outcome: str, note: str = "", verbal_consent: bool = False,
                    application=None) -> CallLog:
    """Record one call's outcome (a second call about the same job is refused). "interested" comes with the
    application staff made on the seeker's behalf: hongniang.flows.calls.record_call applies, then calls this."""
    with transaction.atomic():
        call_log_check(actor=actor, posting=posting, seeker=seeker, outcome=outcome, verbal_consent=verbal_consent)
        try:
            with transaction.atomic():
                log = CallLog.objects.create(posting=posting, seeker=seeker, staff=actor,
                                             service_point_id=seeker.service_point_id, outcome=outcome,
                                             note=(note or "")[:200], application=application)
        except IntegrityError:
            raise AlreadyCalled() from None
        audit(actor=actor, action="outreach.call", target=seeker, posting=posting.pk, outcome=outcome,
              consent="verbal" if application else None)
    return log


# --- follow-ups -------------------------------------------------------------------------------------


def hired_on_for(application) -> dt.date:
    """The day work starts: the confirmed start, else the agreed start date, else the day the application
    became hired (its event), else its last change."""
    for attr in ("actual_start_date", "start_date"):
        day = getattr(application, attr, None)
        if day:
            return day
    ev = application.events.filter(to_status=ApplicationStatus.HIRED).order_by("-at").first()
    when = ev.at if ev else application.updated_at
    return timezone.localdate(when)


def schedule_followups(*, application, hired_on: dt.date | None = None) -> list[FollowUp]:
    """Create the 7-, 30- and 90-day follow-ups of a hire (missing ones only; idempotent). Returns the
    follow-ups created."""
    if application.status != ApplicationStatus.HIRED:
        raise InvalidInput(_("只有已上岗的报名需要回访"), code="not_hired")
    hired_on = hired_on or hired_on_for(application)
    created = []
    with transaction.atomic():
        have = set(FollowUp.objects.filter(application=application).values_list("day", flat=True))
        for fu in followups_of_hire(application, hired_on):
            if fu.day in have:
                continue
            try:
                with transaction.atomic():
                    fu.save(force_insert=True)
            except IntegrityError:  # created at the same moment elsewhere
                continue
            scheduled_event(fu).save(force_insert=True)
            created.append(fu)
    return created


def followups_of_hire(application, hired_on: dt.date) -> list[FollowUp]:
    """The 7-, 30- and 90-day follow-ups of a hire that started on `hired_on`, unsaved, at the seeker's service
    point. schedule_followups saves them one by one; a bulk loader saves them (and their scheduled_event rows)
    with bulk_create."""
    seeker = application.seeker
    return [FollowUp(application=application, seeker=seeker, enterprise_id=application.posting.enterprise_id,
                     service_point_id=seeker.service_point_id, day=day, hired_on=hired_on,
                     due_on=hired_on + dt.timedelta(days=day))
            for day in FOLLOWUP_DAYS]


def scheduled_event(followup: FollowUp):
    """The creation event of a follow-up (unsaved)."""
    return FOLLOWUP.event(followup, "schedule", to_status=FollowUpStatus.PENDING, reason=f"上岗 {followup.day} 天回访")


def recorded_event(followup: FollowUp, *, actor=None):
    """The event of a follow-up's answers (pending → done), unsaved: for loaders that write done follow-ups in
    bulk; followup_record writes the same through the machine."""
    return FOLLOWUP.event(followup, "record", actor=actor, from_status=FollowUpStatus.PENDING,
                          to_status=FollowUpStatus.DONE, reason=_record_reason(followup.still_working))


def _record_reason(still_working: bool) -> str:
    return "仍在岗" if still_working else "已离职"


def schedule_missing_followups(*, wet_run: bool = False) -> tuple[int, int]:
    """Follow-ups for every hired application that lacks some. Returns (applications, follow-ups)
    that were (or, without wet_run, would be) created."""
    from django.db.models import Count

    qs = (Application.objects.filter(status=ApplicationStatus.HIRED)
          .annotate(n=Count("followups")).filter(n__lt=len(FOLLOWUP_DAYS))
          .select_related("seeker", "posting"))
    apps = followups = 0
    for application in qs.iterator(chunk_size=500):
        missing = len(FOLLOWUP_DAYS) - application.n
        apps += 1
        if wet_run:
            followups += len(schedule_followups(application=application))
        else:
            followups += missing
    return apps, followups


def _open_followup(actor, followup: FollowUp) -> FollowUp:
    require_staff(actor)
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if not may_see_point(actor, followup.service_point_id):
        raise NotFoundError(_("找不到该回访"))
    FOLLOWUP.check(followup, "record")
    return followup


def followup_record(*, actor, followup: FollowUp, still_working: bool, paid_as_promised: bool | None,
                    problems: str = "") -> FollowUp:
    """pending → done: the answers of a follow-up call."""
    if still_working is None:
        raise InvalidInput(_("请记录是否仍在岗"), field="still_working")
    if len(problems or "") > 500:
        raise InvalidInput(_("问题描述不能超过 500 字"), field="problems")
    with transaction.atomic():
        followup = _open_followup(actor, followup)
        FOLLOWUP.transition(followup, "record", actor=actor, lock=False,
                            reason=_record_reason(still_working), fields={
                                "still_working": bool(still_working), "paid_as_promised": paid_as_promised,
                                "problems": (problems or "").strip(), "done_at": timezone.now(), "done_by": actor})
        audit(actor=actor, action="followup.record", target=followup, still_working=bool(still_working),
              paid_as_promised=paid_as_promised)
    return followup


def followup_unreachable(*, actor, followup: FollowUp, note: str = "") -> FollowUp:
    """pending → unreachable: tried, could not reach the person."""
    with transaction.atomic():
        followup = _open_followup(actor, followup)
        FOLLOWUP.transition(followup, "unreachable", actor=actor, lock=False, reason=(note or "联系不上")[:200],
                            fields={"problems": (note or "").strip()[:500], "done_at": timezone.now(),
                                    "done_by": actor})
        audit(actor=actor, action="followup.unreachable", target=followup)
    return followup
