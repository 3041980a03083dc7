"""Assigning members to a plan line sets its needs from theirs; the engine costs them."""
from __future__ import annotations

from app import costing
from app.extensions import db
from app.membership.models import Involvement
from app.versions import store
from app.versions.engine import default_rate_card, plan_document
from tests.factories import make_bid

LINE = {"role": "advisory_group_member", "people": 6, "sessions": 4, "mode": "in_person",
        "travel": "local", "start_time": "09:30"}


def _planned_bid(writer, **values):
    bid = make_bid("Alpha", region="yorkshire", **values)
    inputs = {"level": "limited", "activities": [dict(LINE)]}
    store.save_plan(bid, inputs, writer, None)
    return bid


def test_assigning_a_bsl_member_costs_bsl_as_the_engine_says(client, auth, make_user,
                                                             coordinator, add_member):
    writer = make_user("writer@example.org")
    coordinator.teams = writer.teams
    db.session.commit()
    bid = _planned_bid(writer)
    before = store.latest_version(bid)
    before_total, before_access = before.total_pence, before.estimate["by_category"][
        "access_support"]
    deaf = add_member("Dee Deaf", needs=["bsl", "no_early_start"])
    add_member("Elsewhere", region="london")  # a local bid looks in its own region only
    auth.sign_in(coordinator.email)
    page = client.get(f"/network/bids/{bid.id}/lines/0").get_data(as_text=True)
    assert "Dee Deaf" in page and "Elsewhere" not in page
    from app.membership.models import MemberAuditEvent

    assert db.session.scalar(db.select(MemberAuditEvent.member_id).where(
        MemberAuditEvent.action == "view-suggestion")) == deaf.id  # needs shown: audited
    response = client.post(f"/network/bids/{bid.id}/lines/0",
                           data={"members": [str(deaf.id)],
                                 "row_version": str(before.row_version)})
    assert response.status_code == 302, response.get_data(as_text=True)
    after = store.latest_version(bid)
    line = after.inputs["activities"][0]
    assert line["needs"]["bsl"] is True and line["start_time"] == "10:00"
    card = default_rate_card()
    expected = costing.estimate(plan_document(bid, after.inputs, card), card.values)
    assert after.estimate["total_gbp"] == expected["total_gbp"]
    assert after.estimate["by_category"]["access_support"] > before_access
    assert after.total_pence > before_total
    assert db.session.scalar(db.select(Involvement.member_id)) == deaf.id
    # Assigned members are not suggested again; the writer sees counts, never the name.
    auth.sign_out()
    auth.sign_in(writer.email)
    page = client.get(f"/network/bids/{bid.id}/lines/0").get_data(as_text=True)
    assert "Dee Deaf" not in page and "already assigned" in page
    assert client.post(f"/network/bids/{bid.id}/lines/0",
                       data={"members": [str(deaf.id)]}).status_code == 403


def test_members_without_consent_cannot_be_assigned(client, auth, make_user, coordinator,
                                                    add_member):
    writer = make_user("writer@example.org")
    bid = _planned_bid(writer)
    unwilling = add_member("No Consent", consent=False)
    auth.sign_in(coordinator.email)
    assert "No Consent" not in client.get(f"/network/bids/{bid.id}/lines/0").get_data(
        as_text=True)
    response = client.post(f"/network/bids/{bid.id}/lines/0",
                           data={"members": [str(unwilling.id)]})
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count(Involvement.id))) == 0


def test_documents_name_only_members_who_consented_to_be_named(client, auth, make_user,
                                                                coordinator, add_member):
    import io

    from pypdf import PdfReader

    writer = make_user("writer@example.org")
    bid = _planned_bid(writer)
    named = add_member("Nora Named", may_be_named=True)
    private = add_member("Pia Private")
    auth.sign_in(coordinator.email)
    assert client.post(f"/network/bids/{bid.id}/lines/0", data={
        "members": [str(named.id), str(private.id)]}).status_code == 302
    version = store.latest_version(bid)
    pdf = client.get(f"/bids/{bid.id}/plan/versions/{version.number}/pdf").data
    text = " ".join(" ".join(page.extract_text() for page in
                             PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Network members taking part" in text
    assert "Nora Named" in text and private.pseudonym in text and "Pia Private" not in text


def test_the_plan_editor_shows_each_line_its_count_and_keeps_the_names(client, auth,
                                                                        make_user,
                                                                        coordinator,
                                                                        add_member):
    writer = make_user("writer@example.org")
    bid = _planned_bid(writer)
    for name in ("One", "Two", "Three"):
        add_member(name)
    add_member("Blogger", roles=["blogger"])
    auth.sign_in(coordinator.email)
    first = add_member("Assigned First")
    client.post(f"/network/bids/{bid.id}/lines/0", data={"members": [str(first.id)]})
    auth.sign_out()
    auth.sign_in(writer.email)
    page = client.get(f"/bids/{bid.id}/plan/activities").get_data(as_text=True)
    assert "3 network members fit" in page and "Assigned First" not in page
    viewer = make_user("viewer@example.org", role="viewer")
    auth.sign_out()
    auth.sign_in(viewer.email)
    assert "network member" not in client.get(
        f"/bids/{bid.id}/plan/activities").get_data(as_text=True)


def test_saving_the_editor_keeps_a_lines_members_while_its_role_stays():
    from app.plans.forms import _with_members

    stored = [{"role": "advisory_group_member", "members": ["Network member M0001"]}]
    assert _with_members({"role": "advisory_group_member"}, stored, 0)["members"] == \
        ["Network member M0001"]
    assert "members" not in _with_members({"role": "blogger"}, stored, 0)


def test_members_stay_on_their_line_when_the_editor_removes_or_copies_lines(
        client, auth, make_user, coordinator, add_member):
    from datetime import date

    from app.membership.lines import lines_moved

    writer = make_user("writer@example.org")
    bid = make_bid("Alpha", region="yorkshire")
    store.save_plan(bid, {"level": "limited", "activities": [
        dict(LINE), dict(LINE, role="blogger"), dict(LINE)]}, writer, None)
    first, second, third = (add_member(name) for name in ("First", "Second", "Third"))
    rows = [Involvement(member_id=first.id, bid_id=bid.id, line_index=0, role=LINE["role"],
                        assigned_on=date(2026, 5, 1)),
            Involvement(member_id=second.id, bid_id=bid.id, line_index=0, role=LINE["role"],
                        assigned_on=date(2026, 5, 1), status="took_part",
                        took_part_on=date(2026, 5, 2)),
            Involvement(member_id=first.id, bid_id=bid.id, line_index=1, role="blogger",
                        assigned_on=date(2026, 5, 1)),
            Involvement(member_id=third.id, bid_id=bid.id, line_index=2, role=LINE["role"],
                        assigned_on=date(2026, 5, 1))]
    db.session.add_all(rows)
    db.session.commit()

    def where():
        return sorted((row.member_id, row.line_index) for row in
                      db.session.scalars(db.select(Involvement)))
    lines_moved(bid, "duplicate", 0)   # the copy (line 1) starts empty
    assert where() == sorted([(first.id, 0), (second.id, 0), (first.id, 2), (third.id, 3)])
    lines_moved(bid, "remove", 0)      # who took part keeps it, on "a removed line"
    assert where() == sorted([(second.id, -rows[1].id), (first.id, 1), (third.id, 2)])
    from app.membership import services as register

    assert register.network_kpis(2026).this_year.took_part == 1  # still counted


def test_consent_no_longer_to_be_named_takes_the_name_off_the_draft(client, auth, make_user,
                                                                      coordinator,
                                                                      add_member):
    writer = make_user("writer@example.org")
    bid = _planned_bid(writer)
    named = add_member("Nell Named", may_be_named=True)
    auth.sign_in(coordinator.email)
    client.post(f"/network/bids/{bid.id}/lines/0", data={"members": [str(named.id)]})
    assert store.latest_version(bid).inputs["activities"][0]["members"] == ["Nell Named"]
    # New consent to bid work, no longer to being named: it replaces the old one.
    client.post(f"/network/members/{named.id}/consents",
                data={"purpose": "bid_work", "given_on": "2026-06-01"})
    assert store.latest_version(bid).inputs["activities"][0]["members"] == [named.pseudonym]


def test_withdrawing_bid_work_consent_takes_them_off_the_line_and_its_needs(
        client, auth, make_user, coordinator, add_member):
    writer = make_user("writer@example.org")
    bid = _planned_bid(writer)
    deaf = add_member("Dana Deaf", needs=["bsl"])
    auth.sign_in(coordinator.email)
    client.post(f"/network/bids/{bid.id}/lines/0", data={"members": [str(deaf.id)]})
    assert store.latest_version(bid).inputs["activities"][0]["needs"]["bsl"] is True
    consent = deaf.live_consent("bid_work")
    client.post(f"/network/members/{deaf.id}/consents/{consent.id}/withdraw",
                data={"on": "2026-06-01"})
    line = store.latest_version(bid).inputs["activities"][0]
    assert line["needs"]["bsl"] is False and line["members"] == []
    assert db.session.scalar(db.select(db.func.count(Involvement.id))) == 0
