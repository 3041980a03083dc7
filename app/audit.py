"""Recording who did what to which bid. Rows are added in the caller's transaction,
so a change and its audit entry are saved together or not at all."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.extensions import db
from app.models import AuditEvent, Bid, User


def record(action: str, *, user: User | None, bid: Bid | None = None, summary: str = "",
           changes: Mapping[str, Any] | None = None,
           version_number: int | None = None) -> AuditEvent:
    """Add an audit event to the session (committed with the change it describes)."""
    event = AuditEvent(action=action, summary=summary, version_number=version_number,
                       changes=dict(changes) if changes else None)
    event.user_id = user.id if user is not None and user.is_authenticated else None
    event.bid = bid
    db.session.add(event)
    return event


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Fields whose value changed, as {field: {"before": x, "after": y}}."""
    return {key: {"before": before.get(key), "after": after.get(key)}
            for key in after if before.get(key) != after.get(key)}
