"""The network's KPIs for a financial year: pure functions over plain records.

- Participation: members who took part in plan work in the year, out of the members of
  the network in the year (joined by its end and not left before its start; a member
  who left mid-year counts for the year they were in). Target 50%.
- Meetings: network meetings held in the year (target 2), each one's attendance as a
  share of the network on its day (target one third).
- Membership mix: members in the year who are carers, and who have a hearing
  impairment (app.membership.vocabulary.MIX_GROUPS), this year against last.

The year runs from 1 April to 31 March inclusive.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from app.membership.vocabulary import (
    ATTENDANCE_TARGET_FRACTION,
    MEETINGS_TARGET,
    MIX_GROUPS,
    PARTICIPATION_TARGET_PERCENT,
)


def year_bounds(day: date) -> tuple[date, date]:
    """The April-to-March financial year holding ``day``: its first and last days.

    (The same rule as app.portfolio.periods.financial_year_of, which a domain package
    may not import: the portfolio is a blueprint.)
    """
    first = day.year if day.month >= 4 else day.year - 1
    return date(first, 4, 1), date(first + 1, 3, 31)


@dataclass(frozen=True)
class MemberRecord:
    member_id: int
    joined_on: date
    left_on: date | None = None
    groups: frozenset[str] = frozenset()  # keys of MIX_GROUPS


@dataclass(frozen=True)
class MeetingRecord:
    held_on: date
    attendee_ids: frozenset[int]


@dataclass(frozen=True)
class ParticipationRecord:
    member_id: int
    took_part_on: date


@dataclass(frozen=True)
class MeetingFigure:
    held_on: date
    attended: int
    network_size: int

    @property
    def share(self) -> float | None:
        return self.attended / self.network_size if self.network_size else None

    @property
    def well_attended(self) -> bool:
        low, high = ATTENDANCE_TARGET_FRACTION
        return self.network_size > 0 and self.attended * high >= self.network_size * low


@dataclass(frozen=True)
class NetworkYear:
    """The network's figures for one financial year."""

    start: date
    end: date
    members: int
    took_part: int
    meetings: tuple[MeetingFigure, ...]
    mix: dict[str, int] = field(default_factory=dict)

    @property
    def participation_percent(self) -> float | None:
        return self.took_part * 100 / self.members if self.members else None

    @property
    def participation_met(self) -> bool:
        value = self.participation_percent
        return value is not None and value >= PARTICIPATION_TARGET_PERCENT

    @property
    def well_attended_meetings(self) -> int:
        return sum(meeting.well_attended for meeting in self.meetings)

    @property
    def meetings_met(self) -> bool:
        return self.well_attended_meetings >= MEETINGS_TARGET


def groups_of(tags: Iterable[str], needs: Collection[str]) -> frozenset[str]:
    """The membership-review groups a member's lived experience and needs put them in."""
    words = " ".join(tags).lower()
    return frozenset(group for group, rule in MIX_GROUPS.items()
                     if any(word in words for word in rule["words"])
                     or any(need in needs for need in rule["needs"]))


def member_on(member: MemberRecord, day: date) -> bool:
    """A member on this day: joined by it, not left before it."""
    return member.joined_on <= day and (member.left_on is None or member.left_on >= day)


def member_during(member: MemberRecord, start: date, end: date) -> bool:
    """A member at some time from start to end (inclusive)."""
    return member.joined_on <= end and (member.left_on is None or member.left_on >= start)


def network_year(members: Sequence[MemberRecord], meetings: Iterable[MeetingRecord],
                 participations: Iterable[ParticipationRecord], start: date,
                 end: date) -> NetworkYear:
    """The year's figures from the register's records."""
    in_year = {m.member_id: m for m in members if member_during(m, start, end)}
    took_part = {p.member_id for p in participations
                 if start <= p.took_part_on <= end and p.member_id in in_year}
    figures = tuple(
        MeetingFigure(meeting.held_on, len(meeting.attendee_ids),
                      sum(member_on(m, meeting.held_on) for m in members))
        for meeting in sorted(meetings, key=lambda meeting: meeting.held_on)
        if start <= meeting.held_on <= end)
    mix = {group: sum(group in m.groups for m in in_year.values()) for group in MIX_GROUPS}
    return NetworkYear(start=start, end=end, members=len(in_year), took_part=len(took_part),
                       meetings=figures, mix=mix)
