"""Who is suggested for a line: consent, role, region, least involved first; line needs."""
from __future__ import annotations

from datetime import date

from app.extensions import db
from app.membership import matching
from app.membership import services as register
from app.membership.matching import Candidate
from app.membership.models import Involvement

ROLE = "advisory_group_member"


def _candidate(member_id, *, roles=(ROLE,), region="london", status="active", consent=True,
               involved=0):
    return Candidate(member_id, frozenset(roles), region, status, consent, involved)


def test_suggestions_fit_the_line_and_spread_involvement():
    people = [_candidate(1, involved=3), _candidate(2, involved=0),
              _candidate(3, consent=False), _candidate(4, status="paused"),
              _candidate(5, roles=("blogger",)), _candidate(6, region="wales"),
              _candidate(7, involved=1), _candidate(8, status="left")]
    assert [c.member_id for c in matching.suggest(people, ROLE, "london")] == [2, 7, 1]
    assert [c.member_id for c in matching.suggest(people, ROLE, None)] == [2, 6, 7, 1]


def test_only_local_and_regional_bids_look_in_their_region():
    assert matching.region_for("local", "london") == "london"
    assert matching.region_for("regional", "wales") == "wales"
    assert matching.region_for("national", "london") is None
    assert matching.region_for("local", None) is None  # a bid without a region: anywhere


def test_line_needs_come_from_the_people_on_it():
    needs = matching.line_needs([["bsl", "personal_assistant"], ["personal_assistant"],
                                 ["replacement_care", "no_early_start"], []])
    assert needs == {"bsl": True, "personal_assistants": 2,
                     "carers_needing_replacement_care": 1, "no_early_start": True}
    line = matching.apply_needs({"role": ROLE, "start_time": "09:00",
                                 "needs": {"bsl": False}}, needs)
    assert line["needs"] == {"bsl": True, "personal_assistants": 2,
                             "carers_needing_replacement_care": 1}
    assert line["start_time"] == "10:00"
    later = matching.apply_needs({"role": ROLE, "start_time": "13:30"}, needs)
    assert later["start_time"] == "13:30"
    none = matching.apply_needs({"role": ROLE, "start_time": "09:00"},
                                matching.line_needs([[]]))
    assert none["needs"]["bsl"] is False and none["start_time"] == "09:00"


def test_no_consent_never_suggested_withdrawn_removed_but_kept_in_past_counts(
        app, coordinator, add_member):
    consenting = add_member("Consenting")
    add_member("Never asked", consent=False)
    withdrawing = add_member("Withdrawing")
    db.session.add(Involvement(member_id=withdrawing.id, line_index=0, role=ROLE,
                               assigned_on=date(2025, 6, 1), status="took_part",
                               took_part_on=date(2025, 6, 1)))
    db.session.commit()
    year = (date(2025, 4, 1), date(2026, 3, 31))

    def suggested():
        return [c.member_id for c in matching.suggest(register.candidates(*year), ROLE)]
    assert suggested() == [consenting.id, withdrawing.id]
    register.withdraw_consent(withdrawing, withdrawing.live_consent("bid_work"),
                              date(2025, 7, 1), coordinator)
    db.session.commit()
    assert suggested() == [consenting.id]
    kpis = register.network_kpis(2025).this_year
    assert kpis.took_part == 1 and kpis.members == 3
