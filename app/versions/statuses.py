"""A plan version's statuses: the one table of them, their labels and what each allows.

Pure Python (no Flask, no database): models, templates, reports and the API read it.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Status:
    """One status: how a page labels it, how a sentence says it, its tag colour."""

    key: str
    label: str
    in_sentence: str
    colour: str


STATUS_TABLE: dict[str, Status] = {status.key: status for status in (
    Status("draft", "Draft", "a draft", "grey"),
    Status("in_review", "In review", "in review", "yellow"),
    Status("changes_requested", "Changes requested", "waiting for changes", "orange"),
    Status("approved", "Approved", "approved", "green"),
    Status("submitted", "Submitted", "submitted", "purple"),
)}

#: Every status, in the order a version moves through them.
STATUSES: tuple[str, ...] = tuple(STATUS_TABLE)
#: Statuses whose version a writer may still change (saving updates it in place).
EDITABLE_STATUSES: tuple[str, ...] = ("draft", "changes_requested")
#: Statuses whose version never changes (its document is final; edits start a new version).
LOCKED_STATUSES: tuple[str, ...] = ("approved", "submitted")


def _status(key: str | None) -> Status | None:
    return STATUS_TABLE.get(str(key).lower()) if key else None


def status_label(key: str | None) -> str:
    """'changes_requested' -> 'Changes requested'; an unknown key as readable words."""
    status = _status(key)
    if status is not None:
        return status.label
    return str(key).replace("_", " ").capitalize() if key else ""


def status_in_sentence(key: str) -> str:
    """How 'Version 3 is …' ends: 'a draft', 'waiting for changes', 'approved'."""
    status = _status(key)
    return status.in_sentence if status is not None else status_label(key).lower()


def status_colour(key: str | None) -> str:
    """The GOV.UK tag colour for a status ('grey' for an unknown one)."""
    status = _status(key)
    return status.colour if status is not None else "grey"


def is_editable(key: str | None) -> bool:
    return key in EDITABLE_STATUSES


def is_locked(key: str | None) -> bool:
    """Approved or submitted (in any letter case: reports pass what they were given)."""
    return (key or "").lower() in LOCKED_STATUSES


def counting_rank(status: str, number: int) -> tuple[bool, int]:
    """Order versions by how they count for the portfolio: the version that counts for a
    bid is its latest submitted version if there is one, otherwise its latest version."""
    return status == "submitted", number
