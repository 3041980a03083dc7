"""People and access: teams, users (passwords, session generations, roles) and API tokens."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models.base import as_utc, utcnow

ROLES = ("admin", "reviewer", "writer", "viewer")


# scrypt with N=2^14, r=8, p=1: the parameters Django's scrypt hasher uses. Werkzeug's
# default (N=2^15) costs twice the CPU per sign-in (about 100 ms here), which on a
# 2-core server holds a worker long enough to stretch everyone's tail latency.
PASSWORD_HASH_METHOD = "scrypt:16384:8:1"


team_members = Table(
    "team_members",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("team_id", ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
)


class Team(db.Model):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    members: Mapped[list[User]] = relationship(secondary=team_members, back_populates="teams")

    def __repr__(self) -> str:
        return f"<Team {self.name}>"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(20), default="writer")
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Reviewers an admin marks as network coordinator (app.access.is_coordinator).
    network_coordinator: Mapped[bool] = mapped_column(Boolean, default=False,
                                                      server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Part of every session's user id (get_id): raising it ends every session of this
    # user at their next request, on every worker and machine (sign-out, a new password,
    # deactivation). It only ever goes up, so reactivation revives nothing.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    teams: Mapped[list[Team]] = relationship(secondary=team_members, back_populates="members",
                                             lazy="selectin")
    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user",
                                                  order_by="ApiToken.id")

    def set_password(self, password: str) -> None:
        """A new password ends every session and revokes every API token of this user."""
        had_password = self.password_hash is not None
        self.password_hash = generate_password_hash(password, method=PASSWORD_HASH_METHOD)
        if had_password:
            self.end_sessions()
            self.revoke_tokens()

    def end_sessions(self) -> None:
        """Every session cookie of this user stops working at its next request."""
        self.session_generation = (self.session_generation or 0) + 1

    def revoke_tokens(self) -> int:
        """Revoke every API token still usable; return how many."""
        now = utcnow()
        live = [token for token in self.tokens if token.revoked_at is None]
        for token in live:
            token.revoked_at = now
        return len(live)

    def get_id(self) -> str:
        """The session's user id: "<id>.<generation>" (Flask-Login's alternative id)."""
        return f"{self.id}.{self.session_generation or 0}"

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return self.active

    @property
    def display_name(self) -> str:
        return self.name or self.email

    @property
    def team_ids(self) -> set[int]:
        return {team.id for team in self.teams}

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class ApiToken(db.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(80), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    user: Mapped[User] = relationship(back_populates="tokens")

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str = "", days: int | None = 90) -> tuple[ApiToken, str]:
        """Create a token row; return it with the clear token, shown once."""
        clear = secrets.token_urlsafe(32)
        expires = utcnow() + timedelta(days=days) if days else None
        return cls(user=user, token_hash=cls.hash(clear), name=name, expires_at=expires), clear

    @property
    def state(self) -> str:
        """"revoked", "expired" or "active"."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and as_utc(self.expires_at) <= utcnow():
            return "expired"
        return "active"

    @property
    def usable(self) -> bool:
        return self.state == "active" and self.user.active
