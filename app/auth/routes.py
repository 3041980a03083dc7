"""Sign in and sign out. Failed attempts are rate limited per address."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.auth.forms import SignInForm
from app.extensions import db, limiter, login_manager
from app.models import User

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The signed-in user with their teams (every access check asks for them), in one
    query: this runs on every request, and two queries cost twice the time."""
    if not user_id.isdigit():
        return None
    return db.session.scalars(select(User).options(joinedload(User.teams))
                              .where(User.id == int(user_id))).unique().one_or_none()


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _safe_next(target: str | None) -> str:
    """Only follow a local path after sign-in, never another site."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") \
                and not target.startswith("//") and "\\" not in target:
            return target
    return url_for("bids.index")


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=lambda response: response.status_code != 302)
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("bids.index"))
    form = SignInForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        if user is not None and user.active and user.check_password(form.password.data):
            login_user(user)
            current_app.logger.info("sign-in user_id=%s", user.id)
            return redirect(_safe_next(request.args.get("next")))
        current_app.logger.info("failed sign-in from %s", request.remote_addr)
        form.password.errors.append("The email address or password is not right")
    return render_template("auth/sign_in.html", form=form)


@bp.post("/sign-out")
@login_required
def sign_out():
    logout_user()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))
