"""Sign in and sign out. Failed attempts are rate limited per address."""
from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from app import audit, tokens
from app.auth.forms import PasswordForm, SignInForm, TokenForm
from app.extensions import db, limiter, login_manager
from app.models import PASSWORD_HASH_METHOD, ApiToken, User

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(session_user_id: str) -> User | None:
    """The signed-in user with their teams (every access check asks for them), in one
    query: this runs on every request, and two queries cost twice the time.

    The session holds "<id>.<generation>" (User.get_id); a session whose generation is
    no longer the user's (signed out, new password, deactivated) is no session at all."""
    user_id, _, generation = session_user_id.partition(".")
    if not (user_id.isdigit() and generation.isdigit()) or len(user_id) > 18:
        return None
    user = db.session.scalars(select(User).options(joinedload(User.teams))
                              .where(User.id == int(user_id))).unique().one_or_none()
    if user is None or user.session_generation != int(generation):
        return None
    return user


# A hash of a random password with the same method: an unknown email costs the same
# scrypt work as a known one, so the time taken does not tell which emails exist.
_DUMMY_HASH = generate_password_hash(secrets.token_urlsafe(16), method=PASSWORD_HASH_METHOD)


def password_matches(user: User | None, password: str) -> bool:
    """Check the password, spending the same time whether or not the user exists."""
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return False
    return user.check_password(password)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _safe_next(target: str | None) -> str:
    """Only follow a local path after sign-in, never another site."""
    if target and target.isprintable():  # no CR, LF or other control characters
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
        if password_matches(user, form.password.data) and user.active:
            login_user(user)
            current_app.logger.info("sign-in user_id=%s", user.id)
            return redirect(_safe_next(request.args.get("next")))
        current_app.logger.info("failed sign-in from %s", request.remote_addr)
        form.password.errors.append("The email address or password is not right")
    return render_template("auth/sign_in.html", form=form)


@bp.post("/sign-out")
@login_required
def sign_out():
    """End this session and every other session of this user, on every worker."""
    current_user.end_sessions()
    db.session.commit()
    logout_user()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def tokens_page():
    """The user's own API tokens: make one (shown once), see and revoke them."""
    form = TokenForm()
    clear = None
    if form.validate_on_submit():
        clear = tokens.issue(current_user, form.name.data, actor=current_user)
        form = TokenForm(formdata=None)
    return render_template("auth/tokens.html", form=form, clear=clear,
                           tokens=tokens.tokens_of(current_user))


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    """Revoke one of your own tokens (anyone else's is "not found")."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    tokens.revoke(token, actor=current_user)
    flash("The token was revoked: it no longer works.", "success")
    return redirect(url_for("auth.tokens_page"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """A new password ends every session and API token of this user (other browsers, the
    scripts using the tokens); this browser stays signed in with a new session."""
    form = PasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append("The current password is not right")
        else:
            user = db.session.get(User, current_user.id)
            user.set_password(form.new.data)
            audit.record("user.password_changed", user=user,
                         summary=f"{user.email} changed their password")
            db.session.commit()
            login_user(user)  # this session, under the new generation
            flash("Password changed. You were signed out everywhere else, and your API "
                  "tokens were revoked.", "success")
            return redirect(url_for("bids.index"))
    return render_template("auth/password.html", form=form)
