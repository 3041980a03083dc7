"""The status machine of a plan version, and the bid's status kept in step with it::

    draft / changes_requested --submit--> in_review --approve--> approved --> submitted
                                          in_review --request changes--> changes_requested

Approved and submitted versions are locked: nothing changes their inputs,
estimate, approval record or stored PDF (edits start a new version in
app.versions.store). A refusal raises ReviewRefused with the reason. Nothing here
commits: the caller's transaction holds the status change, its audit entry and
the portfolio markers together.
"""
from __future__ import annotations

from dataclasses import dataclass

from app import audit
from app.models import Bid, PlanVersion, User
from app.versions.counted import kept_versions, refresh_counted_version
from app.versions.statuses import EDITABLE_STATUSES, status_in_sentence


class ReviewRefused(Exception):
    """The action does not fit the version's state (or the page was stale)."""


@dataclass(frozen=True)
class Transition:
    """A move of the status machine: from which statuses, to which, and how a refusal
    names it ('Version 3 is approved, so it cannot be <refused_as>.')."""

    sources: tuple[str, ...]
    target: str
    refused_as: str

    def allows(self, version: PlanVersion) -> bool:
        return version.status in self.sources


SUBMIT = Transition(EDITABLE_STATUSES, "in_review", "submitted for review")
REQUEST_CHANGES = Transition(("in_review",), "changes_requested", "sent back for changes")
APPROVE = Transition(("in_review",), "approved", "approved")
MARK_SUBMITTED = Transition(("approved",), "submitted", "marked as submitted")


def require(version: PlanVersion, transition: Transition, row_version: str | None) -> None:
    """Refuse a move the version's status does not allow, or one decided on a page
    loaded before the version last changed, saying why."""
    if not transition.allows(version):
        raise ReviewRefused(f"Version {version.number} is {status_in_sentence(version.status)}, "
                            f"so it cannot be {transition.refused_as}.")
    if str(row_version or "") != str(version.row_version):
        raise ReviewRefused(f"Version {version.number} changed since you loaded this page "
                            f"(it is now {status_in_sentence(version.status)}). Nothing was "
                            "saved: check the plan as it is now and try again.")


def require_unlocked(version: PlanVersion) -> None:
    """Refuse comment changes on an approved or submitted version."""
    if version.locked:
        raise ReviewRefused(f"Version {version.number} is {version.status} and locked, so "
                            "its comments are closed. Comment on a newer version.")


def move(version: PlanVersion, transition: Transition) -> str:
    """Set the version's new status (after :func:`require`); returns the status before.
    Call :func:`record` once the rest of the change is made."""
    before, version.status = version.status, transition.target
    return before


def record(bid: Bid, version: PlanVersion, user: User, before: str, action: str,
           summary: str, **changes: dict) -> None:
    """After a move: keep the bid in step, audit the change (with any extra ``changes``)."""
    keep_bid_in_step(bid)
    audit.record(action, user=user, bid=bid, summary=summary, version_number=version.number,
                 changes={**audit.diff({"status": before}, {"status": version.status}),
                          **changes})


def keep_bid_in_step(bid: Bid) -> None:
    """The bid's status is its latest version's; the portfolio markers follow too.

    Reads the versions as the session holds them (a new version included) and
    never flushes; same transaction, no commit.
    """
    latest = max(kept_versions(bid), key=lambda version: version.number, default=None)
    if latest is not None:
        bid.status = latest.status
    refresh_counted_version(bid)
