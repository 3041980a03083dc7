"""gunicorn settings read from this folder (`make run`, bench/load.py, and a server
started here with `gunicorn wsgi:app`). Command-line flags still win."""
import os

# Two sync workers per machine by default (WEB_CONCURRENCY to change it); each is
# warmed up before it takes a request, so a restart does not slow the first users.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))


def post_worker_init(worker):
    """Warm the worker up; if that fails, log it and serve anyway (it only saves time).
    Then freeze what is alive and collect garbage less often (app/warmup.py)."""
    from app.warmup import settle_garbage_collector, warm_up

    try:
        warm_up(worker.wsgi)
    except Exception:
        worker.log.exception("warm-up failed; serving without it")
    settle_garbage_collector()
