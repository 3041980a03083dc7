"""Level floors: what every plan of a level must contain (``docs/costing-model.md``,
"Levels: floors, targets and sized starting plans").

:func:`floor_status` says whether a plan meets its level's floor and, in
sentences, what is missing; :func:`floor_minimums` gives, line by line, the
fewest people and sessions that keep the parts of the floor a plan meets, at
the least cost, so trimming (``fit``, sized plans) never breaks them. Only ``people`` and
``sessions`` are ever trimmed, so roles, stages and start weeks are taken as
they are.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .vocabulary import ROLES, STAGE_LABELS, STAGES, WORK_TYPE_LABELS

if TYPE_CHECKING:
    from .inputs import Activity, Plan

MAIN_ROLES: dict[str, str] = {
    "research": "peer_researcher", "guidance": "guideline_committee_member",
    "training": "co_trainer", "film": "film_contributor", "consultancy": "consultant",
    "events": "conference_speaker",
}
LIMITED_PEOPLE = 3
GROUP_ROLE, GROUP_PEOPLE, GROUP_SESSIONS = "advisory_group_member", 4, 3
GROUP_STAGES = STAGES[:2]
CO_LEAD_ROLE, CO_LEAD_STAGE, CO_LEAD_SESSIONS = "co_lead", "setup", 4
FULL_STAGES = 4
LineCost = Callable[[int, int, int], Decimal]  # (activity index, people, sessions) -> cost


@dataclass(frozen=True)
class FloorStatus:
    """Whether a plan meets its level's floor, and what is missing (sentences)."""

    met: bool
    missing: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The estimate's ``floor`` object."""
        return {"met": self.met, "missing": list(self.missing)}


def floor_requirements(level: str, work_type: str) -> list[str]:
    """What the floor of ``level`` asks for, in sentences (for people choosing a level)."""
    main = ROLES[MAIN_ROLES[work_type]].label.lower()
    if level == "none":
        return ["No activity lines, and a written justification of at least 40 characters."]
    if level == "limited":
        return [f"One line with {LIMITED_PEOPLE} or more people."]
    good = [(f"An advisory group from set-up or scoping: {GROUP_PEOPLE} or more advisory group "
            f"members, meeting {GROUP_SESSIONS} or more times."),
            (f"A line of the work's main role ({main}, for "
            f"{WORK_TYPE_LABELS[work_type].lower()} work).")]
    if level == "good":
        return good
    return good + [(f"A co-lead with lived experience from set-up, with {CO_LEAD_SESSIONS} or "
                   "more sessions."),
                   f"Lines in at least {FULL_STAGES} of the five stages."]


def floor_status(plan: Plan, justification_min_chars: int = 40) -> FloorStatus:
    """Does ``plan`` meet its level's floor? If not, what is missing."""
    missing = _missing(plan, justification_min_chars)
    return FloorStatus(not missing, tuple(missing))


def _missing(plan: Plan, min_chars: int) -> list[str]:
    lines, level = plan.activities, plan.level
    if level == "none":
        missing = []
        if lines:
            missing.append(f"Level none has no activity lines; this plan has {len(lines)}.")
        if len((plan.justification or "").strip()) < min_chars:
            missing.append(f"A justification of at least {min_chars} characters saying why "
                           "co-production is not proportionate here.")
        return missing
    if level == "limited":
        if any(a.people >= LIMITED_PEOPLE for a in lines):
            return []
        return [(f"A line with {LIMITED_PEOPLE} or more people (the largest has "
                f"{max((a.people for a in lines), default=0)}).")]
    missing = _good_missing(lines, plan.bid.work_type)
    if level == "full":
        missing += _full_missing(lines)
    return missing


def _good_missing(lines: tuple[Activity, ...], work_type: str) -> list[str]:
    missing = []
    group = [a for a in lines if a.role == GROUP_ROLE]
    if not any(a.people >= GROUP_PEOPLE for a in group):
        missing.append(f"An advisory group line ({ROLES[GROUP_ROLE].label.lower()}) with "
                       f"{GROUP_PEOPLE} or more people.")
    sessions = sum(a.sessions for a in group)
    if sessions < GROUP_SESSIONS:
        missing.append(f"Advisory group sessions adding up to {GROUP_SESSIONS} or more "
                       f"(the plan has {sessions}).")
    if group:
        first = min(group, key=lambda a: (a.start_week, a.index))
        if first.stage not in GROUP_STAGES:
            missing.append("The advisory group starting in set-up or scoping (its first line "
                           f"is in {STAGE_LABELS[first.stage].lower()}).")
    main = MAIN_ROLES[work_type]
    if not any(a.role == main for a in lines):
        missing.append(f"A line of {ROLES[main].label.lower()}, the main role for "
                       f"{WORK_TYPE_LABELS[work_type].lower()} work.")
    return missing


def _full_missing(lines: tuple[Activity, ...]) -> list[str]:
    missing = []
    if not any(_is_co_lead(a) and a.sessions >= CO_LEAD_SESSIONS for a in lines):
        missing.append(f"A {ROLES[CO_LEAD_ROLE].label.lower()} line in set-up with "
                       f"{CO_LEAD_SESSIONS} or more sessions.")
    stages = {a.stage for a in lines}
    if len(stages) < FULL_STAGES:
        named = ", ".join(STAGE_LABELS[s].lower() for s in STAGES if s in stages) or "none"
        missing.append(f"Lines in at least {FULL_STAGES} of the five stages (the plan has "
                       f"{len(stages)}: {named}).")
    return missing


def _is_co_lead(activity: Activity) -> bool:
    return activity.role == CO_LEAD_ROLE and activity.stage == CO_LEAD_STAGE


def floor_minimums(plan: Plan, cost: LineCost) -> list[tuple[int, int]]:
    """(fewest people, fewest sessions) per line that keep what the plan meets of its floor.

    Each requirement the plan meets is carried by the lines that keep it most
    cheaply (``cost(index, people, sessions)`` is a line's cost; the first
    line on a tie), so the floor plan is the cheapest one trimming can reach;
    a requirement the plan does not meet asks nothing. Every line keeps at
    least one person and one session.
    """
    people = [1] * len(plan.activities)
    sessions = [1] * len(plan.activities)
    lines = plan.activities
    if plan.level == "limited":
        _keep_people(lines, people, sessions, LIMITED_PEOPLE, cost)
    elif plan.level in ("good", "full"):
        _keep_group(lines, people, sessions, cost)
        if plan.level == "full":
            leads = [a for a in lines if _is_co_lead(a) and a.sessions >= CO_LEAD_SESSIONS]
            if leads:
                lead = min(leads, key=lambda a: (cost(a.index, 1, CO_LEAD_SESSIONS)
                                                 - cost(a.index, 1, 1), a.index))
                sessions[lead.index] = CO_LEAD_SESSIONS
    return list(zip(people, sessions, strict=True))


def _keep_people(lines: Any, people: list[int], sessions: list[int], need: int,
                 cost: LineCost) -> None:
    """The line that keeps ``need`` people most cheaply does, if any line has them."""
    candidates = [a for a in lines if a.people >= need]
    if candidates:
        chosen = min(candidates, key=lambda a: (cost(a.index, need, sessions[a.index])
                                                - cost(a.index, 1, sessions[a.index]),
                                                a.index))
        people[chosen.index] = need


def _keep_group(lines: tuple[Activity, ...], people: list[int], sessions: list[int],
                cost: LineCost) -> None:
    """The advisory group's people and sessions, kept by the cheapest choice of lines:
    each candidate for the line of 4+ people, with the sessions still needed added one
    at a time where the next one costs least."""
    group = [a for a in lines if a.role == GROUP_ROLE]
    carriers: list[Activity | None] = [a for a in group if a.people >= GROUP_PEOPLE]
    keeps_sessions = sum(a.sessions for a in group) >= GROUP_SESSIONS
    best: tuple[Decimal, list[int], list[int]] | None = None
    for carrier in carriers or [None]:
        held_people, held_sessions = list(people), list(sessions)
        if carrier is not None:
            held_people[carrier.index] = GROUP_PEOPLE
        need = GROUP_SESSIONS - sum(held_sessions[a.index] for a in group) if keeps_sessions else 0
        for _ in range(max(0, need)):
            step = min((a for a in group if held_sessions[a.index] < a.sessions),
                       key=lambda a: (cost(a.index, held_people[a.index],
                                           held_sessions[a.index] + 1)
                                      - cost(a.index, held_people[a.index],
                                             held_sessions[a.index]), a.index))
            held_sessions[step.index] += 1
        total = sum((cost(a.index, held_people[a.index], held_sessions[a.index])
                     for a in group), Decimal(0))
        if best is None or total < best[0]:
            best = (total, held_people, held_sessions)
    if best is not None:
        people[:], sessions[:] = best[1], best[2]
