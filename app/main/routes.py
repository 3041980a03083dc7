"""The front door: signed-in users go to their bids, others to sign in."""
from flask import Blueprint, redirect, url_for
from flask_login import current_user

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("bids.index"))
    return redirect(url_for("auth.sign_in"))


@bp.get("/healthz")
def healthz():
    """A bare endpoint for load balancers (and the load test's ceiling)."""
    return {"status": "ok"}
