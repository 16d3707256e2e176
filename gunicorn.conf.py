"""gunicorn settings for `make serve` (production), `make demo` and bench/crowd.py: sync workers (measured fastest
here), warm-up per worker, JSON logs without phone or ID numbers (the access log too), and Prometheus
multiprocess mode so /metrics adds up every worker. Everything comes from the environment:

BIND                 address:port (default 127.0.0.1:8000)
WEB_CONCURRENCY      workers (default 2; about 2 per core)
GUNICORN_TIMEOUT     seconds a request may take before its worker is restarted (default 30)
ACCESS_LOG           "-" (stdout, the default) or a file; "off" for none
LOG_FORMAT           json (default) or text
PROMETHEUS_MULTIPROC_DIR  where workers keep their metrics (default var/prometheus; emptied at start)
GUNICORN_CONTROL_SOCKET   path of gunicorn's control socket (default: none)
"""

import gc
import os
import shutil
import threading
from pathlib import Path

from gunicorn.glogging import Logger

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))  # 0: workers are not recycled
max_requests_jitter = max_requests // 10
_access = os.environ.get("ACCESS_LOG", "-")
accesslog = None if _access == "off" else _access


class QuietLogger(Logger):
    """gunicorn gathers each request's access-log fields (a dict of some 30 entries, the time formatted) whenever a
    logging configuration is given, as it always is here, even with the access log off: only when it is on."""

    def access(self, resp, req, environ, request_time):
        if self.cfg.accesslog:
            super().access(resp, req, environ, request_time)


logger_class = QuietLogger

# gunicorn's control socket (a fixed path in $HOME by default) would be shared by every server on the machine:
# off unless GUNICORN_CONTROL_SOCKET names one
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True

_var = Path(os.environ.get("HONGNIANG_VAR_DIR", Path(__file__).resolve().parent / "var"))
# set before any worker imports prometheus_client: the workers inherit it from this (master) process
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(_var / "prometheus"))

_formatter = ("hongniang.core.logging.JsonFormatter" if os.environ.get("LOG_FORMAT", "json").lower() != "text"
              else None)
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"level": "INFO", "handlers": ["error_console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["access_console"] if accesslog else [],
                            "propagate": False},
    },
    "filters": {"mask": {"()": "hongniang.core.logging.MaskPersonalDataFilter"}},
    "formatters": {
        "line": ({"()": _formatter} if _formatter else
                 {"format": "%(asctime)s [%(process)d] %(levelname)s %(name)s %(message)s"}),
        # text access lines: the masking filter formats them (the JSON formatter masks its own output)
        "access_text": {"format": "%(message)s"},
    },
    "handlers": {
        "error_console": {"class": "logging.StreamHandler", "formatter": "line", "stream": "ext://sys.stderr",
                          **({} if _formatter else {"filters": ["mask"]})},
        "access_console": (
            {"class": "logging.StreamHandler", "formatter": "line", "stream": "ext://sys.stdout"} if _formatter
            else {"class": "logging.StreamHandler", "formatter": "access_text", "filters": ["mask"],
                  "stream": "ext://sys.stdout"}
        ) if accesslog in (None, "-") else (
            {"class": "logging.FileHandler", "filename": accesslog, "formatter": "line"} if _formatter
            else {"class": "logging.FileHandler", "filename": accesslog, "formatter": "access_text",
                  "filters": ["mask"]}
        ),
    },
}


def on_starting(server):
    """A fresh metrics directory per server start (old workers' files would be added in forever)."""
    path = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    """A dead worker's live gauges are dropped; its counters stay in the sum."""
    try:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
    except Exception as exc:  # noqa: BLE001 - metrics must never stop the server
        server.log.warning("metrics clean-up skipped: %s", exc)


def warm_matching(state):
    """Build the matching indexes, then put them out of the garbage collector's way as the start-up objects are.

    They live as long as the worker and, at 10x the demo, are some 430,000 tracked objects (200,000 seekers): every
    full collection walked them all, 0.2-0.5 s with the worker's request waiting (bench/README.md, "/me/ tail").
    Refreshes replace single entries, which the collector tracks as usual."""
    state.warm_up()
    gc.collect()
    gc.freeze()


def post_worker_init(worker):
    """Load the URL patterns (every app's views and API schemas), the word-segmentation dictionary and the matching
    indexes before the first visitor waits for them."""
    try:
        from django.urls import get_resolver

        from hongniang.recommend import state
        from hongniang.zh import segment

        # Django imports the URLconf at a worker's first request: ~1 s of CPU (the API's schemas) that the first
        # visitors of each worker would wait for, while the crowd behind them queues
        get_resolver().reverse_dict  # noqa: B018 - imports the URLconf and builds the reverse look-up
        segment.tokenize_query("长白班普工")
        # what is loaded by now (Django, the dictionary) lives as long as the worker: out of the garbage collector's
        # way, so its collections scan only what requests make
        gc.collect()
        gc.freeze()
        # the matching indexes build in the background; the first recommendation waits on the lock if needed
        threading.Thread(target=warm_matching, args=(state,), name="warm-matching", daemon=True).start()
    except Exception as exc:  # a cold cache must never stop the server
        worker.log.warning("warm-up skipped: %s", exc)
