"""Plan documents rendered in a low-priority process beside each server worker.

A plan PDF or Word document takes 50 to 100 ms of CPU; every page of the app takes
a few. Rendered inside a worker, a document holds that worker and its share of the
cores for its whole length, and every page that arrives behind it waits: on two
cores at the load test's 150 people, pages waited long enough to miss their 150 ms
p95. So a gunicorn worker hands documents to a renderer process of its own, started
with a higher niceness (``DOCUMENT_RENDERER_NICENESS``, 3 by default): the
operating system then gives pages the larger share of the cores, and the
worker, waiting, takes no CPU. gunicorn.conf.py starts the renderer after warming
the worker up (and runs twice as many workers as cores, since a waiting worker
serves nobody else); everywhere else (tests, ``flask run``, the CLI) documents are
rendered in the calling process, as before.

A renderer is a process pool of one process, started fresh ("spawn", so it holds no
copy of the worker's database connections or sockets). What it runs must be a pure
function importable by name: the document functions are. If the renderer dies or
takes longer than ``DOCUMENT_RENDERER_TIMEOUT`` seconds, it is replaced and the
document is rendered in the worker, so a user gets the document either way (after
three failures in a row the worker stops trying and renders everything itself); an
exception raised by the function itself is simply raised again.
"""
from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)

#: Measured with bench/load.py at 150 people on 2 cores (2026-12-02): at 10 the pages
#: had the most room but the PDF's p95 passed 300 ms (302 and 428 ms in two runs); at 0
#: the PDF had the most (199 ms) and sign-in the least (137 ms, against 150); at 3,
#: 257 ms and 118 ms, room on both sides.
DEFAULT_NICENESS = 3
DEFAULT_TIMEOUT_S = 30.0
GIVE_UP_AFTER = 3  # failures in a row


class Renderer:
    """One worker's renderer process (or none: render in the calling process)."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._owner: int | None = None  # the process that started it (not a fork of it)
        self.niceness = DEFAULT_NICENESS
        self.timeout_s = DEFAULT_TIMEOUT_S
        self.failures = 0

    @property
    def running(self) -> bool:
        return self._pool is not None and self._owner == os.getpid()

    def start(self, config: Mapping[str, Any] | None = None) -> None:
        """Start this process's renderer and warm it up in the background."""
        if config is not None:
            chosen = config.get("DOCUMENT_RENDERER_NICENESS")
            self.niceness = DEFAULT_NICENESS if chosen is None else int(chosen)
            self.timeout_s = float(config.get("DOCUMENT_RENDERER_TIMEOUT", DEFAULT_TIMEOUT_S))
        self.stop()
        try:
            pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=_settle_renderer, initargs=(self.niceness,))
            pool.submit(niceness)  # starts the process now, not on the first document
        except OSError as error:  # no process or semaphore to be had: render in the worker
            log.error("document renderer could not start (%s): this worker renders "
                      "documents itself", error)
            return
        self._pool, self._owner = pool, os.getpid()

    def stop(self) -> None:
        """End the renderer process, if this process started one, even if it is busy."""
        pool, self._pool = self._pool, None
        if pool is not None and self._owner == os.getpid():
            # The pool's own processes (a stable attribute since Python 3.2, which 3.14
            # makes public as terminate_workers): a hung renderer must not outlive us.
            for process in list(getattr(pool, "_processes", {}).values()):
                process.kill()
            pool.shutdown(wait=True, cancel_futures=True)
        self._owner = None

    def render(self, function: Callable[..., T], *args: Any) -> T:
        """``function(*args)``, in the renderer when there is one."""
        if not self.running:
            return function(*args)
        try:  # a renderer that died while idle refuses the job here, at once
            result = self._pool.submit(function, *args).result(self.timeout_s)
        except FutureTimeout:
            log.warning("document renderer took over %.0f s on %s: replacing it and "
                        "rendering in the worker", self.timeout_s, function.__name__)
        except BrokenProcessPool as error:
            log.warning("document renderer stopped (%s): replacing it and rendering in the "
                        "worker", error)
        else:
            self.failures = 0
            return result
        self.failures += 1
        if self.failures >= GIVE_UP_AFTER:
            log.error("document renderer failed %d times in a row: this worker renders "
                      "documents itself from now on", self.failures)
            self.stop()
        else:
            self.start()
        return function(*args)


def _settle_renderer(niceness_increment: int) -> None:
    """In the renderer process: end with the worker, give way to the pages, then load the
    fonts and render one document, so the first user's document does not pay for
    starting up."""
    threading.Thread(target=_end_with_worker, daemon=True, name="end-with-worker").start()
    os.nice(niceness_increment)
    from app.warmup import settle_garbage_collector, warm_documents

    try:
        warm_documents()
    except Exception:  # warming only saves time
        log.exception("document renderer warm-up failed; rendering anyway")
    settle_garbage_collector()


def _end_with_worker() -> None:
    """A worker killed outright (gunicorn's timeout) cannot stop its renderer, so the
    renderer waits on its worker's sentinel (ready once the worker has ended) and then
    ends itself."""
    worker = multiprocessing.parent_process()
    if worker is not None:
        multiprocessing.connection.wait([worker.sentinel])
        os._exit(0)


def niceness() -> int:
    """This process's niceness (what a renderer runs at, for the tests)."""
    return os.nice(0)


renderer = Renderer()


def render(function: Callable[..., T], *args: Any) -> T:
    """Render a document with this process's renderer (module docstring)."""
    return renderer.render(function, *args)
