"""A throwaway instance of the app for benchmarks: temp SQLite, demo users, and a bid
with the 30-line full-level plan the report benchmark uses."""
from __future__ import annotations

import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.demo import DEMO_PASSWORD, seed_demo  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Bid, Team, User  # noqa: E402
from app.versions import store  # noqa: E402
from app.versions.engine import seed_rate_cards  # noqa: E402
from config import DevelopmentConfig  # noqa: E402
from tests.reports.plans import full_plan  # noqa: E402

WRITER = "lead@example.org"


@contextmanager
def bench_app(cache_type: str = "NullCache") -> Iterator[tuple[object, int]]:
    """(app, bid id) with a saved 30-line full plan (10,000 draws), on a temp database.
    Kept results (app/cache.py) are off unless `cache_type` names a cache (in memory:
    "SimpleCache"), so a figure is the work itself, not a cache lookup."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder}/b.db",
                         WTF_CSRF_ENABLED=False, LOGIN_RATE_LIMIT="100000 per minute",
                         CACHE_TYPE=cache_type, CACHE_NO_NULL_WARNING=True)
        with app.app_context():
            db.create_all()
            seed_rate_cards()
            seed_demo()
            plan = full_plan()
            team = db.session.scalar(db.select(Team).where(Team.name == "Demo"))
            writer = db.session.scalar(db.select(User).where(User.email == WRITER))
            bid_fields = plan["bid"]
            bid = Bid(team=team, title=bid_fields["title"], client=bid_fields["client"],
                      reference="BENCH-1", value_pence=round(bid_fields["value_gbp"] * 100),
                      start_date=date.fromisoformat(bid_fields["start_date"]),
                      duration_months=bid_fields["duration_months"], scope=bid_fields["scope"],
                      work_type=bid_fields["work_type"], created_by=writer,
                      client_requires_coproduction=bid_fields["client_requires_coproduction"])
            db.session.add(bid)
            db.session.commit()
            inputs = dict(plan, options={"draws": 10_000, "seed": 0})
            store.save_plan(bid, inputs, writer, None)
            bid_id = bid.id
            db.session.remove()
        yield app, bid_id


@contextmanager
def served(app) -> Iterator[str]:
    """Serve the app on a free localhost port in a thread; yield its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def signed_in_client(app):
    client = app.test_client()
    client.post("/sign-in", data={"email": WRITER, "password": DEMO_PASSWORD})
    return client

