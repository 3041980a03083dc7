"""Pages show stored UTC times in Europe/London: the approval on the version page and
the bid's history, on both sides of the clock change."""
from __future__ import annotations

from datetime import UTC, datetime

from app.extensions import db
from app.models import AuditEvent
from tests.html import text_of
from tests.review_steps import approve, fresh, submit


def approved_at(version, bid, team, as_user, moment: datetime) -> str:
    """Approve the version, then put its approval (and the audit entry) at `moment`."""
    assert submit(as_user(team.writer), bid, version).status_code == 302
    assert approve(as_user(team.reviewer), bid, fresh(version)).status_code == 302
    version = fresh(version)
    version.approved_at = moment
    event = db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.action == "review.approved")).one()
    event.created_at = moment
    db.session.commit()
    client = as_user(team.reviewer)
    page = client.get(f"/bids/{bid.id}/review/versions/{version.number}")
    history = client.get(f"/bids/{bid.id}/review/history")
    assert page.status_code == history.status_code == 200
    return text_of(page) + " " + text_of(history)


def test_a_summer_approval_at_2330_utc_shows_as_0030_the_next_day(draft, bid, team, as_user):
    shown = approved_at(draft, bid, team, as_user, datetime(2026, 7, 14, 23, 30, tzinfo=UTC))
    assert "15 July 2026 at 00:30" in shown
    assert "14 July 2026 at 23:30" not in shown


def test_a_winter_approval_at_2330_utc_is_unchanged(draft, bid, team, as_user):
    shown = approved_at(draft, bid, team, as_user, datetime(2026, 1, 14, 23, 30, tzinfo=UTC))
    assert "14 January 2026 at 23:30" in shown
