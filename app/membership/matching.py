"""Who could take a plan line, and what their needs make of it: pure functions.

Plain data in, plain data out (no Flask, no database), so the rules are tested with
hand-made members and benchmarked against thousands.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.membership.vocabulary import NEEDS

#: Bids of these scopes look for members in the bid's own region.
REGIONAL_SCOPES = frozenset({"local", "regional"})
NO_EARLY_START = "10:00"


@dataclass(frozen=True)
class Candidate:
    """What matching needs to know of one member."""

    member_id: int
    roles: frozenset[str]
    region: str
    status: str
    consents_to_bid_work: bool
    involvements_this_year: int = 0
    erased: bool = False


def region_for(scope: str, region: str | None) -> str | None:
    """The region members must be in for a bid: its own for local and regional bids."""
    return region or None if scope in REGIONAL_SCOPES else None


def fits(candidate: Candidate, role: str, region: str | None) -> bool:
    """Active, consents to bid work, wants the role, and (if asked) in the region."""
    return (candidate.status == "active" and not candidate.erased
            and candidate.consents_to_bid_work and role in candidate.roles
            and (region is None or candidate.region == region))


def suggest(candidates: Iterable[Candidate], role: str,
            region: str | None = None) -> list[Candidate]:
    """Members who fit the line, least involved this year first (then the longest-standing),
    to spread involvement towards the participation target."""
    return sorted((c for c in candidates if fits(c, role, region)),
                  key=lambda c: (c.involvements_this_year, c.member_id))


def need_counts(needs_of_people: Iterable[Collection[str]]) -> dict[str, int]:
    """How many of these people have each need, in the vocabulary's order (zeros kept)."""
    counts = Counter(need for needs in needs_of_people for need in set(needs))
    return {need: counts.get(need, 0) for need in NEEDS}


def line_needs(needs_of_people: Iterable[Collection[str]]) -> dict[str, Any]:
    """The needs a line takes from the people on it, in the engine's terms."""
    counts = need_counts(needs_of_people)
    return {"bsl": counts["bsl"] > 0,
            "personal_assistants": counts["personal_assistant"],
            "carers_needing_replacement_care": counts["replacement_care"],
            "no_early_start": counts["no_early_start"] > 0}


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def apply_needs(activity: Mapping[str, Any], needs: Mapping[str, Any]) -> dict[str, Any]:
    """The activity line with its needs set from its people's (a new dict).

    BSL if anyone needs it; the number needing a personal assistant and replacement
    care; and a line that starts before 10:00 moves to 10:00 when anyone cannot start
    earlier. The engine then costs what these inputs say.
    """
    line = dict(activity)
    line["needs"] = {**dict(activity.get("needs") or {}), "bsl": needs["bsl"],
                     "personal_assistants": needs["personal_assistants"],
                     "carers_needing_replacement_care": needs["carers_needing_replacement_care"]}
    start = line.get("start_time")
    if needs.get("no_early_start") and start and _minutes(start) < _minutes(NO_EARLY_START):
        line["start_time"] = NO_EARLY_START
    return line
