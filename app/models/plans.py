"""Bids and their plans: rate cards as stored, bids, plan versions, approved documents and
portfolio targets. Money is stored as integer pence, so sums are exact on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import utcnow
from app.versions.statuses import is_editable, is_locked

if TYPE_CHECKING:  # relationships name these; the registry resolves them when mapping
    from app.models.accounts import Team, User
    from app.models.reviews import Comment

OUTCOMES = ("pending", "won", "lost", "withdrawn")


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
