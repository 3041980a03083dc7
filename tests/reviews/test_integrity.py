"""Approvals that mean what they say and no lost edits (issue 16, findings 1, 2, 3, 7, 9).

Four eyes counts everyone who changed the version (from the audit trail); the bid is
locked while its plan is in review or approved, and approval re-runs the checks; a
save names the version its page was loaded from; two saves at the same moment give
the loser the conflict page with their input kept, never a 500; the live
recalculation costs with the card the save will use.
"""
from __future__ import annotations

import re
from contextlib import contextmanager

from sqlalchemy import event, update
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import Bid, PlanVersion
from app.versions import store
from tests.factories import form_for
from tests.plan_forms import activities_form
from tests.review_steps import approve, fresh, save_level, statuses, submit, url


def activities_url(bid) -> str:
    return f"/bids/{bid.id}/plan/activities"


def loaded_token(page: str) -> str:
    """The row_version hidden field as the activities page rendered it."""
    return re.search(r'name="row_version"[^>]*value="([^"]*)"', page)[1]


@contextmanager
def someone_else_saves_first(model, row_id: int):
    """Between this request's read and its write, another writer commits a change to the
    same row (its row_version moves on), as when two people press Save together."""
    def bump(session, _context, _instances):
        session.connection().execute(update(model).where(model.id == row_id)
                                     .values(row_version=model.row_version + 1))
    event.listen(Session, "before_flush", bump, once=True)
    try:
        yield
    finally:
        if event.contains(Session, "before_flush", bump):
            event.remove(Session, "before_flush", bump)


# --- 1: four eyes from the audit trail ------------------------------------------------

def test_a_reviewer_who_changed_the_version_cannot_approve_it(bid, team, as_user):
    save_level(bid, team.writer, "good")
    save_level(bid, team.reviewer, "full")  # the reviewer changes the plan...
    version = save_level(bid, team.writer, "good")  # ...the writer makes the last edit
    assert submit(as_user(team.writer), bid, version).status_code == 302
    version = fresh(version)
    assert version.updated_by_id == team.writer.id and version.created_by_id == team.writer.id
    refused = approve(as_user(team.reviewer), bid, version)
    assert refused.status_code == 403
    assert statuses(version, bid) == ("in_review", "in_review")
    page = as_user(team.reviewer).get(url(bid, version)).get_data(as_text=True)
    assert "You changed this version" in page
    assert approve(as_user(team.second_reviewer), bid, fresh(version)).status_code == 302


# --- 2: the bid is locked under a plan in review or approved ---------------------------

def test_the_bid_cannot_change_while_its_plan_is_in_review_or_approved(bid, in_review, team,
                                                                        as_user):
    client = as_user(team.writer)
    edit = form_for(bid.team_id, title="A new title", value_gbp="999999",
                    client_requires_coproduction=None, row_version=str(bid.row_version))
    for stage in ("in review", "approved"):
        response = client.post(f"/bids/{bid.id}/edit", data=edit)
        assert response.status_code == 409, stage
        assert "The bid cannot change" in response.get_data(as_text=True)
        db.session.expire_all()
        stored = db.session.get(Bid, bid.id)
        assert (stored.title, stored.value_pence, stored.client_requires_coproduction) == (
            "Care Act training", 12_000_000, True)
        shown = client.get(f"/bids/{bid.id}/edit")
        assert shown.status_code == 302 and shown.headers["Location"].endswith(f"/bids/{bid.id}")
        if stage == "in review":
            assert approve(as_user(team.reviewer), bid, fresh(in_review)).status_code == 302
            edit["row_version"] = str(db.session.get(Bid, bid.id).row_version)


def test_approval_runs_the_completeness_checks_again(bid, in_review, team, as_user):
    db.session.get(Bid, bid.id).deadline = None  # changed behind the app's back
    db.session.commit()
    response = approve(as_user(team.reviewer), bid, fresh(in_review))
    assert response.status_code == 200
    assert "deadline" in response.get_data(as_text=True).lower()
    assert statuses(in_review, bid) == ("in_review", "in_review")


# --- 3: a tab left open across an approval ---------------------------------------------

def test_a_tab_left_open_across_an_approval_cannot_overwrite_the_new_version(
        bid, draft, team, as_user):
    tab = as_user(team.writer)
    old_page = tab.get(activities_url(bid)).get_data(as_text=True)
    old_form = activities_form(draft, row_version=loaded_token(old_page),
                               **{"activities-0-people": "7"})
    assert submit(tab, bid, draft).status_code == 302
    assert approve(as_user(team.reviewer), bid, fresh(draft)).status_code == 302
    other = as_user(team.other_writer)  # starts version 2 from the approved version 1
    new_page = other.get(activities_url(bid)).get_data(as_text=True)
    v1 = fresh(draft)
    new_form = activities_form(v1, row_version=loaded_token(new_page),
                               **{"activities-0-people": "4"})
    assert other.post(activities_url(bid), data=new_form).status_code == 302
    v2 = store.latest_version(db.session.get(Bid, bid.id))
    assert v2.number == 2 and v2.inputs["activities"][0]["people"] == 4
    response = tab.post(activities_url(bid), data=old_form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "saved by someone else" in page
    assert re.search(r'id="activities-0-people"[^>]*value="7"', page), "the input is kept"
    db.session.expire_all()
    assert db.session.get(PlanVersion, v2.id).inputs["activities"][0]["people"] == 4


# --- 7: saving at the same moment ------------------------------------------------------

def test_a_plan_saved_at_the_same_moment_gives_the_conflict_page(bid, draft, team, as_user):
    client = as_user(team.writer)
    before = fresh(draft).inputs
    form = activities_form(fresh(draft), **{"activities-0-people": "6"})
    with someone_else_saves_first(PlanVersion, draft.id):
        response = client.post(activities_url(bid), data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "saved by someone else" in page
    assert re.search(r'id="activities-0-people"[^>]*value="6"', page)
    assert fresh(draft).inputs == before


def test_a_bid_saved_at_the_same_moment_gives_the_conflict_page(bid, team, as_user):
    client = as_user(team.writer)
    form = form_for(bid.team_id, title="My edit", row_version=str(bid.row_version))
    with someone_else_saves_first(Bid, bid.id):
        response = client.post(f"/bids/{bid.id}/edit", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "Someone else saved this bid" in page
    assert 'value="My edit"' in page
    db.session.expire_all()
    assert db.session.get(Bid, bid.id).title == "Care Act training"


def test_an_approval_at_the_same_moment_is_refused_not_a_500(bid, in_review, team, as_user):
    with someone_else_saves_first(PlanVersion, in_review.id):
        response = approve(as_user(team.reviewer), bid, fresh(in_review))
    assert response.status_code == 409
    assert "Someone else changed this plan at the same moment" in \
        response.get_data(as_text=True)
    assert statuses(in_review, bid) == ("in_review", "in_review")


# --- 9: the live recalculation uses the version's rate card ----------------------------

def test_the_preview_costs_with_the_card_the_save_uses(bid, draft, team, as_user):
    version = fresh(draft)
    other_card = "uk-2026" if version.rate_card_id != "uk-2026" else "uk-2026-12"
    version.rate_card_id = other_card
    db.session.commit()
    client = as_user(team.writer)
    form = activities_form(fresh(draft), **{"activities-0-sessions": "5"})
    preview = client.post(f"/bids/{bid.id}/plan/preview", data=form).get_data(as_text=True)
    shown = re.search(r'data-testid="summary-total">\s*([^<\s]+)', preview)[1]
    assert client.post(activities_url(bid), data=form).status_code == 302
    saved = fresh(draft)
    assert saved.rate_card_id == other_card
    from app.costing import format_gbp
    assert shown == format_gbp(saved.total_pence / 100)
