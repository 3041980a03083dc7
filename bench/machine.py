"""What every benchmark prints about where its figures came from."""
from __future__ import annotations

import os
import platform


def cpu_model() -> str:
    """The processor's model name (from /proc/cpuinfo where there is one)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            return next(line.split(":", 1)[1].strip() for line in info
                        if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or platform.machine() or "unknown CPU"


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: other work slows every figure."""
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def describe() -> str:
    """CPU, cores, operating system and Python on one line."""
    return (f"{cpu_model()}, {os.cpu_count()} cores, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}")
