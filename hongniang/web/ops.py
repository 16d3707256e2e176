"""Operations endpoints (docs/deployment.md):

/healthz   the process is up and answering: no database, for a process supervisor or a liveness probe.
/readyz    this server can serve: the database answers, no migration is left unapplied, and the task queue is
           not stuck (the oldest task ready to run has waited less than READYZ_MAX_TASK_AGE seconds). 200 with
           {"status": "ok", "checks": {...}} or 503 with the failing checks; for the load balancer.
/metrics   Prometheus text: request count and latency by route (hongniang.core.metrics, all gunicorn workers
           added up in multiprocess mode), the task queue's depth and oldest age per queue, the SMS outbox by
           status. Only with `Authorization: Bearer <METRICS_TOKEN>`, or with no token set only from this
           machine (loopback, no proxy header): operations data is not for the public.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Min
from django.db.models.functions import Greatest
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult, get_date_max
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily

from hongniang.notifications.models import SmsMessage

_migrations_done = False  # once every migration this code knows is applied, that stays true for the process


def _json(body: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


@never_cache
@require_GET
def healthz(request):
    return _json({"status": "ok"})


def _check_database() -> str | None:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means not ready; the reason goes to the caller
        return f"database unreachable: {type(exc).__name__}"
    return None


def _check_migrations() -> str | None:
    global _migrations_done
    if _migrations_done:
        return None
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        return f"{len(plan)} unapplied migration(s), first {plan[0][0].app_label}.{plan[0][0].name}"
    _migrations_done = True
    return None


def _ready_tasks():
    return DBTaskResult.objects.ready()


def _waiting_since(tasks):
    """When the longest-waiting of these ready tasks became runnable: its enqueue time, or its run_after when it
    was scheduled for later."""
    never = get_date_max()
    unscheduled = tasks.filter(run_after=never).aggregate(t=Min("enqueued_at"))["t"]
    scheduled = tasks.exclude(run_after=never).aggregate(t=Min(Greatest("enqueued_at", "run_after")))["t"]
    starts = [t for t in (unscheduled, scheduled) if t is not None]
    return min(starts) if starts else None


def oldest_ready_age(queue: str | None = None) -> float | None:
    """Seconds the oldest task ready to run has been waiting, or None when none is waiting."""
    tasks = _ready_tasks() if queue is None else _ready_tasks().filter(queue_name=queue)
    since = _waiting_since(tasks)
    return None if since is None else max(0.0, (timezone.now() - since).total_seconds())


def _check_tasks() -> str | None:
    limit = settings.READYZ_MAX_TASK_AGE
    if not limit:
        return None
    age = oldest_ready_age()
    if age is not None and age > limit:
        return f"task queue stuck: oldest ready task waiting {int(age)} s (limit {limit} s)"
    return None


@never_cache
@require_GET
def readyz(request):
    checks = {}
    db_error = _check_database()
    checks["database"] = db_error or "ok"
    if db_error is None:
        for name, check in (("migrations", _check_migrations), ("tasks", _check_tasks)):
            try:
                checks[name] = check() or "ok"
            except Exception as exc:  # noqa: BLE001
                checks[name] = f"check failed: {type(exc).__name__}"
    ok = all(v == "ok" for v in checks.values())
    return _json({"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503)


class DatabaseCollector:
    """Figures read from the database at scrape time (the same for every worker, so not per process)."""

    def collect(self):
        depth = GaugeMetricFamily("hongniang_task_queue_depth", "Tasks ready to run, by queue", labels=["queue"])
        age = GaugeMetricFamily("hongniang_task_queue_oldest_age_seconds",
                                "How long the oldest task ready to run has waited, by queue", labels=["queue"])
        queues = set(settings.TASKS.get("default", {}).get("QUEUES") or ["default"])
        counts = dict(_ready_tasks().values_list("queue_name").annotate(n=Count("id")))
        for queue in sorted(queues | set(counts)):
            depth.add_metric([queue], counts.get(queue, 0))
            age.add_metric([queue], oldest_ready_age(queue) or 0.0)
        yield depth
        yield age
        running = GaugeMetricFamily("hongniang_tasks_running", "Tasks being run by a worker now")
        running.add_metric([], DBTaskResult.objects.running().count())
        yield running
        sms = GaugeMetricFamily("hongniang_sms_outbox_messages", "SMS in the outbox by status (queued, sent, failed)",
                                labels=["status"])
        by_status = dict(SmsMessage.objects.values_list("status").annotate(n=Count("id")))
        for status in ("queued", "sent", "failed"):
            sms.add_metric([status], by_status.get(status, 0))
        yield sms


def _loopback_direct(request) -> bool:
    if request.META.get("HTTP_X_FORWARDED_FOR") or request.META.get("HTTP_X_REAL_IP") or request.META.get(
            "HTTP_FORWARDED"):
        return False  # came through a proxy on this machine: the real client is elsewhere
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def metrics_allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _, given = header.partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())
    return _loopback_direct(request)


@never_cache
@require_GET
def metrics(request):
    if not metrics_allowed(request):
        return HttpResponse("forbidden\n", status=403, content_type="text/plain")
    started = time.perf_counter()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    db = CollectorRegistry()
    db.register(DatabaseCollector())
    body += generate_latest(db)
    body += (b"# HELP hongniang_metrics_scrape_seconds Time to build this page\n"
             b"# TYPE hongniang_metrics_scrape_seconds gauge\n"
             b"hongniang_metrics_scrape_seconds %.6f\n" % (time.perf_counter() - started))
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
