"""The plan PDF shows its approval record and cover date in Europe/London."""
from __future__ import annotations

from datetime import UTC, datetime

from app.reports import VersionInfo, render_plan_pdf
from tests.reports.conftest import pdf_text

# 23:30 UTC on a summer evening is 00:30 BST on the next day.
SUMMER_APPROVAL = VersionInfo(number=3, status="approved", created_by="Sam Writer",
                              created_at=datetime(2026, 7, 14, 9, 0, tzinfo=UTC),
                              approved_by="Alex Reviewer",
                              approved_at=datetime(2026, 7, 14, 23, 30, tzinfo=UTC))
WINTER_APPROVAL = VersionInfo(number=3, status="approved", created_by="Sam Writer",
                              created_at=datetime(2026, 1, 14, 9, 0, tzinfo=UTC),
                              approved_by="Alex Reviewer",
                              approved_at=datetime(2026, 1, 14, 23, 30, tzinfo=UTC))


def test_a_summer_approval_just_before_midnight_utc_is_dated_the_next_day(
        full_plan, full_estimate):
    text = pdf_text(render_plan_pdf(full_plan, full_estimate, SUMMER_APPROVAL))
    assert "15 July 2026 at 00:30 BST" in text
    assert "14 July 2026 at 23:30" not in text
    assert "Prepared on 14 July 2026 at 10:00 BST" in text


def test_a_winter_approval_keeps_its_day(full_plan, full_estimate):
    text = pdf_text(render_plan_pdf(full_plan, full_estimate, WINTER_APPROVAL))
    assert "14 January 2026 at 23:30 GMT" in text


def test_the_cover_date_is_the_london_day_of_approval():
    assert SUMMER_APPROVAL.document_date.isoformat() == "2026-07-15"
    assert WINTER_APPROVAL.document_date.isoformat() == "2026-01-14"
