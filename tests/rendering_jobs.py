"""Jobs for the renderer tests (tests/test_rendering.py): importable by name, as
everything a renderer process runs must be."""
from __future__ import annotations

import os
import threading


def double(number: int) -> int:
    return number * 2


def refuse(message: str) -> None:
    raise ValueError(message)


def die_in_renderer(worker_pid: int) -> str:
    """End the renderer process abruptly; in the worker, where it is retried, render."""
    if os.getpid() != worker_pid:
        os._exit(1)
    return "rendered in the worker"


def hang_in_renderer(worker_pid: int) -> str:
    """Never finish in the renderer; in the worker, render."""
    if os.getpid() != worker_pid:
        threading.Event().wait()  # stuck for good, on nothing: it is killed, not waited for
    return "rendered in the worker"


def worker_with_a_renderer() -> None:
    """A stand-in gunicorn worker: starts a renderer, prints its process id, waits."""
    import sys

    from app.rendering import renderer

    renderer.start({})
    print(renderer.render(os.getpid), flush=True)
    sys.stdin.read()  # until the test kills this process


if __name__ == "__main__":
    worker_with_a_renderer()
