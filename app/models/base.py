"""Helpers every model module shares: aware UTC times."""
from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Timezone-aware now, used as a callable default."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands timestamps back without their zone: they were stored in UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
