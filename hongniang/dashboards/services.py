"""Writes of the dashboards app: the monthly report on disk and its delivery to the bureau's inbox."""

from __future__ import annotations

import datetime as dt
import os

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hongniang.core.audit import audit
from hongniang.core.models import User
from hongniang.notifications.services import notify

from . import report
from .models import MonthlyReport


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday, less settings.HOLIDAYS, plus settings.MAKEUP_WORKDAYS (调休 weekends), ISO dates."""
    iso = day.isoformat()
    if iso in getattr(settings, "MAKEUP_WORKDAYS", ()):
        return True
    return day.weekday() < 5 and iso not in getattr(settings, "HOLIDAYS", ())


def second_working_day(day: dt.date) -> dt.date:
    d, seen = day.replace(day=1), 0
    while True:
        if is_working_day(d):
            seen += 1
            if seen == 2:
                return d
        d += dt.timedelta(days=1)


def report_due(today: dt.date) -> bool:
    return today == second_working_day(today)


def previous_month(today: dt.date) -> dt.date:
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def already_delivered(month: dt.date) -> bool:
    return MonthlyReport.objects.filter(month=month, delivered_at__isnull=False).exists()


def bureau_recipients():
    return User.objects.filter(Q(is_bureau=True) | Q(is_superuser=True), is_active=True).order_by("pk")


def reports_dir() -> str:
    return str(getattr(settings, "REPORTS_DIR", os.path.join(str(settings.VAR_DIR), "reports")))


def deliver_monthly_report(*, month: dt.date, actor=None) -> MonthlyReport:
    """Write the month's report under REPORTS_DIR and tell every bureau user (inbox), once."""
    out = report.write_report(month, reports_dir())
    figs = out["figures"]
    with transaction.atomic():
        rep, _ = MonthlyReport.objects.select_for_update().get_or_create(
            month=month, defaults={"xlsx_path": out["xlsx"], "pdf_path": out["pdf"]})
        rep.xlsx_path, rep.pdf_path, rep.figures = out["xlsx"], out["pdf"], figs
        if rep.delivered_at is None:
            label = f"{month.year}年{month.month}月"
            url = f"/dashboard/report/?month={month:%Y-%m}"
            for user in bureau_recipients():
                notify(recipient=user, template="monthly_report", url=url,
                       context={"month": label, "hires": figs.get("hires") or 0,
                                "seekers_new": figs.get("seekers_new") or 0,
                                "postings_open": figs.get("postings_open") or 0})
            rep.delivered_at = timezone.now()
        rep.save()
        audit(actor=actor, action="dashboards.monthly_report", target=rep, month=f"{month:%Y-%m}")
    return rep
