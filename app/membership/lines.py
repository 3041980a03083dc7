"""Members on a plan line: who fits (counts for writers, names for coordinators), and
assigning them, which sets the line's needs from theirs so the engine costs their access.

The line is the bid's latest version's activity line at an index; an involvement keeps
the index and the role it had when the member was assigned.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import undefer

from app.costing import PlanError
from app.extensions import db
from app.membership import matching
from app.membership import services as register
from app.membership.kpis import year_bounds
from app.membership.models import Involvement, Member
from app.models import Bid, PlanVersion, User
from app.versions import store
from app.versions.engine import starting_inputs

SHOWN = 25  # suggestions listed on the line's page, least involved first


@dataclass
class LineMatches:
    """What the line panel shows. ``suggested`` and ``assigned`` only for coordinators."""

    index: int
    role: str
    region: str | None
    fits: int
    need_counts: dict[str, int]
    assigned_count: int
    suggested: list[tuple[Member, int]] = field(default_factory=list)  # (member, involved)
    more: int = 0  # fitting members beyond the first SHOWN
    assigned: list[Member] = field(default_factory=list)


def line_or_404(bid: Bid, index: int) -> tuple[PlanVersion, dict[str, Any]]:
    version = store.latest_version(bid)
    lines = (version.inputs.get("activities") or []) if version else []
    if not 0 <= index < len(lines):
        abort(404)
    return version, lines[index]


def _assigned_ids(bid: Bid, index: int) -> list[int]:
    return list(db.session.scalars(select(Involvement.member_id).where(
        Involvement.bid_id == bid.id, Involvement.line_index == index)
        .order_by(Involvement.id)))


def matches(bid: Bid, index: int, coordinator: bool, today: date | None = None) -> LineMatches:
    """Members who fit the line: counted (needs counted too); named for coordinators."""
    _version, line = line_or_404(bid, index)
    region = matching.region_for(bid.scope, bid.region)
    assigned = set(_assigned_ids(bid, index))
    fitting = [c for c in matching.suggest(register.candidates(*year_bounds(today or
                                                                          date.today()),
                                                               role=line["role"]),
                                           line["role"], region)
               if c.member_id not in assigned]
    needs = register.needs_of(c.member_id for c in fitting)
    result = LineMatches(index, line["role"], region, len(fitting),
                         matching.need_counts(needs.values()), len(assigned))
    if coordinator:
        shown = fitting[:SHOWN]
        members = {m.id: m for m in db.session.scalars(select(Member).where(
            Member.id.in_([c.member_id for c in shown] + list(assigned)))
            .options(undefer(Member.needs_cipher)))}
        result.suggested = [(members[c.member_id], c.involvements_this_year) for c in shown]
        result.more = len(fitting) - len(shown)
        result.assigned = [members[member_id] for member_id in assigned if member_id in members]
    return result


def fit_counts(bid: Bid, roles: list[str | None],
               today: date | None = None) -> list[int | None]:
    """For each line (by its role): how many members fit and are not yet on it. Counts
    only, nothing decrypted: what the plan editor shows its writers."""
    region = matching.region_for(bid.scope, bid.region)
    everyone = register.candidates(*year_bounds(today or date.today()))
    on_lines: dict[int, set[int]] = {}
    for member_id, index in db.session.execute(select(
            Involvement.member_id, Involvement.line_index).where(Involvement.bid_id == bid.id)):
        on_lines.setdefault(index, set()).add(member_id)
    return [None if not role else sum(
        1 for c in everyone
        if matching.fits(c, role, region) and c.member_id not in on_lines.get(index, ()))
        for index, role in enumerate(roles)]


def assign(bid: Bid, index: int, member_ids: list[int], user: User,
           row_version: str | None) -> PlanVersion:
    """Assign members who fit the line, then set its needs from everyone on it; saves the
    plan (the engine costs the access) in the same transaction as the involvements."""
    version, line = line_or_404(bid, index)
    fitting = {c.member_id for c in matching.suggest(
        register.candidates(*year_bounds(date.today()), role=line["role"]), line["role"],
        matching.region_for(bid.scope, bid.region))}
    unknown = [member_id for member_id in member_ids if member_id not in fitting]
    if unknown:
        raise ValueError("A member chosen no longer fits this line (consent withdrawn, "
                         "status changed or another role): reload the page and choose again")
    for member_id in member_ids:
        db.session.add(Involvement(member_id=member_id, bid_id=bid.id, line_index=index,
                                   role=line["role"], assigned_on=date.today(),
                                   recorded_by_id=user.id))
        register.audit("assign", member_id, user, ["involvement"])
    db.session.flush()
    on_line = _assigned_ids(bid, index)
    needs = register.needs_of(on_line)
    inputs = starting_inputs(version)
    lines = list(inputs.get("activities") or [])
    lines[index] = matching.apply_needs(lines[index], matching.line_needs(needs.values()))
    # How documents name them: a pseudonym unless they consented to be named.
    lines[index]["members"] = _document_names(bid, index)
    inputs["activities"] = lines
    saved = store.save_plan(bid, inputs, user, row_version)
    db.session.commit()  # the involvements, also when the plan's needs did not change
    return saved


def _document_names(bid: Bid, index: int) -> list[str]:
    on_line = _assigned_ids(bid, index)
    people = db.session.scalars(select(Member).where(Member.id.in_(on_line))
                                .order_by(Member.id)).all()
    return [member.document_name() for member in people]


def _reapply(bid: Bid, index: int, user: User) -> bool:
    """Set line ``index`` of the bid's draft from the members now on it (needs and
    document names) and save; False if the plan cannot change (in review, or the
    engine refuses), leaving it as it was."""
    version = store.latest_version(bid)
    lines = list((version.inputs.get("activities") or []) if version else [])
    if index >= len(lines):
        return True
    on_line = _assigned_ids(bid, index)
    line = matching.apply_needs(lines[index],
                                matching.line_needs(register.needs_of(on_line).values()))
    line["members"] = _document_names(bid, index)
    if line == lines[index]:
        return True
    inputs = starting_inputs(version)
    lines[index] = line
    inputs["activities"] = lines
    try:
        store.save_plan(bid, inputs, user, None)
    except (store.PlanInReview, PlanError):
        db.session.rollback()
        return False
    return True


def _lines_of(member: Member) -> list[tuple[int, int]]:
    return db.session.execute(select(Involvement.bid_id, Involvement.line_index).where(
        Involvement.member_id == member.id, Involvement.bid_id.is_not(None),
        Involvement.line_index >= 0)).all()


def refresh_names(member: Member, user: User) -> list[Bid]:
    """After a change of consent (or erasure): the draft plans this member is on name
    them as they now may be named. Plans waiting for review, approved or submitted keep
    the document as it was; the bids whose drafts could not change are returned."""
    return [db.session.get(Bid, bid_id) for bid_id, index in _lines_of(member)
            if not _reapply(db.session.get(Bid, bid_id), index, user)]


def release(member: Member, user: User) -> list[Bid]:
    """Consent to bid work withdrawn (or the member erased): they come off every line they
    were only assigned to, whose needs then follow the members left on it; lines they
    took part in keep that record. Returns the bids whose plans could not change."""
    places = db.session.execute(select(Involvement.id, Involvement.bid_id,
                                       Involvement.line_index).where(
        Involvement.member_id == member.id, Involvement.status == "assigned",
        Involvement.bid_id.is_not(None))).all()
    for involvement_id, _bid, _index in places:
        db.session.delete(db.session.get(Involvement, involvement_id))
        register.audit("unassign", member.id, user, ["involvement"])
    db.session.commit()
    stuck = [db.session.get(Bid, bid_id) for _id, bid_id, index in places
             if index >= 0 and not _reapply(db.session.get(Bid, bid_id), index, user)]
    return stuck + refresh_names(member, user)


def lines_moved(bid: Bid, action: str, index: int) -> None:
    """Keep members on their lines when the plan editor removes or copies line ``index``.

    Removing: who was only assigned to it is unassigned; who took part keeps that
    participation (counted in the KPIs) against "a removed line" (a negative index);
    later lines move up. Copying: the copy (at index + 1) starts with nobody; later lines
    move down. Rows move one at a time in an order that never repeats a (member, line).
    """
    rows = list(db.session.scalars(select(Involvement).where(
        Involvement.bid_id == bid.id, Involvement.line_index >= index)
        .order_by(Involvement.line_index.desc() if action == "duplicate"
                  else Involvement.line_index)))
    for row in rows:
        if action == "remove" and row.line_index == index:
            if row.status == "assigned":
                db.session.delete(row)
            else:
                row.line_index = -row.id
        elif action == "remove":
            row.line_index -= 1
        elif action == "duplicate" and row.line_index > index:
            row.line_index += 1
        db.session.flush()
    db.session.commit()


def refusal(error: Exception) -> str:
    """Why an assignment saved nothing, in words."""
    if isinstance(error, store.PlanInReview):
        return ("The plan is waiting for review, so its lines cannot change: assign members "
                "once the reviewer has acted.")
    if isinstance(error, store.StaleVersion):
        return "Someone else saved the plan meanwhile: reload the page and assign again."
    if isinstance(error, ValueError) and not hasattr(error, "errors"):
        return str(error)
    return "The plan with these members' needs could not be costed: " + "; ".join(
        f"{item['field']}: {item['message']}" for item in getattr(error, "errors", [])[:3])
