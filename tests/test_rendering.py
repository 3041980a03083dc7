"""Plan documents rendered in a low-priority process beside each gunicorn worker
(app/rendering.py): the same bytes as rendered in the worker, and a document for the
user even when the renderer fails."""
from __future__ import annotations

import os
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest

from app import costing, rendering, reports
from app.rendering import Renderer
from app.warmup import SAMPLE_BID
from tests import rendering_jobs

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def started():
    renderer = Renderer()
    renderer.start({"DOCUMENT_RENDERER_NICENESS": 7, "DOCUMENT_RENDERER_TIMEOUT": 60})
    yield renderer
    renderer.stop()


def sample_plan():
    plan = {"bid": SAMPLE_BID, "level": "good", "existing_network": False,
            "activities": costing.template_activities("good", "training", SAMPLE_BID),
            "accessible_formats": {"easy_read_pages": 0}}
    return plan, costing.estimate(plan)


def test_the_renderer_gives_the_same_pdf_as_the_worker(started):
    plan, estimate = sample_plan()
    info = reports.VersionInfo(number=3, status="draft", created_by="Ann Writer")
    rendered = started.render(reports.render_plan_pdf, plan, estimate, info)
    assert rendered.startswith(b"%PDF")
    assert rendered == reports.render_plan_pdf(plan, estimate, info)


def test_the_renderer_gives_way_to_pages(started):
    assert started.render(rendering.niceness) == rendering.niceness() + 7
    assert started.render(os.getpid) != os.getpid()  # another process does the work


def test_a_document_error_reaches_the_caller_and_the_renderer_keeps_working(started):
    with pytest.raises(ValueError, match="no such level"):
        started.render(rendering_jobs.refuse, "no such level")
    assert started.running and started.failures == 0
    assert started.render(rendering_jobs.double, 21) == 42


def test_a_renderer_that_dies_is_replaced_and_the_user_still_gets_the_document(started, caplog):
    first = started.render(os.getpid)
    assert started.render(rendering_jobs.die_in_renderer, os.getpid()) == "rendered in the worker"
    assert "document renderer stopped" in caplog.text
    assert started.running and started.render(os.getpid) not in (first, os.getpid())


def test_a_renderer_that_hangs_is_replaced_after_its_timeout(started, caplog):
    started.timeout_s = 0  # a job that never finishes is past any timeout: no clock needed
    assert started.render(rendering_jobs.hang_in_renderer, os.getpid()) == "rendered in the worker"
    assert "took over" in caplog.text
    started.timeout_s = 60
    assert started.render(rendering_jobs.double, 2) == 4


def test_after_three_failures_in_a_row_the_worker_renders_everything_itself(started):
    for _ in range(3):
        started.render(rendering_jobs.die_in_renderer, os.getpid())
    assert not started.running
    assert started.render(os.getpid) == os.getpid()


def test_without_a_renderer_documents_are_rendered_in_the_calling_process():
    assert not rendering.renderer.running  # tests, flask run and the CLI
    assert rendering.render(os.getpid) == os.getpid()


def test_gunicorn_starts_each_workers_renderer_unless_told_to_render_inline(app, monkeypatch):
    started = []
    monkeypatch.setattr(rendering.renderer, "start", started.append)
    monkeypatch.setattr("app.warmup.warm_up", lambda _app: None)
    monkeypatch.setattr("app.warmup.settle_garbage_collector", lambda: None)
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    settings["post_worker_init"](SimpleNamespace(wsgi=app, log=None))
    assert started == [app.config]
    app.config["DOCUMENT_RENDERER"] = "inline"
    settings["post_worker_init"](SimpleNamespace(wsgi=app, log=None))
    assert started == [app.config]
    assert settings["workers"] == 2 * (os.cpu_count() or 1) or "WEB_CONCURRENCY" in os.environ


@pytest.mark.parametrize(("setting", "value", "message"), [
    ("DOCUMENT_RENDERER", "threads", "DOCUMENT_RENDERER must be process"),
    ("DOCUMENT_RENDERER_NICENESS", 25, "DOCUMENT_RENDERER_NICENESS must be"),
])
def test_a_wrong_renderer_setting_is_refused_at_start(setting, value, message):
    from app import create_app
    from config import TestingConfig

    with pytest.raises(RuntimeError, match=message):
        create_app(TestingConfig, **{setting: value})


def test_a_renderer_ends_when_its_worker_is_killed_outright():
    import select
    import signal
    import subprocess
    import sys

    with subprocess.Popen([sys.executable, "-m", "tests.rendering_jobs"], cwd=ROOT,
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as worker:
        renderer_pid = int(worker.stdout.readline())
        ended = os.pidfd_open(renderer_pid)  # readable once that process has ended
        try:
            assert not select.select([ended], [], [], 0)[0]  # alive while its worker is
            os.kill(worker.pid, signal.SIGKILL)  # as gunicorn's master does to a hung worker
            worker.wait()
            # The condition itself, not a clock: the bound only keeps a failure finite.
            assert select.select([ended], [], [], 30)[0], "the renderer outlived its worker"
        finally:
            os.close(ended)


def test_a_renderer_that_died_while_idle_is_replaced_and_the_user_still_gets_the_document(
        started, caplog):
    import select
    import signal

    idle = started.render(os.getpid)
    ended = os.pidfd_open(idle)
    try:
        os.kill(idle, signal.SIGKILL)  # as the kernel's out-of-memory killer might
        assert select.select([ended], [], [], 30)[0]  # it has ended (the bound keeps a failure finite)
    finally:
        os.close(ended)
    assert started.render(rendering_jobs.double, 4) == 8
    assert started.running and started.render(os.getpid) not in (idle, os.getpid())


def test_a_renderer_that_cannot_start_leaves_the_worker_rendering_itself(monkeypatch, caplog):
    def no_processes(*_args, **_kwargs):
        raise OSError("no semaphores here")

    monkeypatch.setattr(rendering, "ProcessPoolExecutor", no_processes)
    renderer = Renderer()
    renderer.start({})
    assert not renderer.running and "could not start" in caplog.text
    assert renderer.render(os.getpid) == os.getpid()
