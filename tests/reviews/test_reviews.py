"""Review of plan versions: every transition allowed and refused, four eyes, comments,
notifications (in the app and by email), stale decisions, and the history page.

The fixtures here (a team with every role, a bid ready for review, a client per
user) are shared with the other review test files.
"""
from __future__ import annotations

import re
import smtplib
from datetime import date

import pytest

from app.audit import record
from app.bids.services import update_bid
from app.extensions import db
from app.formatting import pence
from app.models import AuditEvent, Comment, Notification, PlanDocument
from app.versions import documents
from tests.factories import make_bid
from tests.html import text_of
from tests.review_steps import (
    REASON,
    approve,
    fresh,
    mark_submitted,
    request_changes,
    save_level,
    statuses,
    submit,
    team_user,
    url,
)

# --- submit for review ---------------------------------------------------------------

def test_the_author_submits_a_complete_draft_for_review(draft, bid, team, as_user):
    response = submit(as_user(team.writer), bid, draft)
    assert response.status_code == 302 and response.headers["Location"].endswith(url(bid, draft))
    assert statuses(draft, bid) == ("in_review", "in_review")
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "review.submitted"))
    assert event.user_id == team.writer.id and event.changes == {
        "status": {"before": "draft", "after": "in_review"}}
    notified = {note.user_id for note in db.session.scalars(db.select(Notification))}
    assert notified == {team.reviewer.id, team.second_reviewer.id, team.admin.id}


def test_viewers_and_other_teams_cannot_submit(draft, bid, team, as_user):
    assert submit(as_user(team.viewer), bid, draft).status_code == 403
    assert submit(as_user(team.outsider), bid, draft).status_code == 404
    assert statuses(draft, bid) == ("draft", "draft")


def test_a_version_in_review_cannot_be_submitted_again(in_review, bid, team, as_user):
    response = submit(as_user(team.writer), bid, in_review)
    assert response.status_code == 409
    assert "is in review, so it cannot be submitted for review" in response.get_data(as_text=True)


def test_submitting_an_incomplete_plan_lists_the_checks_and_stores_nothing(draft, bid, team,
                                                                          as_user):
    bid.deadline = None
    db.session.commit()
    response = submit(as_user(team.writer), bid, draft)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in page
    assert f'href="/bids/{bid.id}/edit#deadline"' in page
    assert "Enter the bid&#39;s submission deadline" in page
    assert statuses(draft, bid) == ("draft", "draft")
    assert db.session.scalar(db.select(db.func.count(Notification.id))) == 0


# --- approve (four eyes) ---------------------------------------------------------------

def test_a_reviewer_of_the_team_approves_and_the_pdf_is_stored(in_review, bid, team, as_user):
    response = approve(as_user(team.reviewer), bid, in_review)
    assert response.status_code == 302
    version = fresh(in_review)
    assert (version.status, bid.status) == ("approved", "approved")
    assert version.approved_by_id == team.reviewer.id and version.approved_at is not None
    stored = db.session.scalar(db.select(PlanDocument).where(PlanDocument.version_id == version.id))
    assert stored.sha256 == version.pdf_sha256 == documents.sha256(stored.pdf)
    assert stored.pdf.startswith(b"%PDF")
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "review.approved"))
    assert event.changes["pdf_sha256"]["after"] == version.pdf_sha256
    assert event.changes["status"] == {"before": "in_review", "after": "approved"}
    notes = db.session.scalars(db.select(Notification).where(Notification.kind == "approved"))
    assert [note.user_id for note in notes] == [team.writer.id]


def test_the_downloaded_pdf_is_the_stored_one(approved, bid, team, as_user):
    response = as_user(team.viewer).get(f"/bids/{bid.id}/plan/versions/{approved.number}/pdf")
    assert response.status_code == 200
    assert documents.sha256(response.data) == approved.pdf_sha256
    page = as_user(team.viewer).get(url(bid, approved)).get_data(as_text=True)
    assert approved.pdf_sha256 in page and "Approved by" in page


@pytest.mark.parametrize("who, status", [("writer", 403), ("other_writer", 403),
                                         ("viewer", 403), ("outsider", 404)])
def test_only_reviewers_of_the_team_may_approve(in_review, bid, team, as_user, who, status):
    assert approve(as_user(getattr(team, who)), bid, in_review).status_code == status
    version = fresh(in_review)
    assert version.status == "in_review" and version.approved_by_id is None
    assert version.document is None


def test_the_author_cannot_approve_their_own_version_even_as_reviewer(bid, team, as_user):
    version = save_level(bid, team.reviewer)
    assert submit(as_user(team.reviewer), bid, version).status_code == 302
    reviewer = as_user(team.reviewer)
    assert approve(reviewer, bid, fresh(version)).status_code == 403
    page = reviewer.get(url(bid, version)).get_data(as_text=True)
    assert "so someone else must approve it" in page and "Approve version 1" not in page
    assert approve(as_user(team.second_reviewer), bid, fresh(version)).status_code == 302
    assert fresh(version).status == "approved"


def test_the_last_editor_cannot_approve_either(bid, team, as_user):
    version = save_level(bid, team.writer)
    version = save_level(bid, team.admin, level="full")  # the admin edited it last
    assert version.created_by_id == team.writer.id and version.updated_by_id == team.admin.id
    assert submit(as_user(team.writer), bid, version).status_code == 302
    assert approve(as_user(team.admin), bid, fresh(version)).status_code == 403
    assert approve(as_user(team.reviewer), bid, fresh(version)).status_code == 302


def test_an_admin_must_be_a_member_of_the_team_to_approve(in_review, bid, team, as_user):
    outside_admin = team_user("root@example.org", "admin", "Beta")
    assert approve(as_user(outside_admin), bid, in_review).status_code == 403
    assert approve(as_user(team.admin), bid, fresh(in_review)).status_code == 302


def test_a_draft_cannot_be_approved(draft, bid, team, as_user):
    response = approve(as_user(team.reviewer), bid, draft)
    assert response.status_code == 409
    assert "is a draft, so it cannot be approved" in response.get_data(as_text=True)
    assert fresh(draft).status == "draft" and fresh(draft).document is None


def test_an_approved_version_cannot_be_approved_again(approved, bid, team, as_user):
    sha = approved.pdf_sha256
    assert approve(as_user(team.second_reviewer), bid, approved).status_code == 409
    assert fresh(approved).approved_by_id == team.reviewer.id and fresh(approved).pdf_sha256 == sha


# --- request changes -------------------------------------------------------------------

def test_request_changes_needs_a_reason_and_keeps_it_as_a_comment(in_review, bid, team, as_user):
    reviewer = as_user(team.reviewer)
    response = request_changes(reviewer, bid, in_review, reason="   ")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Enter what needs to change" in page
    assert 'href="#changes-reason"' in page
    assert fresh(in_review).status == "in_review" and not fresh(in_review).comments
    assert request_changes(reviewer, bid, fresh(in_review)).status_code == 302
    version = fresh(in_review)
    assert statuses(version, bid) == ("changes_requested", "changes_requested")
    [comment] = version.comments
    assert comment.body == REASON and comment.author_id == team.reviewer.id
    notes = db.session.scalars(db.select(Notification).where(
        Notification.kind == "changes_requested")).all()
    assert [note.user_id for note in notes] == [team.writer.id]


@pytest.mark.parametrize("who, status", [("writer", 403), ("viewer", 403), ("outsider", 404)])
def test_only_reviewers_of_the_team_may_request_changes(in_review, bid, team, as_user, who,
                                                        status):
    assert request_changes(as_user(getattr(team, who)), bid, in_review).status_code == status
    assert fresh(in_review).status == "in_review" and not fresh(in_review).comments


def test_changes_requested_then_edited_and_resubmitted(in_review, bid, team, as_user):
    assert request_changes(as_user(team.reviewer), bid, in_review).status_code == 302
    version = save_level(bid, team.writer, level="full")
    assert version.id == in_review.id and version.status == "changes_requested"
    assert submit(as_user(team.writer), bid, fresh(version)).status_code == 302
    assert statuses(version, bid) == ("in_review", "in_review")


def test_a_draft_cannot_be_sent_back(draft, bid, team, as_user):
    assert request_changes(as_user(team.reviewer), bid, draft).status_code == 409
    assert fresh(draft).status == "draft" and not fresh(draft).comments


# --- stale decisions (concurrent review) -----------------------------------------------

def test_a_stale_approval_is_refused(in_review, bid, team, as_user):
    loaded = in_review.row_version  # the first reviewer's page
    assert request_changes(as_user(team.second_reviewer), bid, in_review).status_code == 302
    save_level(bid, team.writer, level="full")
    assert submit(as_user(team.writer), bid, fresh(in_review)).status_code == 302
    response = approve(as_user(team.reviewer), bid, in_review, row_version=loaded)
    assert response.status_code == 409
    assert "changed since you loaded this page" in response.get_data(as_text=True)
    version = fresh(in_review)
    assert version.status == "in_review" and version.approved_by_id is None
    assert version.document is None


def test_a_stale_request_for_changes_is_refused(in_review, bid, team, as_user):
    loaded = in_review.row_version
    assert request_changes(as_user(team.second_reviewer), bid, in_review).status_code == 302
    assert submit(as_user(team.writer), bid, fresh(in_review)).status_code == 302
    response = request_changes(as_user(team.reviewer), bid, in_review, row_version=loaded)
    assert response.status_code == 409
    assert "changed since you loaded this page" in response.get_data(as_text=True)
    assert fresh(in_review).status == "in_review" and len(fresh(in_review).comments) == 1


def test_a_save_while_in_review_is_refused(in_review, bid, team, as_user):
    response = as_user(team.writer).post(f"/bids/{bid.id}/plan/level", data={
        "level": "full", "row_version": str(in_review.row_version)})
    assert "waiting for review, so it cannot change" in response.get_data(as_text=True)
    assert fresh(in_review).level == "good"


# --- submission and outcome ------------------------------------------------------------

def test_mark_as_submitted_then_record_the_outcome(approved, bid, team, as_user):
    writer = as_user(team.writer)
    outcome = f"/bids/{bid.id}/review/versions/{approved.number}/outcome"
    response = writer.post(outcome, data={"outcome-outcome": "won"})
    assert response.status_code == 409 and "has not been submitted yet" in \
        response.get_data(as_text=True)
    assert mark_submitted(as_user(team.viewer), bid, approved).status_code == 403
    assert mark_submitted(writer, bid, approved).status_code == 302
    version = fresh(approved)
    assert statuses(version, bid) == ("submitted", "submitted") and version.submitted_at
    assert mark_submitted(writer, bid, version).status_code == 409
    response = writer.post(outcome, data={"outcome-outcome": "maybe"})
    assert response.status_code == 200 and "Choose the outcome of the bid" in \
        response.get_data(as_text=True)
    assert writer.post(outcome, data={"outcome-outcome": "won"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(type(bid), bid.id).outcome == "won"
    assert db.session.scalar(db.select(AuditEvent.changes).where(
        AuditEvent.action == "bid.outcome_recorded")) == {
        "outcome": {"before": "pending", "after": "won"}}
    history = text_of(as_user(team.viewer).get(f"/bids/{bid.id}/review/history"))
    assert "Recorded the outcome: Won" in history and "Outcome Pending Won" in history


def test_a_draft_cannot_be_marked_submitted(draft, bid, team, as_user):
    assert mark_submitted(as_user(team.writer), bid, draft).status_code == 409
    assert fresh(draft).status == "draft"


def test_status_changes_refresh_the_portfolio_markers(approved, bid, team, as_user):
    assert fresh(approved).is_counted
    version_2 = save_level(bid, team.writer, level="full")
    assert mark_submitted(as_user(team.writer), bid, approved).status_code == 302
    db.session.expire_all()
    # The latest submitted version counts, even with a newer draft; the bid shows the draft.
    assert fresh(approved).is_counted and not fresh(version_2).is_counted
    assert db.session.get(type(bid), bid.id).status == "draft"


# --- comments --------------------------------------------------------------------------

def comment(client, bid, version, body="Is one BSL interpreter enough?", section="plan"):
    return client.post(url(bid, version, "/comments"),
                       data={"comment-section": section, "comment-body": body})


def test_reviewers_comment_on_a_line_and_authors_reply(in_review, bid, team, as_user):
    reviewer, writer = as_user(team.reviewer), as_user(team.writer)
    assert comment(reviewer, bid, in_review, section="line-1").status_code == 302
    [first] = fresh(in_review).comments
    assert first.section == "line-1" and first.author_id == team.reviewer.id
    response = writer.post(url(bid, in_review, f"/comments/{first.id}/replies"),
                           data={f"reply-{first.id}-body": "Yes: the sessions are short."})
    assert response.status_code == 302
    page = reviewer.get(url(bid, in_review)).get_data(as_text=True)
    assert "Line 2: Advisory group member" in page
    assert "Is one BSL interpreter enough?" in page and "Yes: the sessions are short." in page
    assert "Reply from Writer" in page and "Reviewer," in page
    notified = [note.user_id for note in db.session.scalars(
        db.select(Notification).where(Notification.kind == "comment").order_by(Notification.id))]
    assert notified == [team.writer.id, team.reviewer.id]  # the author, then the commenter


def test_a_comment_must_have_text_and_a_known_section(in_review, bid, team, as_user):
    reviewer = as_user(team.reviewer)
    for section, body, message, field in [
            ("plan", "  ", "Enter your comment", "comment-body"),
            ("budget", "x" * 5001, "Comment must be 5,000 characters or fewer", "comment-body"),
            ("line-99", "About a line", "Choose what the comment is about from the list",
             "comment-section")]:
        response = comment(reviewer, bid, in_review, body=body, section=section)
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and message in page, message
        assert f'href="#{field}"' in page
    assert fresh(in_review).comments == []


def test_comments_are_marked_resolved_and_reopened(in_review, bid, team, as_user):
    reviewer = as_user(team.reviewer)
    comment(reviewer, bid, in_review)
    [first] = fresh(in_review).comments
    resolve = url(bid, in_review, f"/comments/{first.id}/resolve")
    assert reviewer.post(resolve, data={"resolved": "1"}).status_code == 302
    first = db.session.get(Comment, first.id)
    assert first.resolved_at is not None and first.resolved_by_id == team.reviewer.id
    assert "Resolved" in reviewer.get(url(bid, in_review)).get_data(as_text=True)
    assert reviewer.post(resolve, data={"resolved": "0"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Comment, first.id).resolved_at is None


def test_viewers_and_other_teams_cannot_comment(in_review, bid, team, as_user):
    assert comment(as_user(team.viewer), bid, in_review).status_code == 403
    assert comment(as_user(team.outsider), bid, in_review).status_code == 404
    assert fresh(in_review).comments == []


def test_a_comment_of_another_version_is_not_found(in_review, bid, team, as_user):
    other_bid = make_bid("Alpha", title="Other", deadline=date(2027, 1, 15))
    other = save_level(other_bid, team.writer)
    comment(as_user(team.reviewer), other_bid, other)
    [foreign] = fresh(other).comments
    response = as_user(team.reviewer).post(url(bid, in_review, f"/comments/{foreign.id}/replies"),
                                           data={f"reply-{foreign.id}-body": "Hijack"})
    assert response.status_code == 404


def test_locked_versions_take_no_comments(approved, bid, team, as_user):
    reviewer = as_user(team.reviewer)
    response = comment(reviewer, bid, approved)
    assert response.status_code == 409 and "comments are closed" in response.get_data(as_text=True)
    assert "Add a comment" not in reviewer.get(url(bid, approved)).get_data(as_text=True)


def test_typed_markup_in_comments_is_shown_not_run(in_review, bid, team, as_user):
    reviewer = as_user(team.reviewer)
    comment(reviewer, bid, in_review, body="<script>alert(1)</script> & more\nsecond line")
    page = reviewer.get(url(bid, in_review)).get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more<br>second line" in page
    assert "<script>alert(1)" not in page


# --- notifications ---------------------------------------------------------------------

def test_reviewers_see_what_waits_for_them_and_mark_notifications_read(in_review, bid, team,
                                                                       as_user):
    reviewer = as_user(team.reviewer)
    page = reviewer.get("/notifications/").get_data(as_text=True)
    assert "Waiting for review" in page and "Care Act training</span>, version 1" in page
    assert "sent version 1 of “Care Act training” for review" in page
    header = reviewer.get(f"/bids/{bid.id}").get_data(as_text=True)
    assert '1<span class="govuk-visually-hidden"> unread</span>' in header
    note = db.session.scalar(db.select(Notification).where(
        Notification.user_id == team.reviewer.id))
    assert as_user(team.second_reviewer).post(
        f"/notifications/{note.id}/read").status_code == 404  # someone else's
    assert reviewer.post(f"/notifications/{note.id}/read").status_code == 302
    db.session.expire_all()
    assert db.session.get(Notification, note.id).read_at is not None
    assert "unread</span>" not in reviewer.get(f"/bids/{bid.id}").get_data(as_text=True)
    admin = as_user(team.admin)
    assert admin.post("/notifications/read-all").status_code == 302
    assert db.session.scalar(db.select(db.func.count(Notification.id)).where(
        Notification.user_id == team.admin.id, Notification.read_at.is_(None))) == 0


def test_writers_see_no_review_queue(in_review, team, as_user):
    page = as_user(team.writer).get("/notifications/").get_data(as_text=True)
    assert "Waiting for review" not in page and "Nothing for you yet." in page


class FakeSMTP:
    """Stands in for smtplib.SMTP: records what would have been sent."""

    sent: list = []
    hosts: list = []

    def __init__(self, host, timeout=None):
        FakeSMTP.hosts.append(host)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_message(self, message):
        FakeSMTP.sent.append(message)


def test_emails_go_out_only_when_enabled(app, draft, bid, team, as_user, monkeypatch):
    FakeSMTP.sent, FakeSMTP.hosts = [], []
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    assert submit(as_user(team.writer), bid, draft).status_code == 302
    assert FakeSMTP.sent == []  # NOTIFY_EMAIL is off by default
    assert request_changes(as_user(team.reviewer), bid, fresh(draft)).status_code == 302
    monkeypatch.setitem(app.config, "NOTIFY_EMAIL", True)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org:2525")
    monkeypatch.setitem(app.config, "MAIL_FROM", "planner@example.org")
    assert submit(as_user(team.writer), bid, fresh(draft)).status_code == 302
    assert FakeSMTP.hosts == ["smtp.example.org:2525"]
    assert sorted(message["To"] for message in FakeSMTP.sent) == [
        "admin@example.org", "reviewer@example.org", "second@example.org"]
    message = FakeSMTP.sent[0]
    assert message["From"] == "planner@example.org"
    assert message["Subject"] == "Co-production Planner: Waiting for review"
    assert f"/bids/{bid.id}/review/versions/1" in message.get_content()


def test_a_failing_mail_server_does_not_undo_the_change(app, draft, bid, team, as_user,
                                                        monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")
    monkeypatch.setattr(smtplib, "SMTP", refuse)
    monkeypatch.setitem(app.config, "NOTIFY_EMAIL", True)
    assert submit(as_user(team.writer), bid, draft).status_code == 302
    assert fresh(draft).status == "in_review"


# --- history ---------------------------------------------------------------------------

def test_the_history_shows_every_change_with_before_and_after(approved, bid, team, as_user):
    page = as_user(team.viewer).get(f"/bids/{bid.id}/review/history").get_data(as_text=True)
    for summary in ("Saved plan version 1", "Submitted version 1 for review",
                    "Approved version 1"):
        assert summary in page
    assert page.index("Saved plan version 1") < page.index("Approved version 1")
    assert approved.pdf_sha256 in page
    assert "Writer, " in page and "Reviewer, " in page


def test_the_history_shows_money_labels_and_dates_never_stored_keys(draft, bid, team, as_user):
    """A reader sees "£95,000.00", "Regional", "In review", not 9500000, regional, in_review."""
    first_total = draft.total_pence
    update_bid(bid, {"value_pence": 9_500_000, "scope": "regional", "deadline": date(2027, 2, 1),
                     "client_requires_coproduction": False}, team.writer)
    draft = save_level(bid, team.writer)  # costed again for the bid as it is now
    assert submit(as_user(team.writer), bid, draft).status_code == 302
    page = text_of(as_user(team.viewer).get(f"/bids/{bid.id}/review/history"))
    assert "Bid value £120,000.00 £95,000.00" in page
    assert "Scope Local Regional" in page
    assert "Submission deadline 15 January 2027 1 February 2027" in page
    assert "Client requires co-production Yes No" in page
    assert f"Total co-production cost – {pence(first_total)}" in page
    assert "Status Draft In review" in page
    assert "Edited bid value, client requires co-production, scope, submission deadline" in page
    for stored in ("value_pence", "Value pence", "9500000", "Total pence", "in_review",
                   "True", "False", "2027-02-01"):
        assert stored not in page, stored


def test_no_route_changes_or_deletes_audit_rows(app, approved, bid, team, as_user):
    record("test.marker", user=team.admin, bid=bid, summary="marker")
    db.session.commit()
    before = db.session.execute(db.select(AuditEvent.id, AuditEvent.action, AuditEvent.summary,
                                          AuditEvent.changes)).all()
    client = as_user(team.admin)
    for rule in app.url_map.iter_rules():
        if "history" in rule.rule or "audit" in rule.rule:
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule.rule
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        assert client.open(f"/bids/{bid.id}/review/history", method=method).status_code == 405
    after = db.session.execute(db.select(AuditEvent.id, AuditEvent.action, AuditEvent.summary,
                                         AuditEvent.changes)).all()
    assert after == before


def test_review_pages_of_other_teams_are_not_found(approved, bid, team, as_user):
    outsider = as_user(team.outsider)
    for path in (url(bid, approved), f"/bids/{bid.id}/review/history",
                 f"/bids/{bid.id}/review/compare"):
        assert outsider.get(path).status_code == 404, path


def test_the_bid_page_lists_versions_and_links_the_history(approved, bid, team, as_user):
    save_level(bid, team.writer, level="full")
    page = as_user(team.viewer).get(f"/bids/{bid.id}").get_data(as_text=True)
    assert "Versions of the plan" in page and "Compare versions" in page
    assert f'href="/bids/{bid.id}/review/history"' in page
    assert f'href="/bids/{bid.id}/review/versions/1"' in page
    estimate = as_user(team.writer).get(f"/bids/{bid.id}/plan/versions/2").get_data(as_text=True)
    assert "Submit for review" in estimate and 'data-testid="review-panel"' in estimate


def test_review_forms_need_their_csrf_token(app, in_review, bid, team, as_user, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    reviewer = as_user(team.reviewer)
    assert approve(reviewer, bid, in_review).status_code == 400
    assert comment(reviewer, bid, in_review).status_code == 400
    assert fresh(in_review).status == "in_review" and fresh(in_review).comments == []
    page = reviewer.get(url(bid, in_review)).get_data(as_text=True)
    token = re.search(r'name="approve-csrf_token"[^>]*value="([^"]+)"', page)[1]
    response = reviewer.post(url(bid, in_review, "/approve"), data={
        "approve-csrf_token": token, "approve-row_version": str(in_review.row_version)})
    assert response.status_code == 302 and fresh(in_review).status == "approved"
