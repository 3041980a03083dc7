"""What the plan document needs to know about a stored version."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.formatting import london_date
from app.versions.statuses import is_locked


@dataclass(frozen=True)
class VersionInfo:
    """A stored plan version: its number, status and approval record."""

    number: int
    status: str
    created_by: str | None = None
    created_at: datetime | None = None
    approved_by: str | None = None
    approved_at: datetime | None = None
    comments_count: int | None = None

    @property
    def is_final(self) -> bool:
        """True for an approved or submitted version (printed without DRAFT)."""
        return is_locked(self.status)

    @property
    def saved_at(self) -> datetime | None:
        """When this version was approved, else saved: the PDF's creation time."""
        moment = self.approved_at or self.created_at
        return moment if isinstance(moment, datetime) else None

    @property
    def document_date(self) -> date | None:
        """The date printed on the cover: approval date, else creation date (London)."""
        moment = self.approved_at or self.created_at
        return london_date(moment) if moment is not None else None


def is_draft(version: VersionInfo | None) -> bool:
    """A document with no version, or a version not approved/submitted, is a draft."""
    return version is None or not version.is_final
