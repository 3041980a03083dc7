"""Results worth keeping, found again by their content.

The costing engine is a pure function (same plan, same seed, same numbers) and the
plan document, budget spreadsheet and estimate charts are deterministic renderings
of stored data. So their results are kept under a key that is the SHA-256 of
everything they depend on, plus a digest of the code that computes them:

- a changed plan, bid, rate card, version status, comment count or approval gives
  a new key, so an entry is never stale and nothing has to be invalidated;
- a deploy that changes the engine, reports, charts or plan-page code, the version
  of numpy, reportlab, python-docx or XlsxWriter, or the fonts installed gives new keys too, so a
  cache shared across processes and machines never serves an old rendering.

Flask-Caching holds the entries: a private folder in the instance path by default
(FolderCache, shared by the workers of one machine), Redis when
CACHE_TYPE=RedisCache (shared by every machine), in memory in the tests. Entries
are pickled, so whoever can write to the folder or the Redis can run code in the
app: the folder must be the app user's own (checked at start), and the Redis a
private one. The cache only ever saves work: when it fails, the result is computed
as if it were empty, and a warning is logged.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask
from flask_caching.backends import FileSystemCache

from app.extensions import cache

T = TypeVar("T")
log = logging.getLogger(__name__)

# The packages whose code decides what a kept result holds (plans assembles the
# estimate page's charts), and the libraries that draw, write and sample it.
_CODE = ("costing", "reports", "charts", "plans")
_LIBRARIES = ("numpy", "reportlab", "rl_renderPM", "python-docx", "XlsxWriter", "pillow")
FOLDER_TYPES = ("app.cache.FolderCache", "FileSystemCache")
# A cache server that hangs must not hold a worker (or a transaction) for long.
REDIS_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of the engine, reports, charts and plan-page source, of the versions of
    the libraries they use, of the fonts they draw with and of the easy read pictures,
    once per process."""
    from app.charts.theme import font_signature
    from app.reports.easyread import PICTURE_DIR

    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for package in _CODE:
        sources = sorted([*(root / package).rglob("*.py"), *(root / package).rglob("*.json")])
        if not sources:  # installed without source: no way to tell versions apart
            raise RuntimeError(f"no Python source in app/{package} to key the cache on")
        for path in sources:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    for library in _LIBRARIES:
        digest.update(f"{library}=={metadata.version(library)}".encode())
    digest.update(font_signature().encode())
    for picture in sorted(PICTURE_DIR.glob("*.png")):
        digest.update(picture.name.encode())   # the easy read pictures the documents embed
        digest.update(picture.read_bytes())
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
    try:
        key = content_key(kind, parts)
        value = cache.get(key)
    except Exception:  # a cache that fails only costs time: compute instead
        log.warning("cache read failed for %s", kind, exc_info=True)
        return compute()
    if value is not None:
        return value
    value = compute()
    try:
        cache.set(key, value)
    except Exception:
        log.warning("cache write failed for %s", kind, exc_info=True)
    return value


class FolderCache(FileSystemCache):
    """Flask-Caching's folder cache, pruned a quarter at a time.

    cachelib removes the oldest files only until the count is back at the
    threshold, so once the folder is full every write would read every file in
    it again; pruning to three quarters spreads that over many writes."""

    def _prune(self) -> None:
        if not self._over_threshold():
            return
        threshold = self._threshold
        self._threshold = threshold * 3 // 4
        try:
            super()._prune()
        finally:
            self._threshold = threshold


def configure(app: Flask) -> None:
    """Complete the cache settings before Flask-Caching starts: the folder defaults to
    <instance>/cache and must be private to this user (else results are kept in
    memory, with a warning); Redis gets short timeouts."""
    kind = app.config.get("CACHE_TYPE")
    if kind in FOLDER_TYPES:
        folder = app.config.get("CACHE_DIR") or os.path.join(app.instance_path, "cache")
        problem = folder_problem(folder)
        if problem:
            log.warning("cache folder %s %s: keeping results in each process's memory "
                        "instead", folder, problem)
            app.config["CACHE_TYPE"] = "SimpleCache"
        else:
            app.config["CACHE_DIR"] = folder
    elif kind == "RedisCache":
        app.config["CACHE_OPTIONS"] = {**REDIS_OPTIONS, **(app.config.get("CACHE_OPTIONS") or {})}


def folder_problem(folder: str) -> str | None:
    """Why this folder may not hold pickled results, or None if it may."""
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        status = os.stat(folder)
    except OSError as error:
        return f"cannot be used ({error.strerror})"
    if hasattr(os, "getuid") and status.st_uid != os.getuid():
        return "belongs to another user"
    if status.st_mode & 0o022:
        return "can be written by other users"
    if not os.access(folder, os.W_OK | os.X_OK):
        return "is not writable"
    return None
