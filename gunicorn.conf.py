"""gunicorn settings read from this folder (`make run`, bench/load.py, and a server
started here with `gunicorn wsgi:app`). Command-line flags still win."""
import os

# Two sync workers per core by default (WEB_CONCURRENCY to change it): each hands plan
# documents to a low-priority renderer process of its own and waits for it, taking no
# CPU meanwhile (app/rendering.py), so half the workers can be waiting while the rest
# serve pages. Each is warmed up before it takes a request, so a restart does not slow
# the first users.
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1))))


def post_worker_init(worker):
    """Warm the worker up; if that fails, log it and serve anyway (it only saves time).
    Then freeze what is alive and collect garbage less often (app/warmup.py), and start
    the worker's document renderer (app/rendering.py)."""
    from app.rendering import renderer
    from app.warmup import settle_garbage_collector, warm_up

    try:
        warm_up(worker.wsgi)
    except Exception:
        worker.log.exception("warm-up failed; serving without it")
    settle_garbage_collector()
    if worker.wsgi.config.get("DOCUMENT_RENDERER", "process") == "process":
        renderer.start(worker.wsgi.config)


def worker_exit(server, worker):
    """Stop the worker's renderer with it."""
    from app.rendering import renderer

    renderer.stop()
