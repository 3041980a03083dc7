"""How much one API token may ask of the server: a rate limit and a cost limit.

Every request counts against ``API_RATE_LIMIT`` (per token; per address without
one). An estimate or fit costs more the more work it asks for: lines × draws
(the engine's arrays), one unit per ``WORK_PER_UNIT``; a single request asking
for more than ``API_MAX_WORK`` is refused with a message naming ``options.draws``
before the engine runs. So a viewer cannot keep two cores busy (or fill the
cache of kept results) with 200 lines × 200,000 draws, again and again.
"""
from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app, request
from flask_limiter.util import get_remote_address

from app.costing.inputs import DRAWS_DEFAULT

WORK_PER_UNIT = 200_000  # lines × draws: 20 lines at the default 10,000 draws
COSTED_ENDPOINTS = frozenset({"api.post_estimate", "api.post_fit"})


def rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def token_key() -> str:
    """Count per token (hashed, as stored), else per address."""
    header = request.headers.get("Authorization", "")
    if header:
        return "api:" + hashlib.sha256(header.encode()).hexdigest()[:32]
    return "api-address:" + (get_remote_address() or "")


def requested_work(body: Any) -> int:
    """Lines × draws of an estimate or fit body (the plan itself, or {"plan": ...})."""
    if isinstance(body, dict) and isinstance(body.get("plan"), dict):
        body = body["plan"]
    if not isinstance(body, dict):
        return 0
    activities = body.get("activities")
    lines = len(activities) if isinstance(activities, list) else 0
    options = body.get("options")
    draws = options.get("draws") if isinstance(options, dict) else None
    if not isinstance(draws, int) or isinstance(draws, bool) or draws <= 0:
        draws = DRAWS_DEFAULT
    return max(lines, 1) * min(draws, 10**9)


def request_cost() -> int:
    if request.endpoint not in COSTED_ENDPOINTS:
        return 1
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # refused with a 400 by app.input_guard, which runs next
        return 1
    return 1 + requested_work(body) // WORK_PER_UNIT


def too_much_work(body: Any) -> str | None:
    """Why this request asks for too much at once, or None."""
    most = current_app.config["API_MAX_WORK"]
    work = requested_work(body)
    if work <= most:
        return None
    return (f"lines × draws is {work:,}; one request may ask for at most {most:,}. "
            "Ask for fewer draws (options.draws) or send fewer lines.")
