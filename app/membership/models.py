"""The network's tables: members, consent, meetings, attendance, involvement, audit.

Access needs and lived experience are held only as ciphertext (``*_cipher``,
deferred so lists never load them); the ``needs`` and ``lived_experience``
properties decrypt and encrypt with the configured keys (app.membership.crypto).
Erasing a member blanks every personal field and keeps the row, its dates and
its participation, so the KPIs count the same afterwards.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.membership import crypto
from app.membership.vocabulary import BID_WORK
from app.models import User, utcnow


class Member(db.Model):
    """A person or an organisation's representative in the co-production network."""

    __tablename__ = "network_members"
    __table_args__ = (Index("ix_network_members_status_region", "status", "region"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="person")
    organisation_name: Mapped[str] = mapped_column(String(200), default="")
    organisation_type: Mapped[str] = mapped_column(String(30), default="")
    display_name: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    region: Mapped[str] = mapped_column(String(30), default="")
    local_authority: Mapped[str] = mapped_column(String(120), default="")
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    payment_preference: Mapped[str] = mapped_column(String(20), default="paid")
    status: Mapped[str] = mapped_column(String(10), default="active")
    joined_on: Mapped[date] = mapped_column(Date)
    paused_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    needs_cipher: Mapped[str | None] = mapped_column(Text, deferred=True)
    lived_experience_cipher: Mapped[str | None] = mapped_column(Text, deferred=True)
    erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)
    row_version: Mapped[int] = mapped_column(Integer, default=1)

    consents: Mapped[list[Consent]] = relationship(
        back_populates="member", order_by="Consent.given_on.desc(), Consent.id.desc()",
        cascade="all, delete-orphan")
    involvements: Mapped[list[Involvement]] = relationship(back_populates="member")

    __mapper_args__ = {"version_id_col": row_version}

    @property
    def pseudonym(self) -> str:
        """How documents name a member who has not consented to be named."""
        return f"Network member M{self.id:04d}" if self.id else "Network member"

    @property
    def erased(self) -> bool:
        return self.erased_at is not None

    @property
    def needs(self) -> list[str]:
        """Access and communication needs (decrypted: special category data)."""
        return crypto.keys().decrypt(self.needs_cipher) if self.needs_cipher else []

    @needs.setter
    def needs(self, value: list[str]) -> None:
        self.needs_cipher = crypto.keys().encrypt(sorted(set(value))) if value else None

    @property
    def lived_experience(self) -> list[str]:
        """Areas of lived experience, free tags (decrypted: special category data)."""
        return (crypto.keys().decrypt(self.lived_experience_cipher)
                if self.lived_experience_cipher else [])

    @lived_experience.setter
    def lived_experience(self, value: list[str]) -> None:
        self.lived_experience_cipher = crypto.keys().encrypt(list(value)) if value else None

    def live_consent(self, purpose: str) -> Consent | None:
        """The consent for this purpose that is in force (not withdrawn), if any."""
        return next((consent for consent in self.consents
                     if consent.purpose == purpose and consent.withdrawn_on is None), None)

    @property
    def consents_to_bid_work(self) -> bool:
        return self.live_consent(BID_WORK) is not None

    @property
    def may_be_named(self) -> bool:
        """Named in bid documents only with live bid-work consent that says so."""
        consent = self.live_consent(BID_WORK)
        return consent is not None and consent.may_be_named

    def document_name(self) -> str:
        return self.display_name if self.may_be_named and not self.erased else self.pseudonym


class Consent(db.Model):
    """What a member consented to, when, recorded by whom; withdrawal ends its use."""

    __tablename__ = "network_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("network_members.id", ondelete="CASCADE"),
                                           index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    given_on: Mapped[date] = mapped_column(Date)
    may_be_named: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    withdrawn_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    member: Mapped[Member] = relationship(back_populates="consents")
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])


class NetworkMeeting(db.Model):
    """A meeting of the whole network, and who attended."""

    __tablename__ = "network_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(String(200))
    format: Mapped[str] = mapped_column(String(20), default="in_person")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    attendances: Mapped[list[MeetingAttendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan")


class MeetingAttendance(db.Model):
    __tablename__ = "network_meeting_attendances"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id",
                                       name="uq_network_attendance_meeting_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("network_meetings.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("network_members.id"), index=True)
    meeting: Mapped[NetworkMeeting] = relationship(back_populates="attendances")
    member: Mapped[Member] = relationship()


class Involvement(db.Model):
    """A member on a plan line: assigned, then took part (with sessions attended).

    The line is the bid's activity line at ``line_index`` with ``role``, as the
    plan stood when the member was assigned.
    """

    __tablename__ = "network_involvements"
    __table_args__ = (UniqueConstraint("member_id", "bid_id", "line_index",
                                       name="uq_network_involvement_member_line"),
                      Index("ix_network_involvements_bid_line", "bid_id", "line_index"))

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("network_members.id"), index=True)
    bid_id: Mapped[int | None] = mapped_column(ForeignKey("bids.id", ondelete="SET NULL"))
    line_index: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="assigned")
    assigned_on: Mapped[date] = mapped_column(Date)
    took_part_on: Mapped[date | None] = mapped_column(Date)
    sessions_attended: Mapped[int] = mapped_column(Integer, default=0)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    member: Mapped[Member] = relationship(back_populates="involvements")


class MemberAuditEvent(db.Model):
    """Every view and change of a member: who, when, what (field names, never values).

    ``member_id`` is a plain number, not a foreign key, so the trail outlives erasure.
    Only ever inserted.
    """

    __tablename__ = "network_audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int | None] = mapped_column(Integer, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(40))
    fields: Mapped[list[str] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 index=True)
    user: Mapped[User | None] = relationship()


class NetworkSettings(db.Model):
    """The register's settings (one row): the retention period an admin sets."""

    __tablename__ = "network_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    retention_months: Mapped[int] = mapped_column(Integer)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)


def member_fields(member: Member) -> dict[str, Any]:
    """The plain (not special category) fields, for diffs and the subject access export."""
    return {name: getattr(member, name) for name in (
        "kind", "organisation_name", "organisation_type", "display_name", "email", "phone",
        "region", "local_authority", "roles", "payment_preference", "status")}
