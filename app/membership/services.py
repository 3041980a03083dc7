"""Write-side and read-side operations on the register, below every blueprint.

Every change and every view of a member adds a MemberAuditEvent in the caller's
transaction (who, when, what: field names, never values). Nothing here logs or
caches a need or a lived-experience tag.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import undefer

from app.extensions import db
from app.membership import crypto
from app.membership.kpis import (
    MeetingRecord,
    MemberRecord,
    NetworkYear,
    ParticipationRecord,
    groups_of,
    network_year,
)
from app.membership.matching import Candidate
from app.membership.models import (
    Consent,
    Involvement,
    MeetingAttendance,
    Member,
    MemberAuditEvent,
    NetworkMeeting,
    NetworkSettings,
    member_fields,
)
from app.membership.vocabulary import BID_WORK, DEFAULT_RETENTION_MONTHS
from app.models import User

SPECIAL_FIELDS = ("needs", "lived_experience")
PERSONAL_FIELDS = ("organisation_name", "display_name", "email", "phone", "local_authority")


def audit(action: str, member_id: int | None, user: User | None,
          fields: Iterable[str] = ()) -> MemberAuditEvent:
    """Add an audit row (committed with the change or view it records)."""
    event = MemberAuditEvent(action=action, member_id=member_id,
                             fields=sorted(fields) or None,
                             user_id=user.id if user is not None and user.is_authenticated
                             else None)
    db.session.add(event)
    return event


def _snapshot(member: Member) -> dict[str, Any]:
    return member_fields(member) | {"needs": member.needs,
                                    "lived_experience": member.lived_experience}


def apply_values(member: Member, values: Mapping[str, Any]) -> list[str]:
    """Set the member's fields from validated values; the names of those that changed."""
    before = _snapshot(member) if member.id else {}
    for name, value in values.items():
        setattr(member, name, value)
    after = _snapshot(member)
    return [name for name in values if before.get(name) != after.get(name)]


def create_member(values: Mapping[str, Any], user: User,
                  consent: Mapping[str, Any] | None = None) -> Member:
    """A new member (and their bid-work consent, if given), audited; not committed."""
    member = Member(status="active")
    apply_values(member, values)
    db.session.add(member)
    db.session.flush()
    audit("create", member.id, user, values.keys())
    if consent:
        record_consent(member, user, **consent)
    return member


def update_member(member: Member, values: Mapping[str, Any], user: User) -> list[str]:
    changed = apply_values(member, values)
    if changed:
        audit("update", member.id, user, changed)
    return changed


def record_consent(member: Member, user: User, *, purpose: str, given_on: date,
                   may_be_named: bool = False) -> Consent:
    """Consent for a purpose; a live consent for the same purpose is replaced (withdrawn)."""
    previous = member.live_consent(purpose)
    if previous is not None:
        previous.withdrawn_on = given_on
        previous.withdrawn_recorded_by_id = user.id
    consent = Consent(purpose=purpose, given_on=given_on, may_be_named=may_be_named,
                      recorded_by_id=user.id)
    member.consents.insert(0, consent)
    audit("consent", member.id, user, [f"consent.{purpose}"])
    return consent


def withdraw_consent(member: Member, consent: Consent, on: date, user: User) -> None:
    consent.withdrawn_on = on
    consent.withdrawn_recorded_by_id = user.id
    audit("withdraw-consent", member.id, user, [f"consent.{consent.purpose}"])


def change_status(member: Member, status: str, on: date, user: User) -> None:
    """Active, paused or left, with the day it happened."""
    member.status = status
    member.paused_on = on if status == "paused" else None
    member.left_on = on if status == "left" else None
    audit("status", member.id, user, ["status"])


def viewed(member: Member, user: User, what: str = "view") -> None:
    """Record that a coordinator opened the member's page (or export)."""
    audit(what, member.id, user)
    db.session.commit()


def viewed_many(member_ids: Iterable[int], user: User, what: str) -> None:
    """Record that a page showed these members' special category data (one row each)."""
    for member_id in member_ids:
        audit(what, member_id, user)
    db.session.commit()


def erase(member: Member, user: User) -> None:
    """Remove every personal field; keep the row, its dates and participation (anonymous)."""
    for name in PERSONAL_FIELDS:
        setattr(member, name, "")
    member.roles = []
    member.needs_cipher = None
    member.lived_experience_cipher = None
    member.region = ""
    if member.status != "left":
        member.status, member.left_on = "left", date.today()
    member.erased_at = datetime.now(UTC)
    for consent in member.consents:
        if consent.withdrawn_on is None:
            consent.withdrawn_on = date.today()
            consent.withdrawn_recorded_by_id = user.id
    audit("erase", member.id, user, [*PERSONAL_FIELDS, *SPECIAL_FIELDS, "roles", "region"])


def subject_access(member: Member) -> dict[str, Any]:
    """Everything held about the member, as one JSON-able document."""
    involvement = db.session.scalars(select(Involvement).where(
        Involvement.member_id == member.id).order_by(Involvement.assigned_on)).all()
    meetings = db.session.execute(
        select(NetworkMeeting.held_on, NetworkMeeting.title).join(MeetingAttendance)
        .where(MeetingAttendance.member_id == member.id).order_by(NetworkMeeting.held_on)).all()
    trail = db.session.scalars(select(MemberAuditEvent).where(
        MemberAuditEvent.member_id == member.id).order_by(MemberAuditEvent.id)).all()
    return {
        "member": {"id": member.id, "pseudonym": member.pseudonym,
                   **member_fields(member), "joined_on": _day(member.joined_on),
                   "paused_on": _day(member.paused_on), "left_on": _day(member.left_on),
                   "needs": member.needs, "lived_experience": member.lived_experience},
        "consents": [{"purpose": c.purpose, "given_on": _day(c.given_on),
                      "may_be_named": c.may_be_named, "withdrawn_on": _day(c.withdrawn_on),
                      "recorded_by": c.recorded_by.display_name if c.recorded_by else None}
                     for c in member.consents],
        "involvement": [{"bid_id": i.bid_id, "line": i.line_index + 1, "role": i.role,
                         "status": i.status, "assigned_on": _day(i.assigned_on),
                         "took_part_on": _day(i.took_part_on),
                         "sessions_attended": i.sessions_attended} for i in involvement],
        "meetings_attended": [{"held_on": _day(held_on), "title": title}
                              for held_on, title in meetings],
        "access_log": [{"action": e.action, "at": e.created_at.isoformat(),
                        "by": e.user.display_name if e.user else None,
                        "fields": e.fields or []} for e in trail],
    }


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def retention_months() -> int:
    settings = db.session.scalar(select(NetworkSettings).limit(1))
    return settings.retention_months if settings else DEFAULT_RETENTION_MONTHS


def set_retention_months(months: int, user: User) -> None:
    settings = db.session.scalar(select(NetworkSettings).limit(1))
    if settings is None:
        settings = NetworkSettings(retention_months=months)
        db.session.add(settings)
    settings.retention_months = months
    settings.updated_by_id = user.id


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier (the month's last day where it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def retention_due(today: date, months: int) -> list[Member]:
    """Members who left more than the retention period ago and are not yet erased."""
    cutoff = months_before(today, months)
    return list(db.session.scalars(select(Member).where(
        Member.status == "left", Member.left_on < cutoff, Member.erased_at.is_(None))
        .order_by(Member.left_on, Member.id)))


def involvement_counts(start: date, end: date) -> dict[int, int]:
    """Plan lines each member was assigned to or took part in from start to end."""
    rows = db.session.execute(
        select(Involvement.member_id, func.count()).where(
            Involvement.assigned_on >= start, Involvement.assigned_on <= end)
        .group_by(Involvement.member_id))
    return dict(rows.all())


def candidates(start: date, end: date, role: str | None = None) -> list[Candidate]:
    """Every active member (wanting ``role``, if given), as matching reads them: one query
    for the members, one for this year's involvement counts; nothing decrypted."""
    counts = involvement_counts(start, end)
    consenting = select(Consent.member_id).where(Consent.purpose == BID_WORK,
                                                 Consent.withdrawn_on.is_(None))
    query = select(Member.id, Member.roles, Member.region, Member.status,
                   Member.id.in_(consenting)).where(Member.status == "active",
                                                    Member.erased_at.is_(None))
    if role is not None:  # the JSON list's text holds the key in quotes: a cheap pre-filter
        query = query.where(cast(Member.roles, String).like(f'%"{role}"%'))
    return [Candidate(member_id, frozenset(roles or ()), region, status, bool(consents),
                      counts.get(member_id, 0))
            for member_id, roles, region, status, consents in db.session.execute(query)
            if role is None or role in (roles or ())]


def needs_of(member_ids: Iterable[int]) -> dict[int, list[str]]:
    """The needs of these members, decrypted (coordinator views and counts only)."""
    ids = list(member_ids)
    if not ids:
        return {}
    rows = db.session.execute(select(Member.id, Member.needs_cipher).where(Member.id.in_(ids)))
    keys = crypto.keys()
    return {member_id: keys.decrypt(cipher) if cipher else [] for member_id, cipher in rows}


def kpi_records() -> tuple[list[MemberRecord], list[MeetingRecord], list[ParticipationRecord]]:
    """The register's members, meetings and participation as the KPI functions read them."""
    keys = crypto.keys()
    members = [
        MemberRecord(member_id, joined_on, left_on, groups_of(
            keys.decrypt(lived) if lived else [], keys.decrypt(needs) if needs else []))
        for member_id, joined_on, left_on, lived, needs in db.session.execute(
            select(Member.id, Member.joined_on, Member.left_on,
                   Member.lived_experience_cipher, Member.needs_cipher))]
    attendance: dict[int, set[int]] = {}
    held: dict[int, date] = {}
    for meeting_id, held_on, member_id in db.session.execute(
            select(NetworkMeeting.id, NetworkMeeting.held_on, MeetingAttendance.member_id)
            .outerjoin(MeetingAttendance)):
        held[meeting_id] = held_on
        if member_id is not None:
            attendance.setdefault(meeting_id, set()).add(member_id)
    meetings = [MeetingRecord(day, frozenset(attendance.get(meeting_id, ())))
                for meeting_id, day in held.items()]
    participations = [ParticipationRecord(member_id, day) for member_id, day in
                      db.session.execute(select(Involvement.member_id, Involvement.took_part_on)
                                         .where(Involvement.status == "took_part",
                                                Involvement.took_part_on.is_not(None)))]
    return members, meetings, participations


@dataclass(frozen=True)
class NetworkKpis:
    """This year's network figures and last year's, for the portfolio and the board."""

    this_year: NetworkYear
    last_year: NetworkYear


def network_kpis(start_year: int) -> NetworkKpis:
    """The KPIs of the April-to-March year starting in ``start_year``, and the one before."""
    members, meetings, participations = kpi_records()

    def year(first: int) -> NetworkYear:
        return network_year(members, meetings, participations, date(first, 4, 1),
                            date(first + 1, 3, 31))
    return NetworkKpis(year(start_year), year(start_year - 1))


def load_member(member_id: int) -> Member | None:
    return db.session.scalar(select(Member).where(Member.id == member_id).options(
        undefer(Member.needs_cipher), undefer(Member.lived_experience_cipher)))


def rotate_keys() -> int:
    """Re-encrypt every member's encrypted fields with the first key; the rows changed."""
    keys = crypto.keys()
    changed = 0
    for member in db.session.scalars(select(Member).options(
            undefer(Member.needs_cipher), undefer(Member.lived_experience_cipher))):
        for name in ("needs_cipher", "lived_experience_cipher"):
            token = getattr(member, name)
            if token:
                setattr(member, name, keys.rotate(token))
                changed += 1
    db.session.commit()
    return changed
