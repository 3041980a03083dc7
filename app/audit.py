"""Recording who did what to which bid. Rows are added in the caller's transaction,
so a change and its audit entry are saved together or not at all."""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from app import formatting
from app.costing import vocabulary
from app.extensions import db
from app.membership.vocabulary import REGION_LABELS
from app.models import AuditEvent, Bid, Team, User
from app.versions.statuses import status_label

#: How the history names a recorded field (keys as the services record them).
FIELD_LABELS: dict[str, str] = {
    "title": "Title", "client": "Client or funder", "reference": "Reference",
    "value_pence": "Bid value", "start_date": "Start date", "duration_months": "Duration",
    "scope": "Scope", "region": "Region", "work_type": "Kind of work",
    "client_requires_coproduction": "Client requires co-production",
    "deadline": "Submission deadline", "team_id": "Team", "level": "Level",
    "total_pence": "Total co-production cost", "status": "Status",
    "approved_by": "Approved by", "pdf_sha256": "SHA-256 of the approved plan document",
    "outcome": "Outcome", "comment": "Comment",
}
_VALUE_LABELS: dict[str, Mapping[str, str]] = {
    "scope": vocabulary.SCOPE_LABELS, "work_type": vocabulary.WORK_TYPE_LABELS,
    "level": vocabulary.LEVEL_LABELS, "region": REGION_LABELS,
}
_KEYS = ("outcome",)  # a key whose words are the key itself (formatting.label): 'won' -> 'Won'
_LINE_FIELD = re.compile(r"line (\d+) (\w+)")  # the fit's "line 3 people"


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


def field_label(field: str) -> str:
    """A recorded field as the pages name it: 'value_pence' -> 'Bid value',
    'line 3 people' -> 'Line 3: Number of people'."""
    line = _LINE_FIELD.fullmatch(field)
    if line:
        name = vocabulary.ACTIVITY_FIELD_LABELS.get(line[2], formatting.label(line[2]))
        return f"Line {line[1]}: {name}"
    return FIELD_LABELS.get(field) or formatting.label(field)


def value_text(field: str, value: Any) -> str:
    """A recorded value as the pages show it: pence as money, keys as their labels,
    dates written out, True as Yes; anything else as it was recorded."""
    if value is None or value == "":
        return formatting.MISSING
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if field.endswith("_pence") and isinstance(value, int):
        return formatting.pence(value)
    if field in ("start_date", "deadline") and isinstance(value, str):
        try:
            return formatting.long_date(date.fromisoformat(value))
        except ValueError:
            return value
    if field == "duration_months" and isinstance(value, int):
        return f"{value} month{'s' if value != 1 else ''}"
    if field == "status":
        return status_label(str(value)) or str(value)
    if field == "team_id" and isinstance(value, int):
        team = db.session.get(Team, value)
        return team.name if team is not None else str(value)
    if field in _VALUE_LABELS:
        return _VALUE_LABELS[field].get(str(value), str(value))
    if field in _KEYS:
        return formatting.label(str(value))
    return str(value)
