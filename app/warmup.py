"""Warm a new server process before it takes requests (gunicorn.conf.py calls this).

A fresh worker otherwise pays on its first requests for compiling every template,
building the engine's sampling tables, loading the PDF fonts and digesting the
code the cache keys on (about 0.25 s on its own): a few hundred
milliseconds that land on whichever users arrive first, which after a restart is
everybody at once. Nothing here touches the database or the cache.
"""
from __future__ import annotations

import gc
import logging
import time

from flask import Flask

from app import costing, reports
from app.cache import code_digest

log = logging.getLogger(__name__)

#: The collector's thresholds in a serving worker (Python's default is 700, 10, 10). One
#: request allocates tens of thousands of objects (a plan PDF about half a million), so at
#: 700 the collector runs hundreds of times a request, each pass walking every young
#: object; measured on the load test's mix (bid list, save, PDF), collection took 10% of
#: a worker's CPU, and 2.5% with these thresholds and the warmed-up heap frozen.
SERVING_GC_THRESHOLDS = (50_000, 20, 100)

SAMPLE_BID = {"title": "Warm-up", "client": "Nobody", "reference": "WARM-UP",
              "value_gbp": 120_000, "start_date": "2027-04-01", "duration_months": 12,
              "scope": "local", "work_type": "training", "client_requires_coproduction": True}


def warm_up(app: Flask) -> float:
    """Compile the templates, run the engine at every level, render one plan PDF and
    work out the cache's code digest. Returns the seconds it took."""
    started = time.perf_counter()
    code_digest()
    for name in app.jinja_env.list_templates(extensions=("html",)):
        app.jinja_env.get_template(name)
    levels = costing.compare_levels(SAMPLE_BID)
    warm_documents(word=False)
    seconds = time.perf_counter() - started
    log.info("warmed up in %.0f ms (%d levels costed)", seconds * 1000, len(levels["levels"]))
    return seconds


def warm_documents(word: bool = True) -> None:
    """Load the fonts and pictures by rendering one plan PDF (and Word plan)."""
    plan = {"bid": SAMPLE_BID, "level": "good", "existing_network": False,
            "activities": costing.template_activities("good", "training", SAMPLE_BID),
            "accessible_formats": {"easy_read_pages": 0}}
    estimate = costing.estimate(plan)
    reports.render_plan_pdf(plan, estimate)
    if word:
        reports.render_plan_docx(plan, estimate)


def settle_garbage_collector() -> None:
    """After warming up: move everything alive now (the app, its templates, the engine's
    tables, the fonts) out of the collector's sight, since it lives as long as the
    worker, and collect less often. Cycles made by requests are still collected."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*SERVING_GC_THRESHOLDS)
