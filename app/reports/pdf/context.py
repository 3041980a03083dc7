"""Everything a section needs, gathered once: the plan, its estimate, the
version, and plain-language readings of the plan's fields."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from app.charts.labels import level_label
from app.reports.text import one_line
from app.reports.version import VersionInfo, is_draft
from app.versions.statuses import status_label


@dataclass(frozen=True)
class PlanContext:
    """The inputs of one plan document."""

    plan: Mapping
    estimate: Mapping
    version: VersionInfo | None = None
    issued_on: date | None = None

    @property
    def bid(self) -> Mapping:
        return self.plan.get("bid") or {}

    @property
    def title(self) -> str:
        """The bid title on one line, as typed."""
        return one_line(self.bid.get("title")) or "Untitled bid"

    @property
    def level(self) -> str:
        return str(self.plan.get("level") or "none")

    @property
    def level_name(self) -> str:
        return level_label(self.level)

    @property
    def costed(self) -> Mapping:
        """The plan as the engine costed it (``estimate["inputs"]``: every default filled
        in); the plan itself for an estimate stored before the engine returned it."""
        return self.estimate.get("inputs") or self.plan

    @property
    def activities(self) -> list[Mapping]:
        """The activity lines as costed."""
        return list(self.costed.get("activities") or [])

    @property
    def contributor_count(self) -> int:
        """N, the distinct contributors the engine costed (the plan's figure, else the
        largest line)."""
        return int(self.estimate.get("contributors") or 0)

    @property
    def draft(self) -> bool:
        return is_draft(self.version)

    @property
    def document_date(self) -> date | None:
        """Approval or creation date of the version, else the given date; never today."""
        if self.version is not None and self.version.document_date is not None:
            return self.version.document_date
        return self.issued_on

    @property
    def issued_at(self) -> datetime | None:
        """The given issue date as midnight UTC, for the metadata of an unsaved plan."""
        if self.issued_on is None:
            return None
        return datetime.combine(self.issued_on, time(), tzinfo=UTC)

    @property
    def version_label(self) -> str:
        """'Version 3 (approved)', for the cover."""
        if self.version is None:
            return "Working draft (not a stored version)"
        return f"Version {self.version.number} ({status_label(self.version.status or 'draft').lower()})"

    @property
    def header_label(self) -> str:
        """The version as the running header shows it."""
        return "Working draft" if self.version is None else self.version_label


def parse_date(value: object) -> date | None:
    """An ISO date string (or date) from the plan, or None when absent/invalid."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def number(value: object) -> str:
    """A count or quantity without trailing zeros: 24, 3.5, 0.25."""
    try:
        return f"{float(value):,.2f}".rstrip("0").rstrip(".")
    except (TypeError, ValueError):
        return str(value)


def yes_no(value: object) -> str:
    return "Yes" if value else "No"
