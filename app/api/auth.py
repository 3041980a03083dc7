"""Bearer-token authentication for the JSON API (tokens are stored hashed)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import g, jsonify, request
from sqlalchemy import select

from app.extensions import db
from app.models import ApiToken, User, as_utc

TOUCH_EVERY = timedelta(minutes=5)


def user_from_token() -> User | None:
    """The active user whose token is in the Authorization header, if any."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(
        token.strip())))
    if row is None or not row.usable:  # revoked, expired, or its user deactivated
        return None
    now = datetime.now(UTC)
    last = row.last_used_at
    if last is None or as_utc(last) < now - TOUCH_EVERY:
        row.last_used_at = now  # coarse, so reads do not write on every request
        db.session.commit()
    return row.user


def require_token():
    """before_request: 401 unless a valid bearer token is sent."""
    user = user_from_token()
    if user is None:
        response = jsonify({"errors": [{"field": "Authorization", "message":
                                        "Send a valid API token as 'Authorization: Bearer "
                                        "<token>' (create one with flask create-token)."}]})
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
        return response
    g.api_user = user
    return None
