"""The register's pages as a coordinator, a writer and a viewer."""
from __future__ import annotations

from app.extensions import db
from app.membership.models import Member, MemberAuditEvent


def test_coordinator_adds_a_member_and_the_view_is_audited(client, auth, coordinator):
    auth.sign_in(coordinator.email)
    response = client.post("/network/members/new", data={
        "kind": "person", "display_name": "Ada Deaf", "region": "london",
        "roles": ["advisory_group_member"], "needs": ["bsl"], "payment_preference": "paid",
        "lived_experience": "deaf, carer", "joined_on": "2025-05-01",
        "consent_bid_work": "y", "consent_given_on": "2025-05-01"})
    assert response.status_code == 302, response.get_data(as_text=True)
    member = db.session.scalar(db.select(Member))
    assert member.needs == ["bsl"] and member.lived_experience == ["deaf", "carer"]
    page = client.get(f"/network/members/{member.id}").get_data(as_text=True)
    assert "Ada Deaf" in page and "British Sign Language interpreter" in page
    actions = db.session.scalars(db.select(MemberAuditEvent.action)).all()
    assert actions == ["create", "consent", "view"]
    for path in ("/network/", "/network/meetings", "/network/meetings/new", "/network/import",
                 "/network/retention", f"/network/members/{member.id}/edit",
                 f"/network/members/{member.id}/export.json",
                 f"/network/members/{member.id}/export.pdf",
                 f"/network/members/{member.id}/erase"):
        assert client.get(path).status_code == 200, path


def test_bad_member_form_names_every_field_and_stores_nothing(client, auth, coordinator):
    auth.sign_in(coordinator.email)
    response = client.post("/network/members/new", data={
        "kind": "organisation", "display_name": "", "region": "mars", "email": "nope",
        "roles": ["astronaut"], "needs": ["telepathy"], "joined_on": "2025-13-01",
        "may_be_named": "y"})
    page = response.get_data(as_text=True)
    assert client.post("/network/members/new", data={
        "kind": "person", "display_name": "No Date", "region": "london",
        "payment_preference": "paid", "joined_on": "2025-05-01",
        "consent_bid_work": "y"}).status_code == 200  # consent without its day
    assert response.status_code == 200
    for message in ("Enter the member", "Enter the organisation this member represents",
                    "Choose the kind of organisation", "Enter an email address",
                    "“astronaut” is not one of the choices", "“telepathy” is not one of the",
                    "Joined the network on must be a real date", "Being named needs consent",
                    "Choose the member&#39;s payment preference"):
        assert message in page, message
    assert db.session.scalar(db.select(db.func.count(Member.id))) == 0


def test_writer_sees_counts_only_and_viewer_nothing(client, auth, make_user, add_member):
    add_member("Secret Name", needs=["bsl"], lived_experience=["hearing impairment"])
    make_user("writer@example.org", role="writer")
    make_user("viewer@example.org", role="viewer")
    auth.sign_in("writer@example.org")
    page = client.get("/network/").get_data(as_text=True)
    assert "Advisory group member" in page and "Secret Name" not in page
    assert "British Sign Language" not in page and "hearing impairment" not in page
    member = db.session.scalar(db.select(Member))
    assert client.get(f"/network/members/{member.id}").status_code == 403
    auth.sign_out()
    auth.sign_in("viewer@example.org")
    assert client.get("/network/").status_code == 403


def test_consent_status_meeting_and_involvement_through_the_pages(client, auth, coordinator,
                                                                  add_member):
    from datetime import date

    from app.membership.models import Involvement, NetworkMeeting

    member = add_member("Page Person")
    other = add_member("Other Person")
    auth.sign_in(coordinator.email)
    consent = member.live_consent("bid_work")
    assert client.post(f"/network/members/{member.id}/consents/{consent.id}/withdraw",
                       data={"on": "2099-01-01"}).status_code == 400  # the future: refused
    assert member.consents_to_bid_work
    assert client.post(f"/network/members/{member.id}/consents/{consent.id}/withdraw",
                       data={"on": "2025-06-01"}).status_code == 302
    db.session.expire_all()
    assert not db.session.get(Member, member.id).consents_to_bid_work
    assert client.post(f"/network/members/{member.id}/consents", data={
        "purpose": "bid_work", "given_on": "2025-07-01", "may_be_named": "y"}).status_code == 302
    assert client.post(f"/network/members/{member.id}/status", data={
        "status": "gone", "on": "2025-08-01"}).status_code == 400
    assert client.post(f"/network/members/{member.id}/status", data={
        "status": "left", "on": "2025-08-01"}).status_code == 302
    db.session.expire_all()
    stored = db.session.get(Member, member.id)
    assert stored.may_be_named and stored.status == "left"
    assert stored.left_on == date(2025, 8, 1)
    response = client.post("/network/meetings/new", data={
        "title": "Spring meeting", "held_on": "2026-03-31", "format": "online",
        "attendees": [str(member.id), str(other.id)]})
    assert response.status_code == 302
    meeting = db.session.scalar(db.select(NetworkMeeting))
    assert {a.member_id for a in meeting.attendances} == {member.id, other.id}
    involvement = Involvement(member_id=other.id, line_index=0, role="blogger",
                              assigned_on=date(2025, 5, 1))
    db.session.add(involvement)
    db.session.commit()
    assert client.post(f"/network/involvements/{involvement.id}", data={
        "status": "took_part"}).status_code == 400  # took part needs the day
    assert client.post(f"/network/involvements/{involvement.id}", data={
        "status": "took_part", "took_part_on": "2025-05-02", "sessions_attended": "3"}
    ).status_code == 302
    db.session.expire_all()
    assert db.session.get(Involvement, involvement.id).sessions_attended == 3
    actions = set(db.session.scalars(db.select(MemberAuditEvent.action)))
    assert {"withdraw-consent", "consent", "status", "meeting-attendance",
            "involvement"} <= actions


def test_the_retention_list_shows_who_left_longer_ago_than_the_period(app, coordinator,
                                                                       add_member):
    from datetime import date

    from app.membership import services as register

    long_gone = add_member("Long Gone")
    recent = add_member("Recently Left")
    erased = add_member("Erased Already")
    for member, left in ((long_gone, date(2023, 1, 31)), (recent, date(2025, 12, 1)),
                         (erased, date(2022, 1, 1))):
        register.change_status(member, "left", left, coordinator)
    register.erase(erased, coordinator)
    db.session.commit()
    due = register.retention_due(date(2026, 2, 28), 24)
    assert [m.display_name for m in due] == ["Long Gone"]
    assert register.months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert register.months_before(date(2024, 3, 31), 1) == date(2024, 2, 29)


def test_an_admin_marks_a_reviewer_as_coordinator_and_only_a_reviewer(client, auth,
                                                                       make_user):
    from app.models import User

    make_user("boss@example.org", role="admin")
    reviewer = make_user("rev@example.org", role="reviewer")
    auth.sign_in("boss@example.org")
    form = {"name": "Rev", "role": "writer", "team_ids": [str(reviewer.teams[0].id)],
            "network_coordinator": "y"}
    page = client.post(f"/admin/users/{reviewer.id}/edit", data=form).get_data(as_text=True)
    assert "Only a reviewer can be marked network coordinator" in page
    response = client.post(f"/admin/users/{reviewer.id}/edit", data=form | {"role": "reviewer"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, reviewer.id).network_coordinator
    auth.sign_out()
    auth.sign_in("rev@example.org")
    assert client.get("/network/members/new").status_code == 200


def test_the_list_filters_by_role_region_status_kind_and_need(client, auth, coordinator,
                                                              add_member):
    add_member("Ann Advisory", region="london", needs=["bsl"])
    add_member("Bob Blogger", region="london", roles=["blogger"], kind="organisation",
               organisation_name="Org", organisation_type="local")
    add_member("Cat Wales", region="wales")
    auth.sign_in(coordinator.email)

    def names(query: str) -> set[str]:
        page = client.get(f"/network/?{query}").get_data(as_text=True)
        return {name for name in ("Ann Advisory", "Bob Blogger", "Cat Wales") if name in page}
    assert names("") == {"Ann Advisory", "Bob Blogger", "Cat Wales"}
    assert names("role=blogger") == {"Bob Blogger"}
    assert names("region=london") == {"Ann Advisory", "Bob Blogger"}
    assert names("kind=organisation") == {"Bob Blogger"}
    assert names("need=bsl") == {"Ann Advisory"}
    assert names("status=left") == set()
    assert names("region=atlantis") == {"Ann Advisory", "Bob Blogger", "Cat Wales"}
