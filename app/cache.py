"""Results worth keeping, found again by their content.

The costing engine is a pure function (same plan, same seed, same numbers) and the
plan document, budget spreadsheet and estimate charts are deterministic renderings
of stored data. So their results are kept under a key that is the SHA-256 of
everything they depend on, plus a digest of the code that computes them:

- a changed plan, bid, rate card, version status or approval gives a new key, so
  an entry is never stale and nothing has to be invalidated;
- a deploy that changes the engine, reports or charts code, or the version of
  numpy, reportlab or openpyxl, gives new keys too, so a cache shared across
  processes and machines never serves an old rendering.

Flask-Caching holds the entries: a folder in the instance path by default (shared
by the workers of one machine), Redis when CACHE_TYPE=RedisCache (shared by every
machine), in memory in the tests. The cache only ever saves work: when it fails,
the result is computed as if it were empty, and a warning is logged.
"""
from __future__ import annotations

import hashlib
import json
import logging
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

from app.extensions import cache

T = TypeVar("T")
log = logging.getLogger(__name__)

# The packages whose code decides what a kept result holds: ours, and the libraries
# that draw, write and sample it.
_CODE = ("costing", "reports", "charts")
_LIBRARIES = ("numpy", "reportlab", "openpyxl")


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of the engine, reports and charts source and of the versions of the
    libraries they use, worked out once per process."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for package in _CODE:
        for path in sorted((root / package).rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    for library in _LIBRARIES:
        digest.update(f"{library}=={metadata.version(library)}".encode())
    return digest.hexdigest()[:16]


def content_key(kind: str, parts: Iterable[Any]) -> str:
    """`kind:code:sha256` of the parts as canonical JSON (dates and the like as text)."""
    payload = json.dumps(list(parts), sort_keys=True, separators=(",", ":"),
                         ensure_ascii=False, default=str)
    return f"{kind}:{code_digest()}:{hashlib.sha256(payload.encode()).hexdigest()}"


def remembered(kind: str, parts: Iterable[Any], compute: Callable[[], T]) -> T:
    """The kept result for these parts, or `compute()` (kept for next time).

    Exceptions from `compute` pass through and nothing is kept. Each call returns
    its own copy, so a caller may change what it gets without touching the cache.
    """
    key = content_key(kind, parts)
    try:
        value = cache.get(key)
    except Exception:  # a cache that fails only costs time: compute instead
        log.warning("cache read failed for %s", kind, exc_info=True)
        value = None
    if value is not None:
        return value
    value = compute()
    try:
        cache.set(key, value)
    except Exception:
        log.warning("cache write failed for %s", kind, exc_info=True)
    return value
