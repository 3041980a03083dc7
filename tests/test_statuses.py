"""app.versions.statuses and the status machine: one table of statuses, every move of
the machine between known statuses, editable and locked apart."""
from __future__ import annotations

from app.versions import statuses, transitions

MOVES = (transitions.SUBMIT, transitions.REQUEST_CHANGES, transitions.APPROVE,
         transitions.MARK_SUBMITTED)


def test_every_move_goes_between_known_statuses():
    for move in MOVES:
        assert set(move.sources) <= set(statuses.STATUSES)
        assert move.target in statuses.STATUSES


def test_editable_and_locked_statuses_are_apart_and_locked_ones_have_no_way_out_but_submit():
    assert not set(statuses.EDITABLE_STATUSES) & set(statuses.LOCKED_STATUSES)
    leaving_locked = [move for move in MOVES if set(move.sources) & set(statuses.LOCKED_STATUSES)]
    assert leaving_locked == [transitions.MARK_SUBMITTED]
    assert transitions.MARK_SUBMITTED.target in statuses.LOCKED_STATUSES


def test_labels_and_sentences():
    assert statuses.status_label("changes_requested") == "Changes requested"
    assert statuses.status_in_sentence("draft") == "a draft"
    assert statuses.status_label("archived") == "Archived"   # unknown keys stay readable
    assert statuses.status_colour("approved") == "green"
    assert statuses.is_locked("APPROVED") and not statuses.is_locked(None)


def test_the_version_that_counts_is_the_latest_submitted_else_the_latest():
    rows = [("draft", 3), ("submitted", 2), ("approved", 1)]
    assert max(rows, key=lambda row: statuses.counting_rank(*row)) == ("submitted", 2)
    assert max(rows[:1] + rows[2:], key=lambda row: statuses.counting_rank(*row)) == ("draft", 3)
