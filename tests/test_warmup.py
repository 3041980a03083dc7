"""Warming a new server process (gunicorn.conf.py's post_worker_init)."""
from __future__ import annotations

import gc
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import event

from app import warmup
from app.cache import code_digest
from app.extensions import db

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def collector_restored(monkeypatch):
    """post_worker_init settles the collector of the process it runs in: give the test
    process its own settings back. (It also starts a document renderer: not here, where
    the other tests count renders in this process; tests/test_rendering.py has that.)"""
    monkeypatch.setattr("app.rendering.renderer.start", lambda config=None: None)
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_warm_up_compiles_every_page_template_and_never_touches_the_database(app):
    statements = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    app.jinja_env.cache.clear()
    code_digest.cache_clear()
    warmup.warm_up(app)
    assert code_digest.cache_info().currsize == 1  # worked out before the first request
    compiled = {template.name for template in app.jinja_env.cache.values()}
    pages = set(app.jinja_env.list_templates(extensions=("html",)))
    assert pages and pages <= compiled
    assert statements == []


def test_gunicorn_warms_each_worker_before_it_serves(app, monkeypatch):
    warmed = []
    monkeypatch.setattr(warmup, "warm_up", warmed.append)
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    settings["post_worker_init"](SimpleNamespace(wsgi=app, log=None))
    assert warmed == [app]
    assert settings["workers"] >= 1


def test_a_failing_warm_up_is_logged_and_the_worker_still_serves(app, monkeypatch):
    def broken(_app):
        raise RuntimeError("font folder gone")

    logged = []
    monkeypatch.setattr(warmup, "warm_up", broken)
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    worker = SimpleNamespace(wsgi=app, log=SimpleNamespace(exception=logged.append))
    settings["post_worker_init"](worker)  # must not raise: gunicorn would stop the server
    assert logged == ["warm-up failed; serving without it"]


def test_each_worker_freezes_its_warmed_up_heap_and_collects_less_often(app, monkeypatch):
    monkeypatch.setattr(warmup, "warm_up", lambda _app: None)
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    settings["post_worker_init"](SimpleNamespace(wsgi=app, log=None))
    assert gc.get_freeze_count() > 0  # the app's long-lived objects are out of the collector's way
    assert gc.get_threshold() == warmup.SERVING_GC_THRESHOLDS
    assert gc.isenabled()  # cycles made by requests are still collected
    assert app.test_client().get("/healthz").status_code == 200


def test_a_worker_whose_warm_up_failed_still_settles_its_collector(app, monkeypatch):
    def broken(_app):
        raise RuntimeError("font folder gone")

    monkeypatch.setattr(warmup, "warm_up", broken)
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    settings["post_worker_init"](SimpleNamespace(wsgi=app, log=SimpleNamespace(exception=print)))
    assert gc.get_threshold() == warmup.SERVING_GC_THRESHOLDS
