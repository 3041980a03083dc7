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
