"""The data: SQLAlchemy 2 typed models.

Money is stored as integer pence, so sums are exact on SQLite and PostgreSQL.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.versions.statuses import is_editable, is_locked

ROLES = ("admin", "reviewer", "writer", "viewer")
OUTCOMES = ("pending", "won", "lost", "withdrawn")


# scrypt with N=2^14, r=8, p=1: the parameters Django's scrypt hasher uses. Werkzeug's
# default (N=2^15) costs twice the CPU per sign-in (about 100 ms here), which on a
# 2-core server holds a worker long enough to stretch everyone's tail latency.
PASSWORD_HASH_METHOD = "scrypt:16384:8:1"


def utcnow() -> datetime:
    """Timezone-aware now, used as a callable default."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands timestamps back without their zone: they were stored in UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


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


class RateCard(db.Model):
    """A rate card as the engine reads it. Never edited once a plan used it."""

    __tablename__ = "rate_cards"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    effective_from: Mapped[date] = mapped_column(Date)
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Bid(db.Model):
    __tablename__ = "bids"
    __table_args__ = (
        Index("ix_bids_team_status", "team_id", "status"),
        # Covers the portfolio's aggregates: the financial-year range on deadline (or
        # created_at), the team and archive filters and the columns the KPIs sum.
        Index("ix_bids_portfolio", "deadline", "archived_at", "team_id", "value_pence",
              "outcome", "client_requires_coproduction", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    client: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str] = mapped_column(String(60), default="")
    value_pence: Mapped[int] = mapped_column(BigInteger)
    start_date: Mapped[date] = mapped_column(Date)
    duration_months: Mapped[int] = mapped_column(Integer)
    scope: Mapped[str] = mapped_column(String(20))
    # Where a local or regional bid's work happens (app.membership.vocabulary.REGIONS):
    # the network suggests members from it.
    region: Mapped[str | None] = mapped_column(String(30))
    work_type: Mapped[str] = mapped_column(String(20))
    client_requires_coproduction: Mapped[bool] = mapped_column(Boolean, default=False)
    deadline: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    outcome: Mapped[str] = mapped_column(String(20), default="pending")
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)
    row_version: Mapped[int] = mapped_column(Integer, default=1)

    team: Mapped[Team] = relationship()
    created_by: Mapped[User | None] = relationship()
    versions: Mapped[list[PlanVersion]] = relationship(
        back_populates="bid", order_by="PlanVersion.number", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": row_version}

    @property
    def archived(self) -> bool:
        return self.archived_at is not None


class PlanVersion(db.Model):
    """A numbered version of a bid's plan: the inputs and the estimate snapshot."""

    __tablename__ = "plan_versions"
    __table_args__ = (
        UniqueConstraint("bid_id", "number", name="uq_plan_versions_bid_number"),
        # The portfolio joins each bid to its counted version and aggregates these columns.
        # A partial index over counted versions only, covering every column the portfolio
        # reads: the large inputs/estimate rows are never read (index-only scans).
        Index("ix_plan_versions_counted", "bid_id", "is_counted", "level", "status",
              "total_pence", "flag_disproportionate", "flag_below_requirement",
              sqlite_where=text("is_counted = 1"), postgresql_where=text("is_counted")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    level: Mapped[str | None] = mapped_column(String(20))
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)
    estimate: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    total_pence: Mapped[int | None] = mapped_column(BigInteger)
    rate_card_id: Mapped[str | None] = mapped_column(ForeignKey("rate_cards.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    row_version: Mapped[int] = mapped_column(Integer, default=1)
    # Portfolio markers, derived from status, number and estimate; kept up to date by
    # app.versions.counted.refresh_counted_version(bid) after any version is saved.
    is_counted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    flag_disproportionate: Mapped[bool] = mapped_column(Boolean, default=False,
                                                        server_default=false())
    flag_below_requirement: Mapped[bool] = mapped_column(Boolean, default=False,
                                                         server_default=false())

    bid: Mapped[Bid] = relationship(back_populates="versions")
    rate_card: Mapped[RateCard | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    document: Mapped[PlanDocument | None] = relationship(back_populates="version",
                                                             cascade="all, delete-orphan")
    comments: Mapped[list[Comment]] = relationship(
        back_populates="version", order_by="Comment.created_at, Comment.id",
        cascade="all, delete-orphan")

    @property
    def locked(self) -> bool:
        """Approved and submitted versions never change; edits start a new version."""
        return is_locked(self.status)

    @property
    def editable(self) -> bool:
        """A draft, or a version waiting for changes: saving the plan updates it."""
        return is_editable(self.status)

    __mapper_args__ = {"version_id_col": row_version}


class AuditEvent(db.Model):
    """Who did what to which bid, when; with before and after for edits.

    The app only ever inserts these rows: no route updates or deletes them.
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    bid_id: Mapped[int | None] = mapped_column(ForeignKey("bids.id", ondelete="SET NULL"),
                                                  index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(60))
    # The plan version the event changed or decided on (None for bid and admin events):
    # four eyes asks it who changed a version.
    version_number: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 index=True)
    user: Mapped[User | None] = relationship()
    bid: Mapped[Bid | None] = relationship()


class PortfolioTarget(db.Model):
    """The portfolio's KPI targets from one financial year on (an admin edits them).

    ``financial_year`` is the calendar year the April-to-March year starts in
    (2026 means April 2026 to March 2027). A year without its own row uses
    the latest earlier year's targets, else the defaults below.
    """

    __tablename__ = "portfolio_targets"

    DEFAULT_CONSIDERED_PERCENT = 100
    DEFAULT_INCOME_PENCE = 10_000_000  # GBP 100,000 a year, from the board report

    id: Mapped[int] = mapped_column(primary_key=True)
    financial_year: Mapped[int] = mapped_column(Integer, unique=True)
    considered_percent: Mapped[int] = mapped_column(Integer, default=DEFAULT_CONSIDERED_PERCENT)
    income_pence: Mapped[int] = mapped_column(BigInteger, default=DEFAULT_INCOME_PENCE)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)


class RateLimitCounter(db.Model):
    """A rate-limit counter (app.ratelimit_storage): every worker and machine shares it."""

    __tablename__ = "rate_limits"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[float] = mapped_column(Float, index=True)  # seconds since the epoch


class FormSubmission(db.Model):
    """A form's one-time key, claimed when it is first posted (app/idempotency.py)."""

    __tablename__ = "form_submissions"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    location: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 index=True)


class PlanDocument(db.Model):
    """The PDF rendered at approval, kept byte for byte with its SHA-256."""

    __tablename__ = "plan_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id", ondelete="CASCADE"),
                                            unique=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[PlanVersion] = relationship(back_populates="document")


class Comment(db.Model):
    """A reviewer's or author's comment on a version, its section or one line."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id", ondelete="CASCADE"),
                                            index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id",
                                                                ondelete="CASCADE"))
    section: Mapped[str] = mapped_column(String(40), default="plan")
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    version: Mapped[PlanVersion] = relationship(back_populates="comments")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])


class Notification(db.Model):
    """Something waiting for a user: a plan to review, changes requested, a reply."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    bid_id: Mapped[int | None] = mapped_column(ForeignKey("bids.id", ondelete="CASCADE"))
    version_number: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    bid: Mapped[Bid | None] = relationship()


# The network's tables live beside their domain; imported here so every user of the
# metadata (create_all, Alembic) sees them.
from app.membership import models as _membership_models  # noqa: E402,F401
