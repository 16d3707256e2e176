"""Prometheus request metrics: count and latency of every request by route name (the URL pattern's view name,
e.g. "jobs:detail" — never the raw path, so a million job pages are one series), method and status.

Under gunicorn the workers are separate processes: gunicorn.conf.py sets PROMETHEUS_MULTIPROC_DIR before any
worker starts, prometheus_client then keeps each worker's values in memory-mapped files there, and /metrics
(hongniang.web.ops) adds them up. Without it (manage.py runserver, the tests) the values live in this process.
The database figures (task queue, SMS outbox) are read when /metrics is scraped, not counted here."""

from __future__ import annotations

import time

from django.conf import settings
from prometheus_client import Counter, Histogram

REQUESTS = Counter("hongniang_http_requests_total", "HTTP requests by route name, method and status",
                   ["route", "method", "status"])
LATENCY = Histogram("hongniang_http_request_duration_seconds", "HTTP request latency by route name and method",
                    ["route", "method"],
                    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def route_name(request) -> str:
    """The view name of the matched URL pattern; a cached page's is set by the page cache (request.route_name);
    static files "static"; anything unmatched "unmatched" (404s must not grow one series per path)."""
    name = getattr(request, "route_name", None)
    if name:
        return name
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or match.route or "unnamed"
    if request.path_info.startswith(settings.STATIC_URL):
        return "static"
    return "unmatched"


# (route, method, status) -> the counter and the histogram of that series: labels() validates and locks on every
# call; the series are few (route names, not paths), so each is looked up once per process
_series: dict[tuple[str, str, int], tuple] = {}


def _children(route: str, method: str, status: int) -> tuple:
    key = (route, method, status)
    found = _series.get(key)
    if found is None:
        found = _series[key] = (REQUESTS.labels(route, method, str(status)), LATENCY.labels(route, method))
    return found


class RequestMetricsMiddleware:
    """First in MIDDLEWARE, so static files, cached pages and errors are all counted."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - start
        method = request.method if request.method in _METHODS else "other"
        count, latency = _children(route_name(request), method, response.status_code)
        count.inc()
        latency.observe(elapsed)
        return response
