"""Which version counts for the portfolio, and the markers the portfolio reads.

The portfolio reads three columns of ``plan_versions`` instead of every
version's JSON: ``is_counted`` (the one version that counts for its bid) and
the two warning flags. :func:`refresh_counted_version` keeps them right; the
code that saves a version, or changes a version's status, calls it before
committing (app.versions.store and app.versions.transitions do).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import bindparam, inspect, select, update
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db
from app.models import Bid, PlanVersion
from app.versions.statuses import counting_rank

DISPROPORTIONATE = "disproportionate"
BELOW_REQUIREMENT = "below_client_requirement"
MARKERS = ("is_counted", "flag_disproportionate", "flag_below_requirement")


def warning_flags(estimate: Mapping[str, Any] | None) -> tuple[bool, bool]:
    """(disproportionate, below the client's requirement) from an estimate document."""
    warnings = (estimate or {}).get("warnings") or ()
    codes = {item.get("code") for item in warnings if isinstance(item, Mapping)}
    return DISPROPORTIONATE in codes, BELOW_REQUIREMENT in codes


def counted_version_id(versions: Iterable[tuple[int, int, str]]) -> int | None:
    """The version that counts among (id, number, status) rows: the latest submitted
    version if there is one, otherwise the latest version (:func:`counting_rank`, as
    :func:`refresh_counted_version` applies it, for rows that are not ORM objects)."""
    best = max(versions, key=lambda row: counting_rank(row[2], row[1]), default=None)
    return best[0] if best is not None else None


def refresh_counted_version(bid: Bid | int) -> PlanVersion | None:
    """Recompute the portfolio markers of one bid's versions; return the counted version.

    Call it after saving a version, changing a version's status or deleting a
    version, in the same transaction, before committing. It reads the versions
    as the session holds them (pending changes included) and never flushes, so
    a concurrent-edit conflict still surfaces at the caller's commit. Stored
    versions get their markers with a plain UPDATE, which neither bumps their
    row_version (no false "someone else saved" conflicts) nor touches the bid;
    new versions get them as attributes, written with their INSERT.
    """
    with db.session.no_autoflush:
        if isinstance(bid, int):
            bid = db.session.get(Bid, bid)
            if bid is None:
                return None
        versions = kept_versions(bid)
        counted = max(versions, key=lambda v: counting_rank(v.status, v.number), default=None)
        stored_changes = []
        for version in versions:
            wanted = dict(zip(MARKERS, (version is counted, *warning_flags(version.estimate)),
                              strict=True))
            if all(getattr(version, name) == value for name, value in wanted.items()):
                continue
            if inspect(version).persistent:
                stored_changes.append({"version_id": version.id, **wanted})
                for name, value in wanted.items():
                    set_committed_value(version, name, value)
            else:
                for name, value in wanted.items():
                    setattr(version, name, value)
        if stored_changes:
            table = PlanVersion.__table__
            db.session.execute(
                update(table).where(table.c.id == bindparam("version_id"))
                .values({name: bindparam(name) for name in MARKERS}), stored_changes)
    return counted


def kept_versions(bid: Bid) -> list[PlanVersion]:
    """The bid's versions as the session holds them, pending ones in, deleted ones out."""
    with db.session.no_autoflush:
        return [version for version in bid.versions if _kept(version)]


def _kept(version: PlanVersion) -> bool:
    """Not deleted, whether the delete is flushed yet or not."""
    state = inspect(version)
    return not (state.deleted or state.detached or version in db.session.deleted)


def refresh_all_counted_versions() -> int:
    """Recompute the markers of every bid (after a bulk import or a repair); returns bids seen."""
    bid_ids = db.session.scalars(select(Bid.id).order_by(Bid.id)).all()
    for bid_id in bid_ids:
        refresh_counted_version(bid_id)
    return len(bid_ids)
