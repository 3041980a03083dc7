"""API tokens: issue, list and revoke (the CLI, the account page and the admin page).

Only a token's SHA-256 is stored; the clear token is shown once, when issued.
Every token expires (``API_TOKEN_DAYS``, 90 by default); a revoked or expired
token, or one whose user is deactivated, is refused by ``app.api.auth``.
"""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import audit
from app.extensions import db
from app.models import ApiToken, User, utcnow

MAX_NAME_LENGTH = 80


def default_days() -> int:
    return int(current_app.config.get("API_TOKEN_DAYS", 90))


def issue(user: User, name: str, actor: User | None, days: int | None = None) -> str:
    """Create and commit a token for ``user``; return the clear token (shown once)."""
    token, clear = ApiToken.issue(user, name=name.strip()[:MAX_NAME_LENGTH],
                                  days=days or default_days())
    db.session.add(token)
    audit.record("token.created", user=actor,
                 summary=f"Created API token “{token.name or 'unnamed'}” for {user.email}")
    db.session.commit()
    return clear


def tokens_of(user: User) -> list[ApiToken]:
    """This user's tokens, newest first (revoked and expired ones too)."""
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.id.desc())))


def all_tokens() -> list[ApiToken]:
    """Every user's tokens with their users, newest first (the admin page, the CLI)."""
    return list(db.session.scalars(select(ApiToken).options(joinedload(ApiToken.user))
                                   .order_by(ApiToken.id.desc())))


def revoke(token: ApiToken, actor: User | None) -> bool:
    """Revoke one token; False if it was already revoked."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    audit.record("token.revoked", user=actor,
                 summary=f"Revoked API token {token.id} of {token.user.email}")
    db.session.commit()
    return True
