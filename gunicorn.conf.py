"""gunicorn settings for `make demo` and production: sync workers (measured fastest here), warm-up per worker."""

import os
import threading

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
timeout = 30
accesslog = "-"


def post_worker_init(worker):
    """Load the word-segmentation dictionary and the matching indexes before the first visitor waits for them."""
    try:
        from hongniang.recommend import state
        from hongniang.zh import segment

        segment.tokenize_query("长白班普工")
        # the matching indexes build in the background; the first recommendation waits on the lock if needed
        threading.Thread(target=state.warm_up, name="warm-matching", daemon=True).start()
    except Exception as exc:  # a cold cache must never stop the server
        worker.log.warning("warm-up skipped: %s", exc)
